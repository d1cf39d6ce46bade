"""Who gets a participant's own link to a pre/post-test (kind "test") or to the
evaluations (kind "evaluation"), and the key that makes pressing "send" twice queue once.

A test's link goes to the confirmed participants of the batches the test is open to (a
link to a closed test would only say "not open"); an evaluation's link to those of the
batches that have begun (the forms open from a batch's first day). "Only those who have
not answered yet" leaves out who has handed in the test, or who has filled in every
form open to them today: receipts say who answered, never what (models/evaluations.py).

The key names the person and the test, so a link is queued once per person, test and
channel however often it is pressed; an evaluation's once per person, channel and day
(the training's own day), so that a committee may send it again at the end of a later
day when that day's sessions opened their forms.
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from service.errors import FieldError, NotFound
from service.i18n import N_
from service.models import (
    Assessment,
    AssessmentBatch,
    AssessmentResponse,
    Batch,
    EvaluationReceipt,
    Training,
)
from service.models.base import pk
from service.services import training_clock
from service.services.evaluations.answers import EVENT, evaluated, scope_of
from service.services.overview import load_sessions
from service.services.registrations import RegistrationFilter, RegistrationRow, all_registrations

KINDS = ("test", "evaluation")
NOT_ANSWERED = "not_answered"


@dataclass(frozen=True)
class Target:
    """What the links point to: a test (with its title), or the evaluations."""

    kind: str
    assessment: Assessment | None
    batch_ids: frozenset[int]  # the batches whose people may get the link
    day: date  # the training's today

    def action(self) -> str:
        """The idempotency key's cause (outbox keys are `{action}:{kind}:{rid}:{channel}`)."""
        if self.assessment is not None:
            return f"test-{pk(self.assessment)}"
        return f"evaluation-{self.day.isoformat()}"

    def link(self, ticket_url: str) -> str:
        if self.assessment is not None:
            return f"{ticket_url}/tes/{pk(self.assessment)}"
        return f"{ticket_url}/evaluasi"


class TestNotOpen(FieldError):
    code = "test_not_open"


def assessment_of(db: Session, training: Training, assessment_id: int | None) -> Assessment:
    if assessment_id is None:
        raise FieldError("assessment_id", N_("Choose the test whose links you send."))
    found = db.get(Assessment, assessment_id)
    if found is None or found.training_id != pk(training):
        raise NotFound(N_("This test does not exist."), code="assessment_not_found")
    return found


def open_batches(db: Session, assessment: Assessment) -> set[int]:
    return set(db.exec(select(AssessmentBatch.batch_id).where(
        AssessmentBatch.assessment_id == pk(assessment),
        col(AssessmentBatch.closed_at).is_(None))).all())


def begun_batches(db: Session, training: Training, day: date) -> set[int]:
    return {pk(b) for b in db.exec(select(Batch).where(Batch.training_id == pk(training)))
            if b.start_date <= day}


def target(db: Session, training: Training, kind: str, assessment_id: int | None,
           batch_id: int | None) -> Target:
    """What the request sends links to; a FieldError (nothing queued) when nobody could
    use them yet: the test is not open to the batch, the batch has not begun."""
    day = training_clock.today(training)
    if kind == "test":
        assessment = assessment_of(db, training, assessment_id)
        batches = open_batches(db, assessment)
        if batch_id is not None and batch_id not in batches:
            raise TestNotOpen("batch_id", N_("The test is not open to this batch: open it "
                                             "first, then send the links."))
        if not batches:
            raise TestNotOpen("assessment_id", N_("The test is not open to any batch yet: "
                                                  "open it first, then send the links."))
        return Target(kind, assessment, frozenset(batches), day)
    batches = begun_batches(db, training, day)
    if batch_id is not None and batch_id not in batches:
        raise FieldError("batch_id", N_("This batch has not begun yet: its evaluation "
                                        "opens on its first day."),
                         code="evaluation_not_open")
    if not batches:
        raise FieldError("batch_id", N_("No batch has begun yet: the evaluation opens on "
                                        "a batch's first day."), code="evaluation_not_open")
    return Target(kind, None, frozenset(batches), day)


def people(db: Session, training: Training, t: Target, batch_id: int | None,
           only: str | None) -> list[RegistrationRow]:
    rows = [r for r in all_registrations(db, training, RegistrationFilter(
                batch_id=batch_id, status="confirmed"))
            if r.registration.batch_id in t.batch_ids]
    if only != NOT_ANSWERED:
        return rows
    if t.assessment is not None:
        done = set(db.exec(select(AssessmentResponse.registration_id).where(
            AssessmentResponse.assessment_id == pk(t.assessment))).all())
        # A training's own questionnaire (kind "evaluation") keeps receipts instead of
        # answer sheets, scoped as assessments/questionnaire.scope() names them.
        done |= set(db.exec(select(EvaluationReceipt.registration_id).where(
            EvaluationReceipt.training_id == pk(training),
            EvaluationReceipt.scope == f"assessment:{pk(t.assessment)}")).all())
        return [r for r in rows if pk(r.registration) not in done]
    return _evaluations_left(db, training, t, rows)


def _evaluations_left(db: Session, training: Training, t: Target,
                      rows: list[RegistrationRow]) -> list[RegistrationRow]:
    """Those with a form open to them today that they have not filled in."""
    batch_ids = sorted({r.registration.batch_id for r in rows
                        if r.registration.batch_id is not None})
    open_scopes: dict[int, set[str]] = {b: {EVENT} for b in batch_ids}
    for item in load_sessions(db, batch_ids):
        if evaluated(item) and item.session.date <= t.day:
            open_scopes[item.session.batch_id].add(scope_of(item.session.id))
    done: dict[int, set[str]] = {}
    for rid, scope in db.exec(select(EvaluationReceipt.registration_id,
                                     EvaluationReceipt.scope)
                              .where(EvaluationReceipt.training_id == pk(training))).all():
        done.setdefault(rid, set()).add(scope)
    return [r for r in rows if r.registration.batch_id is not None
            and open_scopes.get(r.registration.batch_id, set())
            - done.get(pk(r.registration), set())]
