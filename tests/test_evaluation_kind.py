"""A training's own evaluation questionnaire (assessment kind "evaluation"): created through
the contract's endpoint, answered once per person from the ticket (API, page, the
evaluation list), kept anonymously like the standard forms, and reported as means per item
and shares per choice, held back below three answers; and nothing any endpoint or export
shows ties an answer to a registration."""

import io
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session, select

from service.errors import DomainError
from service.models import Assessment, EvaluationReceipt, EvaluationResponse, Participant
from service.models.base import pk
from service.schemas.assessments import AssessmentCreate
from service.services.assessments import answering, bank, questionnaire, windows
from service.services.evaluations import answers as ev_answers
from service.services.evaluations import results as ev_results
from tests import evaluation_world as ew
from tests import factories
from tests.helpers import login_page_client

QUESTIONS = [
    {"text": "Materi mudah dipahami", "choices": ["1", "2", "3", "4", "5"]},
    {"text": "Waktu pelatihan", "choices": ["Terlalu singkat", "Cukup", "Terlalu lama"]},
]


@pytest.fixture
def world(db: Session, org: Any, admin: Any) -> ew.World:
    w = ew.build(db, org)
    factories.committed(db)
    return w


def _make(db: Session, w: ew.World, open_to_batch: bool = True) -> Assessment:
    a = bank.create_assessment(db, w.training, AssessmentCreate.model_validate(
        {"kind": "evaluation", "title": "Evaluasi penyelenggaraan", "questions": QUESTIONS}))
    if open_to_batch:
        windows.set_open(db, a, pk(w.batch), True)
    return a


def test_questions_of_an_evaluation_have_no_key(db: Session, world: ew.World) -> None:
    a = _make(db, world)
    assert [q.answer for q in bank.questions(db, pk(a))] == [None, None]
    assert questionnaire.numeric(["1", "2", "3"]) and not questionnaire.numeric(["Baik", "1"])


def test_answers_are_kept_without_who_and_a_second_is_refused(db: Session,
                                                                world: ew.World) -> None:
    a = _make(db, world)
    reg = world.regs[0]
    assert answering.submit(db, reg, pk(a), [4, 1], "Ruangan dingin") is None
    rows = db.exec(select(EvaluationResponse).where(
        EvaluationResponse.assessment_id == pk(a))).all()
    assert len(rows) == 1 and rows[0].answers == {"1": 4, "2": 1}
    assert re.fullmatch(r"[0-9a-f]{32}", rows[0].id) and rows[0].batch_id == pk(world.batch)
    columns = set(EvaluationResponse.model_fields)
    assert not {c for c in columns if "registration" in c or c.endswith("_at")}
    receipt = db.get(EvaluationReceipt, (pk(reg), f"assessment:{pk(a)}"))
    assert receipt is not None
    with pytest.raises(DomainError) as err:
        answering.submit(db, reg, pk(a), [3, 0], None)
    assert err.value.code == "already_evaluated" and err.value.status == 409
    assert len(db.exec(select(EvaluationResponse).where(
        EvaluationResponse.assessment_id == pk(a))).all()) == 1


def test_every_question_needs_an_answer_and_the_batch_must_be_open(db: Session,
                                                                    world: ew.World) -> None:
    a = _make(db, world, open_to_batch=False)
    with pytest.raises(DomainError) as closed:
        answering.submit(db, world.regs[0], pk(a), [4, 1], None)
    assert closed.value.code == "assessment_closed"
    windows.set_open(db, a, pk(world.batch), True)
    with pytest.raises(DomainError) as missing:
        answering.submit(db, world.regs[0], pk(a), [4, None], None)
    assert missing.value.status == 422
    with pytest.raises(DomainError) as wrong:
        answering.submit(db, world.regs[0], pk(a), [4, 3], None)
    assert wrong.value.code == "answer_invalid"
    assert db.exec(select(EvaluationReceipt)).first() is None  # nothing kept


