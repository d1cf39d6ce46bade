"""The projector QR of the event's evaluation (venue, food, organisation, materials).

A session's QR carries a random code kept in a table (evaluation_code); the event's needs
no row: its code is "v", then ten hex digits of an HMAC of the training's id under the
installation's secret, then the id in base 36. Nobody can make the code of another
training without the secret, so the codes cannot be walked; and /e/{code} tells an
event's code from a session's (ten hex digits) by its first letter.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from service.models import Organization, Registration, Training
from service.models.base import pk
from service.services import housekeeping
from service.services.evaluations.answers import CodeNotFound, NoSeat, TicketNotFound

_KEY_ROW = "evaluation_event_qr"
_CODE = re.compile(r"^v([0-9a-f]{10})([0-9a-z]{1,5})$")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class EventTarget:
    training: Training
    organization: str


def _b36(n: int) -> str:
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = _DIGITS[r] + out
        if n == 0:
            return out


def _signature(db: Session, training_id: int) -> str:
    key = housekeeping.shared_secret(db, _KEY_ROW).encode()
    return hmac.new(key, f"event:{training_id}".encode(), hashlib.sha256).hexdigest()[:10]


def event_code(db: Session, training: Training) -> str:
    return f"v{_signature(db, pk(training))}{_b36(pk(training))}"


def is_event_code(code: str) -> bool:
    return code.startswith("v")


def resolve(db: Session, code: str) -> EventTarget:
    found = _CODE.match(code)
    if found is None:
        raise CodeNotFound()
    training_id = int(found.group(2), 36)
    if not hmac.compare_digest(found.group(1), _signature(db, training_id)):
        raise CodeNotFound()
    row = db.exec(select(Training, Organization)
                  .join(Organization, col(Organization.id) == Training.organization_id)
                  .where(Training.id == training_id)).first()
    if row is None:
        raise CodeNotFound()
    return EventTarget(row[0], row[1].name)


def ticket_for_event(db: Session, target: EventTarget, token: str) -> str:
    """The holder's token when the ticket is a confirmed seat of the training."""
    reg = db.exec(select(Registration).where(Registration.ticket_token == token)).first()
    if reg is None:
        raise TicketNotFound()
    if reg.training_id != pk(target.training) or reg.status != "confirmed" \
            or reg.batch_id is None:
        raise NoSeat()
    return token
