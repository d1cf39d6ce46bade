"""Evaluations as services: what a ticket may evaluate, one anonymous answer per person
and form, the forms an office edits, and the results per session and narasumber."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect
from sqlmodel import Session, select

from service.errors import DomainError, FieldError
from service.models import EvaluationReceipt, EvaluationResponse
from service.models.base import pk
from service.schemas.evaluations import AnswerIn, FormItemIn, FormUpdate
from service.services.evaluations import answers, forms, results
from tests import evaluation_world as ew
from tests import factories


def test_a_ticket_evaluates_its_batchs_material_sessions_and_the_event(db: Session) -> None:
    w = ew.build(db)
    view = answers.holder(db, w.regs[0].ticket_token)
    assert [t.session_id for t in view.sessions] == [w.material.id, w.second.id]
    assert all(t.open and not t.done for t in view.sessions)
    assert view.event.open and view.open_count == 3


def test_an_answer_is_kept_without_who_gave_it(db: Session) -> None:
    w = ew.build(db)
    ew.answer_session(db, w.regs[0], w.material, 5, "Sangat jelas")
    row = db.exec(select(EvaluationResponse)).one()
    assert row.answers == ew.scores(5) and row.comment == "Sangat jelas"
    assert len(row.id) == 32 and row.session_id == w.material.id
    receipt = db.exec(select(EvaluationReceipt)).one()
    assert (receipt.registration_id, receipt.scope) == (w.regs[0].id, f"session:{w.material.id}")
    assert answers.holder(db, w.regs[0].ticket_token).sessions[0].done


def test_the_response_table_has_no_column_that_names_a_person_or_a_time(db: Session) -> None:
    columns = {c["name"] for c in inspect(db.get_bind()).get_columns("evaluation_response")}
    # assessment_id and batch_id: a training's own questionnaire and the batch its
    # results split by (tests/test_evaluation_kind.py); still nobody and no moment.
    assert columns == {"id", "training_id", "form_key", "session_id", "scale", "answers",
                       "comment", "assessment_id", "batch_id"}
    receipt = {c["name"] for c in inspect(db.get_bind()).get_columns("evaluation_receipt")}
    assert receipt == {"registration_id", "scope", "training_id", "session_id"}


def test_a_second_answer_to_the_same_form_is_a_409_and_keeps_nothing(db: Session) -> None:
    w = ew.build(db)
    ew.answer_session(db, w.regs[0], w.material)
    with pytest.raises(answers.AlreadyEvaluated):
        ew.answer_session(db, w.regs[0], w.material, 1)
    assert len(db.exec(select(EvaluationResponse)).all()) == 1


def test_the_receipts_key_refuses_a_second_answer_that_got_past_the_check(
        db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two phones at once: both read "not done"; the key settles it."""
    w = ew.build(db)
    ew.answer_event(db, w.regs[0])
    real = answers.holder

    def stale(db_: Session, token: str) -> answers.HolderView:
        view = real(db_, token)
        return answers.HolderView(view.token, view.registration_id, view.training,
                                  view.organization, view.batch, view.sessions,
                                  answers.Target("event", None, True, False))
    monkeypatch.setattr(answers, "holder", stale)
    with pytest.raises(answers.AlreadyEvaluated):
        ew.answer_event(db, w.regs[0], 2)
    assert len(db.exec(select(EvaluationResponse)).all()) == 1


def test_one_answer_per_session_and_one_for_the_event(db: Session) -> None:
    w = ew.build(db)
    ew.answer_session(db, w.regs[0], w.material)
    ew.answer_session(db, w.regs[0], w.second)
    ew.answer_event(db, w.regs[0])
    assert answers.holder(db, w.regs[0].ticket_token).open_count == 0


@pytest.mark.parametrize("given, field", [
    ({"mastery": 4}, "answers"),
    ({**ew.scores(), "extra": 3}, "answers"),
    (ew.scores(6), "answers.mastery"),
    (ew.scores(0), "answers.mastery"),
])
def test_an_incomplete_or_out_of_scale_sheet_is_refused(db: Session, given: dict[str, int],
                                                         field: str) -> None:
    w = ew.build(db)
    with pytest.raises(FieldError) as err:
        answers.submit(db, w.regs[0].ticket_token, "narasumber",
                       AnswerIn(session_id=pk(w.material), answers=given))
    assert err.value.field == field
    assert db.exec(select(EvaluationReceipt)).all() == []


def test_sessions_without_a_narasumber_of_another_batch_or_to_come_are_refused(
        db: Session) -> None:
    # The batch starts today where the training is (WIB): between 17.00 and 24.00 UTC the
    # machine's date is still yesterday there, and its second day would already be today.
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    w = ew.build(db, start=today)
    token = w.regs[0].ticket_token
    for session in (w.opening, w.other):
        with pytest.raises(answers.NotEvaluable):
            answers.submit(db, token, "narasumber",
                           AnswerIn(session_id=pk(session), answers=ew.scores()))
    later = factories.session(db, w.training, w.batch, title="Besok", day=w.batch.end_date,
                              teachers=[w.other_speaker])
    assert later.date > today
    with pytest.raises(answers.NotOpenYet):
        answers.submit(db, token, "narasumber",
                       AnswerIn(session_id=pk(later), answers=ew.scores()))


