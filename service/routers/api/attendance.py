"""Live attendance for the committee: a batch day's counts, who is missing, the latest
arrivals; and the check-in conflicts of a training."""

from datetime import date

from fastapi import APIRouter

from service.db import DB
from service.routers.deps import ApiBatch, ApiTraining
from service.schemas.attendance import AttendanceRead, ConflictList, attendance_read, conflict_list
from service.services import attendance as att
from service.services import training_clock as clock

router = APIRouter(prefix="/api", tags=["attendance"])


@router.get("/batches/{batch_id}/attendance")
def batch_attendance(found: ApiBatch, db: DB, day: date | None = None,
                     session_id: int | None = None) -> AttendanceRead:
    """Expected, present and missing for a batch day (default: today, else its first day);
    per-session trainings may name a session of that day."""
    batch, training = found
    day = day or clock.default_day(batch, clock.today(training))
    return attendance_read(training, batch, att.attendance(db, training, batch, day, session_id))


@router.get("/trainings/{training_id}/checkin-conflicts")
def checkin_conflicts(training: ApiTraining, db: DB) -> ConflictList:
    """Persons two offline scanners both let in: the check-in kept and the flagged scan."""
    return conflict_list(att.conflicts(db, training))
