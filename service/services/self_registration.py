"""The public self-registration page of a training: its window, its link, its spam guard.

No CAPTCHA (cheap phones, weak signal): a honeypot field people never see, a signed
time stamp that refuses a form sent back faster than a person can fill it and makes one
registration only, and a rate limit per address (housekeeping.hit).
"""

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from service.errors import Conflict, DomainError, FieldError, NotFound
from service.i18n import N_
from service.i18n.formats import fmt_date, fmt_time
from service.models import Registration, Training, UsedFormStamp
from service.models.base import pk
from service.services import registrations, training_clock
from service.services.housekeeping import shared_secret
from service.services.messaging import outbox

MIN_SECONDS = 3  # nobody types a name, NIK and phone number faster
MAX_SECONDS = 12 * 3600
SECRET_NAME = "selfreg-form"  # noqa: S105 (the name of a secret, not a secret)
NONCE = re.compile(r"[A-Za-z0-9_-]{16}")  # secrets.token_urlsafe(12): 96 random bits
WindowState = Literal["open", "not_yet", "closed"]


class SpamSuspected(DomainError):
    code, status, message = "spam_suspected", 400, N_(
        "The form was sent too quickly or is too old. Please fill it in again.")


class FormAlreadyUsed(Conflict):
    code, message = "form_already_used", N_(
        "This form has already been used for a registration. Check the details below and "
        "send the form again to register the next person.")


class AlreadyRegisteredHere(Conflict):
    """A duplicate on the public form. Anyone can type someone's NIK or phone number
    there, so the answer names nobody (the committee's own pages do)."""

    code, message = "already_registered", N_(
        "These details are already registered for this training. Contact the committee "
        "if something is wrong.")


class RegistrationClosed(Conflict):
    code, message = "registration_closed", N_("Registration for this training is closed.")


class RegistrationNotOpen(Conflict):
    code, message = "registration_not_open", N_("Registration opens on {opens}.")


@dataclass
class SelfRegistrationSettings:
    enabled: bool
    opens_at: datetime | None
    closes_at: datetime | None
    batch_choice: bool


def configure(db: Session, training: Training, data: SelfRegistrationSettings) -> None:
    if data.opens_at and data.closes_at and data.closes_at <= data.opens_at:
        raise FieldError("closes_at", "Registration must close after it opens.",
                         code="invalid_dates")
    if data.enabled and not training.public_code:
        # Short enough to type from a poster, long enough not to be guessed.
        training.public_code = secrets.token_urlsafe(6)
    if not data.enabled:
        training.public_code = None
    # The committee types wall-clock times where the training happens.
    zone = ZoneInfo(training.timezone)
    training.registration_opens_at = data.opens_at.replace(tzinfo=zone) if data.opens_at \
        else None
    training.registration_closes_at = data.closes_at.replace(tzinfo=zone) \
        if data.closes_at else None
    training.registration_batch_choice = data.batch_choice
    db.add(training)
    db.flush()


def training_for_code(db: Session, code: str) -> Training:
    training = db.exec(select(Training).where(Training.public_code == code)).first() \
        if code and len(code) <= 32 else None
    if training is None:
        raise NotFound("This registration link does not exist. Ask the committee for the "
                       "right link.")
    return training


def local_time(training: Training, value: datetime) -> datetime:
    """A stored moment as wall-clock time where the training happens (WIB, WITA or WIT)."""
    return training_clock.local(training, value).replace(tzinfo=None)


def window_state(training: Training, now: datetime | None = None) -> WindowState:
    local_now = local_time(training, now or datetime.now(UTC))
    opens, closes = training.registration_opens_at, training.registration_closes_at
    if opens and local_now < local_time(training, opens):
        return "not_yet"
    if closes and local_now >= local_time(training, closes):
        return "closed"
    if not closes and local_now.date() > training.end_date:
        return "closed"
    return "open"


def sign_stamp(key: str, issued: int, nonce: str) -> str:
    """"{issued}.{nonce}.{signature}": when the form was rendered, and a random nonce that
    lets the stamp make one registration only."""
    payload = f"{issued}.{nonce}"
    return f"{payload}.{hmac.new(key.encode(), payload.encode(), hashlib.sha256).hexdigest()[:32]}"


