"""The public self-registration page of a training: its window, its link, its spam guard.

No CAPTCHA (cheap phones, weak signal): a honeypot field people never see, a signed
time stamp that refuses a form sent back faster than a person can fill it, and a rate
limit per address (housekeeping.hit).
"""

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from service.errors import Conflict, DomainError, FieldError, NotFound
from service.i18n import N_
from service.i18n.formats import fmt_date, fmt_time
from service.models import Registration, Training
from service.models.base import pk
from service.services import registrations, training_clock
from service.services.housekeeping import shared_secret

MIN_SECONDS = 3  # nobody types a name, NIK and phone number faster
MAX_SECONDS = 12 * 3600
SECRET_NAME = "selfreg-form"  # noqa: S105 (the name of a secret, not a secret)
WindowState = Literal["open", "not_yet", "closed"]


class SpamSuspected(DomainError):
    code, status, message = "spam_suspected", 400, N_(
        "The form was sent too quickly or is too old. Please fill it in again.")


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


def form_stamp(db: Session, now: float | None = None) -> str:
    """A signed render time, put in a hidden field of the form."""
    issued = str(int(now if now is not None else time.time()))
    key = shared_secret(db, SECRET_NAME).encode()
    return f"{issued}.{hmac.new(key, issued.encode(), hashlib.sha256).hexdigest()[:32]}"


def check_form(db: Session, stamp: str, honeypot: str, now: float | None = None) -> None:
    """Refuse a bot: the honeypot filled, a forged stamp, or a form sent back too fast."""
    issued, _, signature = stamp.partition(".")
    key = shared_secret(db, SECRET_NAME).encode()
    expected = hmac.new(key, issued.encode(), hashlib.sha256).hexdigest()[:32]
    if honeypot or not issued.isdigit() or not hmac.compare_digest(signature, expected):
        raise SpamSuspected()
    age = (now if now is not None else time.time()) - int(issued)
    if age < MIN_SECONDS or age > MAX_SECONDS:
        raise SpamSuspected()


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
                  batch_id: int | None) -> Registration:
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
    return registrations.register(db, training, raw, batch_id, source="self")

