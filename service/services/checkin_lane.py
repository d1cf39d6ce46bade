"""The door's fast lane: the common scan, decided in two short statements shared by
every scan that arrives meanwhile.

At the door nearly every scan is the first of a genuine ticket, from a scanner whose
login (remembered for a few seconds, auth.remember_principal) and training key
(tickets.remembered_claims) this process already holds. Such a scan needs one read (who
is this) and one insert (`ON CONFLICT DO NOTHING`, the same unique key settles races),
each its own short transaction: no FastAPI routing and dependencies, no ORM session, and
on SQLite a write lock held only for the insert. The statements and the checks are the
full path's own (checkins.TARGET_COLUMNS, find_target, admit; auth.PRINCIPAL_BY_TOKEN).

Anything else returns None having written nothing, and the request goes on to the full
path (checkins.check_in), which answers it as always: a repeat or a replayed nonce, a
refusal and its reason, per-session attendance, an unknown login or key.

The decision is written once, as a generator that yields the statements it needs
(`steps`). The runners drive a batch of them in step: the scans that arrived while the
previous batch was at the database read their registrations in one statement and write
their check-ins in one more. A durable commit waits for the disk (about 3 ms on the
bench machine, where two statements per scan on 2 connections per process capped the
door near 700 check-ins/s); a batch shares that wait, the round trips and the
driver's work. `run_postgresql` awaits the statements on the event loop over async
psycopg, `run_sqlite` runs them through SQLAlchemy in a worker thread.
"""

import json
from collections.abc import Generator, Sequence
from datetime import date, datetime
from typing import Any

from psycopg import AsyncConnection
from sqlalchemy import ARRAY, Integer, bindparam, cast
from sqlalchemy.dialects.postgresql import psycopg as pg_psycopg
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

from service.db import writer_bind
from service.errors import DomainError
from service.models import CheckIn, Registration
from service.models.accounts import SCANNER_ROLES
from service.services import auth, checkins
from service.services.auth import Credentials
from service.services.checkins import Outcome, ScanIn
from service.services.tickets import remembered_claims

# A statement the decision needs: its name and its parameters; what comes back is its
# row (for the insert: whether one was written), or None.
Step = tuple[str, dict[str, Any]]
Steps = Generator[Step, Any, Outcome | None]

_TABLE = CheckIn.__table__  # type: ignore[attr-defined]
# Every column but the id: what checkins.checkin_row fills.
_ROW_KEYS = [c.name for c in _TABLE.columns if c.name != "id"]
# What identifies a written check-in in the insert's RETURNING (the unique key).
_KEY = ("registration_id", "day", "slot")
_RETURNING = [_TABLE.c[k] for k in _KEY]


def steps(sent: Credentials, cache_seconds: float, scan: ScanIn, now: datetime) -> Steps:
    """The recorded check-in of a first scan of a genuine ticket for a whole day, by a
    scanner with these credentials (a bearer token, or the scanner page's cookie, whose
    CSRF secret the request must echo); None (nothing written) when the full path must
    decide."""
    if scan.code is None or scan.session_id is not None:
        return None
    raw, kind = sent.token, sent.kind
    user = auth.remembered_principal(raw, kind)
    if user is None and raw and len(raw) <= 200:
        row = yield "principal", {"token_hash": auth.token_hash(raw), "kind": kind}
        user = auth.remember_principal(raw, kind, row, cache_seconds)
    if user is None or user.role not in SCANNER_ROLES:
        return None
    if kind == "session" and not auth.csrf_matches(sent.csrf, user.csrf_token):
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


# --- one batch: the steps of every decision, statement by statement ---------------------

def _asks(decisions: list[Steps], answers: list[Any], outcomes: list[Outcome | None],
          live: list[int]) -> dict[int, Step]:
    """Advance each live decision with its answer: the next statement each one asks for
    (those that finished leave their outcome)."""
    asks: dict[int, Step] = {}
    for i in live:
        try:
            asks[i] = decisions[i].send(answers[i])
        except StopIteration as done:
            outcomes[i] = done.value
    return asks


def _grouped(asks: dict[int, Step]) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for i, (name, params) in asks.items():
        groups.setdefault(name, []).append((i, params))
    return groups


def _writable(items: list[tuple[int, dict[str, Any]]]) -> tuple[list[tuple[int, dict[str, Any]]],
                                                                 list[int]]:
    """(rows one insert may carry, the others): at most one row per unique key and per
    nonce, so that what RETURNING gives back names its scan. A second scan of the same
    ticket in one batch is left unwritten: the full path answers it (already checked in)."""
    keys: set[Any] = set()
    nonces: set[str] = set()
    rows, left = [], []
    for i, values in items:
        key = tuple(values[k] for k in _KEY)
        nonce = values["nonce"]
        if key in keys or (nonce is not None and nonce in nonces):
            left.append(i)
            continue
        keys.add(key)
        if nonce is not None:
            nonces.add(nonce)
        rows.append((i, values))
    return rows, left


