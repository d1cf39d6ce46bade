"""Choosing a batch's days: a range or a list of meeting dates, checked against what
already hangs on them (sessions, attendance, a day's own place); moving, cancelling or
adding one meeting; and several batches meeting on dates from one rule.

A day with attendance recorded is history: it is never moved or dropped. Sessions
move with their meeting; a meeting with sessions is not cancelled until they are
moved or deleted (a speaker may be booked)."""

from datetime import date

from sqlmodel import Session, col, select

from service.errors import Conflict, FieldError
from service.i18n.formats import fmt_date
from service.models import AgendaSession, AttendanceMark, Batch, BatchDay, CheckIn, Training
from service.schemas.planning import BatchCreate, RecurringBatches
from service.services import meeting_days, recurrence
from service.services.meeting_days import days_between


def requested_days(training: Training, data: BatchCreate) -> list[date]:
    """The days a batch form or request asks for, within the training's dates."""
    if data.dates is not None:
        days = meeting_days.normalized(data.dates)
        field = "dates"
    elif data.start_date is None or data.end_date is None:
        raise FieldError("start_date" if data.start_date is None else "end_date",
                         "Give the batch's first and last day, or its meeting dates.",
                         code="missing_dates")
    else:
        if data.end_date < data.start_date:
            raise FieldError("end_date", "The end date is before the start date.",
                             code="invalid_dates")
        days = days_between(data.start_date, data.end_date)
        field = "start_date" if data.start_date < training.start_date else "end_date"
    within(training, days, field)
    return days


def within(training: Training, days: list[date], field: str = "dates") -> None:
    if days[0] < training.start_date or days[-1] > training.end_date:
        raise FieldError(field,
                         "The batch must fall within the training's dates ({start} – {end}).",
                         code="batch_outside_training", start=fmt_date(training.start_date),
                         end=fmt_date(training.end_date))


def _attended_days(db: Session, batch: Batch) -> set[date]:
    out: set[date] = set()
    for day_col, batch_col in ((CheckIn.day, CheckIn.batch_id),
                               (AttendanceMark.day, AttendanceMark.batch_id)):
        out.update(db.exec(select(col(day_col)).where(col(batch_col) == batch.id)
                           .distinct()).all())
    return out


def check_change(db: Session, batch: Batch, days: list[date]) -> None:
    """Refuse new days that would leave a session or recorded attendance on a day the
    batch no longer meets."""
    keep = set(days)
    attended = sorted(d for d in _attended_days(db, batch) if d not in keep)
    if attended:
        raise FieldError("dates", "Attendance was recorded on {date}: that day stays.",
                         code="day_has_attendance", date=fmt_date(attended[0]))
    for s in db.exec(select(AgendaSession).where(AgendaSession.batch_id == batch.id)
                     .order_by(col(AgendaSession.date))):
        if s.date not in keep:
            raise FieldError("start_date" if batch.meeting_dates is None else "dates",
                             "Session {title} on {date} would fall outside the batch.",
                             code="session_outside_batch", title=s.title,
                             date=fmt_date(s.date))


def apply(db: Session, batch: Batch, days: list[date]) -> None:
    """Set the days (after check_change); a removed day's own place goes with it."""
    keep = set(days)
    for place in db.exec(select(BatchDay).where(BatchDay.batch_id == batch.id)).all():
        if place.day not in keep:
            db.delete(place)
    meeting_days.set_days(batch, days)
    db.add(batch)


def _meeting(batch: Batch, day: date) -> None:
    if not meeting_days.meets_on(batch, day):
        raise FieldError("day", "{batch} does not meet on {date}.", code="not_a_meeting",
                         batch=batch.name, date=fmt_date(day))


def _untouched(db: Session, batch: Batch, day: date) -> None:
    if day in _attended_days(db, batch):
        raise Conflict("Attendance was recorded on {date}: that meeting stays.",
                       code="day_has_attendance", params={"date": fmt_date(day)})


def move_meeting(db: Session, training: Training, batch: Batch, day: date, to: date) -> Batch:
    """Hold one meeting on another date: its sessions and its own place move with it."""
    _meeting(batch, day)
    if day == to:
        return batch
    if meeting_days.meets_on(batch, to):
        raise FieldError("to", "{batch} already meets on {date}.", code="already_a_meeting",
                         batch=batch.name, date=fmt_date(to))
    days = [d for d in meeting_days.days_of(batch) if d != day] + [to]
    within(training, sorted(days), "to")
    _untouched(db, batch, day)
    for s in db.exec(select(AgendaSession).where(AgendaSession.batch_id == batch.id,
                                                 AgendaSession.date == day)).all():
        s.date = to
        db.add(s)
    place = db.exec(select(BatchDay).where(BatchDay.batch_id == batch.id,
                                           BatchDay.day == day)).first()
    if place is not None:
        place.day = to
        db.add(place)
    meeting_days.set_days(batch, days)
    db.add(batch)
    db.flush()
    return batch


def cancel_meeting(db: Session, batch: Batch, day: date) -> Batch:
    """Drop one meeting that has not happened (nothing recorded, no sessions left)."""
    _meeting(batch, day)
    days = [d for d in meeting_days.days_of(batch) if d != day]
    if not days:
        raise Conflict("This is the batch's only meeting; delete the batch instead.",
                       code="last_meeting")
    _untouched(db, batch, day)
    sessions = db.exec(select(AgendaSession.title).where(AgendaSession.batch_id == batch.id,
                                                         AgendaSession.date == day)).all()
    if sessions:
        raise Conflict("{n} sessions are on the agenda on {date}: move or delete them first.",
                       code="meeting_has_sessions",
                       params={"n": len(sessions), "date": fmt_date(day)})
    apply(db, batch, days)
    db.flush()
    return batch


def add_meeting(db: Session, training: Training, batch: Batch, day: date) -> Batch:
    if meeting_days.meets_on(batch, day):
        raise FieldError("day", "{batch} already meets on {date}.", code="already_a_meeting",
                         batch=batch.name, date=fmt_date(day))
    days = sorted([*meeting_days.days_of(batch), day])
    within(training, days, "day")
    meeting_days.set_days(batch, days)
    db.add(batch)
    db.flush()
    return batch


def rule_dates(training: Training, data: RecurringBatches) -> list[date]:
    days = recurrence.dates(data.rule)
    within(training, days, "until")
    return days
