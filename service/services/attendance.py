"""Live attendance of one batch on one day (or at one session): who is expected, who is
present, by category and kecamatan, who is missing, the latest arrivals, and the
conflicts two offline scanners left behind.

Read only, and a fixed number of grouped queries whatever the number of participants:
the committee's page asks again every few seconds while the doors are open.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from math import floor

from sqlalchemy import Subquery, and_, distinct, func
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from service.errors import DomainError
from service.i18n import N_, use_locale
from service.i18n.formats import fmt_date
from service.models import (
    AgendaSession,
    Batch,
    CheckIn,
    Participant,
    Registration,
    Scan,
    Training,
    TrainingCategory,
    User,
)
from service.models.base import utcnow
from service.services.training_clock import local
from service.services.trainings import days_between
from service.services.whatsapp import whatsapp_link

RECENT = 12


class DayOutsideBatch(DomainError):
    code, status, message = "day_outside_batch", 422, N_(
        "{batch} runs from {first} to {last}: choose one of its days.")


class SessionNotOnDay(DomainError):
    code, status, message = "session_not_on_day", 422, N_(
        "This session is not on the chosen day of the batch.")


class NotPerSession(DomainError):
    code, status, message = "not_per_session", 422, N_(
        "This training takes attendance per day, not per session.")


@dataclass(frozen=True)
class Tally:
    """Expected and present for one category, one kecamatan, or the whole batch day.
    name None: the registration has no category, or no kecamatan filled in."""

    name: str | None
    expected: int
    present: int

    @property
    def rate(self) -> float:
        return self.present / self.expected if self.expected else 0.0

    @property
    def percent(self) -> int:
        """Rounded down, so 105 of 106 never shows as 100%."""
        if not self.expected:
            return 0
        return 100 if self.present >= self.expected else floor(100 * self.present / self.expected)

    @property
    def missing(self) -> int:
        return max(self.expected - self.present, 0)


@dataclass(frozen=True)
class Missing:
    registration_id: int
    name: str
    phone: str | None
    category: str | None
    district: str | None
    village: str | None
    institution: str | None


@dataclass(frozen=True)
class Arrival:
    registration_id: int
    name: str
    category: str | None
    at: datetime  # aware, in the training's time zone
    by: str | None
    method: str
    offline: bool
    device_id: str | None
    session: str | None


@dataclass(frozen=True)
class DayTally:
    day: date
    present: int


@dataclass(frozen=True)
class SessionTally:
    id: int
    title: str
    start_time: time
    end_time: time
    kind: str
    present: int


@dataclass(frozen=True)
class Attendance:
    training: Training
    batch: Batch
    day: date
    days: list[date]
    total: Tally
    by_category: list[Tally]
    by_district: list[Tally]
    missing: list[Missing]
    recent: list[Arrival]
    per_day: list[DayTally]
    # Per-session mode: the sessions of the day, and the one shown (None: the whole day,
    # where present means at any session of it).
    sessions: list[SessionTally] = field(default_factory=list)
    session: SessionTally | None = None
    as_of: datetime = field(default_factory=utcnow)

    @property
    def per_session(self) -> bool:
        return self.training.checkin_mode == "session"

    @property
    def day_number(self) -> int:
        return self.days.index(self.day) + 1


@dataclass(frozen=True)
class Sighting:
    """One side of a conflict: a scan, when and by whom."""

    at: datetime
    by: str | None
    device_id: str | None
    method: str
    offline: bool


@dataclass(frozen=True)
class ConflictRow:
    """Two offline devices both let one person in: the earlier scan is the check-in
    (first), the later one was kept and flagged (second)."""

    scan_id: int
    registration_id: int
    name: str
    batch_id: int
    batch: str
    day: date
    session: str | None
    first: Sighting
    second: Sighting


def check_day(batch: Batch, day: date) -> None:
    if not batch.start_date <= day <= batch.end_date:
        raise DayOutsideBatch(params={"batch": batch.name, "first": fmt_date(batch.start_date),
                                      "last": fmt_date(batch.end_date)},
                              days=[batch.start_date.isoformat(), batch.end_date.isoformat()])


def current_session(training: Training, day: date, sessions: Sequence[SessionTally],
                    now: datetime | None = None) -> SessionTally | None:
    """On today's page in per-session mode: the latest session that has begun."""
    moment = local(training, now or utcnow())
    if moment.date() != day:
        return None
    begun = [s for s in sessions if s.kind != "break" and s.start_time <= moment.time()]
    return begun[-1] if begun else None


def _slot_filter(training: Training, session_id: int | None) -> ColumnElement[bool]:
    if session_id is not None:
        return col(CheckIn.slot) == session_id
    if training.checkin_mode == "session":
        return col(CheckIn.slot) != 0
    return col(CheckIn.slot) == 0


