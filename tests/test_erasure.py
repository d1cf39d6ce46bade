"""Erasure of a person's data (UU PDP No. 27/2022): after an admin approves the
committee's request, no page, export, log line or message body holds the person's NIK,
name, phone or email, while the organization's totals stay; the public verification
page says the certificate was issued but its holder's data was erased; the four-eyes
rule, a second approval, a committee member approving; the request holds no values."""

import logging
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.models import (
    AttendanceMark,
    Certificate,
    ImportUpload,
    Message,
    Participant,
    Registration,
)
from service.models.base import pk
from service.models.erasure import ErasureRequest
from service.services.erasure import requests
from service.services.registrations import register
from tests import erasure_world as w
from tests import factories as f
from tests.conftest import PASSWORD
from tests.helpers import api_routes, login_page_client


def _bearer(client: TestClient, email: str) -> dict[str, str]:
    r = client.post("/api/auth/token", data={"username": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture
def world(db: Session, admin: Any) -> w.World:
    return w.build(db, admin)


def _ask(client: TestClient, world: w.World) -> int:
    r = client.post(f"/api/people/{world.person_id}/erasure-requests",
                    headers=_bearer(client, world.committee.email),
                    json={"requested_by_text": "Ibu Yusnimar sendiri lewat WhatsApp, 3 Des",
                          "reason": f"Tidak aktif lagi sebagai kader; NIK {w.NIK}"})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _totals(api: TestClient, world: w.World) -> dict[str, Any]:
    t = world.training.id
    report = api.get(f"/api/trainings/{t}/report")
    assert report.status_code == 200, report.text
    person = api.get(f"/api/people/{world.person_id}").json()
    certs = api.get(f"/api/trainings/{t}/certificates").json()
    return {"report": report.json(), "jpl_total": person["jpl_total"],
            "jpl_by_year": person["jpl_by_year"],
            "certificates": sorted((c["number"], c.get("verification_code") or "")
                                   for c in certs["items"]) if isinstance(certs, dict)
            and "items" in certs else certs}


def _values(world: w.World, db: Session) -> dict[str, str]:
    cert = db.exec(select(Certificate)
                   .where(Certificate.registration_id == pk(world.reg))).one()
    return {"training_id": str(world.training.id), "batch_id": str(world.batch_id),
            "registration_id": str(pk(world.reg)), "person_id": str(world.person_id),
            "ticket_token": world.reg.ticket_token, "token": world.reg.ticket_token,
            "code": cert.verification_code, "session_id": str(world.session_id),
            "organization_id": str(world.org.id)}


def _urls(app: Any, values: dict[str, str]) -> list[str]:
    """Every GET route whose ids this world fills, with each roster format."""
    urls = []
    for route in api_routes(app):
        if "GET" not in route.methods:
            continue
        names = re.findall(r"{(\w+)(?::\w+)?}", route.path)
        formats = ["csv", "xlsx", "pdf"] if "fmt" in names else [""]
        if any(n not in values and n != "fmt" for n in names):
            continue
        for fmt in formats:
            url = route.path
            for n in names:
                url = re.sub(r"{" + n + r"(?::\w+)?}", fmt if n == "fmt" else values[n], url)
            urls.append(url)
    return sorted(set(urls))


def test_erasure_leaves_no_trace_while_the_totals_stay(
        client: TestClient, db: Session, admin: Any, world: w.World,
        caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    headers = _bearer(client, admin.email)
    client.headers.update(headers)
    login_page_client(client, admin.email)
    before = _totals(client, world)
    # The world holds her data: the walk below can fail.
    assert w.NIK in client.get(f"/api/people/{world.person_id}/record.pdf").text \
        or w.traces(w.text_of(client.get(
            f"/api/batches/{world.batch_id}/roster.xlsx").content, "r.xlsx"))
    request_id = _ask(client, world)
    r = client.post(f"/api/erasure-requests/{request_id}/approve")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "approved" and body["fields_count"] >= 8
    assert body["person"].startswith("Data dihapus (UU PDP)")
    assert not w.traces(str(body))

    after = _totals(client, world)
    assert after == before

    found: dict[str, list[str]] = {}
    urls = _urls(client.app, _values(world, db))
    assert len(urls) > 60
    for query in (w.NIK[-6:], w.PHONE[-4:], "Yusnimar", "Chaniago"):
        urls += [f"/api/people?q={query}", f"/api/trainings/{world.training.id}/registrations"
                 f"?q={query}"]
    statuses = {}
    for url in urls:
        answer = client.get(url)
        statuses[url] = answer.status_code
        text = w.text_of(answer.content, url, answer.headers.get("content-type", ""))
        # A search page echoes what was searched for: its box is not the person's data.
        text = re.sub(r'value="[^"]*"', "", text)
        hits = w.traces(text.replace(f"q={w.NIK[-6:]}", "").replace("q=Yusnimar", "")
                        .replace("q=Chaniago", ""))
        if hits:
            found[url] = hits
    assert not found, found
    # The walk reached the documents it is about.
    for must in (f"/api/batches/{world.batch_id}/roster.pdf",
                 f"/api/batches/{world.batch_id}/roster.xlsx",
                 f"/api/batches/{world.batch_id}/roster.csv",
                 f"/api/trainings/{world.training.id}/report.pdf",
                 f"/api/trainings/{world.training.id}/report.docx",
                 f"/api/trainings/{world.training.id}/certificates.pdf",
                 f"/api/trainings/{world.training.id}/messages",
                 f"/people/{world.person_id}", "/erasure"):
        assert statuses.get(must) == 200, (must, statuses.get(must))
    for query in ("Yusnimar", w.NIK[-6:], w.PHONE[-4:]):
        assert client.get("/api/people", params={"q": query}).json()["total"] == 0
    # Everything the service logged during the whole test (the test client's own lines,
    # httpx's, name the searches this test made, not the service).
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}"
                       for r in caplog.records if r.name != "httpx")
    logged += "".join(capsys.readouterr())
    assert any(r.name.startswith("service.") for r in caplog.records)
    assert not w.traces(logged), w.traces(logged)


def test_every_copy_in_the_database_is_cleared(client: TestClient, db: Session, admin: Any,
                                               world: w.World) -> None:
    request_id = _ask(client, world)
    requests.approve(db, world.org.id or 0, request_id, admin)
    person = db.get(Participant, world.person_id)
    assert person is not None
    assert (person.nik, person.nip, person.phone, person.email, person.birth_date,
            person.village, person.institution) == (None,) * 7
    assert person.district == "Padang Utara"  # the report's kecamatan breakdown stays
    regs = db.exec(select(Registration)
                   .where(Registration.participant_id == world.person_id)).all()
    assert len(regs) == 2 and all(r.contact_key is None for r in regs)
    messages = db.exec(select(Message)
                       .where(Message.registration_id == pk(world.reg))).all()
    assert len(messages) == 2
    assert {(m.recipient, m.body, m.status) for m in messages} == \
        {("[dihapus]", "[dihapus]", "failed")}
    reasons = sorted(m.reason for m in db.exec(select(AttendanceMark)))
    assert reasons == ["Datang bersama [dihapus], tiket di HP [dihapus]", "[dihapus]"]
    assert db.exec(select(ImportUpload)).all() == []
    request = db.get(ErasureRequest, request_id)
    assert request is not None
    stored = " ".join(str(v) for v in request.model_dump().values())
    assert not w.traces(stored), stored
    assert request.requested_by_text == "Ibu [dihapus] sendiri lewat WhatsApp, 3 Des"
    assert set(request.fields.split(",")) >= {"name", "nik", "nip", "phone", "email"}


def test_the_verification_page_says_issued_but_erased(client: TestClient, db: Session,
                                                      admin: Any, world: w.World) -> None:
    cert = db.exec(select(Certificate)
                   .where(Certificate.registration_id == pk(world.reg))).one()
    assert "Yusnimar" in client.get(f"/v/{cert.verification_code}").text
    requests.approve(db, world.org.id or 0, _ask(client, world), admin)
    f.committed(db)
    page = client.get(f"/v/{cert.verification_code}")
    assert page.status_code == 200
    text = w.text_of(page.content)
    assert cert.number in text and world.training.title in text
    assert "dihapus atas permintaan" in text and "Sertifikat sah" in text
    assert not w.traces(text)


def test_a_second_approval_is_409(client: TestClient, db: Session, admin: Any,
                                  world: w.World) -> None:
    request_id = _ask(client, world)
    headers = _bearer(client, admin.email)
    assert client.post(f"/api/erasure-requests/{request_id}/approve",
                       headers=headers).status_code == 200
    again = client.post(f"/api/erasure-requests/{request_id}/approve", headers=headers)
    assert again.status_code == 409 and again.json()["code"] == "erasure_decided"
    refuse = client.post(f"/api/erasure-requests/{request_id}/refuse", headers=headers)
    assert refuse.status_code == 409


def test_a_committee_member_cannot_approve(client: TestClient, world: w.World) -> None:
    request_id = _ask(client, world)
    r = client.post(f"/api/erasure-requests/{request_id}/approve",
                    headers=_bearer(client, world.committee.email))
    assert r.status_code == 403
    listed = client.get("/api/erasure-requests",
                        headers=_bearer(client, world.committee.email)).json()
    assert [i["status"] for i in listed["items"]] == ["pending"]


def test_the_recording_admin_needs_another_admin(client: TestClient, db: Session,
                                                 admin: Any, world: w.World) -> None:
    f.user(db, world.org, role="admin", name="Admin Kedua")
    f.committed(db)
    headers = _bearer(client, admin.email)
    r = client.post(f"/api/people/{world.person_id}/erasure-requests", headers=headers,
                    json={"requested_by_text": "yang bersangkutan, surat 3 Des"})
    request_id = r.json()["id"]
    refused = client.post(f"/api/erasure-requests/{request_id}/approve", headers=headers)
    assert refused.status_code == 403 and refused.json()["code"] == "erasure_same_user"
    assert db.get(Participant, world.person_id).nik == w.NIK  # type: ignore[union-attr]


def test_a_sole_admin_approves_their_own_request_and_it_says_so(
        client: TestClient, db: Session, admin: Any, world: w.World) -> None:
    headers = _bearer(client, admin.email)
    r = client.post(f"/api/people/{world.person_id}/erasure-requests", headers=headers,
                    json={"requested_by_text": "yang bersangkutan, surat 3 Des"})
    done = client.post(f"/api/erasure-requests/{r.json()['id']}/approve", headers=headers)
    assert done.status_code == 200
    assert done.json()["decision_note"] == requests.SOLE_ADMIN


def test_a_second_request_while_one_waits_is_409(client: TestClient, world: w.World) -> None:
    _ask(client, world)
    again = client.post(f"/api/people/{world.person_id}/erasure-requests",
                        headers=_bearer(client, world.committee.email),
                        json={"requested_by_text": "lagi"})
    assert again.status_code == 409 and again.json()["code"] == "erasure_pending"


def test_a_request_without_who_asked_is_422_in_indonesian(client: TestClient,
                                                          world: w.World) -> None:
    r = client.post(f"/api/people/{world.person_id}/erasure-requests",
                    headers=_bearer(client, world.committee.email),
                    json={"requested_by_text": "   "})
    assert r.status_code == 422


def test_a_new_registration_with_her_nik_is_a_new_person(client: TestClient, db: Session,
                                                         admin: Any, world: w.World) -> None:
    requests.approve(db, world.org.id or 0, _ask(client, world), admin)
    t3 = f.training(db, world.org, "Orientasi Kader 2019", start=w.DAY1 + timedelta(400),
                    days=1)
    reg = register(db, t3, {"name": w.NAME, "nik": w.NIK, "phone": w.PHONE}, None)
    assert reg.participant_id != world.person_id
    erased = db.get(Participant, world.person_id)
    assert erased is not None and erased.nik is None


from datetime import timedelta  # noqa: E402
