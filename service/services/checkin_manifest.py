"""What a door scanner downloads before the event, and the manual search at the door.

The manifest lets a device with no network do what the server does: verify a ticket's
signature with the training's public key, refuse cancelled and out-of-date tickets,
show the person's name, and catch a repeat scan. It lists ticket hashes, never codes,
and of personal data only names and the last digits of phone and NIK (for the manual
search); the private key never leaves the server.
"""

import base64
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import and_, func, or_, select
from sqlmodel import Session, col

from service.errors import FieldError
from service.i18n import N_
from service.models import (
    AgendaSession,
    Batch,
    CheckIn,
    Organization,
    Participant,
    Registration,
    Training,
    TrainingCategory,
    User,
)
from service.models.base import as_utc, utcnow
from service.services import ticket_codes
from service.services.meeting_days import days_of
from service.services.tickets import claims_for, ensure_keys

MANIFEST_VERSION = 1
SEARCH_LIMIT = 20
# How many last digits of a phone or NIK a search may give: enough to tell people apart
# at the door, too few to rebuild the number by probing.
SEARCH_DIGITS = (4, 6)
TOO_MANY_SEARCHES = N_("Too many searches. Please wait {minutes} minutes and try again.")
# Digits with the separators people type into a phone number; anything else is a name.
_NUMBER_LIKE = re.compile(r"[+(\d][\d\s().\-]*")


def _tail(value: str | None) -> str | None:
    digits = re.sub(r"\D", "", value or "")
    return digits[-4:] if len(digits) >= 4 else None


def batch_manifest(db: Session, batch: Batch, training: Training) -> dict[str, Any]:
    public = ensure_keys(db, training)
    assert training.ticket_private_key is not None
    signer = Ed25519PrivateKey.from_private_bytes(training.ticket_private_key)
    org = db.get(Organization, training.organization_id)
    people = db.execute(
        select(Registration, Participant.name, TrainingCategory.name, Participant.district,  # type: ignore[call-overload]
               Participant.phone, Participant.nik)
        .join(Participant, Participant.id == Registration.participant_id)
        .outerjoin(TrainingCategory, TrainingCategory.id == Registration.category_id)
        .where(Registration.batch_id == batch.id, Registration.status == "confirmed")
        .order_by(Participant.name)).all()
    tickets = []
    for reg, name, category, district, phone, nik in people:
        code = ticket_codes.encode_signed(claims_for(reg, batch), signer)
        tickets.append({"h": ticket_codes.ticket_hash(code), "r": reg.id, "n": name,
                        "c": category, "k": district, "p": _tail(phone), "i": _tail(nik)})
    revoked = db.execute(select(Registration.id).where(  # type: ignore[call-overload]
        Registration.training_id == training.id, Registration.status == "cancelled")).scalars()
    checkins = db.execute(
        select(CheckIn.registration_id, CheckIn.day, CheckIn.slot, CheckIn.scanned_at,  # type: ignore[call-overload]
               User.name)
        .outerjoin(User, User.id == CheckIn.user_id)
        .where(CheckIn.batch_id == batch.id)).all()
    batches = db.execute(select(Batch.id, Batch.name)  # type: ignore[call-overload]
                         .where(Batch.training_id == training.id)).all()
    sessions = db.execute(select(AgendaSession).where(
        col(AgendaSession.batch_id) == batch.id, col(AgendaSession.kind) != "break")
        .order_by(col(AgendaSession.date), col(AgendaSession.start_time))).scalars()
    return {
        "version": MANIFEST_VERSION,
        "generated_at": utcnow().isoformat(),
        "training": {"id": training.id, "title": training.title,
                     "organization": org.name if org else "",
                     "timezone": training.timezone, "checkin_mode": training.checkin_mode,
                     "public_key": base64.b64encode(public).decode()},
        "batch": {"id": batch.id, "name": batch.name,
                  "days": [d.isoformat() for d in days_of(batch)]},
        "batches": {str(i): n for i, n in batches},
        "sessions": [{"id": s.id, "date": s.date.isoformat(),
                      "start_time": s.start_time.strftime("%H:%M"),
                      "end_time": s.end_time.strftime("%H:%M"), "title": s.title}
                     for s in sessions],
        "tickets": tickets,
        "revoked": list(revoked),
        "checkins": [{"r": r, "d": d.isoformat(), "s": s, "at": _iso(at), "by": by}
                     for r, d, s, at, by in checkins],
    }


