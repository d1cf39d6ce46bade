"""What every private link (a narasumber's /n/, a unit's /u/, a unit's /nominasi/)
shares: a new token and the hash stored in its place, the token's shape, checked before
any lookup, when a link found by its hash still works, and revoking a holder's live
links."""

import re
import secrets
from datetime import datetime
from typing import Protocol

from sqlalchemy import ColumnElement, update
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, SQLModel

from service.models.base import as_utc, utcnow
from service.services.auth import token_hash

# secrets.token_urlsafe(24..48): anything else is not one of ours, without a query.
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class PrivateLink(Protocol):
    expires_at: datetime
    revoked_at: datetime | None


def works(link: PrivateLink, now: datetime | None = None) -> bool:
    """Neither revoked nor expired (a tampered, revoked and expired link look the same to
    whoever holds them: the callers answer all three as not found)."""
    return link.revoked_at is None and as_utc(link.expires_at) > as_utc(now or utcnow())


def new_token() -> tuple[str, str]:
    """A fresh raw token and its SHA-256, which is all that is stored: the raw token is
    shown once, in the link made from it."""
    raw = secrets.token_urlsafe(24)
    return raw, token_hash(raw)


def revoke_live(db: Session, table: type[SQLModel], *where: ColumnElement[bool]) -> int:
    """Stop every live (not yet revoked) link of the table that `where` picks; how many."""
    result = db.execute(update(table)
                        .where(*where, sa_inspect(table).c.revoked_at.is_(None))
                        .values(revoked_at=utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
