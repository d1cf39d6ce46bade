"""Checking people in at the door: one check-in per registration and day (or session).

The order of the checks matters: a code's signature is verified before anything is
written, so a forged or altered code costs one key lookup and never a write. Two
scanners checking the same person in at once are settled by the unique key
(registration, day, slot): `INSERT ... ON CONFLICT DO NOTHING` lets exactly one insert
win, the others read the winner and answer "already checked in". A nonce makes a
retried request harmless: the scan it names is found again and answered the same way.

Offline devices (pretix calls it "offline check-in") decide on their own and send their
queue later; two such devices may both have accepted the same person. Both scans are
kept: the earliest becomes the check-in, the other is a flagged `Scan` the committee sees
as a conflict.
"""

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from service.errors import Conflict, DomainError, FieldError, NotFound
from service.i18n import N_
from service.i18n.formats import fmt_date, fmt_range, fmt_time
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
from service.models.base import as_utc, utcnow
from service.services.auth import Principal
from service.services.meeting_days import days_of, meets_on
from service.services.ticket_codes import InvalidTicket, TicketClaims
from service.services.tickets import TicketCancelled, TicketSuperseded, verify_code

# A device clock a little ahead of the server's is not a forgery.
CLOCK_SKEW = timedelta(minutes=5)
# In per-session mode a session's check-in opens this long before it starts.
SESSION_OPENS_BEFORE = timedelta(minutes=15)


class WrongBatch(Conflict):
    code, message = "wrong_batch", N_("{name} belongs to {batch}, not to this batch.")


class WrongDay(Conflict):
    code, message = "wrong_day", N_("This ticket is for {days}, not for {day}.")


class NotMeetingDay(WrongDay):
    message = N_("{batch} does not meet on {day}; its next meeting is on {next}.")


class MeetingsOver(WrongDay):
    message = N_("{batch} does not meet on {day}; its last meeting was on {last}.")


class WrongTraining(Conflict):
    code, message = "wrong_training", N_("This ticket belongs to another training.")


class NoSessionOpen(Conflict):
    code, message = "no_session_open", N_(
        "No session of this batch is open for check-in at {time}.")


class InvalidTime(DomainError):
    code, status, message = "invalid_time", 422, N_(
        "The scan time lies in the future. Check the date and time of the scanning device.")


class NonceReused(Conflict):
    code, message = "nonce_reused", N_("This scan's nonce was already used for another scan.")


@dataclass(frozen=True)
class ScanIn:
    """One scan as a device reports it. `code` is the QR text; `registration_id` instead
    is a manual check-in (found by name). `batch_id` is the batch the scanner is set to."""

    code: str | None = None
    registration_id: int | None = None
    batch_id: int | None = None
    session_id: int | None = None
    scanned_at: datetime | None = None
    nonce: str | None = None
    device_id: str | None = None
    offline: bool = False
    method: str | None = None

    @classmethod
    def of(cls, data: Any) -> "ScanIn":
        """One scan as POST /api/checkins sends it (a CheckinRequest)."""
        return cls(code=data.code, registration_id=data.registration_id,
                   batch_id=data.batch_id, session_id=data.session_id,
                   scanned_at=data.scanned_at, nonce=data.nonce, device_id=data.device_id)


@dataclass(frozen=True)
class Outcome:
    status: str  # "checked_in" | "already_checked_in"
    registration_id: int
    name: str
    category: str | None
    batch: str
    batch_id: int
    day: date
    session_id: int | None
    session: str | None
    at: datetime  # when the check-in was scanned (the first scan for a repeat)
    by: str | None
    method: str
    conflict: bool = False

    def payload(self) -> dict[str, Any]:
        at = self.at.isoformat()
        out: dict[str, Any] = {
            "status": self.status, "registration_id": self.registration_id, "name": self.name,
            "category": self.category, "batch": self.batch, "batch_id": self.batch_id,
            "day": self.day.isoformat(), "session_id": self.session_id, "session": self.session,
            "method": self.method, "conflict": self.conflict}
        if self.status == "checked_in":
            out.update(checked_in_at=at, by=self.by)
        else:
            out.update(first_at=at, first_by=self.by)
        return out