def test_results_means_shares_and_held_back_below_three(db: Session, world: ew.World) -> None:
    a = _make(db, world)
    for reg, picks in zip(world.regs[:2], ([4, 1], [2, 1]), strict=True):
        answering.submit(db, reg, pk(a), picks, "catatan")
    early = questionnaire.results(db, a)
    assert (early.responses, early.shown, early.mean, early.comments) == (2, False, None, [])
    assert all(i.counts == [] and i.mean is None for i in early.items)
    answering.submit(db, world.regs[2], pk(a), [4, 2], None)
    r = questionnaire.results(db, a)
    assert (r.responses, r.expected, r.shown) == (3, 5, True)
    scale, choice = r.items
    assert scale.numeric and scale.mean == round((5 + 3 + 5) / 3, 2)
    assert scale.counts == [0, 0, 1, 0, 2]
    assert not choice.numeric and choice.mean is None
    assert choice.counts == [0, 2, 1] and choice.shares == [0.0, 0.667, 0.333]
    assert r.mean == round((5 + 3 + 5) / 3, 2)  # only the numeric items count
    assert [(b.name, b.expected, b.responses) for b in r.by_batch] == [
        (world.batch.name, 5, 3)]
    assert r.comments == ["catatan", "catatan"]


def test_the_standard_event_results_do_not_count_the_questionnaire(db: Session,
                                                                    world: ew.World) -> None:
    a = _make(db, world)
    for reg in world.regs[:3]:
        answering.submit(db, reg, pk(a), [4, 1], None)
    ev = ev_results.training_evaluations(db, world.training)
    assert ev.event is not None and ev.event.responses == 0
    assert ev.event_rate.answered == 0


def test_the_holder_sees_it_among_their_evaluations(db: Session, world: ew.World) -> None:
    a = _make(db, world)
    reg = world.regs[0]
    view = ev_answers.holder(db, reg.ticket_token)
    assert [(q.id, q.open, q.done) for q in view.questionnaires] == [(pk(a), True, False)]
    answering.submit(db, reg, pk(a), [4, 1], None)
    view = ev_answers.holder(db, reg.ticket_token)
    assert [(q.id, q.done) for q in view.questionnaires] == [(pk(a), True)]


# --- over HTTP ------------------------------------------------------------------------------

def test_the_contract_create_answer_twice_and_results(api: TestClient, db: Session,
                                                      world: ew.World) -> None:
    tid = pk(world.training)
    made = api.post(f"/api/trainings/{tid}/assessments", json={
        "kind": "evaluation", "title": "Evaluasi", "questions": QUESTIONS})
    assert made.status_code == 201, made.text
    aid = made.json()["id"]
    assert api.put(f"/api/trainings/{tid}/assessments/{aid}/batches/{pk(world.batch)}",
                   json={"open": True}).status_code == 200
    for n, reg in enumerate(world.regs[:3]):
        r = api.post(f"/api/tickets/{reg.ticket_token}/assessments/{aid}",
                     json={"answers": [n + 2, 1], "comment": f"Saran {n}"})
        assert r.status_code == 201, r.text
        assert r.json() == {"score": None, "correct": None, "total": None}
    again = api.post(f"/api/tickets/{world.regs[0].ticket_token}/assessments/{aid}",
                     json={"answers": [0, 0]})
    assert again.status_code == 409 and again.json()["code"] == "already_evaluated"
    res = api.get(f"/api/trainings/{tid}/assessments/{aid}/results")
    assert res.status_code == 200, res.text
    body = res.json()
    assert (body["kind"], body["responses"], body["shown"], body["mean"]) == (
        "evaluation", 3, True, 4.0)
    assert body["questions"][0]["mean"] == 4.0
    assert body["questions"][1]["counts"] == [0, 3, 0]
    assert body["by_batch"][0]["responses"] == 3
    assert sorted(body["comments"]) == ["Saran 0", "Saran 1", "Saran 2"]


def test_the_ticket_pages_list_and_answer_it(client: TestClient, db: Session,
                                             world: ew.World) -> None:
    a = _make(db, world)
    factories.committed(db)
    token = world.regs[0].ticket_token
    ticket = client.get(f"/t/{token}")
    assert f'id="test-{pk(a)}"' in ticket.text and f"/t/{token}/tes/{pk(a)}" in ticket.text
    listed = client.get(f"/t/{token}/evaluasi")
    assert f'id="ev-questionnaire-{pk(a)}"' in listed.text
    page = client.get(f"/t/{token}/tes/{pk(a)}")
    assert page.status_code == 200 and 'id="as-comment"' in page.text
    assert "a. Terlalu singkat" not in page.text  # no letters: nothing is right or wrong
    missing = client.post(f"/t/{token}/tes/{pk(a)}", data={"q1": "4"})
    assert missing.status_code == 422
    done = client.post(f"/t/{token}/tes/{pk(a)}", data={"q1": "4", "q2": "1",
                                                         "comment": "Bagus"})
    assert done.status_code == 200 and 'id="as-done"' in done.text
    assert f'id="test-{pk(a)}"' in client.get(f"/t/{token}").text
    assert "✓" in client.get(f"/t/{token}/evaluasi").text


