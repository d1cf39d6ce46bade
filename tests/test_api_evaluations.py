"""Evaluations over HTTP: the forms, the ticket holder's answers (201, then 409), the
committee's rates and results, the narasumber's PDF; and anonymity: nothing the committee
or a narasumber can open links an answer to a registration."""

import io
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from service.models.base import pk
from service.services import roster_links
from tests import evaluation_world as ew
from tests import factories
from tests.helpers import login_page_client


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def world(db: Session, org: Any, admin: Any) -> ew.World:
    w = ew.build(db, org)
    factories.committed(db)
    return w


def _post(client: TestClient, token: str, form_key: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/tickets/{token}/evaluations/{form_key}", json=body)


def test_a_holder_answers_once_201_then_409(client: TestClient, world: ew.World) -> None:
    token = world.regs[0].ticket_token
    body = {"session_id": pk(world.material), "answers": ew.scores(5), "comment": "Jelas"}
    first = _post(client, token, "narasumber", body)
    assert first.status_code == 201, first.text
    assert first.json() == {"status": "received", "form_key": "narasumber",
                            "session_id": pk(world.material)}
    again = _post(client, token, "narasumber", body)
    assert again.status_code == 409 and again.json()["code"] == "already_evaluated"
    assert "sudah" in again.json()["message"]  # Indonesian by default
    listed = client.get(f"/api/tickets/{token}/evaluations").json()
    done = {(t["form_key"], t["session_id"]): t["done"] for t in listed["targets"]}
    assert done == {("narasumber", pk(world.material)): True,
                    ("narasumber", pk(world.second)): False, ("event", None): False}


@pytest.mark.parametrize("form_key, body, status, code", [
    ("narasumber", {"answers": ew.scores()}, 422, "validation_error"),
    ("narasumber", {"session_id": 0, "answers": ew.scores()}, 422, "validation_error"),
    ("narasumber", {"session_id": -1, "answers": ew.scores()}, 422, "validation_error"),
    ("event", {"answers": {"venue": 9}}, 422, "validation_error"),
    ("event", {"answers": ew.event_scores(), "comment": "a" * 1001}, 422, "validation_error"),
    ("event", {"answers": ew.event_scores(), "comment": "x\x00y"}, 422, "validation_error"),
    ("kantin", {"answers": {}}, 404, "evaluation_form_not_found"),
])
def test_bad_answers_are_a_clear_4xx_and_change_nothing(
        client: TestClient, world: ew.World, form_key: str, body: dict[str, Any], status: int,
        code: str) -> None:
    r = _post(client, world.regs[0].ticket_token, form_key, body)
    assert (r.status_code, r.json()["code"]) == (status, code), r.text
    assert r.json()["message"]
    listed = client.get(f"/api/tickets/{world.regs[0].ticket_token}/evaluations").json()
    assert not any(t["done"] for t in listed["targets"])


def test_an_unknown_ticket_is_404(client: TestClient, world: ew.World) -> None:
    r = _post(client, "Z" * 30, "event", {"answers": ew.event_scores()})
    assert (r.status_code, r.json()["code"]) == (404, "invalid_ticket")


def test_the_committee_reads_rates_and_results(api: TestClient, world: ew.World) -> None:
    for n, reg in enumerate(world.regs[:4]):
        assert _post(api, reg.ticket_token, "narasumber", {
            "session_id": pk(world.material), "answers": ew.scores(2 + n % 3),
            "comment": f"Catatan {n}"}).status_code == 201
    body = api.get(f"/api/trainings/{world.training.id}/evaluations").json()
    first = next(s for s in body["sessions"] if s["session_id"] == world.material.id)
    assert (first["answered"], first["expected"], first["rate"]) == (4, 5, 0.8)
    assert first["results"]["shown"] and first["results"]["responses"] == 4
    mastery = first["results"]["items"][0]
    assert mastery["key"] == "mastery" and mastery["distribution"] == [0, 2, 1, 1, 0]
    assert mastery["mean"] == pytest.approx(2.75)
    assert sorted(first["results"]["comments"]) == [f"Catatan {n}" for n in range(4)]
    assert body["event"]["answered"] == 0 and body["event"]["expected"] == 7
    one = api.get(f"/api/trainings/{world.training.id}/evaluations/sessions/"
                  f"{world.material.id}").json()
    assert one == first


def test_an_office_edits_its_forms_and_committee_cannot(api: TestClient, db: Session,
                                                        world: ew.World) -> None:
    forms = api.get("/api/evaluation-forms").json()["items"]
    assert [f["key"] for f in forms] == ["narasumber", "event"]
    assert forms[0]["items"][0]["text"] == "Penguasaan materi"
    r = api.put("/api/evaluation-forms/event", json={
        "title": "Evaluasi Penyelenggaraan", "scale": 4,
        "items": [{"key": "venue", "text": "Tempat"}, {"text": "Transportasi"}]})
    assert r.status_code == 200, r.text
    assert [i["key"] for i in r.json()["items"]] == ["venue", "q2"]
    assert api.put("/api/evaluation-forms/event", json={"title": "X", "items": []}
                   ).status_code == 422
    assert api.put("/api/evaluation-forms/kantin", json={
        "title": "X", "items": [{"text": "a"}]}).status_code == 404
    committee = factories.user(db, world.org, role="committee", email="panitia@padang.test")
    factories.committed(db)
    token = api.post("/api/auth/token", data={"username": committee.email,
                                              "password": "correct-horse-battery"})
    r = api.put("/api/evaluation-forms/event", headers={
        "Authorization": f"Bearer {token.json()['access_token']}"},
        json={"title": "X", "items": [{"text": "a"}]})
    assert r.status_code == 403


# The only script a ticket page carries: the service worker's registration (deferred; the
# page works without it, it only keeps the page for a reload offline).
SW_ONLY = ['<script src="/static/js/ticket/register.js" defer>']


def test_the_participant_pages_work_without_script(client: TestClient, world: ew.World) -> None:
    token = world.regs[0].ticket_token
    ticket = client.get(f"/t/{token}")
    assert 'id="evaluations-link"' in ticket.text
    page = client.get(f"/t/{token}/evaluasi")
    assert page.status_code == 200 and re.findall(r"<script[^>]*>", page.text) == SW_ONLY
    assert "bimtek_eval_ticket" in page.headers["set-cookie"]
    form = client.get(f"/t/{token}/evaluasi/sessions/{world.material.id}")
    assert 'name="q_mastery"' in form.text
    assert re.findall(r"<script[^>]*>", form.text) == SW_ONLY
    bad = client.post(f"/t/{token}/evaluasi/sessions/{world.material.id}",
                      data={"q_mastery": "5"}, follow_redirects=False)
    assert bad.status_code == 422 and "Jawab semua" in bad.text
    ok = client.post(f"/t/{token}/evaluasi/sessions/{world.material.id}",
                     data={f"q_{k}": "4" for k in ew.scores()} | {"comment": "Mantap"},
                     follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"].endswith("?done=narasumber")
    again = client.post(f"/t/{token}/evaluasi/sessions/{world.material.id}",
                        data={f"q_{k}": "4" for k in ew.scores()}, follow_redirects=False)
    assert again.status_code == 409
    assert client.get(f"/t/{token}/evaluasi/sessions/{world.opening.id}").status_code == 404


def test_the_projector_qr_leads_a_phone_to_the_sessions_form(
        client: TestClient, world: ew.World, admin: Any) -> None:
    login_page_client(client, admin.email)
    screen = client.get(f"/trainings/{world.training.id}/evaluations/sessions/"
                        f"{world.material.id}/screen")
    assert screen.status_code == 200 and "<svg" in screen.text
    url = re.search(r'id="ev-screen-url">([^<]+)<', screen.text)
    assert url
    path = url.group(1).replace("http://testserver", "")
    phone = TestClient(client.app)
    ask = phone.get(path)
    assert ask.status_code == 200 and 'name="ticket"' in ask.text
    wrong = phone.post(path, data={"ticket": "https://x/t/" + "Q" * 30})
    assert wrong.status_code == 404
    token = world.regs[1].ticket_token
    found = phone.post(path, data={"ticket": f"http://testserver/t/{token}"},
                       follow_redirects=False)
    assert found.headers["location"] == f"/t/{token}/evaluasi/sessions/{world.material.id}"
    # Once the phone opened its evaluations, the QR goes straight to the form.
    phone.get(f"/t/{token}/evaluasi")
    straight = phone.get(path, follow_redirects=False)
    assert straight.status_code == 303
    assert straight.headers["location"] == f"/t/{token}/evaluasi/sessions/{world.material.id}"


def test_the_committee_page_polls_the_rates(client: TestClient, world: ew.World,
                                            admin: Any) -> None:
    login_page_client(client, admin.email)
    page = client.get(f"/trainings/{world.training.id}/evaluations")
    assert page.status_code == 200 and 'hx-trigger="every 5s"' in page.text
    live = client.get(f"/trainings/{world.training.id}/evaluations",
                      headers={"HX-Request": "true"})
    assert live.text.lstrip().startswith('<section id="ev-live"')
    assert f'id="ev-rate-{world.material.id}"' in live.text and "Hasil" not in live.text


def test_the_narasumber_opens_their_summary_pdf(client: TestClient, db: Session,
                                                world: ew.World, admin: Any) -> None:
    for reg in world.regs[:3]:
        ew.answer_session(db, reg, world.material, 5, "Penyampaian sangat jelas")
    raw, _link = roster_links.create_link(db, world.training, pk(world.speaker), admin)
    factories.committed(db)
    page = client.get(f"/n/{raw}")
    assert f"/n/{raw}/evaluasi.pdf" in page.text
    r = client.get(f"/n/{raw}/evaluasi.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = pdf_text(r.content)
    assert "EVALUASI NARASUMBER" in text and "Dr. Siti Rahma" in text
    assert "Kesehatan Reproduksi Remaja" in text and "Penyampaian sangat jelas" in text
    assert "3 dari 5 peserta menjawab" in text and "5,00" in text
    assert world.other.title not in text  # another narasumber's session
    assert client.get("/n/" + "Q" * 30 + "/evaluasi.pdf").status_code == 404


# --- anonymity ----------------------------------------------------------------------------

def _identifiers(db: Session, world: ew.World) -> list[str]:
    """What could name a respondent: names, ticket tokens, NIKs, phones."""
    out = []
    for reg in world.regs:
        person = reg.participant_id
        from service.models import Participant
        p = db.get(Participant, person)
        assert p is not None
        out += [p.name, reg.ticket_token, p.nik or "", p.phone or ""]
    return [x for x in out if x]


_FORBIDDEN_KEYS = re.compile(r"registration|participant|respondent|person|ticket|"
                             r"created|submitted|answered_at|_at$|name_of|nik|phone",
                             re.IGNORECASE)


def _keys(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [k for k in value] + [k2 for v in value.values() for k2 in _keys(v)]
    if isinstance(value, list):
        return [k for v in value for k in _keys(v)]
    return []


def test_no_answer_can_be_traced_to_a_registration_through_any_endpoint_or_export(
        client: TestClient, db: Session, world: ew.World, admin: Any) -> None:
    """Every page, JSON and file the committee and a narasumber can open about the
    evaluations holds no respondent's name, token, NIK or phone and no field that names
    one or a moment; the participant lists and exports hold no answer or comment; and
    comments come in the order of the responses' random ids, not of their arrival."""
    comments = [f"Komentar rahasia nomor {n}" for n in range(5)]
    for n, reg in enumerate(world.regs):
        ew.answer_session(db, reg, world.material, 1 + n % 5, comments[n])
        ew.answer_event(db, reg, 1 + (n + 2) % 5, f"Acara {n}")
    raw, _link = roster_links.create_link(db, world.training, pk(world.speaker), admin)
    factories.committed(db)
    tid, sid, spid, bid = (world.training.id, world.material.id, world.speaker.id,
                           world.batch.id)
    api_token = client.post("/api/auth/token", data={"username": admin.email,
                                                     "password": "correct-horse-battery"})
    bearer = {"Authorization": f"Bearer {api_token.json()['access_token']}"}
    login_page_client(client, admin.email)
    evaluation_outputs = {
        "api all": client.get(f"/api/trainings/{tid}/evaluations", headers=bearer),
        "api session": client.get(f"/api/trainings/{tid}/evaluations/sessions/{sid}",
                                  headers=bearer),
        "api forms": client.get("/api/evaluation-forms", headers=bearer),
        "api pdf": client.get(f"/api/trainings/{tid}/evaluations/speakers/{spid}.pdf",
                              headers=bearer),
        "page": client.get(f"/trainings/{tid}/evaluations"),
        "page live": client.get(f"/trainings/{tid}/evaluations", headers={"HX-Request": "1"}),
        "page screen": client.get(f"/trainings/{tid}/evaluations/sessions/{sid}/screen"),
        "page pdf": client.get(f"/trainings/{tid}/evaluations/speakers/{spid}.pdf"),
        "forms page": client.get("/evaluation-forms"),
        "narasumber page": client.get(f"/n/{raw}"),
        "narasumber pdf": client.get(f"/n/{raw}/evaluasi.pdf"),
    }
    secrets = _identifiers(db, world)
    seen_comments = set()
    for label, r in evaluation_outputs.items():
        assert r.status_code == 200, (label, r.status_code)
        text = pdf_text(r.content) if r.content.startswith(b"%PDF") else r.text
        leaked = [s for s in secrets if s in text]
        assert leaked == [], (label, leaked)
        seen_comments |= {c for c in comments if c in text}
        if r.headers["content-type"].startswith("application/json"):
            bad = [k for k in _keys(r.json()) if _FORBIDDEN_KEYS.search(k)]
            assert bad == [], (label, bad)
    assert seen_comments == set(comments)  # the comments are there, only their authors not
    # Comments are in the order of the random response ids, the same everywhere.
    listed = evaluation_outputs["api session"].json()["results"]["comments"]
    from sqlmodel import select

    from service.models import EvaluationResponse
    rows = db.exec(select(EvaluationResponse).where(
        EvaluationResponse.session_id == sid)).all()
    assert listed == [r.comment for r in sorted(rows, key=lambda r: r.id)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", r.id) for r in rows)
    # The participant lists and exports say nothing about evaluations.
    exports = {
        "registrations": client.get(f"/api/trainings/{tid}/registrations", headers=bearer),
        "roster csv": client.get(f"/api/batches/{bid}/roster.csv", headers=bearer),
        "roster pdf": client.get(f"/api/batches/{bid}/roster.pdf", headers=bearer),
        "narasumber roster": client.get(f"/n/{raw}/batches/{bid}/roster.csv"),
        "registrations page": client.get(f"/trainings/{tid}/registrations"),
    }
    for label, r in exports.items():
        assert r.status_code == 200, (label, r.status_code)
        text = pdf_text(r.content) if r.content.startswith(b"%PDF") else r.text
        assert not any(c in text for c in comments), label
        assert "evaluat" not in text.lower() and "evaluasi" not in text.lower() or \
            label == "registrations page", label
        if label == "registrations":
            assert not [k for k in _keys(r.json()) if "evaluat" in k.lower()]
    assert json.dumps(evaluation_outputs["api all"].json())