class _Target(NamedTuple):
    """The registration a scan names, with what the checks need (one query). A named
    tuple rather than a frozen dataclass: made from a row in a fifth of the time, and
    the door's fast lane makes one or two per scan."""

    registration_id: int
    training_id: int
    status: str
    name: str
    category: str | None
    organization_id: int
    timezone: str
    checkin_mode: str
    batch_id: int | None
    batch: str | None
    first_day: date | None
    last_day: date | None
    # Whether the batch meets every day from first to last (else on its listed meeting
    # dates only, which the full path reads: the fast lane takes only every-day batches).
    every_day: bool


_TARGET = (
    select(Registration.id, Registration.training_id, Registration.status,  # type: ignore[call-overload]
           Participant.name, TrainingCategory.name, Training.organization_id,
           Training.timezone, Training.checkin_mode, Registration.batch_id, Batch.name,
           Batch.start_date, Batch.end_date, col(Batch.meeting_dates).is_(None))
    .join(Participant, Participant.id == Registration.participant_id)
    .join(Training, Training.id == Registration.training_id)
    .outerjoin(Batch, Batch.id == Registration.batch_id)
    .outerjoin(TrainingCategory, TrainingCategory.id == Registration.category_id)
)


# Built once: building a statement and its cache key costs more than running it.
TARGET_BY_ID = _TARGET.where(Registration.id == bindparam("registration_id"))
# The same columns for many registrations at once: the door's fast lane reads a batch
# of scans' registrations in one statement (services/checkin_lane.py).
TARGET_COLUMNS = _TARGET
# The fields of a target that the checks read (find_target, admit, and the day mode the
# fast lane takes); the others (the names) only word the answer. The fast lane decides on
# the target a genuine ticket claims (claimed_target) and writes only where the
# database's row agrees with it on every one of these.
ADMITTED_BY = ("registration_id", "training_id", "status", "organization_id", "timezone",
               "checkin_mode", "batch_id", "first_day", "last_day", "every_day")
# training id -> (organization id, time zone), as the last target read in this process
# found them. Only a prediction: the lane's write checks it against the row, and a stale
# one sends the scan to check_in, which reads the row and refreshes it.
_TRAININGS: dict[int, tuple[int, str]] = {}
_TRAININGS_MAX = 10_000


def _remember_training(target: _Target) -> None:
    if len(_TRAININGS) >= _TRAININGS_MAX:
        _TRAININGS.clear()
    _TRAININGS[target.training_id] = (target.organization_id, target.timezone)


def claimed_target(claims: TicketClaims, checkin_mode: str) -> _Target | None:
    """The target a genuine ticket claims: its registration confirmed in the batch and
    days it was signed for, in its training as this process last read it (None: not read
    yet), taking attendance by `checkin_mode`. The names are left empty: they only word
    answers."""
    training = _TRAININGS.get(claims.training_id)
    if training is None:
        return None
    organization_id, timezone = training
    return _Target(registration_id=claims.registration_id, training_id=claims.training_id,
                   status="confirmed", name="", category=None,
                   organization_id=organization_id, timezone=timezone,
                   checkin_mode=checkin_mode, batch_id=claims.batch_id, batch=None,
                   first_day=claims.first_day, last_day=claims.last_day, every_day=True)


def target_of(row: Any) -> _Target:
    """A row of TARGET_COLUMNS as a target."""
    return _Target(*row)


def _local(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz))


def _check_target(user: Principal, target: _Target, scan: ScanIn,
                  claims: TicketClaims | None) -> None:
    """Refuse a scan of someone who may not come in here today (never writes)."""
    if user.training_id is not None and user.training_id != target.training_id:
        raise WrongTraining()
    if target.status == "cancelled":
        raise TicketCancelled()
    batch = target.batch or "—"
    if target.status != "confirmed" or target.batch_id is None:
        raise TicketSuperseded(params={"name": target.name, "batch": batch},
                             name=target.name, batch=None)
    if claims is not None and (claims.batch_id != target.batch_id
                               or claims.first_day != target.first_day
                               or claims.last_day != target.last_day):
        # Signed before a move or a change of the batch's dates.
        raise TicketSuperseded(params={"name": target.name, "batch": batch},
                             name=target.name, batch=target.batch)
    if scan.batch_id is not None and scan.batch_id != target.batch_id:
        raise WrongBatch(params={"name": target.name, "batch": batch},
                         name=target.name, batch=target.batch, batch_id=target.batch_id)


