"""Who asked for no more messages, and the signed link in every email that asks.

An opt-out is per channel and address (a phone that replied STOP to the WhatsApp
number, an inbox that clicked the link): the person's other registrations, in this
office or another, stop too, because it is that phone or inbox that asked. The link
names a message (its id and an HMAC of it), never the address, so a link in an access
log or a forwarded email reveals no personal data; the message says whose address it is.
"""

import hashlib
import hmac
from collections.abc import Iterable

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from service.models import Message, MessageOptOut
from service.models.base import utcnow
from service.services.housekeeping import shared_secret

KEY_NAME = "message-opt-out"  # the shared secret that signs the links
STOPPED = "Penerima meminta berhenti menerima pesan"  # shown in the log, in Indonesian


def token(db: Session, message_id: int) -> str:
    return _token(shared_secret(db, KEY_NAME), message_id)


def _token(secret: str, message_id: int) -> str:
    return f"{message_id}-{_mac(secret, message_id)}"


def link(base_url: str, secret: str, message_id: int) -> str:
    """The page that stops messages to the address this message went to."""
    return f"{base_url}/berhenti/{_token(secret, message_id)}"


def _mac(secret: str, message_id: int) -> str:
    digest = hmac.new(secret.encode(), f"opt-out:{message_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:24]


def message_for(db: Session, raw: str) -> Message | None:
    """The message a genuine link names, or None (forged, mistyped, or deleted since)."""
    number, _, mac = raw.partition("-")
    if not number.isdigit() or len(number) > 18 or not mac:
        return None
    expected = _mac(shared_secret(db, KEY_NAME), int(number))
    if not hmac.compare_digest(expected, mac):
        return None
    return db.get(Message, int(number))


def opt_out(db: Session, channel: str, address: str, source: str) -> None:
    """Record it (once), and stop what is still waiting to go to that address."""
    values = {"channel": channel, "address": address, "source": source,
              "created_at": utcnow()}
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    db.execute(dialect.insert(MessageOptOut).values(**values).on_conflict_do_nothing())
    db.execute(update(Message)
               .where(col(Message.channel) == channel, col(Message.recipient) == address,
                      col(Message.status) == "queued")
               .values(status="failed", error=STOPPED, failed_at=utcnow())
               .execution_options(synchronize_session=False))


def opted_out(db: Session, channel: str, addresses: Iterable[str]) -> set[str]:
    wanted = sorted(set(addresses))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):  # bounded IN lists
        found.update(db.exec(select(MessageOptOut.address).where(
            MessageOptOut.channel == channel,
            col(MessageOptOut.address).in_(wanted[start:start + 500]))).all())
    return found


def is_opted_out(db: Session, channel: str, address: str) -> bool:
    return db.get(MessageOptOut, (channel, address)) is not None


def masked(channel: str, address: str) -> str:
    """Enough of the address for its owner to recognise it, on a public page."""
    if channel == "email":
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}" if domain else "***"
    digits = address.lstrip("+")
    return f"+{digits[:4]}****{digits[-3:]}" if len(digits) > 7 else "****"
