"""Live attendance for the committee: a batch day's counts, who is missing, the latest
arrivals; the check-in conflicts of a training; and the record after the day (the
committee's marks, with their history)."""

from datetime import date

from fastapi import APIRouter

from service.db import DB
from service.routers.deps import ApiBatch, ApiPlanner, ApiTraining
from service.schemas.attendance import (
    AttendanceMarkIn,
    AttendanceMarksIn,
    AttendanceRead,
    ConflictList,
    DayRecordsRead,
    MarkedList,
    PersonDayRead,
    attendance_read,
    conflict_list,
    day_records_read,
    person_day,
)
from service.services import attendance as att
from service.services import attendance_records as records
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


@router.post("/batches/{batch_id}/attendance")
def record_attendance(found: ApiBatch, user: ApiPlanner, data: AttendanceMarkIn,
                      db: DB) -> PersonDayRead:
    """Record one person present, absent or excused (with a reason) on a past day of the
    batch (or a session of it), from the signed daftar hadir; kept with who and when.
    Answers the person's new state with its history."""
    batch, training = found
    r = records.correct(db, training, batch, user.id, records.Correction(
        registration_ids=[data.registration_id], day=data.day, status=data.status,
        reason=data.reason, excuse=data.excuse, session_id=data.session_id))
    return person_day(r, r.rows[0])


@router.post("/batches/{batch_id}/attendance/bulk")
def record_attendance_bulk(found: ApiBatch, user: ApiPlanner, data: AttendanceMarksIn,
                           db: DB) -> MarkedList:
    """The same state for many people of the batch at once; all or nothing."""
    batch, training = found
    r = records.correct(db, training, batch, user.id, records.Correction(
        registration_ids=data.registration_ids, day=data.day, status=data.status,
        reason=data.reason, excuse=data.excuse, session_id=data.session_id))
    return MarkedList(items=[person_day(r, row) for row in r.rows])


@router.get("/batches/{batch_id}/attendance/records")
def attendance_records(found: ApiBatch, db: DB, day: date,
                       session_id: int | None = None) -> DayRecordsRead:
    """Everyone confirmed in the batch on a day (or at a session): their state, the door's
    check-ins, and the history of the committee's marks (who, when, why)."""
    batch, training = found
    return day_records_read(records.day_records(db, training, batch, day, session_id))