def form_stamp(db: Session, now: float | None = None) -> str:
    """A signed render time with a fresh nonce, put in a hidden field of the form."""
    return sign_stamp(shared_secret(db, SECRET_NAME),
                      int(now if now is not None else time.time()), secrets.token_urlsafe(12))


def check_form(db: Session, stamp: str, honeypot: str, now: float | None = None) -> None:
    """Refuse a bot: the honeypot filled, a forged stamp, a form sent back too fast or too
    late, or a stamp that already made a registration.

    The stamp's nonce is recorded as used in the caller's transaction: it counts only if
    the registration commits with it, and of two posts of one stamp at once the database
    lets one through (the other waits for it, then finds the nonce taken)."""
    issued, nonce, _signature = (stamp.split(".") + ["", ""])[:3]
    # ASCII digits only ("²".isdigit() is true); bytes, since a forged stamp may hold any
    # character and compare_digest refuses non-ASCII text.
    if honeypot or not (issued.isascii() and issued.isdigit()) or len(issued) > 12 \
            or not NONCE.fullmatch(nonce) or not hmac.compare_digest(
                stamp.encode(), sign_stamp(shared_secret(db, SECRET_NAME), int(issued),
                                           nonce).encode()):
        raise SpamSuspected()
    moment = now if now is not None else time.time()
    age = moment - int(issued)
    if age < MIN_SECONDS or age > MAX_SECONDS:
        raise SpamSuspected()
    _use_nonce(db, nonce, datetime.fromtimestamp(moment, UTC))


def _use_nonce(db: Session, nonce: str, now: datetime) -> None:
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(UsedFormStamp).values(nonce=nonce, used_at=now) \
        .on_conflict_do_nothing(index_elements=["nonce"]).returning(col(UsedFormStamp.nonce))
    if db.execute(stmt).first() is None:
        raise FormAlreadyUsed()
    if secrets.randbelow(100) == 0:
        # A stamp this old is refused anyway: forget its nonce, so the table stays small.
        db.execute(delete(UsedFormStamp).where(
            col(UsedFormStamp.used_at) < now - timedelta(seconds=MAX_SECONDS + 3600)))


@dataclass
class PublicChoice:
    id: int
    name: str
    free: int | None  # None: no limit


@dataclass
class PublicInfo:
    training: Training
    state: WindowState
    categories: list[PublicChoice]
    batches: list[PublicChoice]


def public_info(db: Session, training: Training) -> PublicInfo:
    cats = registrations.categories_of(db, pk(training))
    batches = registrations.batches_of(db, pk(training))
    return PublicInfo(
        training=training, state=window_state(training),
        categories=[PublicChoice(pk(c), c.name, None if c.quota is None
                                 else max(0, c.quota - c.taken)) for c in cats],
        batches=[PublicChoice(pk(b), b.name, max(0, b.capacity - b.confirmed_count))
                 for b in batches])


def self_register(db: Session, training: Training, raw: Mapping[str, object],
                  batch_id: int | None, base_url: str = "") -> Registration:
    """Register; a confirmed registration gets its ticket by WhatsApp and email (queued
    in this transaction, sent by the worker), on every channel that is set up."""
    state = window_state(training)
    if state == "closed":
        raise RegistrationClosed()
    if state == "not_yet":
        opens = local_time(training, training.registration_opens_at) \
            if training.registration_opens_at else None
        raise RegistrationNotOpen(params={"opens": f"{fmt_date(opens.date())} "
                                          f"{fmt_time(opens.time())}" if opens else ""})
    if not training.registration_batch_choice:
        batch_id = None
    try:
        registration = registrations.register(db, training, raw, batch_id, source="self")
    except registrations.AlreadyRegistered:
        raise AlreadyRegisteredHere() from None
    if registration.status == "confirmed" and base_url:
        outbox.queue_ticket(db, training, registration, base_url)
    return registration

