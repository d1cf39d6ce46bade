"""Which batches a test is open to: the committee opens it in the room ("now the
pre-test") and closes it when time is up; a closed test takes no more phone answers."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from service.errors import NotFound
from service.models import Assessment, AssessmentBatch, Batch
from service.models.base import pk, utcnow


def batch_states(db: Session, assessment: Assessment) -> dict[int, AssessmentBatch]:
    return {w.batch_id: w for w in db.exec(
        select(AssessmentBatch).where(AssessmentBatch.assessment_id == pk(assessment)))}


def is_open(db: Session, assessment_id: int, batch_id: int | None) -> bool:
    if batch_id is None:
        return False
    row = db.exec(select(AssessmentBatch).where(
        AssessmentBatch.assessment_id == assessment_id,
        AssessmentBatch.batch_id == batch_id)).first()
    return row is not None and row.closed_at is None


def _batch_of(db: Session, assessment: Assessment, batch_id: int) -> Batch:
    batch = db.get(Batch, batch_id)
    if batch is None or batch.training_id != assessment.training_id:
        raise NotFound("Batch not found.")
    return batch


def set_open(db: Session, assessment: Assessment, batch_id: int, opened: bool) -> None:
    """Open (again) or close the test for one batch."""
    _batch_of(db, assessment, batch_id)
    row = db.exec(select(AssessmentBatch).where(
        AssessmentBatch.assessment_id == pk(assessment),
        AssessmentBatch.batch_id == batch_id).with_for_update()).first()
    if row is None:
        if opened:
            try:
                with db.begin_nested():
                    db.add(AssessmentBatch(assessment_id=pk(assessment), batch_id=batch_id))
                    db.flush()
            except IntegrityError:
                pass  # another committee member opened it the same moment: it is open
        return
    if opened:
        row.opened_at, row.closed_at = utcnow(), None
    else:
        row.closed_at = utcnow()
    db.add(row)
    db.flush()