def _checked_in(training: Training, day: date, session_id: int | None) -> Subquery:
    """The registrations checked in on the day (at the session; at any session of the
    day in per-session mode; for the day otherwise), each once."""
    return (select(col(CheckIn.registration_id))
            .where(col(CheckIn.day) == day, _slot_filter(training, session_id))
            .distinct().subquery("present"))


def _key(name: str | None) -> str | None:
    # "Koto Tangah" and "koto tangah " typed by two people are one kecamatan.
    cleaned = " ".join(name.split()) if name else ""
    return cleaned.casefold() or None


def _tallies(db: Session, batch: Batch, present: Subquery
             ) -> tuple[Tally, list[Tally], list[Tally]]:
    """Total, by category (in the training's order) and by kecamatan: one grouped query."""
    rows = db.exec(
        select(  # type: ignore[call-overload]
            col(TrainingCategory.name), col(TrainingCategory.position), col(Participant.district),
            func.count(col(Registration.id)), func.count(present.c.registration_id))
        .select_from(Registration)
        .join(Participant, col(Participant.id) == Registration.participant_id)
        .outerjoin(TrainingCategory, col(TrainingCategory.id) == Registration.category_id)
        .outerjoin(present, present.c.registration_id == Registration.id)
        .where(Registration.batch_id == batch.id, Registration.status == "confirmed")
        .group_by(col(TrainingCategory.name), col(TrainingCategory.position),
                  col(Participant.district))).all()
    categories: dict[str | None, list[int]] = {}
    order: dict[str | None, int] = {}
    districts: dict[str | None, list[int]] = {}
    shown: dict[str | None, str] = {}
    for cat, position, district, expected, here in rows:
        tally = categories.setdefault(cat, [0, 0])
        tally[0] += expected
        tally[1] += here
        order[cat] = position if position is not None else 1 << 30
        key = _key(district)
        if key is not None:
            shown.setdefault(key, " ".join((district or "").split()))
        tally = districts.setdefault(key, [0, 0])
        tally[0] += expected
        tally[1] += here
    by_category = [Tally(name, *counts) for name, counts in
                   sorted(categories.items(), key=lambda kv: (order[kv[0]], kv[0] or ""))]
    by_district = [Tally(shown.get(key) if key else None, *counts) for key, counts in
                   sorted(districts.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))]
    total = Tally(None, sum(t.expected for t in by_category),
                  sum(t.present for t in by_category))
    return total, by_category, by_district


def _missing(db: Session, batch: Batch, present: Subquery) -> list[Missing]:
    rows = db.exec(
        select(col(Registration.id), col(Participant.name),  # type: ignore[call-overload]
               col(Participant.phone),
               col(TrainingCategory.name), col(Participant.district), col(Participant.village),
               col(Participant.institution))
        .select_from(Registration)
        .join(Participant, col(Participant.id) == Registration.participant_id)
        .outerjoin(TrainingCategory, col(TrainingCategory.id) == Registration.category_id)
        .outerjoin(present, present.c.registration_id == Registration.id)
        .where(Registration.batch_id == batch.id, Registration.status == "confirmed",
               present.c.registration_id.is_(None))
        .order_by(col(Participant.name), col(Registration.id))).all()
    return [Missing(rid or 0, name, phone, cat, district, village, institution)
            for rid, name, phone, cat, district, village, institution in rows]


def _recent(db: Session, training: Training, batch: Batch, day: date,
            session_id: int | None, limit: int) -> list[Arrival]:
    rows = db.exec(
        select(CheckIn, col(Participant.name),  # type: ignore[call-overload]
               col(TrainingCategory.name), col(User.name), col(AgendaSession.title))
        .join(Registration, col(Registration.id) == CheckIn.registration_id)
        .join(Participant, col(Participant.id) == Registration.participant_id)
        .outerjoin(TrainingCategory, col(TrainingCategory.id) == Registration.category_id)
        .outerjoin(User, col(User.id) == CheckIn.user_id)
        .outerjoin(AgendaSession, col(AgendaSession.id) == CheckIn.session_id)
        .where(CheckIn.batch_id == batch.id, CheckIn.day == day,
               _slot_filter(training, session_id))
        .order_by(col(CheckIn.scanned_at).desc(), col(CheckIn.id).desc())
        .limit(limit)).all()
    return [Arrival(c.registration_id, name, cat, local(training, c.scanned_at), by, c.method,
                    c.offline, c.device_id, title)
            for c, name, cat, by, title in rows]


def _per_day(db: Session, training: Training, batch: Batch) -> list[DayTally]:
    """Present on each day of the batch (per-session mode: at any session that day)."""
    rows: dict[date, int] = dict(db.exec(
        select(col(CheckIn.day), func.count(distinct(col(CheckIn.registration_id))))
        .join(Registration, col(Registration.id) == CheckIn.registration_id)
        .where(Registration.batch_id == batch.id, Registration.status == "confirmed",
               col(CheckIn.day) >= batch.start_date, col(CheckIn.day) <= batch.end_date,
               _slot_filter(training, None))
        .group_by(col(CheckIn.day))).all())
    return [DayTally(d, rows.get(d, 0)) for d in days_between(batch.start_date, batch.end_date)]


