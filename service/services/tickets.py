"""Tickets: each training's signing key, a registration's signed QR code, and checking one.

The private key stays in the database and never leaves the server; scanners get only
the public key, enough to tell a genuine code from a forged or altered one offline.
"""

from dataclasses import dataclass
from typing import NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import update
from sqlmodel import Session, col, select

from service.errors import Conflict, NotFound
from service.i18n import N_
from service.models import (
    Batch,
    Organization,
    Participant,
    Registration,
    Training,
    TrainingCategory,
    Venue,
)
from service.models.base import pk
from service.services import ticket_codes
from service.services.overview import BatchInfo, batch_info
from service.services.ticket_codes import InvalidTicket, TicketClaims


class TicketCancelled(Conflict):
    code, message = "cancelled", N_("This ticket was cancelled.")


class TicketSuperseded(Conflict):
    code, message = "wrong_batch", N_(
        "This ticket is out of date: {name} now belongs to {batch}. Open the newest ticket.")


def ensure_keys(db: Session, training: Training) -> bytes:
    """The training's public key, creating the key pair the first time a ticket needs it."""
    if training.ticket_public_key is None:
        private, public = ticket_codes.generate_keypair()
        # Only the first writer's pair is kept: two processes racing here must not
        # sign tickets with keys that end up overwritten.
        db.execute(update(Training).where(col(Training.id) == training.id,
                                          col(Training.ticket_private_key).is_(None))
                   .values(ticket_private_key=private, ticket_public_key=public)
                   .execution_options(synchronize_session=False))
        db.refresh(training)
    assert training.ticket_public_key is not None
    return training.ticket_public_key


def claims_for(registration: Registration, batch: Batch) -> TicketClaims:
    return TicketClaims(training_id=registration.training_id,
                        registration_id=pk(registration), batch_id=pk(batch),
                        first_day=batch.start_date, last_day=batch.end_date)


def ticket_code(db: Session, training: Training, registration: Registration,
                batch: Batch | None) -> str | None:
    """The QR text of a confirmed registration; None while it has no seat."""
    if registration.status != "confirmed" or batch is None:
        return None
    ensure_keys(db, training)
    assert training.ticket_private_key is not None
    return ticket_codes.sign_ticket(claims_for(registration, batch), training.ticket_private_key)


# Ids are 32-bit signed integers in PostgreSQL; a code may claim up to 2**32 - 1.
MAX_DB_ID = 2**31 - 1


class _Key(NamedTuple):
    organization_id: int
    # The private key: the server checks a code by signing its payload again
    # (ticket_codes.check_ticket), a third of the work of verifying it.
    signer: Ed25519PrivateKey


# training id -> its organization and loaded key. A key never changes once set, so it is
# safe to keep per process; a miss (or a failed check, in case SQLite reused the id of a
# deleted training) reads it again.
_KEYS: dict[int, _Key] = {}


def _training_key(db: Session, training_id: int, fresh: bool = False) -> _Key | None:
    if not fresh and training_id in _KEYS:
        return _KEYS[training_id]
    if training_id > MAX_DB_ID:  # an unsigned id in a forged code: no such row
        return None
    row = db.exec(select(Training.organization_id, Training.ticket_private_key)
                  .where(col(Training.id) == training_id)).first()
    if row is None or row[1] is None:
        _KEYS.pop(training_id, None)
        return None
    _KEYS[training_id] = _Key(int(row[0]), Ed25519PrivateKey.from_private_bytes(bytes(row[1])))
    return _KEYS[training_id]


def verify_code(db: Session, org_id: int, code: str) -> TicketClaims:
    """The claims of a genuine ticket of one of the organization's trainings, else
    InvalidTicket. Reads at most the training's key; never writes."""
    training_id = ticket_codes.peek_training_id(code)
    for fresh in (False, True):
        found = _training_key(db, training_id, fresh)
        if found is None or found.organization_id != org_id:
            raise InvalidTicket()
        try:
            return ticket_codes.check_ticket(code, found.signer)
        except InvalidTicket:
            if fresh:
                raise
    raise InvalidTicket()  # pragma: no cover (the loop returns or raises)


def remembered_claims(org_id: int, code: str) -> TicketClaims | None:
    """The claims of a genuine code whose training's key this process already holds,
    without touching the database; None for anything else (verify_code then decides,
    and says why)."""
    try:
        found = _KEYS.get(ticket_codes.peek_training_id(code))
        if found is None or found.organization_id != org_id:
            return None
        return ticket_codes.check_ticket(code, found.signer)
    except InvalidTicket:
        return None


@dataclass
class CheckedTicket:
    claims: TicketClaims
    registration: Registration
    participant: Participant
    batch: Batch
    training: Training


def check_code(db: Session, org_id: int, code: str) -> CheckedTicket:
    """A genuine, current ticket of one of the organization's trainings, or why not."""
    claims = verify_code(db, org_id, code)
    training = db.get(Training, claims.training_id)
    assert training is not None  # verify_code found its key
    row = db.exec(select(Registration, Participant)
                  .join(Participant, col(Participant.id) == Registration.participant_id)
                  .where(Registration.id == claims.registration_id,
                         Registration.training_id == claims.training_id)).first()
    if row is None:
        raise InvalidTicket()
    registration, person = row
    if registration.status == "cancelled":
        raise TicketCancelled()
    batch = db.get(Batch, registration.batch_id) if registration.batch_id else None
    if registration.status != "confirmed" or batch is None \
            or batch.id != claims.batch_id or batch.start_date != claims.first_day \
            or batch.end_date != claims.last_day:
        raise TicketSuperseded(params={"name": person.name,
                                       "batch": batch.name if batch else "—"})
    return CheckedTicket(claims, registration, person, batch, training)


@dataclass
class TicketView:
    """Everything the ticket page shows, loaded up front (the page renders after the
    request's session has closed)."""

    registration: Registration
    participant: Participant
    training: Training
    organization: str
    batch: BatchInfo | None
    venue_name: str | None
    venue_address: str | None
    code: str | None
    category: str | None


def holds_ticket(db: Session, training_id: int, token: str) -> bool:
    """Whether `token` is a ticket of the training (not cancelled)."""
    return db.exec(select(Registration.id).where(
        Registration.ticket_token == token, Registration.training_id == training_id,
        Registration.status != "cancelled")).first() is not None


def ticket_view(db: Session, token: str) -> TicketView:
    row = db.exec(select(Registration, Participant, Training, Organization)
                  .join(Participant, col(Participant.id) == Registration.participant_id)
                  .join(Training, col(Training.id) == Registration.training_id)
                  .join(Organization, col(Organization.id) == Training.organization_id)
                  .where(Registration.ticket_token == token)).first()
    if row is None:
        raise NotFound("This ticket does not exist. Check the link you received.")
    registration, person, training, org = row
    batch = db.get(Batch, registration.batch_id) if registration.batch_id else None
    info = batch_info(db, batch, training) if batch else None
    venue = info.venue if info and info.venue else None
    if venue is None and training.venue_id:
        venue = db.get(Venue, training.venue_id)
    category = db.get(TrainingCategory, registration.category_id) \
        if registration.category_id else None
    return TicketView(registration=registration, participant=person, training=training,
                      organization=org.name, batch=info,
                      venue_name=venue.name if venue else None,
                      venue_address=venue.address if venue else None,
                      code=ticket_code(db, training, registration, batch),
                      category=category.name if category else None)


