"""The door's fast lane: the common scan, decided without reading first, and written in
one statement shared by every scan that arrives meanwhile.

At the door nearly every scan is the first of a genuine ticket, from a scanner whose
login (remembered for a few seconds, auth.remember_principal), training key
(tickets.remembered_claims) and training (checkins.claimed_target) this process already
holds. A genuine ticket says which registration, batch and days it is for, so the lane
runs the full path's own checks (checkins.admit) on the registration as the ticket
claims it, and writes the check-in with one condition: that the database's row agrees
with that claim on every field the checks read (checkins.ADMITTED_BY). The row it
writes is the full path's (checkins.checkin_row), and so is the 201 it answers
(checkins.outcome_of, with the names the same statement returns). The same unique key
settles races (`ON CONFLICT DO NOTHING`).

Anything else returns None having written nothing, and the request goes on to the full
path (checkins.check_in), which answers it as always: a repeat or a replayed nonce, a
refusal and its reason, a registration moved or cancelled since its ticket was signed,
per-session attendance, an unknown login, key or training.

The decision is written once, as a generator that yields what it needs of the database
(`steps`): a login's row when it is not remembered (rare), then the write. The runners
drive a batch of decisions in step. On PostgreSQL a batch is ONE statement (`_PG_WRITE`:
the scans' rows as one JSON parameter, joined with their registrations, inserted,
returning what the answers name), awaited on the event loop over async psycopg in
autocommit: one round trip and one durable commit (about 3 ms of disk on the bench
machine) shared by the batch. On SQLite, in one worker-thread call, a read outside the
write lock and an insert inside it (BEGIN IMMEDIATE).
"""

import json
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection
from sqlalchemy import JSON, and_, bindparam, cast, column, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
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

# What the decision needs of the database: a step's name and its parameters; what comes
# back is a row (for the write: the registration as the database has it, when the
# check-in was written), or None.
Step = tuple[str, Any]
Steps = Generator[Step, Any, Outcome | None]

_TABLE = CheckIn.__table__  # type: ignore[attr-defined]
# Every column but the id: what checkins.checkin_row fills.
_ROW_KEYS = [c.name for c in _TABLE.columns if c.name != "id"]
# What identifies a written check-in (the unique key).
_KEY = ("registration_id", "day", "slot")


@dataclass(frozen=True, slots=True)
class Write:
    """A check-in to write (`values`, checkin_row's), if the registration is as
    `claimed` (checkins.claimed_target) on every field of checkins.ADMITTED_BY."""

    values: dict[str, Any]
    claimed: Any  # checkins._Target

    def key(self) -> tuple[Any, ...]:
        values = self.values
        return values["registration_id"], values["day"], values["slot"]

    def premises(self) -> dict[str, Any]:
        return {name: getattr(self.claimed, name) for name in checkins.ADMITTED_BY}

    def sent(self) -> str:
        """The row and its claim as _PG_WRITE reads them, a JSON object: days and
        moments in ISO 8601 (a moment with its offset, read as the same instant whatever
        the session's time zone); a NULL left out (json_to_recordset reads a missing
        key as NULL). Written out field by field: a quarter of the time a dict of the
        values and json.dumps take, on every scan at the door."""
        v, c = self.values, self.claimed
        optional = "".join(f',"{name}":{_json(v[name])}' for name in _NULLABLE
                           if v[name] is not None)
        return (f'{{"registration_id":{v["registration_id"]:d},"batch_id":{v["batch_id"]:d},'
                f'"day":"{v["day"].isoformat()}","slot":{v["slot"]:d},'
                f'"scanned_at":"{v["scanned_at"].isoformat()}",'
                f'"recorded_at":"{v["recorded_at"].isoformat()}",'
                f'"method":{_string(v["method"])},'
                f'"offline":{"true" if v["offline"] else "false"},'
                f'"training_id":{c.training_id:d},"status":{_string(c.status)},'
                f'"organization_id":{c.organization_id:d},"timezone":{_string(c.timezone)},'
                f'"checkin_mode":{_string(c.checkin_mode)},'
                f'"first_day":"{c.first_day.isoformat()}",'
                f'"last_day":"{c.last_day.isoformat()}",'
                f'"every_day":{"true" if c.every_day else "false"}{optional}}}')


