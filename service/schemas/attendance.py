"""Shapes of live attendance: a batch day's counts, who is missing, the latest arrivals;
the check-in conflicts of a training; and the record after the day (the committee's
marks: present, absent, excused, with their history). The converters read the attendance
services' plain results."""

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from service.schemas.common import Id, SingleLine

if TYPE_CHECKING:
    from service.models import Batch, Training
    from service.services import attendance as att
    from service.services import attendance_records as records


class BatchRef(BaseModel):
    id: int
    name: str
    start_date: date
    end_date: date


class TallyRead(BaseModel):
    name: str | None  # null: no category, or no kecamatan filled in
    expected: int
    present: int
    rate: float
    excused: int = 0  # away with izin or sakit (not present)


class MissingRead(BaseModel):
    registration_id: int
    name: str
    phone: str | None
    category: str | None
    district: str | None
    institution: str | None


class ArrivalRead(BaseModel):
    registration_id: int
    name: str
    category: str | None
    checked_in_at: datetime  # in the training's time zone
    time: str  # HH:MM there
    by: str | None
    method: str
    offline: bool
    device_id: str | None
    session: str | None


class DayRead(BaseModel):
    day: date
    present: int
    excused: int = 0


class SessionTallyRead(BaseModel):
    id: int
    title: str
    start_time: time
    end_time: time
    kind: str
    present: int


class AttendanceRead(BaseModel):
    training_id: int
    timezone: str
    checkin_mode: str
    batch: BatchRef
    day: date
    session: SessionTallyRead | None
    sessions: list[SessionTallyRead]
    expected: int
    present: int
    rate: float
    by_category: list[TallyRead]
    by_district: list[TallyRead]
    missing: list[MissingRead]
    recent: list[ArrivalRead]
    days: list[DayRead]


class SightingRead(BaseModel):
    at: datetime
    by: str | None
    device_id: str | None
    method: str
    offline: bool


class ConflictRead(BaseModel):
    scan_id: int
    registration_id: int
    name: str
    batch_id: int
    batch: str
    day: date
    session: str | None
    first: SightingRead  # the check-in (the earliest scan)
    second: SightingRead  # the later scan, flagged


class ConflictList(BaseModel):
    items: list[ConflictRead]


def _tally(t: "att.Tally") -> TallyRead:
    return TallyRead(name=t.name, expected=t.expected, present=t.present, rate=round(t.rate, 4),
                     excused=t.excused)


def _session(s: "att.SessionTally") -> SessionTallyRead:
    return SessionTallyRead(id=s.id, title=s.title, start_time=s.start_time,
                            end_time=s.end_time, kind=s.kind, present=s.present)


def _sighting(s: "att.Sighting") -> SightingRead:
    return SightingRead(at=s.at, by=s.by, device_id=s.device_id, method=s.method,
                        offline=s.offline)


def attendance_read(training: "Training", batch: "Batch", a: "att.Attendance"
                    ) -> AttendanceRead:
    return AttendanceRead(
        training_id=training.id or 0, timezone=training.timezone,
        checkin_mode=training.checkin_mode,
        batch=BatchRef(id=batch.id or 0, name=batch.name, start_date=batch.start_date,
                       end_date=batch.end_date),
        day=a.day, session=_session(a.session) if a.session else None,
        sessions=[_session(s) for s in a.sessions],
        expected=a.total.expected, present=a.total.present, rate=round(a.total.rate, 4),
        by_category=[_tally(t) for t in a.by_category],
        by_district=[_tally(t) for t in a.by_district],
        missing=[MissingRead(registration_id=m.registration_id, name=m.name, phone=m.phone,
                             category=m.category, district=m.district,
                             institution=m.institution) for m in a.missing],
        recent=[ArrivalRead(registration_id=r.registration_id, name=r.name,
                            category=r.category, checked_in_at=r.at,
                            time=r.at.strftime("%H:%M"), by=r.by, method=r.method,
                            offline=r.offline, device_id=r.device_id, session=r.session)
                for r in a.recent],
        days=[DayRead(day=d.day, present=d.present, excused=d.excused) for d in a.per_day])