def _iso(moment: datetime) -> str:
    return as_utc(moment).isoformat()


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _digit_query(term: str) -> str | None:
    """The digits of a query typed as a number ("1234", "+62 812-34"), else None (a name)."""
    if not _NUMBER_LIKE.fullmatch(term):
        return None
    digits = re.sub(r"\D", "", term)
    if not SEARCH_DIGITS[0] <= len(digits) <= SEARCH_DIGITS[1]:
        raise FieldError("q", N_("Type the last 4 to 6 digits of the phone number or NIK, "
                                 "or part of the name."), code="search_digits")
    return digits


@dataclass(frozen=True)
class SearchAnswer:
    """The first SEARCH_LIMIT people found, and how many there are in all: the door says
    when it shows only the first ones ("20 of 57: type more of the name")."""

    items: list[dict[str, Any]]
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.items)


def _matched(digits: str | None, phone: str | None) -> dict[str, str] | None:
    """Which number the typed digits are the end of, with those digits only (never more
    than were typed): the door shows them highlighted, the rest masked."""
    if digits is None:
        return None
    return {"field": "phone" if (phone or "").endswith(digits) else "nik", "digits": digits}


def search(db: Session, batch: Batch, q: str, day: date) -> SearchAnswer:
    """Confirmed people of the batch by part of their name, or the last 4 to 6 digits of
    their phone or NIK; with whether they are checked in on `day`, and how many match.

    Digits match only as the exact end of the number, and never more than 6 of them:
    with longer strings, or a match anywhere, a scanner could recover a whole NIK one
    digit at a time (16 digits in 49 requests)."""
    term = " ".join(q.split())
    if not term:
        return SearchAnswer([], 0)
    digits = _digit_query(term)
    if digits is None:
        conditions = [func.lower(Participant.name).like(_like(term.lower()), escape="\\")]
    else:
        # Phones are stored as +62..., NIKs as 16 digits; "%1234" is the exact end of the
        # number (digits hold no LIKE wildcard).
        conditions = [col(Participant.phone).like(f"%{digits}"),
                      col(Participant.nik).like(f"%{digits}")]
    found = (col(Registration.batch_id) == batch.id, col(Registration.status) == "confirmed",
             or_(*conditions))
    rows = db.execute(
        select(Registration.id, Participant.name, TrainingCategory.name,  # type: ignore[call-overload]
               Participant.institution, Participant.district, Participant.phone,
               func.min(CheckIn.scanned_at), func.min(User.name))
        .join(Participant, Participant.id == Registration.participant_id)
        .outerjoin(TrainingCategory, TrainingCategory.id == Registration.category_id)
        .outerjoin(CheckIn, and_(col(CheckIn.registration_id) == Registration.id,
                                 col(CheckIn.day) == day))
        .outerjoin(User, User.id == CheckIn.user_id)
        .where(*found)
        .group_by(Registration.id, Participant.name, Participant.sort_name,
                  TrainingCategory.name, Participant.institution, Participant.district,
                  Participant.phone)
        .order_by(Participant.sort_name, Participant.name).limit(SEARCH_LIMIT)).all()
    total = len(rows)
    if total == SEARCH_LIMIT:  # only then can there be more: count them all
        total = db.execute(select(func.count()).select_from(Registration)
                           .join(Participant,
                                 col(Participant.id) == col(Registration.participant_id))
                           .where(*found)).scalar_one()
    return SearchAnswer(
        [{"registration_id": rid, "name": name, "category": category,
          "institution": institution, "district": district, "phone_tail": _tail(phone),
          "match": _matched(digits, phone),
          "checked_in_at": _iso(at) if at else None, "by": by}
         for rid, name, category, institution, district, phone, at, by in rows], total)