def day_sessions(db: Session, batch: Batch, day: date) -> list[SessionTally]:
    """The sessions of the day in time order, each with how many checked in to it."""
    rows = db.exec(
        select(col(AgendaSession.id), col(AgendaSession.title),  # type: ignore[call-overload]
               col(AgendaSession.start_time),
               col(AgendaSession.end_time), col(AgendaSession.kind), func.count(col(CheckIn.id)))
        .outerjoin(CheckIn, and_(col(CheckIn.slot) == AgendaSession.id, col(CheckIn.day) == day))
        .where(AgendaSession.batch_id == batch.id, AgendaSession.date == day)
        .group_by(col(AgendaSession.id), col(AgendaSession.title),
                  col(AgendaSession.start_time), col(AgendaSession.end_time),
                  col(AgendaSession.kind))
        .order_by(col(AgendaSession.start_time), col(AgendaSession.id))).all()
    return [SessionTally(sid or 0, title, start, end, kind, n)
            for sid, title, start, end, kind, n in rows]


def attendance(db: Session, training: Training, batch: Batch, day: date,
               session_id: int | None = None, recent: int = RECENT) -> Attendance:
    """The attendance of a batch on one of its days (or at one session of it)."""
    check_day(batch, day)
    sessions: list[SessionTally] = []
    chosen: SessionTally | None = None
    if training.checkin_mode == "session":
        sessions = day_sessions(db, batch, day)
        if session_id is not None:
            chosen = next((s for s in sessions if s.id == session_id), None)
            if chosen is None:
                raise SessionNotOnDay()
    elif session_id is not None:
        raise NotPerSession()
    present = _checked_in(training, day, session_id)
    total, by_category, by_district = _tallies(db, batch, present)
    return Attendance(
        training=training, batch=batch, day=day,
        days=days_between(batch.start_date, batch.end_date), total=total,
        by_category=by_category, by_district=by_district,
        missing=_missing(db, batch, present),
        recent=_recent(db, training, batch, day, session_id, recent),
        per_day=_per_day(db, training, batch), sessions=sessions, session=chosen,
        as_of=local(training, utcnow()))


def conflicts(db: Session, training: Training) -> list[ConflictRow]:
    """Every flagged scan of the training beside the check-in it conflicts with."""
    first_by, second_by = aliased(User), aliased(User)
    rows = db.exec(
        select(Scan, CheckIn, col(Participant.name),  # type: ignore[call-overload]
               col(Batch.name), col(AgendaSession.title), first_by.name, second_by.name)
        .join(CheckIn, col(CheckIn.id) == Scan.checkin_id)
        .join(Registration, col(Registration.id) == CheckIn.registration_id)
        .join(Participant, col(Participant.id) == Registration.participant_id)
        .join(Batch, col(Batch.id) == CheckIn.batch_id)
        .outerjoin(AgendaSession, col(AgendaSession.id) == CheckIn.session_id)
        .outerjoin(first_by, col(first_by.id) == CheckIn.user_id)
        .outerjoin(second_by, col(second_by.id) == Scan.user_id)
        .where(Registration.training_id == training.id, col(Scan.flagged).is_(True))
        .order_by(col(CheckIn.day), col(CheckIn.scanned_at), col(Scan.id))).all()
    return [ConflictRow(
        scan_id=scan.id or 0, registration_id=checkin.registration_id, name=name,
        batch_id=checkin.batch_id, batch=batch_name, day=checkin.day, session=title,
        first=Sighting(local(training, checkin.scanned_at), by1, checkin.device_id,
                       checkin.method, checkin.offline),
        second=Sighting(local(training, scan.scanned_at), by2, scan.device_id, scan.method,
                        scan.offline))
        for scan, checkin, name, batch_name, title, by1, by2 in rows]


def missing_message(name: str, training_title: str, batch_name: str, day: date) -> str:
    """The WhatsApp message to someone not yet checked in: always Indonesian, since it
    goes to the participant's phone, whatever language the committee's screen speaks."""
    with use_locale("id"):
        when = fmt_date(day, weekday=True)
    return (f"Yth. Bapak/Ibu {name},\n"
            f"kami panitia {training_title}. Hari ini, {when}, kehadiran Bapak/Ibu di "
            f"{batch_name} belum tercatat. Apakah Bapak/Ibu sedang dalam perjalanan? "
            "Mohon tunjukkan tiket QR di meja registrasi saat tiba. Terima kasih.")


def missing_whatsapp(person: Missing, training: Training, batch: Batch, day: date
                     ) -> str | None:
    if not person.phone:
        return None
    return whatsapp_link(person.phone, missing_message(person.name, training.title,
                                                       batch.name, day))
