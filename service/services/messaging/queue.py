"""The outbox as a queue, for the workers: claim due messages, record how sending went,
and keep each channel to its pace. Plain SQL over a Connection, one short transaction
per call, on PostgreSQL and SQLite alike.

Claiming: a due message (queued, or "sending" by a worker whose lease ran out: it died)
becomes "sending" with its next attempt moved to the end of a lease. On PostgreSQL the
rows are picked FOR UPDATE SKIP LOCKED, so any number of workers claim side by side and
never the same row; on SQLite the claim runs under the database's one write lock (BEGIN
IMMEDIATE), which serialises it. A worker that dies mid-send leaves its claimed rows to
be taken again when their lease ends: the only messages sent twice are those it had
handed to the provider and not yet recorded, at most the batch it claimed.
"""

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from service.models import ChannelPace, Message
from service.models.base import as_utc, utcnow
from service.services.messaging.providers import Outgoing

_M = Message.__table__  # type: ignore[attr-defined]
_PACE = ChannelPace.__table__  # type: ignore[attr-defined]
DUE = ("queued", "sending")
# Temporary failures wait `first` seconds (BIMTEK_MESSAGE_BACKOFF_SECONDS, 10 s), then
# twice as long at each try, up to an hour; with jitter, so that a provider's outage does
# not end in a stampede of retries at one moment.
BACKOFF_FIRST = 10.0
BACKOFF_MAX = 3600.0


@dataclass(frozen=True)
class Claimed:
    outgoing: Outgoing
    attempts: int
    base_url: str


def _due(channel: str, now: datetime) -> Any:
    return (_M.c.channel == channel) & _M.c.status.in_(DUE) & (_M.c.next_attempt_at <= now)


def any_due(engine: Engine, channel: str, now: datetime | None = None) -> bool:
    """A read (no write lock): whether claim() would find anything."""
    with engine.connect() as conn:
        return conn.execute(select(_M.c.id).where(_due(channel, now or utcnow())).limit(1)
                            ).first() is not None


def claim(writer: Engine, channel: str, limit: int, lease_seconds: float,
          now: datetime | None = None) -> list[Claimed]:
    """Up to `limit` due messages of the channel, now this worker's for `lease_seconds`."""
    now = now or utcnow()
    picked = select(_M.c.id).where(_due(channel, now)).order_by(_M.c.next_attempt_at,
                                                                _M.c.id).limit(limit)
    with writer.begin() as conn:
        if conn.dialect.name == "postgresql":
            picked = picked.with_for_update(skip_locked=True)
        statement = (update(_M).where(_M.c.id.in_(picked.scalar_subquery()))
                     .values(status="sending", attempts=_M.c.attempts + 1,
                             next_attempt_at=now + timedelta(seconds=lease_seconds))
                     .returning(_M.c.id, _M.c.channel, _M.c.recipient, _M.c.name, _M.c.body,
                                _M.c.subject, _M.c.html, _M.c.template, _M.c.params,
                                _M.c.attempts, _M.c.base_url))
        rows = conn.execute(statement).all()
    return [_claimed(row) for row in sorted(rows, key=lambda r: r.id)]


def _claimed(row: Any) -> Claimed:
    return Claimed(Outgoing(id=row.id, channel=row.channel, recipient=row.recipient,
                            name=row.name, body=row.body, subject=row.subject,
                            html=row.html, template=row.template,
                            params=tuple(json.loads(row.params or "[]"))),
                   row.attempts, row.base_url)


@dataclass(frozen=True)
class Result:
    """How one send went: sent (with the provider's id), or failed."""

    message_id: int
    attempts: int
    provider_id: str | None = None
    error: str | None = None
    permanent: bool = False
    retry_after: float | None = None


def backoff(attempts: int, retry_after: float | None = None,
            first: float = BACKOFF_FIRST) -> float:
    if retry_after is not None:
        return max(1.0, retry_after)
    wait = min(BACKOFF_MAX, first * 2 ** max(0, attempts - 1))
    return wait * random.uniform(0.8, 1.2)  # noqa: S311 (jitter, not a secret)


def record(writer: Engine, results: Sequence[Result], max_attempts: int,
           now: datetime | None = None, backoff_first: float = BACKOFF_FIRST) -> None:
    """Write what happened, in one transaction. Only rows still "sending" change: a
    message whose lease ran out and that another worker took over is that worker's."""
    now = now or utcnow()
    sent, retry, failed = [], [], []
    for r in results:
        if r.error is None:
            sent.append({"mid": r.message_id, "pid": r.provider_id or None, "at": now})
        elif r.permanent or r.attempts >= max_attempts:
            reason = r.error if r.permanent else \
                f"{r.error} (menyerah setelah {r.attempts} kali mencoba)"
            failed.append({"mid": r.message_id, "err": reason[:500], "at": now})
        else:
            retry.append({"mid": r.message_id, "err": r.error[:500],
                          "next": now + timedelta(seconds=backoff(r.attempts, r.retry_after,
                                                                   backoff_first))})
    mine = (_M.c.id == bindparam("mid")) & (_M.c.status == "sending")
    with writer.begin() as conn:
        if sent:
            conn.execute(update(_M).where(mine).values(
                status="sent", provider_message_id=bindparam("pid"), sent_at=bindparam("at"),
                error=None), sent)
        if retry:
            conn.execute(update(_M).where(mine).values(
                status="queued", error=bindparam("err"), next_attempt_at=bindparam("next")),
                retry)
        if failed:
            conn.execute(update(_M).where(mine).values(
                status="failed", error=bindparam("err"), failed_at=bindparam("at")), failed)


def release(writer: Engine, message_ids: Sequence[int]) -> None:
    """Give claimed messages back unsent (the worker is stopping): due again at once,
    and the attempt not counted."""
    if not message_ids:
        return
    with writer.begin() as conn:
        conn.execute(update(_M).where(_M.c.id.in_(list(message_ids)),
                                      _M.c.status == "sending")
                     .values(status="queued", next_attempt_at=utcnow(),
                             attempts=_M.c.attempts - 1))


# --- pace: a channel's rate, across every worker ------------------------------------------

def reserve(writer: Engine, channel: str, count: int, rate: float,
            now: datetime | None = None) -> datetime:
    """Reserve `count` sends on the channel; the moment they may start. With a rate of
    0 (no limit) they may start at once, unless the provider asked to pause."""
    now = now or utcnow()
    with writer.begin() as conn:
        # Without a rate nothing is reserved: only a pause is read, without a row lock.
        start = max(now, _next_at(conn, channel, lock=rate > 0) or now)
        if rate > 0:
            _set_next(conn, channel, start + timedelta(seconds=count / rate))
    return start


def pause(writer: Engine, channel: str, seconds: float, now: datetime | None = None) -> None:
    """The provider said "slow down" (429 with Retry-After): no worker sends on the
    channel before then."""
    until = (now or utcnow()) + timedelta(seconds=seconds)
    with writer.begin() as conn:
        current = _next_at(conn, channel)
        if current is None or current < until:
            _set_next(conn, channel, until)


def _next_at(conn: Connection, channel: str, lock: bool = True) -> datetime | None:
    query = select(_PACE.c.next_at).where(_PACE.c.channel == channel)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    found = conn.execute(query).scalar_one_or_none()
    return as_utc(found) if found is not None else None


def _set_next(conn: Connection, channel: str, at: datetime) -> None:
    # An upsert: the channel's first reservation may race another worker's.
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(_PACE).values(channel=channel, next_at=at)
                 .on_conflict_do_update(index_elements=["channel"], set_={"next_at": at}))
