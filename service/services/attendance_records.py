"""The record after the day: the committee enters or corrects attendance for a past day of
a batch (or a past session, in per-session mode) from the signed daftar hadir, for one
person or many at once: present, absent, or excused (izin or sakit) with a reason.

Each change is a new AttendanceMark row with who, when and why; nothing is ever changed
or deleted, so the history of a person's day stays readable. The newest mark decides
over the door's scan (service.services.presence says how), and every page and document
that counts attendance follows it.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from service.errors import DomainError, FieldError, NotFound
from service.i18n import N_
from service.i18n.formats import fmt_date
from service.models import (
    AgendaSession,
    AttendanceMark,
    Batch,
    CheckIn,
    Participant,
    Registration,
    Training,
    TrainingCategory,
    User,
)
from service.models.attendance import EXCUSES, MARK_STATUSES
from service.models.base import pk, utcnow
from service.services import presence
from service.services.attendance import NotPerSession, SessionNotOnDay, check_day
from service.services.meeting_days import days_of
from service.services.training_clock import local, today

# One form or request marks at most this many people (a batch holds a few hundred).
MAX_PEOPLE = 1000


class DayInFuture(DomainError):
    code, status, message = "day_in_future", 422, N_(
        "{date} has not come yet: attendance can be recorded for today and past days only.")


class SessionNotStarted(DomainError):
    code, status, message = "session_not_started", 422, N_(
        "This session has not started yet: record its attendance once it has begun.")


class NotInBatch(DomainError):
    code, status, message = "registration_not_in_batch", 422, N_(
        "{name} is not a participant of {batch}.")


class NotConfirmed(DomainError):
    code, status, message = "registration_not_confirmed", 422, N_(
        "{name} is not confirmed (waiting list or cancelled): only confirmed participants "
        "have attendance.")


class RegistrationNotFound(NotFound):
    code, message = "registration_not_found", N_("Registration not found.")


@dataclass(frozen=True)
class Correction:
    """What the committee records: one status for one or more people, on a day (and at a
    session of it, in per-session mode)."""

    registration_ids: Sequence[int]
    day: date
    status: str  # present | absent | excused
    reason: str = ""
    excuse: str | None = None  # leave (izin) | sick (sakit); excused only, leave by default
    session_id: int | None = None


@dataclass(frozen=True)
class Entry:
    """One change in a person's history."""

    id: int
    at: datetime  # in the training's time zone
    by: str | None
    status: str
    excuse: str | None
    reason: str
    session: str | None  # the session it was for; None: the whole day


@dataclass(frozen=True)
class Sighting:
    """The door's check-in of the person on the day (at a session, per-session mode)."""

    at: datetime  # in the training's time zone
    by: str | None
    method: str
    session: str | None


@dataclass(frozen=True)
class Row:
    registration_id: int
    name: str
    institution: str | None
    category: str | None
    state: presence.State
    scans: list[Sighting] = field(default_factory=list)
    history: list[Entry] = field(default_factory=list)  # oldest first


@dataclass(frozen=True)
class SessionRef:
    id: int
    title: str
    start: str  # HH:MM
    kind: str


@dataclass(frozen=True)
class DayRecords:
    """Everyone confirmed in the batch with their state on the day (or at the session)."""

    training: Training
    batch: Batch
    day: date
    days: list[date]
    session: SessionRef | None
    sessions: list[SessionRef]  # per-session mode: the day's sessions, breaks left out
    rows: list[Row]
    today: date

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(MARK_STATUSES, 0)
        for r in self.rows:
            out[r.state.status] += 1
        return out

    @property
    def editable(self) -> bool:
        return self.day <= self.today

    @property
    def day_number(self) -> int:
        return self.days.index(self.day) + 1


def _session_of_day(db: Session, training: Training, batch: Batch, day: date,
                    session_id: int | None) -> AgendaSession | None:
    if session_id is None:
        return None
    if training.checkin_mode != "session":
        raise NotPerSession()
    found = db.get(AgendaSession, session_id)
    # A break takes no attendance: it is not a session to choose.
    if found is None or found.batch_id != batch.id or found.date != day \
            or found.kind == "break":
        raise SessionNotOnDay()
    return found