def conflict_list(conflicts: "list[att.ConflictRow]") -> ConflictList:
    return ConflictList(items=[
        ConflictRead(scan_id=c.scan_id, registration_id=c.registration_id, name=c.name,
                     batch_id=c.batch_id, batch=c.batch, day=c.day, session=c.session,
                     first=_sighting(c.first), second=_sighting(c.second))
        for c in conflicts])


# --- the record after the day ------------------------------------------------------------

MarkStatus = Literal["present", "absent", "excused"]
# Why an excused person was away: izin (leave) or sakit (sick).
Excuse = Literal["leave", "sick"]
MarkReason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500),
                       SingleLine]


class AttendanceMarkIn(BaseModel):
    """One person's state on a day of their batch (at a session, per-session mode), from
    the signed daftar hadir; excused needs a reason."""

    registration_id: Id
    day: date
    session_id: Id | None = None
    status: MarkStatus
    excuse: Excuse | None = None  # excused only; leave (izin) when not given
    reason: MarkReason = ""


class AttendanceMarksIn(BaseModel):
    """The same state for many people at once (the committee ticking a signed sheet)."""

    registration_ids: Annotated[list[Id], Field(min_length=1, max_length=1000)]
    day: date
    session_id: Id | None = None
    status: MarkStatus
    excuse: Excuse | None = None
    reason: MarkReason = ""


class MarkRead(BaseModel):
    """One change in a person's history: who, when, why."""

    id: int
    at: datetime  # in the training's time zone
    by: str | None
    status: str
    excuse: str | None
    reason: str
    session: str | None  # null: for the whole day


class CheckInRead(BaseModel):
    at: datetime  # in the training's time zone
    by: str | None
    method: str
    session: str | None


class PersonDayRead(BaseModel):
    registration_id: int
    name: str
    day: date
    session_id: int | None
    status: str  # present | absent | excused
    source: str | None  # "mark": the committee's; "scan": the door's; null: nobody's
    excuse: str | None  # leave | sick, when excused
    reason: str
    checked_in: bool  # the door scanned them (a mark may say otherwise now)
    check_ins: list[CheckInRead]
    history: list[MarkRead]  # oldest first; the newest decides


class StateCounts(BaseModel):
    present: int
    absent: int
    excused: int


class DayRecordsRead(BaseModel):
    batch: BatchRef
    day: date
    session_id: int | None
    expected: int
    counts: StateCounts
    items: list[PersonDayRead]


class MarkedList(BaseModel):
    items: list[PersonDayRead]


def person_day(r: "records.DayRecords", row: "records.Row") -> PersonDayRead:
    st = row.state
    return PersonDayRead(
        registration_id=row.registration_id, name=row.name, day=r.day,
        session_id=r.session.id if r.session else None, status=st.status,
        source="mark" if st.marked else "scan" if st.scanned and st.present else None,
        excuse=st.excuse, reason=st.reason, checked_in=st.scanned,
        check_ins=[CheckInRead(at=c.at, by=c.by, method=c.method, session=c.session)
                   for c in row.scans],
        history=[MarkRead(id=e.id, at=e.at, by=e.by, status=e.status, excuse=e.excuse,
                          reason=e.reason, session=e.session) for e in row.history])


def day_records_read(r: "records.DayRecords") -> DayRecordsRead:
    b = r.batch
    return DayRecordsRead(
        batch=BatchRef(id=b.id or 0, name=b.name, start_date=b.start_date, end_date=b.end_date),
        day=r.day, session_id=r.session.id if r.session else None, expected=len(r.rows),
        counts=StateCounts(**r.counts), items=[person_day(r, row) for row in r.rows])