def _scan_moment(scan: ScanIn, now: datetime) -> datetime:
    moment = scan.scanned_at or now
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # devices send UTC; a bare time is taken as UTC
    if moment > now + CLOCK_SKEW:
        raise InvalidTime()
    return moment


def _check_day(target: _Target, day: date) -> None:
    assert target.first_day is not None and target.last_day is not None
    if not target.first_day <= day <= target.last_day:
        raise WrongDay(params={"days": fmt_range(target.first_day, target.last_day),
                               "day": fmt_date(day)},
                       name=target.name,
                       days=[target.first_day.isoformat(), target.last_day.isoformat()])


def _check_meeting(db: Session, target: _Target, day: date) -> None:
    """A batch that meets on listed dates (monthly coaching): `day` must be one."""
    batch = db.get(Batch, target.batch_id)
    if batch is None or meets_on(batch, day):
        return
    days = [d.isoformat() for d in days_of(batch)]
    following = [d for d in days_of(batch) if d > day]
    params = {"batch": batch.name, "day": fmt_date(day)}
    if following:
        raise NotMeetingDay(params={**params, "next": fmt_date(following[0])},
                            name=target.name, days=days)
    raise MeetingsOver(params={**params, "last": fmt_date(batch.end_date)},
                       name=target.name, days=days)


def _session_slot(db: Session, target: _Target, local: datetime,
                  session_id: int | None) -> tuple[int, str | None]:
    """(slot, session title): 0 for a whole day; the session taking attendance now in
    per-session mode (each session's start opens its check-in)."""
    if target.checkin_mode != "session":
        return 0, None
    sessions = db.execute(
        select(AgendaSession.id, AgendaSession.title, AgendaSession.start_time,  # type: ignore[call-overload]
               AgendaSession.end_time)
        .where(AgendaSession.batch_id == target.batch_id, AgendaSession.date == local.date(),
               AgendaSession.kind != "break")
        .order_by(AgendaSession.start_time)).all()
    if session_id is not None:
        for sid, title, _start, _end in sessions:
            if sid == session_id:
                return int(sid), str(title)
        raise FieldError("session_id", "This session is not on the batch's agenda that day.",
                         code="invalid_session")
    now = local.replace(tzinfo=None)
    open_now = [(sid, title) for sid, title, start, end in sessions
                if datetime.combine(now.date(), start) - SESSION_OPENS_BEFORE <= now
                <= datetime.combine(now.date(), end)]
    if not open_now:
        raise NoSessionOpen(params={"time": fmt_time(time(local.hour, local.minute))})
    sid, title = open_now[-1]  # the latest started, when two overlap
    return int(sid), str(title)


_INSERTS: dict[tuple[str, str], Any] = {}


def _insert(db: Session, model: type, values: dict[str, Any]) -> int | None:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: the id, or None if a unique key
    (or the nonce) already exists. Never raises for the conflict, so no savepoint.
    The statement is built once per dialect and table; the values go as parameters."""
    conn = db.connection()
    return conn.execute(insert_statement(conn.dialect.name, model), values).scalar()


def insert_statement(dialect: str, model: type) -> Any:
    key = (dialect, model.__tablename__)  # type: ignore[attr-defined]
    stmt = _INSERTS.get(key)
    if stmt is None:
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        table = model.__table__  # type: ignore[attr-defined]
        stmt = _INSERTS[key] = insert(table).on_conflict_do_nothing().returning(table.c.id)
    return stmt


def _user_name(db: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return db.execute(select(User.name).where(User.id == user_id)).scalar()  # type: ignore[call-overload]


def find_target(row: Any, user: Principal, claims: TicketClaims | None) -> _Target:
    """The registration a scan names (a row of TARGET_BY_ID, or None), if the scanner's
    organization holds it and a code's training matches; else why not."""
    target = _Target(*row) if row is not None else None
    if target is None or target.organization_id != user.organization_id or (
            claims is not None and target.training_id != claims.training_id):
        if claims is not None:
            raise InvalidTicket("unknown_registration")
        raise NotFound("Registration not found.")
    return target


