"""The tenant matrix: every route with an id in its path, asked by every role of
organization B (admin, committee, door scanner) with organization A's real ids, answers
403 or 404 (401 or 405 where fitting), never A's data and never a change to it."""

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, time, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.models import IssuedLetter, Registration, Training
from service.models.base import pk
from service.schemas.actions import ActionCreate
from service.schemas.assessments import AssessmentCreate, QuestionIn
from service.schemas.kampung_kb import KampungKBCreate
from service.schemas.meetings import PresenterIn
from service.schemas.planning import VenueCreate
from service.schemas.programs import ProgramCreate
from service.services import (
    imports,
    kampung_kb,
    programs,
    report_photos,
    roster_links,
    scanner_logins,
    venues,
)
from service.services.actions import core as actions_core
from service.services.assessments import bank as assessment_bank
from service.services.erasure import requests as erasure_requests
from service.services.meetings import materials as meeting_materials
from service.services.meetings import presenters as meeting_presenters
from service.services.nominations import nominees
from service.services.nominations import units as training_units
from service.services.province import sharing
from tests import factories, guests_world, presentation_files
from tests.conftest import PASSWORD
from tests.helpers import CSRF_RE, id_routes, login_page_client, post_login
from tests.report_photos_util import phone_jpeg

ALLOWED = {401, 403, 404, 405}
ROLES = ("admin", "committee", "scanner", "treasurer")


@pytest.fixture
def world_a(db: Session) -> dict[str, Any]:
    """Organization A with one of everything a path can name."""
    org = factories.organization(db, "DP3AP2KB Kota Padang")
    admin = factories.user(db, org, role="admin", name="Admin A")
    start = date.today() + timedelta(days=10)  # links and door logins are still open
    t = factories.training(db, org, start=start, days=3)
    b = factories.batch(db, t, days=2)
    speaker = factories.speaker(db, org)
    s = factories.session(db, t, b, teachers=[speaker])
    venue = venues.create_venue(db, pk(org), VenueCreate(name="Hotel Pangeran Beach",
                                                        rooms=["Ruang Sriwijaya"]))
    reg = factories.register(db, t, b, **factories.kader(0))
    for day in (b.start_date, b.end_date):
        factories.check_in(db, reg, day, admin, at=time(8))
    factories.certificate_template_for(db, t, admin)
    certificate = factories.issue_certificates(db, t, admin)[0]
    _raw, link = roster_links.create_link(db, t, pk(speaker), admin)
    door = scanner_logins.create_login(db, t, "Gerbang A").user
    upload = imports.save_upload(db, t, admin, "peserta.csv", b"Nama\nSiti\n")
    program = programs.create_program(db, pk(org), ProgramCreate(
        title="Program Kampung KB", start_date=start, end_date=start + timedelta(days=300)))
    kkb = kampung_kb.create_kampung_kb(db, pk(org), KampungKBCreate(
        name="Kampung KB Melati", village="Air Tawar Barat", district="Padang Utara"))
    # A province office A shares its aggregates with (B shares nothing with it).
    province = factories.organization(db, "Perwakilan BKKBN Provinsi Sumatera Barat")
    sharing.set_kind(db, province, "province")
    sharing.share(db, pk(org), pk(province), admin)
    pretest = assessment_bank.create_assessment(db, t, AssessmentCreate(
        kind="pretest", title="Pre-test", questions=[QuestionIn(
            text="Kepanjangan BKB?", choices=["Bina Keluarga Balita", "Balai"], answer=0)]))
    photo = report_photos.add_photo(db, t, phone_jpeg(64, 48), "Pembukaan", None, admin)
    # A meeting's presenter (with its unit) and a session's material.
    presenter = meeting_presenters.create_presenter(db, t, PresenterIn(
        unit="Dinas Kesehatan", name="Kabid", topic="KIA", day=b.start_date,
        start_time=time(9), end_time=time(9, 30)))
    meeting_presenters.set_file(db, presenter, presentation_files.pdf(), "paparan.pdf")
    material = meeting_materials.add_material(db, s, t, presentation_files.pdf(), "materi.pdf")
    erasure = erasure_requests.record(db, pk(org), reg.participant_id, "yang bersangkutan",
                                      "", pk(admin))
    # A follow-up action of the meeting (its unit: the presenter's).
    action = actions_core.create_action(db, t, ActionCreate(
        title="Rekap data PUS", unit_id=presenter.unit_id, due_date=start + timedelta(days=30)),
        admin)
    # The paperwork (issue 16): an invited unit and its delegate, a guest, a letter.
    invited = training_units.add_unit(db, t, name="Kabupaten Lahat", quota=3)
    nominee = nominees.add(db, invited, {"name": "Siti Aminah"})
    guest = guests_world.guest(db, t)
    letter = IssuedLetter(organization_id=pk(org), training_id=pk(t),
                          kind="committee_assignment", number="001/094/IX/2018", seq=1,
                          year=2018, letter_date=start, recipient="Panitia")
    db.add(letter)
    db.flush()
    factories.committed(db)
    ids = {"training_id": pk(t), "batch_id": pk(b), "session_id": pk(s),
           "speaker_id": pk(speaker), "venue_id": pk(venue), "registration_id": pk(reg),
           "user_id": pk(door), "certificate_id": pk(certificate), "link_id": pk(link),
           "position": 1, "organization_id": pk(org), "person_id": reg.participant_id,
           "other_id": reg.participant_id,
           "program_id": pk(program), "kkb_id": pk(kkb), "province_id": pk(province),
           "assessment_id": pk(pretest), "photo_id": pk(photo),
           "presenter_id": pk(presenter), "material_id": pk(material),
           "unit_id": presenter.unit_id, "request_id": pk(erasure),
           "action_id": pk(action), "training_unit_id": pk(invited),
           "nominee_id": pk(nominee), "guest_id": pk(guest), "letter_id": pk(letter)}
    return {"ids": ids, "strings": {"token": upload.token, "fmt": "xlsx",
                                    "day": b.start_date.isoformat()},
            "training": pk(t), "registration": pk(reg)}