# --- anonymity ----------------------------------------------------------------------------

_FORBIDDEN_KEYS = re.compile(r"registration|participant|respondent|person|people|ticket|"
                             r"created|submitted|answered_at|_at$|name_of|nik|phone",
                             re.IGNORECASE)


def _keys(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [k for k in value] + [k2 for v in value.values() for k2 in _keys(v)]
    if isinstance(value, list):
        return [k for v in value for k in _keys(v)]
    return []


def _text(r: Any) -> str:
    if r.content.startswith(b"%PDF"):
        return " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(r.content)).pages)
    return str(r.text)


def test_no_questionnaire_answer_can_be_traced_to_a_registration(
        client: TestClient, db: Session, world: ew.World, admin: Any) -> None:
    """Every page, JSON and file the committee can open about the questionnaire holds no
    respondent's name, token, NIK or phone, and no field that names one or a moment; the
    participant lists, rosters, learning results and report hold no comment; comments
    come in the order of the responses' random ids."""
    a = _make(db, world)
    comments = [f"Saran rahasia nomor {n}" for n in range(5)]
    for n, reg in enumerate(world.regs):
        answering.submit(db, reg, pk(a), [n % 5, n % 3], comments[n])
    factories.committed(db)
    tid, aid, bid = pk(world.training), pk(a), pk(world.batch)
    token = client.post("/api/auth/token", data={"username": admin.email,
                                                 "password": "correct-horse-battery"})
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    login_page_client(client, admin.email)
    outputs = {
        "api results": client.get(f"/api/trainings/{tid}/assessments/{aid}/results",
                                  headers=bearer),
        "api one": client.get(f"/api/trainings/{tid}/assessments/{aid}", headers=bearer),
        "api evaluations": client.get(f"/api/trainings/{tid}/evaluations", headers=bearer),
        "test page": client.get(f"/trainings/{tid}/tests/{aid}"),
        "tests page": client.get(f"/trainings/{tid}/tests"),
        "evaluations page": client.get(f"/trainings/{tid}/evaluations"),
        "evaluations live": client.get(f"/trainings/{tid}/evaluations",
                                       headers={"HX-Request": "1"}),
    }
    secrets = []
    for reg in world.regs:
        p = db.get(Participant, reg.participant_id)
        assert p is not None
        secrets += [x for x in (p.name, reg.ticket_token, p.nik, p.phone) if x]
    seen = set()
    for label, r in outputs.items():
        assert r.status_code == 200, (label, r.status_code)
        text = _text(r)
        assert [s for s in secrets if s in text] == [], label
        seen |= {c for c in comments if c in text}
        if r.headers["content-type"].startswith("application/json"):
            assert [k for k in _keys(r.json()) if _FORBIDDEN_KEYS.search(k)] == [], label
    assert seen == set(comments)
    listed = outputs["api results"].json()["comments"]
    rows = db.exec(select(EvaluationResponse).where(
        EvaluationResponse.assessment_id == aid)).all()
    assert listed == [r.comment for r in sorted(rows, key=lambda r: r.id)]
    exports = {
        "registrations": client.get(f"/api/trainings/{tid}/registrations", headers=bearer),
        "roster csv": client.get(f"/api/batches/{bid}/roster.csv", headers=bearer),
        "roster pdf": client.get(f"/api/batches/{bid}/roster.pdf", headers=bearer),
        "learning": client.get(f"/api/trainings/{tid}/learning", headers=bearer),
        "report": client.get(f"/trainings/{tid}/report"),
        "report pdf": client.get(f"/trainings/{tid}/report.pdf"),
    }
    for label, r in exports.items():
        assert r.status_code == 200, (label, r.status_code)
        text = _text(r)
        assert not any(c in text for c in comments), label
        assert "Evaluasi penyelenggaraan" not in text, label