def admit(user: Principal, target: _Target, scan: ScanIn, claims: TicketClaims | None,
          now: datetime) -> datetime:
    """The scan's moment in the training's local time, if the person may come in that
    day (every check but the per-session one, which reads the agenda); else why not.
    Pure: the door's fast lane (checkin_lane.py) runs the same checks."""
    _check_target(user, target, scan, claims)
    local = _local(_scan_moment(scan, now), target.timezone)
    _check_day(target, local.date())
    return local


def checkin_row(user: Principal, target: _Target, scan: ScanIn, local: datetime, slot: int,
                method: str, now: datetime) -> dict[str, Any]:
    """The CheckIn row's values for an admitted scan."""
    return {"registration_id": target.registration_id, "batch_id": target.batch_id,
            "day": local.date(), "slot": slot, "session_id": slot or None,
            "scanned_at": local.astimezone(UTC), "recorded_at": now,
            "device_id": scan.device_id, "method": method, "nonce": scan.nonce,
            "user_id": user.id, "offline": scan.offline}


def outcome_of(target: _Target, local: datetime, slot: int, session_title: str | None,
               status: str, at: datetime, by: str | None, how: str,
               conflict: bool = False) -> Outcome:
    assert target.batch_id is not None and target.batch is not None
    return Outcome(status=status, registration_id=target.registration_id, name=target.name,
                   category=target.category, batch=target.batch, batch_id=target.batch_id,
                   day=local.date(), session_id=slot or None, session=session_title,
                   at=as_utc(at), by=by, method=how, conflict=conflict)


def check_in(db: Session, user: Principal, scan: ScanIn, now: datetime | None = None) -> Outcome:
    """Record one scan; the outcome, or a DomainError saying why the person may not enter."""
    now = now or utcnow()
    claims: TicketClaims | None = None
    if scan.code is not None:
        claims = verify_code(db, user.organization_id, scan.code)
        registration_id = claims.registration_id
    elif scan.registration_id is not None:
        registration_id = scan.registration_id
    else:
        raise FieldError("code", "Send the QR code's text or a registration.")
    row = db.connection().execute(TARGET_BY_ID, {"registration_id": registration_id}).first()
    target = find_target(row, user, claims)
    _remember_training(target)
    local = admit(user, target, scan, claims, now)
    if not target.every_day:
        _check_meeting(db, target, local.date())
    slot, session_title = _session_slot(db, target, local, scan.session_id)
    method = scan.method or ("qr" if claims is not None else "manual")
    values = checkin_row(user, target, scan, local, slot, method, now)

    def outcome(status: str, at: datetime, by: str | None, how: str,
                conflict: bool = False) -> Outcome:
        return outcome_of(target, local, slot, session_title, status, at, by, how, conflict)

    if _insert(db, CheckIn, values) is not None:
        return outcome("checked_in", values["scanned_at"], user.name, method)
    return _repeat(db, user, scan, values, outcome)


def _existing(db: Session, registration_id: int, day: date, slot: int) -> Row[Any] | None:
    return db.execute(
        select(CheckIn.id, CheckIn.nonce, CheckIn.scanned_at, CheckIn.device_id,  # type: ignore[call-overload]
               CheckIn.user_id, CheckIn.method, CheckIn.offline)
        .where(CheckIn.registration_id == registration_id, CheckIn.day == day,
               CheckIn.slot == slot)).first()


