"""Live attendance of one batch on one day (or at one session): who is expected, who is
present, by category and kecamatan, who is missing, the latest arrivals, and the
conflicts two offline scanners left behind.

Who is present comes from service.services.presence (the door's check-ins corrected by
the committee's marks), as everywhere else. Read only, and a fixed number of queries
whatever the number of participants: the committee's page asks again every few seconds
while the doors are open.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from service.errors import DomainError
from service.i18n import N_, use_locale
from service.i18n.formats import fmt_date, percent_tenths
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
from service.services import presence, regions
from service.services.grouping import Groups
from service.services.meeting_days import days_of, meets_on
from service.services.training_clock import local
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
    excused: int = 0  # away with izin or sakit (not present)

    @property
    def rate(self) -> float:
        return self.present / self.expected if self.expected else 0.0

    @property
    def percent(self) -> float:
        """The rate in percent, rounded to one decimal as every page shows it (799 of 842
        is 94.9; 841 of 842 is 99.9, never 100): formats.percent_tenths."""
        return percent_tenths(self.rate) / 10

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
    # Not present: "absent", or "excused" by the committee (izin or sakit, with a reason).
    status: str = presence.ABSENT
    excuse: str | None = None
    reason: str = ""
    # The training's region (kecamatan, or kabupaten/kota at a provincial event).
    region: str | None = None


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
    excused: int = 0


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
    # The batch's kecamatan or kabupaten/kota (as the training's region level says), to
    # filter by; and the one the figures are of (None: everyone).
    regions: list[str] = field(default_factory=list)
    region: str | None = None

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


class NotAMeeting(DomainError):
    code, status, message = "day_outside_batch", 422, N_(
        "{batch} does not meet on {day}: choose one of its meeting days.")


def check_day(batch: Batch, day: date) -> None:
    if batch.start_date <= day <= batch.end_date and not meets_on(batch, day):
        raise NotAMeeting(params={"batch": batch.name, "day": fmt_date(day)},
                          days=[d.isoformat() for d in days_of(batch)])
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


@dataclass(frozen=True)
class _Person:
    """A confirmed registration of the batch, with what the tallies and lists show."""

    id: int
    name: str
    sort_name: str
    phone: str | None
    category: str | None
    category_position: int | None
    district: str | None
    village: str | None
    institution: str | None
    region: str | None  # the training's region level's value (regions.column)


def _people(db: Session, training: Training, batch: Batch) -> list[_Person]:
    """The batch's confirmed people, sorted as lists of people are (front titles left
    out): one query."""
    rows = db.exec(
        select(col(Registration.id), col(Participant.name),  # type: ignore[call-overload]
               col(Participant.sort_name), col(Participant.phone),
               col(TrainingCategory.name), col(TrainingCategory.position),
               col(Participant.district), col(Participant.village),
               col(Participant.institution), regions.column(training))
        .select_from(Registration)
        .join(Participant, col(Participant.id) == Registration.participant_id)
        .outerjoin(TrainingCategory, col(TrainingCategory.id) == Registration.category_id)
        .where(Registration.batch_id == batch.id, Registration.status == "confirmed")).all()
    return sorted((_Person(*row) for row in rows), key=lambda p: (p.sort_name, p.id))


def _tallies(people: list[_Person], states: dict[int, presence.State]
             ) -> tuple[Tally, list[Tally], list[Tally]]:
    """Total, by category (in the training's order) and by kecamatan."""
    categories, districts = Groups(fold=False), Groups()
    for p in people:
        state = states[p.id]
        counts = (1, int(state.present), int(state.excused))
        categories.add(p.category, *counts,
                       order=p.category_position if p.category_position is not None
                       else 1 << 30)
        districts.add(p.region, *counts)
    by_category = [Tally(name, *counts) for name, counts in categories.rows()]
    by_district = [Tally(name, *counts) for name, counts in districts.rows()]
    total = Tally(None, sum(t.expected for t in by_category),
                  sum(t.present for t in by_category), sum(t.excused for t in by_category))
    return total, by_category, by_district


def _missing(people: list[_Person], states: dict[int, presence.State]) -> list[Missing]:
    """Who is not present, by name: absent, or excused with their reason."""
    return [Missing(p.id, p.name, p.phone, p.category, p.district, p.village, p.institution,
                    states[p.id].status, states[p.id].excuse, states[p.id].reason, p.region)
            for p in people if not states[p.id].present]


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


def _per_day(batch: Batch, people: list[_Person], found: presence.Presence
             ) -> list[DayTally]:
    """Present (and excused) on each day of the batch (per-session mode: at any session
    that day)."""
    out = []
    for d in days_of(batch):
        states = [found.state(p.id, d) for p in people]
        out.append(DayTally(d, sum(s.present for s in states), sum(s.excused for s in states)))
    return out


def _sessions_of_day(db: Session, batch: Batch, day: date
                     ) -> list[tuple[int, str, time, time, str]]:
    rows = db.exec(
        select(col(AgendaSession.id), col(AgendaSession.title),  # type: ignore[call-overload]
               col(AgendaSession.start_time), col(AgendaSession.end_time),
               col(AgendaSession.kind))
        .where(AgendaSession.batch_id == batch.id, AgendaSession.date == day)
        .order_by(col(AgendaSession.start_time), col(AgendaSession.id))).all()
    return [(sid or 0, title, start, end, kind) for sid, title, start, end, kind in rows]


def _session_tallies(sessions: list[tuple[int, str, time, time, str]], day: date,
                     people: list[_Person], found: presence.Presence) -> list[SessionTally]:
    return [SessionTally(sid, title, start, end, kind,
                         sum(found.present(p.id, day, sid) for p in people))
            for sid, title, start, end, kind in sessions]


def day_sessions(db: Session, training: Training, batch: Batch, day: date
                 ) -> list[SessionTally]:
    """The sessions of the day in time order, each with how many were present at it."""
    sessions = _sessions_of_day(db, batch, day)
    if not sessions:
        return []
    return _session_tallies(sessions, day, _people(db, training, batch),
                            presence.load(db, training, [batch]))


def sessions_of_day(db: Session, batch: Batch, day: date) -> list[SessionTally]:
    """The sessions of the day in time order, uncounted (present 0): for choosing one."""
    return [SessionTally(sid, title, start, end, kind, 0)
            for sid, title, start, end, kind in _sessions_of_day(db, batch, day)]


def attendance(db: Session, training: Training, batch: Batch, day: date,
               session_id: int | None = None, recent: int = RECENT,
               region: str | None = None) -> Attendance:
    """The attendance of a batch on one of its days (or at one session of it); with
    `region`, of the people of that kecamatan or kabupaten/kota only."""
    check_day(batch, day)
    people = _people(db, training, batch)
    offered = _regions(people)
    chosen_region = offered.get(regions.key(region) or "") if region else None
    if chosen_region is not None:
        people = [p for p in people if regions.key(p.region) == regions.key(chosen_region)]
    found = presence.load(db, training, [batch])
    sessions: list[SessionTally] = []
    chosen: SessionTally | None = None
    if training.checkin_mode == "session":
        sessions = _session_tallies(_sessions_of_day(db, batch, day), day, people, found)
        if session_id is not None:
            chosen = next((s for s in sessions if s.id == session_id), None)
            if chosen is None:
                raise SessionNotOnDay()
    elif session_id is not None:
        raise NotPerSession()
    states = {p.id: found.state(p.id, day, session_id) for p in people}
    total, by_category, by_district = _tallies(people, states)
    return Attendance(
        training=training, batch=batch, day=day,
        days=days_of(batch), total=total,
        by_category=by_category, by_district=by_district,
        missing=_missing(people, states),
        recent=_recent(db, training, batch, day, session_id, recent),
        per_day=_per_day(batch, people, found), sessions=sessions, session=chosen,
        as_of=local(training, utcnow()), regions=sorted(offered.values(), key=str.casefold),
        region=chosen_region)


def _regions(people: list[_Person]) -> dict[str, str]:
    """The regions of the batch's people, each once: key -> the name as first written."""
    out: dict[str, str] = {}
    for p in people:
        key = regions.key(p.region)
        if key is not None:
            out.setdefault(key, " ".join((p.region or "").split()))
    return out


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