_string = json.encoder.encode_basestring  # json.dumps' own, as answer_json uses it
# The row's columns that may be NULL (the others are written out always), and what
# Write.sent writes: every column but the id, and every field of the claim. Checked
# here, so that a new column or check cannot be left out of the statement unnoticed.
_NULLABLE = ("session_id", "device_id", "nonce", "user_id")
assert {*_ROW_KEYS, *checkins.ADMITTED_BY} == {
    "registration_id", "batch_id", "day", "slot", "scanned_at", "recorded_at", "method",
    "offline", "training_id", "status", "organization_id", "timezone", "checkin_mode",
    "first_day", "last_day", "every_day", *_NULLABLE}, \
    "Write.sent must write every column and claim"


def _json(value: int | str) -> str:
    return f"{value:d}" if isinstance(value, int) else _string(value)


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
    # Whole days only: per-session attendance reads the agenda, on the full path.
    claimed = checkins.claimed_target(claims, "day")
    if claimed is None:
        return None
    try:
        local = checkins.admit(user, claimed, scan, claims, now)
    except DomainError:
        return None
    values = checkins.checkin_row(user, claimed, scan, local, 0, "qr", now)
    row = yield "write", Write(values, claimed)
    if row is None:
        return None  # not as claimed, already checked in, or the nonce was seen
    return checkins.outcome_of(checkins.target_of(row), local, 0, None, "checked_in",
                               values["scanned_at"], user.name, "qr")


# --- one batch: the steps of every decision, step by step -------------------------------

def _asks(decisions: list[Steps], answers: list[Any], outcomes: list[Outcome | None],
          live: list[int]) -> dict[int, Step]:
    """Advance each live decision with its answer: the next step each one asks for
    (those that finished leave their outcome)."""
    asks: dict[int, Step] = {}
    for i in live:
        try:
            asks[i] = decisions[i].send(answers[i])
        except StopIteration as done:
            outcomes[i] = done.value
    return asks


def _grouped(asks: dict[int, Step]) -> dict[str, list[tuple[int, Any]]]:
    groups: dict[str, list[tuple[int, Any]]] = {}
    for i, (name, params) in asks.items():
        groups.setdefault(name, []).append((i, params))
    return groups


def _writable(items: list[tuple[int, Write]]) -> tuple[list[tuple[int, Write]], list[int]]:
    """(writes one statement may carry, the others): at most one per unique key and per
    nonce, so that what comes back names its scan. A second scan of the same ticket in
    one batch is left unwritten: the full path answers it (already checked in)."""
    keys: set[Any] = set()
    nonces: set[str] = set()
    rows, left = [], []
    for i, write in items:
        key = write.key()
        nonce = write.values["nonce"]
        if key in keys or (nonce is not None and nonce in nonces):
            left.append(i)
            continue
        keys.add(key)
        if nonce is not None:
            nonces.add(nonce)
        rows.append((i, write))
    return rows, left


# --- PostgreSQL: one statement per batch, over async psycopg in autocommit --------------

_PG = pg_psycopg.dialect()
_PG_PRINCIPAL = str(auth.PRINCIPAL_BY_TOKEN.compile(dialect=_PG)).encode()


def _pg_write() -> bytes:
    """The batch's statement. Its rows arrive as one JSON text (one parameter, prepared
    once whatever the batch's size; one json.dumps in C rather than the driver's
    adaptation of every value), each a check-in's columns and the claim it rests on. A
    row is written only where its registration, read in the same statement, equals the
    claim on checkins.ADMITTED_BY; the statement returns each written row's key and
    the names the 201 shows (_WORDING: its other fields are the claim's).

    Names come from the models, values only from the parameter."""
    target = checkins.TARGET_COLUMNS.subquery("target")
    by_field = dict(zip(checkins._Target._fields, target.c, strict=True))
    types = {c.name: c.type for c in _TABLE.columns if c.name != "id"}
    for name in checkins.ADMITTED_BY:
        types.setdefault(name, by_field[name].type)
    sent = func.json_to_recordset(cast(bindparam("rows"), JSON)).table_valued(
        *(column(name, type_) for name, type_ in types.items())
    ).render_derived("sent", with_types=True)
    claimed = (select(sent, *(c.label(f"target_{n}") for n, c in enumerate(target.c)))
               .select_from(sent.join(target, and_(*(
                   by_field[name] == sent.c[name] for name in checkins.ADMITTED_BY))))
               .cte("claimed"))
    written = (pg_insert(_TABLE)
               .from_select(_ROW_KEYS, select(*(claimed.c[k] for k in _ROW_KEYS)))
               .on_conflict_do_nothing()
               .returning(*(_TABLE.c[k] for k in _KEY))
               .cte("written"))
    answer = (select(*(written.c[k] for k in _KEY),
                     *(claimed.c[f"target_{checkins._Target._fields.index(name)}"]
                       for name in _WORDING))
              .select_from(written.join(claimed, and_(*(
                  written.c[k] == claimed.c[k] for k in _KEY)))))
    return str(answer.compile(dialect=_PG)).encode()