def _repeat(db: Session, user: Principal, scan: ScanIn, values: dict[str, Any],
            outcome: Any) -> Outcome:
    """The person is already checked in for this day or session (or the nonce was seen)."""
    existing = _existing(db, values["registration_id"], values["day"], values["slot"])
    if existing is None:
        # Only the nonce clashed: a replay whose day moved on, or a reused nonce.
        other = db.execute(select(CheckIn.registration_id, CheckIn.scanned_at,  # type: ignore[call-overload]
                                  CheckIn.user_id, CheckIn.method)
                           .where(CheckIn.nonce == scan.nonce)).first()
        if other is None or other[0] != values["registration_id"]:
            raise NonceReused()
        return outcome("checked_in", other[1], _user_name(db, other[2]), other[3])
    checkin_id, nonce, first_at, device, by_id, how, was_offline = tuple(existing)
    if scan.nonce is not None and nonce == scan.nonce:
        return outcome("checked_in", first_at, _user_name(db, by_id), how)
    if scan.nonce is not None:
        seen = db.execute(select(Scan.flagged).where(Scan.nonce == scan.nonce)).first()  # type: ignore[call-overload]
        if seen is not None:
            return outcome("already_checked_in", first_at, _user_name(db, by_id), how,
                           bool(seen[0]))
    # Both devices accepted the person while offline: keep both scans, flag the later.
    conflict = scan.offline and (scan.device_id is None or device != scan.device_id)
    scan_row = {"registration_id": values["registration_id"], "device_id": scan.device_id,
                "scanned_at": values["scanned_at"], "recorded_at": values["recorded_at"],
                "result": "already_checked_in", "checkin_id": checkin_id, "flagged": conflict,
                "user_id": user.id, "method": values["method"], "offline": scan.offline,
                "nonce": scan.nonce or f"srv-{uuid.uuid4().hex}"}
    if conflict and values["scanned_at"] < as_utc(first_at):
        # This scan was earlier: it becomes the check-in, the former one the flagged scan.
        db.execute(update(CheckIn).where(col(CheckIn.id) == checkin_id).values(
            scanned_at=values["scanned_at"], device_id=scan.device_id, nonce=scan.nonce,
            user_id=user.id, method=values["method"], offline=True))
        scan_row.update(device_id=device, scanned_at=first_at, user_id=by_id, method=how,
                        offline=was_offline, nonce=nonce or f"srv-{uuid.uuid4().hex}")
        _insert(db, Scan, scan_row)
        return outcome("checked_in", values["scanned_at"], user.name, values["method"], True)
    _insert(db, Scan, scan_row)
    return outcome("already_checked_in", first_at, _user_name(db, by_id), how, conflict)


def sync(db: Session, user: Principal, device_id: str, scans: list[ScanIn],
         now: datetime | None = None) -> dict[str, Any]:
    """Apply a device's queued offline scans, oldest first; each gets its own answer.

    A refused scan writes nothing, so one bad scan never spoils the others; sending the
    same queue again finds every nonce and adds nothing."""
    now = now or utcnow()
    results: list[dict[str, Any]] = []
    counts = {"checked_in": 0, "already_checked_in": 0, "rejected": 0}
    ordered = sorted(scans, key=lambda s: as_utc(s.scanned_at) if s.scanned_at else now)
    for scan in ordered:
        try:
            result = check_in(db, user, replace(scan, device_id=device_id, offline=True),
                              now).payload()
        except DomainError as exc:
            result = {"status": "rejected", **exc.payload(), "conflict": False}
        counts[result["status"]] += 1
        results.append({"nonce": scan.nonce, **result})
    return {"results": results, **counts}


def batch_for_scanner(db: Session, user: Principal, batch_id: int) -> tuple[Batch, Training]:
    """A batch the user may scan for: of their organization, and of their training when
    their login is limited to one."""
    row = db.execute(select(Batch, Training)
                     .join(Training, col(Training.id) == Batch.training_id)
                     .where(col(Batch.id) == batch_id,
                            col(Training.organization_id) == user.organization_id)).first()
    if row is None or (user.training_id is not None and row[1].id != user.training_id):
        raise NotFound("Batch not found.")
    return row[0], row[1]
