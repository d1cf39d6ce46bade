"""Rate limits and shared secrets, kept in the database so every app process agrees."""

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from service.errors import DomainError
from service.i18n import N_
from service.models import AppSecret, RateLimit
from service.settings import get_settings


class RateLimited(DomainError):
    code, status, message = "rate_limited", 429, N_(
        "Too many attempts from your connection. Please wait {minutes} minutes and try again.")


def _upsert(db: Session) -> type[postgresql.Insert] | type[sqlite.Insert]:
    return postgresql.Insert if db.get_bind().dialect.name == "postgresql" else sqlite.Insert


def hit(db: Session, key: str, limit: int, window_seconds: int,
        now: datetime | None = None, message: str | None = None) -> None:
    """Count one attempt for `key` in the current fixed window; RateLimited past `limit`
    (with `message`, a msgid with {minutes}, instead of the default).

    Run it in a session that commits on its own (see db.AsideDB), so refused attempts
    still count."""
    now = now or datetime.now(UTC)
    start = datetime.fromtimestamp(now.timestamp() // window_seconds * window_seconds, UTC)
    insert = _upsert(db)(RateLimit).values(key=key[:200], window_start=start, count=1)
    stmt = insert.on_conflict_do_update(
        index_elements=["key"],
        # Same window: one more; a new window starts again at 1.
        set_={"count": case((col(RateLimit.window_start) == start,
                             col(RateLimit.count) + 1), else_=1),
              "window_start": start},
    ).returning(col(RateLimit.count))
    count = db.execute(stmt).scalar_one()
    if secrets.randbelow(100) == 0:
        # Forget old windows now and then, so the table stays small.
        db.execute(delete(RateLimit).where(
            col(RateLimit.window_start) < start - timedelta(days=1)))
    if count > limit:
        minutes = max(1, round((start.timestamp() + window_seconds - now.timestamp()) / 60))
        raise RateLimited(message, params={"minutes": minutes})


def shared_secret(db: Session, name: str) -> str:
    """A random secret made once and stored; BIMTEK_SECRET_KEY overrides it."""
    configured = get_settings().secret_key
    if configured:
        return configured
    query = select(col(AppSecret.value)).where(col(AppSecret.name) == name)
    found = db.execute(query).scalar_one_or_none()
    if found is None:
        # Made once; a process racing here keeps whichever value was stored first.
        stmt = _upsert(db)(AppSecret).values(name=name, value=secrets.token_urlsafe(32))
        db.execute(stmt.on_conflict_do_nothing(index_elements=["name"]))
        found = db.execute(query).scalar_one()
    return str(found)