# The target's fields that only word the answer: the statement returns these, the
# others being the claim's own values (the row was written only where they are equal).
_WORDING = tuple(f for f in checkins._Target._fields if f not in checkins.ADMITTED_BY)
_PG_WRITE = _pg_write()


async def run_postgresql(conn: AsyncConnection, decisions: list[Steps]
                         ) -> list[Outcome | None]:
    outcomes: list[Outcome | None] = [None] * len(decisions)
    answers: list[Any] = [None] * len(decisions)
    live = list(range(len(decisions)))
    while live:
        asks = _asks(decisions, answers, outcomes, live)
        live = list(asks)
        answers = [None] * len(decisions)
        for name, items in _grouped(asks).items():
            if name == "principal":
                # A login not remembered (yet, or any more: remembered for seconds): once
                # per login, however many of its scans wait in the batch.
                found: dict[tuple[str, str], Any] = {}
                for i, params in items:
                    token = params["token_hash"], params["kind"]
                    if token not in found:
                        found[token] = await (await conn.execute(_PG_PRINCIPAL, params)
                                              ).fetchone()
                    answers[i] = found[token]
                continue
            rows, _left = _writable(items)
            batch = "[" + ",".join([w.sent() for _i, w in rows]) + "]"
            cursor = await conn.execute(_PG_WRITE, {"rows": batch})
            written = {tuple(r[:3]): r[3:] for r in await cursor.fetchall()}
            for i, write in rows:
                names = written.get(write.key())
                if names is not None:
                    answers[i] = write.claimed._replace(**dict(zip(_WORDING, names,
                                                                   strict=True)))
    return outcomes


# --- SQLite: SQLAlchemy Core (its type handling), a short transaction per statement -----

_SQLITE_TARGETS = checkins.TARGET_COLUMNS.where(
    Registration.id.in_(bindparam("ids", expanding=True)))  # type: ignore[union-attr]
_SQLITE_INSERT = sqlite_insert(_TABLE).on_conflict_do_nothing().returning(
    *(_TABLE.c[k] for k in _KEY))


def _as_claimed(row: Sequence[Any] | None, write: Write) -> bool:
    if row is None:
        return False
    target = checkins.target_of(row)
    return all(getattr(target, name) == value for name, value in write.premises().items())


def run_sqlite(engine: Engine, decisions: list[Steps]) -> list[Outcome | None]:
    """In a worker thread. The registrations are read in a plain transaction; the
    inserts in one that takes the write lock (BEGIN IMMEDIATE) for that statement only."""
    outcomes: list[Outcome | None] = [None] * len(decisions)
    answers: list[Any] = [None] * len(decisions)
    live = list(range(len(decisions)))
    writer = writer_bind(engine)
    while live:
        asks = _asks(decisions, answers, outcomes, live)
        live = list(asks)
        answers = [None] * len(decisions)
        for name, items in _grouped(asks).items():
            if name == "principal":
                rows_by_token: dict[tuple[str, str], Any] = {}
                with engine.begin() as conn:
                    for i, params in items:
                        token = params["token_hash"], params["kind"]
                        if token not in rows_by_token:
                            rows_by_token[token] = conn.execute(auth.PRINCIPAL_BY_TOKEN,
                                                                params).first()
                        answers[i] = rows_by_token[token]
                continue
            rows, _left = _writable(items)
            ids = [w.values["registration_id"] for _i, w in rows]
            with engine.begin() as conn:
                found = {row[0]: row for row in conn.execute(_SQLITE_TARGETS, {"ids": ids})}
            rows = [(i, w) for i, w in rows
                    if _as_claimed(found.get(w.values["registration_id"]), w)]
            if not rows:
                continue
            with writer.begin() as conn:
                written = {tuple(r) for r in conn.execute(
                    _SQLITE_INSERT, [w.values for _i, w in rows]).all()}
            for i, write in rows:
                if write.key() in written:
                    answers[i] = found[write.values["registration_id"]]
    return outcomes
