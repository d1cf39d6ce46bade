"""A participant's own link to a pre/post-test or to the evaluations, queued through the
outbox: who gets it, once per person and test, the words on each channel, the API."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.errors import DomainError, FieldError, NotFound
from service.models import Message, MessageOptOut, Organization, Participant
from service.models.base import pk
from service.schemas.assessments import AssessmentCreate
from service.schemas.evaluations import AnswerIn
from service.services.assessments import answering, bank, windows
from service.services.evaluations import answers as evaluation_answers
from service.services.messaging import outbox
from tests import evaluation_world
from tests import factories as f

BASE = "https://bimtek.padang.example"
QUESTIONS = [{"text": "Kepanjangan BKB adalah ...",
              "choices": ["Bina Keluarga Balita", "Bina Kesehatan Bayi"], "answer": "a"},
             {"text": "Kampung KB dicanangkan tahun 2016.", "choices": ["Benar", "Salah"],
              "answer": "Benar"}]


@pytest.fixture
def channels(monkeypatch: pytest.MonkeyPatch) -> None:
    from service.settings import get_settings

    s = get_settings()
    for name, value in {"whatsapp_api_url": "http://127.0.0.1:9/v21.0",
                        "whatsapp_token": "tok", "whatsapp_phone_number_id": "1",
                        "smtp_host": "127.0.0.1"}.items():
        monkeypatch.setattr(s, name, value)


def _pretest(db: Session, t: Any, title: str = "Pre-test Kampung KB") -> Any:
    return bank.create_assessment(db, t, AssessmentCreate.model_validate(
        {"kind": "pretest", "title": title, "questions": QUESTIONS}))


@pytest.fixture
def world(db: Session) -> Any:
    """Two batches of Padang cadres; the pre-test open to the first only."""
    org = f.organization(db)
    t = f.training(db, org)
    one = f.batch(db, t, "Angkatan I")
    two = f.batch(db, t, "Angkatan II")
    regs = f.register_many(db, t, one, 3) + f.register_many(db, t, two, 2, first=3)
    person = db.get(Participant, regs[0].participant_id)
    assert person is not None
    person.email = "kader01@example.id"
    test = _pretest(db, t)
    windows.set_open(db, test, pk(one), True)
    db.flush()
    return t, one, two, regs, test


def _messages(db: Session, t: Any) -> list[Message]:
    return list(db.exec(select(Message).where(Message.training_id == t.id)
                        .order_by(Message.id)).all())


def _send(db: Session, t: Any, kind: str, channel: str = "both", **more: Any
          ) -> outbox.QueueReport:
    return outbox.queue(db, t, outbox.SendRequest(kind, channel, **more), BASE)


def test_a_tests_links_go_to_the_batches_it_is_open_to(db: Session, world: Any,
                                                        channels: None) -> None:
    t, _one, _two, regs, test = world
    report = _send(db, t, "test", assessment_id=pk(test))
    assert (report.people, report.queued) == (3, 4)  # 3 WhatsApp, 1 email
    rows = _messages(db, t)
    assert {m.registration_id for m in rows} == {pk(r) for r in regs[:3]}
    wa = next(m for m in rows if m.channel == "whatsapp" and m.registration_id == pk(regs[1]))
    link = f"{BASE}/t/{regs[1].ticket_token}/tes/{pk(test)}"
    assert wa.kind == "test" and wa.template == "bimtek_tes"
    assert json.loads(wa.params) == ["Kader 02 Nur'aini", "Pre-test Kampung KB",
                                     "Pelatihan Kader Kampung KB (Angkatan I)", link]
    assert "Silakan mengerjakan Pre-test Kampung KB" in wa.body and link in wa.body
    email = next(m for m in rows if m.channel == "email")
    own = f"{BASE}/t/{regs[0].ticket_token}/tes/{pk(test)}"
    assert email.subject == "Pre-test Kampung KB: Pelatihan Kader Kampung KB (Angkatan I)"
    assert email.html is not None and f'href="{own}"' in email.html
    assert "Kerjakan Pre-test Kampung KB" in email.html


def test_pressing_send_twice_queues_each_persons_link_once(db: Session, world: Any,
                                                           channels: None) -> None:
    t, one, _two, _regs, test = world
    assert _send(db, t, "test", "whatsapp", assessment_id=pk(test)).queued == 3
    # Another press (a new key from the form), for the batch alone: nothing more.
    again = _send(db, t, "test", "whatsapp", assessment_id=pk(test), batch_id=pk(one),
                  idempotency_key="tekan-lagi")
    assert (again.people, again.queued) == (3, 0)
    assert len(_messages(db, t)) == 3
    # A second test is another link: it goes out.
    post = _pretest(db, t, "Post-test Kampung KB")
    windows.set_open(db, post, pk(one), True)
    assert _send(db, t, "test", "whatsapp", assessment_id=pk(post)).queued == 3


def test_only_those_who_have_not_answered_get_the_link(db: Session, world: Any,
                                                       channels: None) -> None:
    t, _one, _two, regs, test = world
    answering.submit(db, regs[0], pk(test), [0, 0])
    report = _send(db, t, "test", "whatsapp", assessment_id=pk(test), only="not_answered")
    assert report.people == 2
    assert {m.registration_id for m in _messages(db, t)} == {pk(regs[1]), pk(regs[2])}


def test_a_link_is_not_sent_to_who_asked_to_stop(db: Session, world: Any,
                                                channels: None) -> None:
    t, _one, _two, regs, test = world
    person = db.get(Participant, regs[2].participant_id)
    assert person is not None and person.phone
    db.add(MessageOptOut(channel="whatsapp", address=person.phone, source="reply"))
    db.flush()
    report = _send(db, t, "test", "whatsapp", assessment_id=pk(test))
    assert (report.queued, report.opted_out) == (2, 1)


def test_a_test_not_open_to_the_batch_sends_nothing(db: Session, world: Any,
                                                    channels: None) -> None:
    t, _one, two, _regs, test = world
    with pytest.raises(FieldError) as err:
        _send(db, t, "test", assessment_id=pk(test), batch_id=pk(two))
    assert err.value.code == "test_not_open"
    closed = _pretest(db, t, "Post-test")
    with pytest.raises(FieldError):
        _send(db, t, "test", assessment_id=pk(closed))
    with pytest.raises(FieldError):
        _send(db, t, "test")  # which test?
    assert _messages(db, t) == []


def test_another_trainings_test_is_not_found(db: Session, world: Any,
                                             channels: None) -> None:
    t, *_ = world
    other = f.training(db, f.organization(db, "DP3AP2KB Kota Pontianak"))
    foreign = _pretest(db, other)
    with pytest.raises(NotFound):
        _send(db, t, "test", assessment_id=pk(foreign))


def test_absent_today_is_no_audience_for_a_link(db: Session, world: Any,
                                                channels: None) -> None:
    t, *_rest, test = world
    with pytest.raises(DomainError) as err:
        _send(db, t, "test", assessment_id=pk(test), only="absent_today")
    assert err.value.field == "only"  # type: ignore[attr-defined]


# --- the evaluation ------------------------------------------------------------------------

def test_the_evaluation_link_goes_once_a_day_and_skips_who_answered_everything(
        db: Session, channels: None) -> None:
    w = evaluation_world.build(db)
    t = w.training
    report = _send(db, t, "evaluation", "whatsapp", batch_id=pk(w.batch))
    assert (report.people, report.queued) == (5, 5)
    m = _messages(db, t)[0]
    link = f"{BASE}/t/{w.regs[0].ticket_token}/evaluasi"
    assert m.kind == "evaluation" and m.template == "bimtek_evaluasi"
    assert json.loads(m.params)[1:] == [f"{t.title} ({w.batch.name})", link]
    assert "Mohon isi evaluasi" in m.body and "tanpa nama" in m.body
    assert _send(db, t, "evaluation", "whatsapp", batch_id=pk(w.batch)).queued == 0
    # One cadre fills in every form open to them (both sessions and the event).
    token = w.regs[0].ticket_token
    for session in (w.material, w.second):
        evaluation_answers.submit(db, token, "narasumber", AnswerIn(
            session_id=session.id, answers=evaluation_world.scores()))
    evaluation_answers.submit(db, token, "event",
                              AnswerIn(answers=evaluation_world.event_scores()))
    left = _send(db, t, "evaluation", "whatsapp", batch_id=pk(w.batch),
                 only="not_answered")
    assert left.people == 4


def test_the_evaluation_link_waits_for_the_batch_to_begin(db: Session,
                                                          channels: None) -> None:
    org = f.organization(db)
    t = f.training(db, org, start=f.DAY1.replace(year=2099))
    b = f.batch(db, t)
    f.register_many(db, t, b, 2)
    with pytest.raises(FieldError) as err:
        _send(db, t, "evaluation")
    assert err.value.code == "evaluation_not_open"
    assert _messages(db, t) == []


# --- the API -------------------------------------------------------------------------------

@pytest.fixture
def api_world(db: Session, admin: Any) -> Any:
    org = db.get(Organization, admin.organization_id)
    assert org is not None
    t = f.training(db, org)
    b = f.batch(db, t)
    regs = f.register_many(db, t, b, 4)
    test = _pretest(db, t)
    windows.set_open(db, test, pk(b), True)
    return t, b, regs, test


def test_the_api_queues_a_tests_links_202(api: TestClient, api_world: Any,
                                         channels: None, db: Session) -> None:
    t, b, regs, test = api_world
    body = {"kind": "test", "channel": "whatsapp", "assessment_id": pk(test),
            "batch_id": pk(b), "only": "not_answered"}
    r = api.post(f"/api/trainings/{t.id}/messages", json=body)
    assert r.status_code == 202, r.text
    assert (r.json()["queued"], r.json()["people"]) == (4, 4)
    again = api.post(f"/api/trainings/{t.id}/messages", json=body)
    assert again.status_code == 202 and again.json()["queued"] == 0
    items = api.get(f"/api/trainings/{t.id}/messages").json()["items"]
    assert {i["kind"] for i in items} == {"test"} and len(items) == 4
    assert {i["registration_id"] for i in items} == {pk(r) for r in regs}


def test_the_api_queues_the_evaluation_link(api: TestClient, api_world: Any,
                                            channels: None) -> None:
    t, *_ = api_world
    r = api.post(f"/api/trainings/{t.id}/messages",
                 json={"kind": "evaluation", "channel": "both"})
    assert r.status_code == 202, r.text
    assert r.json()["queued"] == 4


def test_the_api_refuses_a_test_link_without_its_test(api: TestClient, api_world: Any,
                                                      channels: None, db: Session) -> None:
    t, *_ = api_world
    r = api.post(f"/api/trainings/{t.id}/messages", json={"kind": "test", "channel": "both"},
                 headers={"Accept-Language": "id"})
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [{"field": "assessment_id",
                                   "message": "Pilih tes yang tautannya dikirim."}]
    r = api.post(f"/api/trainings/{t.id}/messages",
                 json={"kind": "test", "channel": "both", "assessment_id": 999999})
    assert r.status_code == 404, r.text
    assert _count(db, t) == 0


def _count(db: Session, t: Any) -> int:
    return len(_messages(db, t))
