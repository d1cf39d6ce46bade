"""The tests a ticket holder sees on their ticket page: those open to their batch now,
and those they already answered (with their score); and the training's own evaluation
questionnaires the same way (answered: done, never a score: they are anonymous)."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from service.models import (
    Assessment,
    AssessmentBatch,
    AssessmentResponse,
    EvaluationReceipt,
    Registration,
)
from service.models.base import pk
from service.services.assessments.questionnaire import scope


@dataclass(frozen=True)
class TicketTest:
    id: int
    kind: str
    title: str
    is_open: bool
    score: int | None  # None: not answered yet (or an evaluation)
    done: bool = False  # answered

    @property
    def is_evaluation(self) -> bool:
        return self.kind == "evaluation"


def ticket_tests(db: Session, reg: Registration) -> list[TicketTest]:
    if reg.status != "confirmed":
        return []
    open_ids = set() if reg.batch_id is None else set(db.exec(
        select(AssessmentBatch.assessment_id).where(
            AssessmentBatch.batch_id == reg.batch_id,
            col(AssessmentBatch.closed_at).is_(None))).all())
    scores = dict(db.exec(select(AssessmentResponse.assessment_id, AssessmentResponse.score)
                          .where(AssessmentResponse.registration_id == pk(reg))).all())
    evaluated = {s for s in db.exec(select(EvaluationReceipt.scope).where(
        EvaluationReceipt.registration_id == pk(reg))).all() if s.startswith("assessment:")}
    if not open_ids and not scores and not evaluated:
        return []
    tests = db.exec(select(Assessment).where(Assessment.training_id == reg.training_id)
                    .order_by(col(Assessment.kind).desc(), col(Assessment.id))).all()
    out = []
    for a in tests:
        done = pk(a) in scores or scope(pk(a)) in evaluated
        if pk(a) in open_ids or done:
            out.append(TicketTest(pk(a), a.kind, a.title, pk(a) in open_ids,
                                  scores.get(pk(a)), done))
    return out
