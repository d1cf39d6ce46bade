"""POST /api/checkins, fast lane: the common scan answered before FastAPI's routing.

A scan with a bearer token, or the scanner page's session cookie and CSRF header, is
tried by services/checkin_lane.py: on PostgreSQL awaited on the event loop over its own
async connections, on SQLite in one worker-thread call. When that returns an outcome,
the lane answers 201 itself; otherwise (or for any other request) the request goes on,
body and all, to the ordinary route in checkins.py, which decides and answers as always.
So the lane changes how fast a check-in is, never what it answers.

Why: with two app processes on a 2-core machine the ordinary route did about 1,000
check-ins/s on PostgreSQL, most of it spent in routing, dependency solving, worker-thread
hops and the ORM session; on SQLite its write lock, held across all of that, made the
other process wait in SQLite's busy handler (p99 of 70 ms at 500/s). The lane does the
same work in a fraction (bench/bench_checkins.py).
"""

import logging

import anyio
import anyio.to_thread
import psycopg
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.async_pg import AsyncPgPool
from service.db import get_engine, is_sqlite
from service.middleware import cookie_value, header_value
from service.models.base import utcnow
from service.schemas.checkins import CheckinRequest
from service.services import checkin_lane
from service.services.checkins import Outcome, ScanIn

log = logging.getLogger(__name__)
PATH = "/api/checkins"
# A check-in body is a few hundred bytes; a larger one goes the ordinary way.
MAX_BODY = 16 * 1024
LANE_HEADER = {"server-timing": 'checkin;desc="fast lane"'}


def _credentials(scope: Scope, session_cookie: str) -> tuple[str, str, str | None] | None:
    """(token kind, raw token, CSRF header) of the request, or None without any."""
    authorization = header_value(scope, b"authorization")
    if authorization is not None:
        scheme, _sep, raw = authorization.partition(" ")
        return ("api", raw.strip(), None) if scheme.lower() == "bearer" else None
    session = cookie_value(scope, session_cookie)
    return ("session", session, header_value(scope, b"x-csrf-token")) if session else None


class CheckinLane:
    def __init__(self, app: ASGIApp, database_url: str, connections: int,
                 session_cookie: str, token_cache_seconds: float) -> None:
        self.app = app
        self.session_cookie = session_cookie
        self.token_cache_seconds = token_cache_seconds
        self.enabled = connections > 0
        self.pool = None if is_sqlite(database_url) or not self.enabled \
            else AsyncPgPool(database_url, connections)
        # SQLite's lane takes worker threads but not the admission gate: one thread at a
        # time, so admitted requests (the gate is smaller than the thread pool by more
        # than one) always find a thread to finish on, and the write lock they hold.
        self._sqlite_threads: anyio.CapacityLimiter | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (not self.enabled or scope["type"] != "http" or scope["path"] != PATH
                or scope["method"] != "POST"):
            await self.app(scope, receive, send)
            return
        body, complete = await _read_body(receive)
        if body is None:
            return  # the client left before sending its scan
        response = await self._try(scope, body) if complete else None
        if response is not None:
            await response(scope, receive, send)
            return
        await self.app(scope, _replay(body, complete, receive), send)

    async def _try(self, scope: Scope, body: bytes) -> JSONResponse | None:
        credentials = _credentials(scope, self.session_cookie)
        if credentials is None:
            return None
        try:
            data = CheckinRequest.model_validate_json(body)
        except ValidationError:
            return None  # the route explains what is wrong, in the user's language
        decision = checkin_lane.steps(*credentials, self.token_cache_seconds, ScanIn.of(data),
                                      utcnow())
        try:
            outcome = await self._run(decision)
        except (psycopg.Error, SQLAlchemyError, OSError) as exc:
            # Nothing is lost or doubled: if the insert did land, the route finds the row
            # (by its nonce, and answers the same; without one, as already checked in).
            log.warning("check-in lane: %s; the route takes this scan", exc)
            return None
        if outcome is None:
            return None
        # Server-Timing names the path that answered (operators, tests, benches).
        return JSONResponse(outcome.payload(), status_code=201, headers=LANE_HEADER)

    async def _run(self, decision: checkin_lane.Steps) -> Outcome | None:
        if self.pool is None:
            if self._sqlite_threads is None:
                self._sqlite_threads = anyio.CapacityLimiter(1)
            return await anyio.to_thread.run_sync(checkin_lane.run_sqlite, get_engine(),
                                                  decision, limiter=self._sqlite_threads)
        async with self.pool.connection() as conn:
            return await checkin_lane.run_postgresql(conn, decision)


async def _read_body(receive: Receive) -> tuple[bytes | None, bool]:
    """The request body, up to MAX_BODY: (what was read, whether that is all of it);
    (None, False) when the client disconnected first."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None, False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True
        if size > MAX_BODY:
            return b"".join(chunks), False


def _replay(body: bytes, complete: bool, receive: Receive) -> Receive:
    """A receive() that hands the route what the lane already read, then the rest."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": not complete}
        return await receive()

    return replayed
