"""The door's fast lane: the common scan, decided in two short statements.

At the door nearly every scan is the first of a genuine ticket, from a scanner whose
login (remembered for a few seconds, auth.remember_principal) and training key
(tickets.remembered_claims) this process already holds. Such a scan needs one read (who
is this) and one insert (`ON CONFLICT DO NOTHING`, the same unique key settles races),
each its own short transaction: no FastAPI routing and dependencies, no ORM session, and
on SQLite a write lock held only for the insert. The statements and the checks are the
full path's own (checkins.TARGET_BY_ID, find_target, admit; auth.PRINCIPAL_BY_TOKEN).

Anything else returns None having written nothing, and the request goes on to the full
path (checkins.check_in), which answers it as always: a repeat or a replayed nonce, a
refusal and its reason, per-session attendance, an unknown login or key.

The decision is written once, as a generator that yields the statements it needs
(`steps`), and driven by two runners: `run_postgresql` awaits them on the event loop
over async psycopg, `run_sqlite` runs them through SQLAlchemy in a worker thread.
"""

from collections.abc import Generator
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection
from sqlalchemy.dialects.postgresql import psycopg as pg_psycopg
from sqlalchemy.engine import Engine

from service.db import writer_bind
from service.errors import DomainError
from service.models import CheckIn
from service.models.accounts import SCANNER_ROLES
from service.services import auth, checkins
from service.services.checkins import Outcome, ScanIn
from service.services.tickets import remembered_claims

# A statement the decision needs: its name (a key of STATEMENTS) and its parameters;
# what comes back is its first row, or None.
Step = tuple[str, dict[str, Any]]
Steps = Generator[Step, Any, Outcome | None]

# Every column but the id: what checkins.checkin_row fills.
_ROW_KEYS = [c.name for c in CheckIn.__table__.columns if c.name != "id"]  # type: ignore[attr-defined]
STATEMENTS: dict[str, Any] = {
    "principal": auth.PRINCIPAL_BY_TOKEN,
    "target": checkins.TARGET_BY_ID,
}


def steps(kind: str, raw: str, csrf_sent: str | None, cache_seconds: float, scan: ScanIn,
          now: datetime) -> Steps:
    """The recorded check-in of a first scan of a genuine ticket for a whole day, by a
    scanner with this token ("api": a bearer token; "session": the scanner page's cookie,
    whose CSRF secret the request must echo); None (nothing written) when the full path
    must decide."""
    if scan.code is None or scan.session_id is not None:
        return None
    user = auth.remembered_principal(raw, kind)
    if user is None and raw and len(raw) <= 200:
        row = yield "principal", {"token_hash": auth.token_hash(raw), "kind": kind}
        user = auth.remember_principal(raw, kind, row, cache_seconds)
    if user is None or user.role not in SCANNER_ROLES:
        return None
    if kind == "session" and not auth.csrf_matches(csrf_sent, user.csrf_token):
        return None
    claims = remembered_claims(user.organization_id, scan.code)
    if claims is None:
        return None
    row = yield "target", {"registration_id": claims.registration_id}
    try:
        target = checkins.find_target(row, user, claims)
        if target.checkin_mode != "day":
            return None
        local = checkins.admit(user, target, scan, claims, now)
    except DomainError:
        return None
    values = checkins.checkin_row(user, target, scan, local, 0, "qr", now)
    if (yield "insert", values) is None:
        return None  # already checked in (or the nonce was seen): the full path answers
    return checkins.outcome_of(target, local, 0, None, "checked_in", values["scanned_at"],
                               user.name, "qr")


# --- PostgreSQL: raw SQL over async psycopg, each statement in autocommit --------------

_PG = pg_psycopg.dialect()
_PG_SQL = {name: str(stmt.compile(dialect=_PG)).encode() for name, stmt in STATEMENTS.items()}
_PG_SQL["insert"] = str(checkins.insert_statement("postgresql", CheckIn).compile(
    dialect=_PG, column_keys=_ROW_KEYS)).encode()


async def run_postgresql(conn: AsyncConnection, decision: Steps) -> Outcome | None:
    row: Any = None
    try:
        while True:
            name, params = decision.send(row)
            result = await conn.execute(_PG_SQL[name], params)
            row = await result.fetchone()
    except StopIteration as done:
        return done.value


# --- SQLite: SQLAlchemy Core (its type handling), a short transaction per statement -----

def run_sqlite(engine: Engine, decision: Steps) -> Outcome | None:
    """In a worker thread. Reads in a plain transaction; the insert in one that takes
    the write lock (BEGIN IMMEDIATE) for that statement only."""
    row: Any = None
    writer = writer_bind(engine)
    try:
        while True:
            name, params = decision.send(row)
            write = name == "insert"
            stmt = checkins.insert_statement("sqlite", CheckIn) if write else STATEMENTS[name]
            with (writer if write else engine).begin() as conn:
                row = conn.execute(stmt, params).first()
    except StopIteration as done:
        return done.value
