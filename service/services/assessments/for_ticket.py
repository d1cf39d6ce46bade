"""The tests a ticket holder sees on their ticket page: those open to their batch now,
and those they already answered (with their score)."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from service.models import Assessment, AssessmentBatch, AssessmentResponse, Registration
from service.models.base import pk


@dataclass(frozen=True)
class TicketTest:
    id: int
    kind: str
    title: str
    is_open: bool
    score: int | None  # None: not answered yet


def ticket_tests(db: Session, reg: Registration) -> list[TicketTest]:
    if reg.status != "confirmed":
        return []
    open_ids = set() if reg.batch_id is None else set(db.exec(
        select(AssessmentBatch.assessment_id).where(
            AssessmentBatch.batch_id == reg.batch_id,
            col(AssessmentBatch.closed_at).is_(None))).all())
    scores = dict(db.exec(select(AssessmentResponse.assessment_id, AssessmentResponse.score)
                          .where(AssessmentResponse.registration_id == pk(reg))).all())
    if not open_ids and not scores:
        return []
    tests = db.exec(select(Assessment).where(Assessment.training_id == reg.training_id)
                    .order_by(col(Assessment.kind).desc(), col(Assessment.id))).all()
    return [TicketTest(pk(a), a.kind, a.title, pk(a) in open_ids, scores.get(pk(a)))
            for a in tests if pk(a) in open_ids or pk(a) in scores]