@pytest.fixture
def role_clients(app: Any, db: Session, world_a: dict[str, Any]
                 ) -> Iterator[dict[str, tuple[TestClient, str]]]:
    """Organization B's admin, committee member and door scanner, each signed in twice:
    a bearer token for /api and a page session (with its CSRF token) for the pages."""
    org_b = factories.organization(db, "DP3AP2KB Kota Pontianak")
    users = {role: factories.user(db, org_b, role=role, email=f"{role}@pontianak.test")
             for role in ROLES}
    factories.committed(db)
    clients: dict[str, tuple[TestClient, str]] = {}
    opened = []
    for role, user in users.items():
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        opened.append(client)
        token = client.post("/api/auth/token", data={"username": user.email,
                                                     "password": PASSWORD})
        assert token.status_code == 200, token.text
        csrf = login_page_client(client, user.email) if role != "scanner" else _scanner_csrf(
            client, user.email)
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        clients[role] = (client, csrf)
    yield clients
    for client in opened:
        client.__exit__(None, None, None)


def _scanner_csrf(client: TestClient, email: str) -> str:
    """A door scanner lands on /scan, not /trainings: its session's CSRF from there."""
    assert post_login(client, email, next="/scan").status_code == 303
    match = CSRF_RE.search(client.get("/scan").text) or re.search(
        r'"X-CSRF-Token": "([^"]+)"', client.get("/scan").text)
    assert match, "no CSRF token on the scanner page"
    return match.group(1)