def test_a_waitlisted_or_unknown_ticket_cannot_answer(db: Session) -> None:
    w = ew.build(db)
    full = factories.batch(db, w.training, name="Penuh", capacity=1)
    factories.register(db, w.training, full, name="Satu")
    waiting = factories.register(db, w.training, full, name="Dua")
    assert waiting.status == "waitlisted"
    with pytest.raises(answers.NoSeat):
        answers.holder(db, waiting.ticket_token)
    with pytest.raises(answers.TicketNotFound):
        answers.holder(db, "x" * 30)


def test_results_hold_back_until_three_answers_then_means_counts_and_comments(
        db: Session) -> None:
    w = ew.build(db)
    ew.answer_session(db, w.regs[0], w.material, 5, "Materi sangat bermanfaat")
    ew.answer_session(db, w.regs[1], w.material, 3)
    early = results.session_evaluation(db, w.training, pk(w.material))
    assert (early.rate.answered, early.rate.expected) == (2, 5)
    assert early.result and not early.result.shown and early.result.comments == []
    assert early.result.items[0].mean is None
    ew.answer_session(db, w.regs[2], w.material, 4, "Waktu kurang")
    r = results.session_evaluation(db, w.training, pk(w.material)).result
    assert r and r.shown and r.responses == 3 and r.mean == pytest.approx(4.0)
    assert r.items[0].counts == [0, 0, 1, 1, 1]
    assert sorted(r.comments) == ["Materi sangat bermanfaat", "Waktu kurang"]


def test_comments_are_listed_by_random_id_not_in_the_order_they_came(db: Session) -> None:
    w = ew.build(db)
    for n, reg in enumerate(w.regs):
        ew.answer_event(db, reg, 4, f"Komentar {n}")
    ids = {r.comment: r.id for r in db.exec(select(EvaluationResponse)).all()}
    listed = results.training_evaluations(db, w.training).event
    assert listed is not None
    assert listed.comments == sorted(ids, key=lambda c: ids[c])


def test_an_office_rewords_its_form_and_earlier_answers_keep_their_items(db: Session) -> None:
    w = ew.build(db)
    admin = factories.user(db, w.org, role="admin")
    for reg in w.regs[:3]:
        ew.answer_session(db, reg, w.material, 4)
    spec = forms.save_form(db, pk(w.org), "narasumber", FormUpdate(
        title="Evaluasi Narasumber", scale=4, items=[
            FormItemIn(key="mastery", text="Penguasaan materi"),
            FormItemIn(text="Interaksi dengan peserta")]), admin)
    assert [i.key for i in spec.items] == ["mastery", "q2"] and spec.scale == 4
    r = results.session_evaluation(db, w.training, pk(w.material)).result
    assert r and r.items[0].text == "Penguasaan materi" and r.items[0].mean == 4
    assert r.items[1].mean is None
    # The new form is what the next participant answers.
    answers.submit(db, w.regs[3].ticket_token, "narasumber", AnswerIn(
        session_id=pk(w.material), answers={"mastery": 4, "q2": 3}))
    assert forms.reset_form(db, pk(w.org), "narasumber").customized is False


def test_an_unknown_form_is_not_found(db: Session) -> None:
    with pytest.raises(DomainError) as err:
        forms.get_form(db, 1, "kantin")
    assert err.value.status == 404


def test_a_speakers_summary_has_only_their_sessions(db: Session) -> None:
    w = ew.build(db)
    for reg in w.regs[:3]:
        ew.answer_session(db, reg, w.material, 5, "Bagus")
    doc = results.speaker_summary(db, w.training, w.speaker, date.today())
    assert [s.title for s in doc.sections] == [w.material.title, w.second.title]
    assert doc.sections[0].shown and doc.sections[0].mean == 5
    assert not doc.sections[1].shown
    other = results.speaker_summary(db, w.training, w.other_speaker, date.today())
    assert [s.title for s in other.sections] == [w.other.title]


def test_the_event_rate_counts_every_confirmed_participant(db: Session) -> None:
    w = ew.build(db)
    ew.answer_event(db, w.regs[0])
    ev = results.training_evaluations(db, w.training, results=False)
    assert (ev.event_rate.answered, ev.event_rate.expected) == (1, 7)
    assert ev.event is None and all(s.result is None for s in ev.sessions)


def test_the_projector_code_is_made_once_and_leads_to_the_session(db: Session) -> None:
    w = ew.build(db)
    code = answers.session_code(db, w.material)
    assert code == answers.session_code(db, w.material) and answers.CODE.match(code)
    target = answers.resolve_code(db, code)
    assert target.session.id == w.material.id and target.batch.id == w.batch.id
    assert answers.ticket_for_code(db, target, w.regs[0].ticket_token)
    outsider = factories.register(db, w.training, w.other_batch, name="Lain")
    with pytest.raises(answers.NotEvaluable):
        answers.ticket_for_code(db, target, outsider.ticket_token)
    with pytest.raises(answers.CodeNotFound):
        answers.resolve_code(db, "zzzzzzzzzz")


def test_a_pasted_ticket_link_gives_its_token() -> None:
    token = "AbCdEfGh_ijklmnop-1234"
    assert answers.ticket_token_in(f"https://bimtek.example/t/{token}") == token
    assert answers.ticket_token_in(f"  {token}\n") == token
    assert answers.ticket_token_in("halo") is None


def test_days_are_counted_where_the_training_is(db: Session) -> None:
    w = ew.build(db, start=date.today() + timedelta(days=3))
    view = answers.holder(db, w.regs[0].ticket_token)
    assert not view.event.open and not any(t.open for t in view.sessions)
