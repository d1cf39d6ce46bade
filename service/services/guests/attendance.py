"""Guests' and committee members' attendance per training day: ticked by the committee
on a grid, or scanned at the door from their QR card (the card's URL ends in /g/<token>,
a shape no participant ticket has, so the scanner sends it here and never to the
participants' check-in lane)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.errors import Conflict, DomainError, NotFound
from service.i18n import N_
from service.i18n.formats import fmt_date
from service.models import Organization, Training, User
from service.models.base import as_utc, pk, utcnow
from service.models.guests import EventPerson, EventPersonAttendance, EventPersonScan
from service.services import training_clock
from service.services.auth import Principal
from service.services.guests.people import check_day, list_people, training_days

# The QR text of a card: "<base>/g/<token>" (a bare "/g/<token>" or "g/<token>" too).
CARD_CODE = re.compile(r"(?:^|/)g/([A-Za-z0-9_-]{16,64})/?$")
# A device clock a little ahead of the server's is not a forgery.
CLOCK_SKEW = timedelta(minutes=5)
# A scan kept offline longer than this is not taken: tick the person on the grid instead.
OLDEST_SCAN = timedelta(days=14)


class InvalidCard(DomainError):
    code, status, message = "invalid_guest_card", 404, N_(
        "This QR code is not a guest or committee card of this training.")


class NotTrainingDay(DomainError):
    code, status, message = "not_training_day", 422, N_(
        "Today ({day}) is not one of the training's days.")


class ScannedOnOtherDay(NotTrainingDay):
    message = N_("The card was scanned on {day}, which is not one of the training's days.")


class ScanInFuture(DomainError):
    code, status, message = "invalid_time", 422, N_(
        "The scan time lies in the future. Check the date and time of the scanning device.")


class ScanTooOld(DomainError):
    code, status, message = "scan_too_old", 422, N_(
        "This scan is more than 14 days old; tick the person on the guests page instead.")


class NonceReused(Conflict):
    code, message = "nonce_reused", N_("This scan's nonce was already used for another scan.")


@dataclass(frozen=True)
class ScanOutcome:
    status: str  # "checked_in" or "already_checked_in"
    person: EventPerson
    day: date
    first_at: datetime | None


@dataclass(frozen=True)
class Grid:
    """Who was present on which day: the committee's grid, the daftar hadir and the
    report read it."""

    days: list[date]
    people: list[EventPerson]
    rows: dict[tuple[int, date], EventPersonAttendance]

    def present(self, person: EventPerson, day: date) -> bool:
        row = self.rows.get((pk(person), day))
        return bool(row and row.present)

    def days_present(self, person: EventPerson) -> list[date]:
        return [d for d in self.days if self.present(person, d)]


def records(db: Session, person_ids: Iterable[int]) -> list[EventPersonAttendance]:
    ids = list(person_ids)
    if not ids:
        return []
    return list(db.exec(select(EventPersonAttendance)
                        .where(col(EventPersonAttendance.person_id).in_(ids))).all())


def grid(db: Session, training: Training, kind: str | None = None) -> Grid:
    people = list_people(db, training, kind)
    rows = {(r.person_id, r.day): r for r in records(db, (pk(p) for p in people))}
    return Grid(training_days(db, training), people, rows)


def _upsert(db: Session, person: EventPerson, day: date, present: bool, via: str,
            user_id: int | None, keep_present: bool = False,
            at: datetime | None = None) -> tuple[EventPersonAttendance, bool]:
    """The person's row for the day, set (at `at`, else now); True when it changed. Two
    taps at once on the same cell: the primary key lets one insert, the other updates."""
    for _attempt in range(2):
        row = db.get(EventPersonAttendance, (pk(person), day))
        if row is None:
            try:
                with db.begin_nested():
                    row = EventPersonAttendance(person_id=pk(person), day=day, present=present,
                                                via=via, user_id=user_id,
                                                recorded_at=at or utcnow())
                    db.add(row)
                    db.flush()
                return row, True
            except IntegrityError:
                continue
        if keep_present and row.present:
            return row, False
        if row.present == present:
            return row, False
        row.present, row.via, row.user_id = present, via, user_id
        row.recorded_at = at or utcnow()
        db.add(row)
        db.flush()
        return row, True
    raise AssertionError("unreachable")  # pragma: no cover


def set_attendance(db: Session, training: Training, person: EventPerson, day: date,
                   present: bool, user: User | None) -> EventPersonAttendance:
    """Tick (or untick) the person on one of the training's days."""
    if person.training_id != training.id:
        raise NotFound(N_("Guest or committee member not found."))
    check_day(db, training, day)
    row, _changed = _upsert(db, person, day, present, "tick", user.id if user else None)
    return row