def _written(items: list[tuple[int, dict[str, Any]]], returned: Sequence[Any]
             ) -> dict[int, Any]:
    """Each insert's answer: True for the rows RETURNING gave back, None for those a
    unique key (a check-in already there) or a nonce turned away."""
    keys = {tuple(r) for r in returned}
    return {i: True if tuple(values[k] for k in _KEY) in keys else None
            for i, values in items}


# --- PostgreSQL: raw SQL over async psycopg, each statement in autocommit --------------

_PG = pg_psycopg.dialect()
_PG_PRINCIPAL = str(auth.PRINCIPAL_BY_TOKEN.compile(dialect=_PG)).encode()
_PG_TARGETS = str(checkins.TARGET_COLUMNS.where(
    Registration.id == cast(bindparam("ids"), ARRAY(Integer)).any_()
).compile(dialect=_PG)).encode()
# The batch's rows travel as one JSON text that PostgreSQL reads into checkin rows: one
# statement, prepared once, whatever the batch's size, and one json.dumps in C rather
# than the driver's adaptation of every value. (Names from the model; values only as
# the parameter.)
_PG_INSERT = " ".join((
    f"INSERT INTO {_TABLE.name} ({', '.join(_ROW_KEYS)})",
    f"SELECT {', '.join(_ROW_KEYS)}",
    f"FROM json_populate_recordset(NULL::{_TABLE.name}, %(rows)s::json)",  # noqa: S608
    f"ON CONFLICT DO NOTHING RETURNING {', '.join(_KEY)}")).encode()


def _iso(value: object) -> str:
    """Days and moments for the JSON (a moment with its offset: read as the same instant
    whatever the session's time zone)."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(value)


async def run_postgresql(conn: AsyncConnection, decisions: list[Steps]
                         ) -> list[Outcome | None]:
    outcomes: list[Outcome | None] = [None] * len(decisions)
    answers: list[Any] = [None] * len(decisions)
    live = list(range(len(decisions)))
    while live:
        asks = _asks(decisions, answers, outcomes, live)
        live = list(asks)
        for name, items in _grouped(asks).items():
            if name == "principal":  # a login not remembered yet: rare, one by one
                for i, params in items:
                    answers[i] = await (await conn.execute(_PG_PRINCIPAL, params)).fetchone()
            elif name == "target":
                # An array literal: cheaper to send than a list for the driver to adapt.
                ids = ",".join(str(params["registration_id"]) for _i, params in items)
                ids = "{" + ids + "}"
                found = await (await conn.execute(_PG_TARGETS, {"ids": ids})).fetchall()
                by_id = {row[0]: row for row in found}
                for i, params in items:
                    answers[i] = by_id.get(params["registration_id"])
            else:
                rows, left = _writable(items)
                batch = json.dumps([values for _i, values in rows], default=_iso)
                returned = await (await conn.execute(_PG_INSERT, {"rows": batch})).fetchall()
                for i, answer in _written(rows, returned).items():
                    answers[i] = answer
                for i in left:
                    answers[i] = None
    return outcomes


# --- SQLite: SQLAlchemy Core (its type handling), a short transaction per statement -----

_SQLITE_TARGETS = checkins.TARGET_COLUMNS.where(
    Registration.id.in_(bindparam("ids", expanding=True)))  # type: ignore[union-attr]
_SQLITE_INSERT = sqlite_insert(_TABLE).on_conflict_do_nothing().returning(*_RETURNING)


def run_sqlite(engine: Engine, decisions: list[Steps]) -> list[Outcome | None]:
    """In a worker thread. Reads in a plain transaction; the inserts in one that takes
    the write lock (BEGIN IMMEDIATE) for that statement only."""
    outcomes: list[Outcome | None] = [None] * len(decisions)
    answers: list[Any] = [None] * len(decisions)
    live = list(range(len(decisions)))
    writer = writer_bind(engine)
    while live:
        asks = _asks(decisions, answers, outcomes, live)
        live = list(asks)
        for name, items in _grouped(asks).items():
            if name == "principal":
                with engine.begin() as conn:
                    for i, params in items:
                        answers[i] = conn.execute(auth.PRINCIPAL_BY_TOKEN, params).first()
            elif name == "target":
                ids = [params["registration_id"] for _i, params in items]
                with engine.begin() as conn:
                    by_id = {row[0]: row for row in conn.execute(_SQLITE_TARGETS, {"ids": ids})}
                for i, params in items:
                    answers[i] = by_id.get(params["registration_id"])
            else:
                rows, left = _writable(items)
                with writer.begin() as conn:
                    returned = conn.execute(_SQLITE_INSERT, [v for _i, v in rows]).all()
                for i, answer in _written(rows, returned).items():
                    answers[i] = answer
                for i in left:
                    answers[i] = None
    return outcomes
