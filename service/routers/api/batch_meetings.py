"""A batch's meeting dates: several batches from one rule (a year of monthly coaching per
kecamatan), and one meeting moved, cancelled or added."""

from fastapi import APIRouter

from service.db import DB
from service.routers.deps import ApiBatch, ApiTraining
from service.schemas.planning import (
    BatchRead,
    MeetingCancel,
    MeetingMove,
    RecurrenceIn,
    RecurringBatches,
    batch_read,
)
from service.services import batch_dates, overview, recurrence, trainings

router = APIRouter(prefix="/api", tags=["trainings"])


@router.post("/trainings/{training_id}/batches/recurring", status_code=201)
def create_recurring(training: ApiTraining, data: RecurringBatches, db: DB) -> list[BatchRead]:
    """Several batches, each at its own place, all meeting on the dates the rule gives
    ("every month on the second Tuesday, 12 times"): all are created, or none."""
    made = trainings.create_recurring(db, training, data)
    return [batch_read(overview.batch_info(db, b, training)) for b in made]


@router.post("/trainings/{training_id}/meeting-dates")
def preview_dates(training: ApiTraining, rule: RecurrenceIn) -> dict[str, list[str]]:
    """The dates a rule gives, to check before creating batches (nothing is saved)."""
    days = recurrence.dates(rule)
    batch_dates.within(training, days, "until")
    return {"dates": [d.isoformat() for d in days]}


@router.post("/batches/{batch_id}/meetings")
def add_meeting(found: ApiBatch, data: MeetingCancel, db: DB) -> BatchRead:
    """One more meeting date."""
    batch, training = found
    batch_dates.add_meeting(db, training, batch, data.day)
    return batch_read(overview.batch_info(db, batch, training))


@router.post("/batches/{batch_id}/meetings/move")
def move_meeting(found: ApiBatch, data: MeetingMove, db: DB) -> BatchRead:
    """Hold one meeting on another date; its sessions and own place move with it."""
    batch, training = found
    batch_dates.move_meeting(db, training, batch, data.day, data.to)
    return batch_read(overview.batch_info(db, batch, training))


@router.post("/batches/{batch_id}/meetings/cancel")
def cancel_meeting(found: ApiBatch, data: MeetingCancel, db: DB) -> BatchRead:
    """Drop one meeting that has no attendance and no sessions."""
    batch, training = found
    batch_dates.cancel_meeting(db, batch, data.day)
    return batch_read(overview.batch_info(db, batch, training))