# --- the door ---------------------------------------------------------------------------

def scanner_training(db: Session, user: Principal, training_id: int) -> Training:
    """A training the door login may scan for (its organization's; its own training when
    the login is limited to one)."""
    training = db.get(Training, training_id)
    if training is None or training.organization_id != user.organization_id or (
            user.training_id is not None and training.id != user.training_id):
        raise NotFound(N_("Training not found."))
    return training


def card_token(code: str) -> str | None:
    found = CARD_CODE.search(code.strip())
    return found.group(1) if found else None


def card_holder(db: Session, token: str) -> tuple[EventPerson, Training, str] | None:
    """Whose card this is (its training and organization's name), if it is one."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", token):
        return None
    row = db.exec(select(EventPerson, Training, Organization)
                  .join(Training, col(Training.id) == EventPerson.training_id)
                  .join(Organization, col(Organization.id) == Training.organization_id)
                  .where(EventPerson.token == token)).first()
    return (row[0], row[1], row[2].name) if row else None


def _scan_moment(scanned_at: datetime | None, now: datetime) -> datetime | None:
    """When an offline scan was made (None: a scan sent at once), within its limits."""
    if scanned_at is None:
        return None
    moment = as_utc(scanned_at).astimezone(UTC)
    if moment > now + CLOCK_SKEW:
        raise ScanInFuture()
    if moment < now - OLDEST_SCAN:
        raise ScanTooOld()
    return moment


def _seen(db: Session, person: EventPerson, day: date, nonce: str) -> ScanOutcome:
    """The answer to a nonce already recorded: for the same card and day, what it did."""
    seen = db.get(EventPersonScan, nonce)
    assert seen is not None
    if seen.person_id != pk(person) or seen.day != day:
        raise NonceReused()
    row = db.get(EventPersonAttendance, (pk(person), day))
    return ScanOutcome("already_checked_in", person, day,
                       row.recorded_at if row else seen.recorded_at)


def _claim_nonce(db: Session, person: EventPerson, day: date, nonce: str,
                 moment: datetime) -> bool:
    """Keep the scan's nonce; False when it was already kept (the database settles two
    sends at once: one inserts, the other finds it)."""
    if db.get(EventPersonScan, nonce) is not None:
        return False
    try:
        with db.begin_nested():
            db.add(EventPersonScan(nonce=nonce, person_id=pk(person), day=day,
                                   scanned_at=moment, recorded_at=utcnow()))
            db.flush()
    except IntegrityError:
        return False
    return True


def scan(db: Session, user: Principal, training: Training, code: str,
         now: datetime | None = None, scanned_at: datetime | None = None,
         nonce: str | None = None) -> ScanOutcome:
    """Record the card's holder present today (in the training's time zone), or on the
    day it was scanned (`scanned_at`, a scan kept offline: at most 14 days old). The same
    `nonce` twice changes nothing the second time."""
    now = as_utc(now or utcnow()).astimezone(UTC)
    token = card_token(code)
    person = db.exec(select(EventPerson).where(EventPerson.token == token)).first() \
        if token else None
    if person is None or person.training_id != training.id:
        raise InvalidCard()
    moment = _scan_moment(scanned_at, now)
    day = training_clock.today(training, moment or now)
    if day not in training_days(db, training):
        error = NotTrainingDay if moment is None else ScannedOnOtherDay
        raise error(params={"day": fmt_date(day)})
    if nonce is not None and not _claim_nonce(db, person, day, nonce, moment or now):
        return _seen(db, person, day, nonce)
    row, changed = _upsert(db, person, day, True, "scan", user.id, keep_present=True,
                           at=moment)
    if changed:
        return ScanOutcome("checked_in", person, day, None)
    return ScanOutcome("already_checked_in", person, day, row.recorded_at)