def _check_when(db: Session, training: Training, batch: Batch, day: date,
                session_id: int | None, now: datetime | None) -> AgendaSession | None:
    """The day is one of the batch's and not to come; the session is on that day and has
    begun. Returns the session."""
    check_day(batch, day)
    moment = local(training, now or utcnow())
    if day > moment.date():
        raise DayInFuture(params={"date": fmt_date(day)})
    session = _session_of_day(db, training, batch, day, session_id)
    if session is not None and day == moment.date() and session.start_time > moment.time():
        raise SessionNotStarted()
    return session


def _check_people(db: Session, training: Training, batch: Batch, ids: Sequence[int]
                  ) -> list[int]:
    """The registrations, each once: of the batch's organization (else not found), of
    this batch, confirmed."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        raise FieldError("registration_ids", N_("Choose at least one participant."),
                         code="nobody_chosen")
    if len(wanted) > MAX_PEOPLE:
        raise FieldError("registration_ids", N_("At most {n} people at once."),
                         code="too_many", n=MAX_PEOPLE)
    found = {pk(reg): (reg, name, org) for reg, name, org in db.exec(
        select(Registration, col(Participant.name), col(Training.organization_id))
        .join(Participant, col(Participant.id) == Registration.participant_id)
        .join(Training, col(Training.id) == Registration.training_id)
        .where(col(Registration.id).in_(wanted))).all()}
    for rid in wanted:
        reg, name, org = found.get(rid, (None, "", None))
        if reg is None or org != training.organization_id:
            raise RegistrationNotFound(registration_id=rid)
        if reg.batch_id != batch.id:
            raise NotInBatch(params={"name": name, "batch": batch.name}, registration_id=rid)
        if reg.status != "confirmed":
            raise NotConfirmed(params={"name": name}, registration_id=rid)
    return wanted


def _check_status(c: Correction) -> tuple[str | None, str]:
    if c.status not in MARK_STATUSES:
        raise FieldError("status", N_("Choose one of: present, absent, excused."),
                         code="unknown_status")
    reason = " ".join(c.reason.split())
    if c.status != presence.EXCUSED:
        return None, reason
    if not reason:
        raise FieldError("reason", N_("Give the reason for an excused absence (izin or "
                                      "sakit), as the letter or message said."),
                         code="reason_required")
    excuse = c.excuse or "leave"
    if excuse not in EXCUSES:
        raise FieldError("excuse", N_("Choose izin or sakit."), code="unknown_excuse")
    return excuse, reason


def record(db: Session, training: Training, batch: Batch, user_id: int | None,
           c: Correction, now: datetime | None = None) -> list[int]:
    """Record the committee's word for each person; returns their registration ids.

    All or nothing: one refused person refuses the whole form. Marking someone exactly as
    their newest mark already says adds nothing (a double click, a form sent twice)."""
    excuse, reason = _check_status(c)
    session = _check_when(db, training, batch, c.day, c.session_id, now)
    ids = _check_people(db, training, batch, c.registration_ids)
    slot = pk(session) if session is not None else 0
    latest: dict[int, AttendanceMark] = {}
    for mark in db.exec(select(AttendanceMark).where(
            col(AttendanceMark.registration_id).in_(ids), AttendanceMark.day == c.day,
            AttendanceMark.slot == slot, AttendanceMark.batch_id == pk(batch))
            .order_by(col(AttendanceMark.id))):
        latest[mark.registration_id] = mark
    for rid in ids:
        last = latest.get(rid)
        if last is not None and (last.status, last.excuse, last.reason) == (c.status, excuse,
                                                                            reason):
            continue
        db.add(AttendanceMark(registration_id=rid, batch_id=pk(batch), day=c.day, slot=slot,
                              session_id=pk(session) if session is not None else None,
                              status=c.status, excuse=excuse, reason=reason,
                              user_id=user_id))
    db.flush()
    return ids


def _sessions(db: Session, batch: Batch, day: date) -> list[SessionRef]:
    return [SessionRef(pk(s), s.title, s.start_time.strftime("%H:%M"), s.kind)
            for s in db.exec(select(AgendaSession)
                             .where(AgendaSession.batch_id == pk(batch), AgendaSession.date == day)
                             .order_by(col(AgendaSession.start_time), col(AgendaSession.id)))]


def _history(db: Session, training: Training, batch: Batch, day: date,
             session_id: int | None) -> dict[int, list[Entry]]:
    """Every mark of the batch on the day (at the session: its own and the whole day's)."""
    query = (select(AttendanceMark, col(User.name), col(AgendaSession.title))
             .outerjoin(User, col(User.id) == AttendanceMark.user_id)
             .outerjoin(AgendaSession, col(AgendaSession.id) == AttendanceMark.session_id)
             .where(AttendanceMark.batch_id == pk(batch), AttendanceMark.day == day)
             .order_by(col(AttendanceMark.id)))
    if session_id is not None:
        query = query.where(col(AttendanceMark.slot).in_([0, session_id]))
    elif training.checkin_mode != "session":
        query = query.where(AttendanceMark.slot == 0)
    out: dict[int, list[Entry]] = defaultdict(list)
    for m, by, title in db.exec(query).all():
        out[m.registration_id].append(Entry(pk(m), local(training, m.created_at), by,
                                            m.status, m.excuse, m.reason, title))
    return out


def _sightings(db: Session, training: Training, batch: Batch, day: date,
               session_id: int | None) -> dict[int, list[Sighting]]:
    """The door's check-ins of the batch's people on the day, in the training's mode."""
    query = (select(CheckIn, col(User.name), col(AgendaSession.title))
             .join(Registration, col(Registration.id) == CheckIn.registration_id)
             .outerjoin(User, col(User.id) == CheckIn.user_id)
             .outerjoin(AgendaSession, col(AgendaSession.id) == CheckIn.session_id)
             .where(Registration.batch_id == pk(batch), CheckIn.day == day)
             .order_by(col(CheckIn.scanned_at), col(CheckIn.id)))
    if session_id is not None:
        query = query.where(CheckIn.slot == session_id)
    elif training.checkin_mode == "session":
        query = query.where(CheckIn.slot != 0)
    else:
        query = query.where(CheckIn.slot == 0)
    out: dict[int, list[Sighting]] = defaultdict(list)
    for c, by, title in db.exec(query).all():
        out[c.registration_id].append(Sighting(local(training, c.scanned_at), by, c.method,
                                               title))
    return out


def day_records(db: Session, training: Training, batch: Batch, day: date,
                session_id: int | None = None, registration_ids: Sequence[int] | None = None,
                now: datetime | None = None) -> DayRecords:
    """The batch's confirmed people on one of its days (or at one session of it), sorted
    by name as lists are, each with their state, the door's check-ins and the history of
    the committee's marks. `registration_ids`: only these people."""
    check_day(batch, day)
    chosen = _session_of_day(db, training, batch, day, session_id)
    query = (select(col(Registration.id), col(Participant.name),  # type: ignore[call-overload]
                    col(Participant.sort_name), col(Participant.institution),
                    col(TrainingCategory.name))
             .select_from(Registration)
             .join(Participant, col(Participant.id) == Registration.participant_id)
             .outerjoin(TrainingCategory, col(TrainingCategory.id) == Registration.category_id)
             .where(Registration.batch_id == pk(batch), Registration.status == "confirmed"))
    if registration_ids is not None:
        query = query.where(col(Registration.id).in_(list(registration_ids)))
    people = sorted(db.exec(query).all(), key=lambda p: (p[2] or "", p[0]))
    found = presence.load(db, training, [batch])
    history = _history(db, training, batch, day, session_id)
    scans = _sightings(db, training, batch, day, session_id)
    sessions = [s for s in _sessions(db, batch, day) if s.kind != "break"] \
        if training.checkin_mode == "session" else []
    rows = [Row(rid, name, institution, category, found.state(rid, day, session_id),
                scans.get(rid, []), history.get(rid, []))
            for rid, name, _key, institution, category in people]
    return DayRecords(
        training=training, batch=batch, day=day,
        days=days_of(batch),
        session=next((s for s in sessions if chosen is not None and s.id == pk(chosen)), None),
        sessions=sessions, rows=rows, today=today(training, now))


def correct(db: Session, training: Training, batch: Batch, user_id: int | None,
            c: Correction, now: datetime | None = None) -> DayRecords:
    """Record the committee's word (see `record`), then the people's new states with their
    history."""
    ids = record(db, training, batch, user_id, c, now)
    return day_records(db, training, batch, c.day, c.session_id, ids, now)