def _body(path: str, ids: dict[str, int]) -> dict[str, Any]:
    """A JSON body the route's input schema accepts (extra fields are ignored: one body
    serves all), naming A's objects wherever a body names one. Valid, so that the answer
    is about the path's ids, not about the body."""
    # A training's kind and a session's kind share the name.
    kind = "material" if "session" in path else "pelatihan"
    return {"title": "Pelatihan B", "kind": kind, "start_date": "2027-03-01",
            "end_date": "2027-03-02", "name": "Nama B", "capacity": 10, "date": "2027-03-01",
            "start_time": "08:00", "end_time": "09:00", "strategy": "balanced",
            "decision": "include", "reason": "hadir semua hari", "role": "committee",
            "is_active": True, "speaker_id": ids["speaker_id"], "batch_id": ids["batch_id"],
            "target_batch_id": ids["batch_id"], "speaker_ids": [ids["speaker_id"]],
            "signatories": [], "other_id": ids["person_id"],
            "from_training_id": ids["training_id"], "to_training_id": ids["training_id"],
            "requested_by_text": "yang bersangkutan"}


# Bodies of routes whose schema takes no extra field (so the one body above will not do).
EXACT_BODIES = {r"/guest-checkins$": {"code": "https://bimtek.test/g/" + "k" * 32},
                r"/sessions/\d+/speakers/\d+/attendance$": {"present": True}}


def _ask(client: TestClient, csrf: str, method: str, path: str, ids: dict[str, int]) -> int:
    if path.startswith("/api"):
        kwargs: dict[str, Any] = {}
        if method in ("POST", "PUT", "PATCH"):
            if path.endswith(("/import", "/background", "/signature")):
                kwargs["files"] = {"file": ("x.png", b"\x89PNG\r\n\x1a\n", "image/png")}
            else:
                exact = [b for end, b in EXACT_BODIES.items() if re.search(end, path)]
                kwargs["json"] = exact[0] if exact else _body(path, ids)
        return client.request(method, path, **kwargs).status_code
    data = {"csrf_token": csrf, "name": "Nama B", "title": "Pelatihan B",
            "speaker_id": str(ids["speaker_id"]), "training_id": str(ids["training_id"]),
            "batch_id": str(ids["batch_id"]), "reason": "hadir semua hari",
            "decision": "include", "active": "0"}
    files = {"file": ("x.csv", b"Nama\nSiti\n", "text/csv")} if method == "POST" else None
    return client.request(method, path, headers={"X-CSRF-Token": csrf},
                          data=data if method == "POST" else None, files=files,
                          follow_redirects=False).status_code


def _fill(template: str, params: dict[str, Any], world: dict[str, Any]) -> str:
    path = template
    for name, kind in params.items():
        value = world["ids"][name] if kind is int else world["strings"].get(name, "x")
        path = path.replace("{" + name + "}", str(value))
    return path


def test_organization_b_reaches_nothing_of_organization_a(
        app: Any, db: Session, world_a: dict[str, Any],
        role_clients: dict[str, tuple[TestClient, str]]) -> None:
    routes = id_routes(app)
    leaks = []
    asked = 0
    seen: Counter[int] = Counter()
    for role, (client, csrf) in role_clients.items():
        for method, template, params in routes:
            if any(name not in world_a["ids"] for name, kind in params.items() if kind is int):
                leaks.append((role, method, template, "an id kind the matrix lacks"))
                continue
            status = _ask(client, csrf, method, _fill(template, params, world_a),
                          world_a["ids"])
            asked += 1
            seen[status] += 1
            if status not in ALLOWED:
                leaks.append((role, method, template, status))
    print(f"tenant matrix: {asked} requests, {len(routes)} routes x {len(ROLES)} roles, "
          f"{len(leaks)} answers other than {sorted(ALLOWED)}; by status {dict(seen)}")
    assert leaks == [], leaks
    assert asked == len(routes) * len(ROLES)
    # And nothing of A changed: its registration and training are as they were.
    reg = db.get(Registration, world_a["registration"])
    assert reg is not None and reg.status == "confirmed"
    assert db.exec(select(Training).where(Training.id == world_a["training"])).one()
