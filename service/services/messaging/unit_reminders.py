"""What the reminders to a unit's focal point share (overdue follow-up actions,
nominations that lag): the channels to send on, the focal point's addresses that have not
asked to stop, the idempotency keys already queued, and the outbox rows, written through
one insert that skips a key seen before."""

import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from service.models import Message, OrgUnit, User
from service.services.messaging import compose, optout
from service.services.messaging.outbox import (
    CHANNEL_CHOICES,
    ChannelNotConfigured,
    configured_channels,
)
from service.settings import get_settings

__all__ = ["CHANNEL_CHOICES", "address", "insert", "queued_keys", "reachable", "row",
           "usable_channels"]


def usable_channels(channel: str, channels: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The channels `channel` ("whatsapp", "email" or "both") asks for that can send
    (`channels`, default: those configured); none is a ChannelNotConfigured."""
    available = configured_channels() if channels is None else channels
    wanted = ("whatsapp", "email") if channel == "both" else (channel,)
    usable = tuple(c for c in wanted if c in available)
    if not usable:
        raise ChannelNotConfigured()
    return usable


def address(unit: OrgUnit, channel: str) -> str | None:
    """The unit's focal point's WhatsApp number or email, None when empty."""
    value = unit.focal_phone if channel == "whatsapp" else unit.focal_email
    return value.strip() or None


def reachable(db: Session, unit: OrgUnit, channels: tuple[str, ...]) -> list[tuple[str, str]]:
    """(channel, address) of the focal point on each channel, except an empty address
    and one that asked to stop."""
    targets = [(c, a) for c in channels if (a := address(unit, c))]
    return [(c, a) for c, a in targets if a not in optout.opted_out(db, c, [a])]


def queued_keys(db: Session, keys: Iterable[str]) -> set[str]:
    """Which of the idempotency keys some message already has."""
    return set(db.exec(select(Message.idempotency_key)
                       .where(col(Message.idempotency_key).in_(set(keys)))).all())


def row(unit: OrgUnit, channel: str, recipient: str, content: compose.Content,
        facts: compose.Facts, *, kind: str, organization_id: int, training_id: int | None,
        base_url: str, key: str, user: User | None, at: datetime) -> dict[str, object]:
    """The outbox row of one message to the unit's focal point (an email with its HTML,
    a WhatsApp message by its template)."""
    email = channel == "email"
    text, html = compose.email(content, facts) if email else (content.body, None)
    return {
        "organization_id": organization_id, "training_id": training_id,
        "registration_id": None, "channel": channel, "kind": kind,
        "recipient": recipient, "name": (unit.focal_name or unit.name)[:200],
        "subject": content.subject[:300] if email else None, "body": text,
        "html": html,
        "template": None if email else compose.template_name(get_settings(), kind),
        "params": "[]" if email else json.dumps(list(content.params), ensure_ascii=False),
        "base_url": base_url[:200], "idempotency_key": key,
        "status": "queued", "attempts": 0, "next_attempt_at": at,
        "created_by": user.id if user else None, "created_at": at}


def insert(db: Session, rows: list[dict[str, object]]) -> int:
    """Write the rows whose idempotency key is new; how many were written."""
    if not rows:
        return 0
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    table = Message.__table__  # type: ignore[attr-defined]
    statement = (dialect.insert(table)
                 .on_conflict_do_nothing(index_elements=["idempotency_key"])
                 .returning(table.c.id))
    return len(db.connection().execute(statement, rows).all())
