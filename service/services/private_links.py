"""What every private link (a narasumber's /n/, a unit's /u/) shares: the token's shape,
checked before any lookup, and when a link found by its hash still works."""

import re
from datetime import datetime
from typing import Protocol

from service.models.base import as_utc, utcnow

# secrets.token_urlsafe(24..48): anything else is not one of ours, without a query.
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class PrivateLink(Protocol):
    expires_at: datetime
    revoked_at: datetime | None


def works(link: PrivateLink, now: datetime | None = None) -> bool:
    """Neither revoked nor expired (a tampered, revoked and expired link look the same to
    whoever holds them: the callers answer all three as not found)."""
    return link.revoked_at is None and as_utc(link.expires_at) > as_utc(now or utcnow())
