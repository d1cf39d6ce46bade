"""Slowing password guessing: login attempts counted per account and per client address.

Every attempt is counted before its password is checked (so a burst of parallel guesses
is counted exactly), in the database (so every app process counts together). A correct
password then takes its attempt back: the account's count starts again, and the
address's goes one down, never to zero, so an attacker's failures from that address are
not wiped by a colleague who logs in there.

A count runs while attempts come less than a window apart. Once it reaches the limit,
further attempts are refused (429), the right password too, until a window has passed
since the last counted one; an admin can lift an account's lockout on /users.
"""

import hashlib
import math
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlmodel import Session, col

from service.errors import DomainError
from service.i18n import N_
from service.models import RateLimit
from service.models.base import as_utc
from service.services.auth import normalize_email
from service.services.housekeeping import _upsert
from service.settings import get_settings


class LoginLocked(DomainError):
    code, status, message = "login_locked", 429, N_(
        "Too many failed logins. Try again in {minutes} minutes, or ask an admin of your "
        "organization to unlock the account.")


def account_key(email: str) -> str:
    # Hashed: the table need not hold anyone's email address.
    digest = hashlib.sha256(normalize_email(email).encode()).hexdigest()[:40]
    return f"login:account:{digest}"


def address_key(address: str) -> str:
    return f"login:address:{address[:150]}"


def _count(db: Session, key: str, limit: int, window: timedelta, now: datetime
           ) -> tuple[int, datetime]:
    """One more attempt for `key`: (attempts in the current run, when its lockout window
    started)."""
    expired = col(RateLimit.window_start) <= now - window
    insert = _upsert(db)(RateLimit).values(key=key, window_start=now, count=1)
    stmt = insert.on_conflict_do_update(
        index_elements=["key"],
        set_={"count": case((expired, 1), else_=col(RateLimit.count) + 1),
              # Below the limit each attempt moves the window on; at the limit it stays,
              # so the lockout ends a window after the attempt that reached it.
              "window_start": case((expired, now),
                                   (col(RateLimit.count) >= limit, col(RateLimit.window_start)),
                                   else_=now)},
    ).returning(col(RateLimit.count), col(RateLimit.window_start))
    count, since = db.execute(stmt).one()
    return int(count), as_utc(since)


def attempt(db: Session, email: str, address: str, now: datetime | None = None) -> None:
    """Count a login attempt for the account and the client address; LoginLocked when
    either is over its limit. Run it in a session that commits on its own (db.AsideDB),
    so refused attempts count too."""
    settings = get_settings()
    now = now or datetime.now(UTC)
    window = timedelta(seconds=settings.login_window_seconds)
    ends: list[datetime] = []
    for key, limit in ((account_key(email), settings.login_account_limit),
                       (address_key(address), settings.login_address_limit)):
        count, since = _count(db, key, limit, window, now)
        if count > limit:
            ends.append(since + window)
    if ends:
        minutes = max(1, math.ceil((max(ends) - now).total_seconds() / 60))
        raise LoginLocked(params={"minutes": minutes})


def succeeded(db: Session, email: str, address: str) -> None:
    """A correct password: the account's count starts again; the address takes back only
    this attempt."""
    unlock(db, email)
    db.execute(update(RateLimit).where(col(RateLimit.key) == address_key(address),
                                       col(RateLimit.count) > 0)
               .values(count=col(RateLimit.count) - 1))


def unlock(db: Session, email: str) -> None:
    """Lift an account's lockout (an admin's decision), or forget its failures."""
    db.execute(delete(RateLimit).where(col(RateLimit.key) == account_key(email)))


def locked_emails(db: Session, emails: Iterable[str], now: datetime | None = None) -> set[str]:
    """Which of `emails` are locked out now (their next attempt would be refused)."""
    settings = get_settings()
    now = now or datetime.now(UTC)
    keys = {account_key(e): e for e in emails}
    if not keys:
        return set()
    rows = db.execute(select(col(RateLimit.key)).where(
        col(RateLimit.key).in_(keys), col(RateLimit.count) >= settings.login_account_limit,
        col(RateLimit.window_start) > now - timedelta(seconds=settings.login_window_seconds)))
    return {keys[k] for k in rows.scalars()}
