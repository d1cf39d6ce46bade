"""The door's fast lane: the common scan, decided on the event loop in two statements.

At the door nearly every scan is the first of a genuine ticket, from a scanner whose
login (remembered for a few seconds, auth.remember_principal) and training key
(tickets.remembered_claims) this process already holds. Such a scan needs one read (who
is this) and one insert (`ON CONFLICT DO NOTHING`, the same unique key settles races),
each its own autocommit statement on an async psycopg connection: no worker thread, no
ORM session, no BEGIN and COMMIT round trips. The statements and the checks are the full
path's own (checkins.TARGET_BY_ID, find_target, admit; auth.PRINCIPAL_BY_TOKEN).

Anything else returns None having written nothing, and the request goes on to the full
path (checkins.check_in), which answers it as always: a repeat or a replayed nonce, a
refusal and its reason, per-session attendance, an unknown login or key.
"""

from datetime import datetime

from psycopg import AsyncConnection
from sqlalchemy.dialects.postgresql import psycopg as pg_psycopg

from service.errors import DomainError
from service.models import CheckIn
from service.models.accounts import SCANNER_ROLES
from service.services import auth, checkins
from service.services.auth import Principal
from service.services.checkins import Outcome, ScanIn
from service.services.tickets import remembered_claims

_DIALECT = pg_psycopg.dialect()
_ROW_KEYS = ("registration_id", "batch_id", "day", "slot", "session_id", "scanned_at",
             "recorded_at", "device_id", "method", "nonce", "user_id", "offline")
# The full path's own statements, compiled once to SQL text (with %(name)s parameters).
_PRINCIPAL_SQL = str(auth.PRINCIPAL_BY_TOKEN.compile(dialect=_DIALECT)).encode()
_TARGET_SQL = str(checkins.TARGET_BY_ID.compile(dialect=_DIALECT)).encode()
_INSERT_SQL = str(checkins.insert_statement("postgresql", CheckIn).compile(
    dialect=_DIALECT, column_keys=list(_ROW_KEYS))).encode()


async def scanner(conn: AsyncConnection, kind: str, raw: str, csrf_sent: str | None,
                  cache_seconds: float) -> Principal | None:
    """Who may check people in with this token ("api": a bearer token; "session": the
    scanner page's cookie, whose CSRF secret the request must echo); None when the
    full path must answer (unknown, expired, revoked, not a scanner)."""
    found = auth.remembered_principal(raw, kind)
    if found is None and raw and len(raw) <= 200:
        row = await conn.execute(_PRINCIPAL_SQL, {"token_hash": auth.token_hash(raw),
                                                  "kind": kind})
        found = auth.remember_principal(raw, kind, await row.fetchone(), cache_seconds)
    if found is None or found.role not in SCANNER_ROLES:
        return None
    if kind == "session" and not auth.csrf_matches(csrf_sent, found.csrf_token):
        return None
    return found


async def check_in(conn: AsyncConnection, user: Principal, scan: ScanIn,
                   now: datetime) -> Outcome | None:
    """The recorded check-in of a first scan of a genuine ticket for a whole day; None
    (nothing written) when the full path must decide."""
    if scan.code is None or scan.session_id is not None or scan.method is not None:
        return None
    claims = remembered_claims(user.organization_id, scan.code)
    if claims is None:
        return None
    found = await conn.execute(_TARGET_SQL, {"registration_id": claims.registration_id})
    row = await found.fetchone()
    try:
        target = checkins.find_target(row, user, claims)
        if target.checkin_mode != "day":
            return None
        local = checkins.admit(user, target, scan, claims, now)
    except DomainError:
        return None
    values = checkins.checkin_row(user, target, scan, local, 0, "qr", now)
    assert tuple(values) == _ROW_KEYS
    inserted = await conn.execute(_INSERT_SQL, values)
    if await inserted.fetchone() is None:
        return None  # already checked in (or the nonce was seen): the full path answers
    return checkins.outcome_of(target, local, 0, None, "checked_in", values["scanned_at"],
                               user.name, "qr")
