"""POST /api/checkins, fast lane: the common scan answered before anything else runs.

The lane wraps the whole application, FastAPI's own layers included (install() puts it
there), and looks at POST /api/checkins only. A scan with a bearer token, or the
scanner page's session cookie and CSRF header (read by the same parser as the route's,
headers.credentials), is tried by services/checkin_lane.py, together with the other
scans waiting: on PostgreSQL one statement per batch awaited on the event loop over its
own async connections, on SQLite one worker-thread call per batch. When that returns an
outcome, the lane answers 201 itself, with the headers the front door gives every
answer; otherwise (or for any other request) the request goes on, body and all, through
the whole stack to the ordinary route in checkins.py, which decides and answers as
always. So the lane changes how fast a check-in is, never what it answers.

Why: with two app processes on a 2-core machine the ordinary route did about 1,000
check-ins/s on PostgreSQL, most of it spent in routing, dependency solving, worker-thread
hops and the ORM session; on SQLite its write lock, held across all of that, made the
other process wait in SQLite's busy handler (p99 of 70 ms at 500/s). Outermost, the
lane also skips the layers every other request crosses (error handling, the front door,
the admission gate): its own answer is a 201 it builds from bytes, and anything that
goes wrong in it hands the scan to the route, which crosses them all.
"""

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable

import anyio
import anyio.to_thread
import psycopg
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.async_pg import AsyncPgPool
from service.db import get_engine, is_sqlite
from service.middleware.front import security_headers
from service.middleware.headers import credentials
from service.models.base import utcnow
from service.schemas.checkins import CheckinRequest
from service.services import checkin_lane
from service.services.checkins import Outcome, ScanIn

log = logging.getLogger(__name__)
PATH = "/api/checkins"
# A check-in body is a few hundred bytes; a larger one goes the ordinary way.
MAX_BODY = 16 * 1024
# Server-Timing names the path that answered (operators, tests, benches); then what the
# front door adds to every answer, which this one never crosses (http, https).
_ANSWER_HEADERS = {https: ((b"content-type", b"application/json"),
                           (b"server-timing", b'checkin;desc="fast lane"'),
                           *security_headers(PATH, https))
                   for https in (False, True)}
# Scans decided together at most: a burst is cut into batches of this size.
MAX_BATCH = 128
Outcomes = list[Outcome | None]
_string = json.encoder.encode_basestring  # json.dumps' own, for ensure_ascii=False


class Batches:
    """Scans wait here while the database is busy with earlier ones, then go together:
    up to `flights` batches at the database at once (one per connection), each taking
    every scan waiting when it leaves. Alone, a scan goes at once, in a batch of one."""

    def __init__(self, run: Callable[[list[checkin_lane.Steps]], Awaitable[Outcomes]],
                 flights: int) -> None:
        self.run = run
        self.flights = max(1, flights)
        self._waiting: list[tuple[checkin_lane.Steps, asyncio.Future[Outcome | None]]] = []
        self._tasks: set[asyncio.Task[None]] = set()
        # Flights started and not yet ended: counted here, not by the tasks' done
        # callbacks, which run later than a scan woken by the last batch may arrive.
        self._flying = 0
        self._loop: asyncio.AbstractEventLoop | None = None

    async def decide(self, decision: checkin_lane.Steps) -> Outcome | None:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            # Tasks and futures belong to one event loop (a test client may start
            # another): begin afresh in this one.
            self._waiting, self._tasks, self._flying, self._loop = [], set(), 0, loop
        future: asyncio.Future[Outcome | None] = loop.create_future()
        self._waiting.append((decision, future))
        if self._flying < self.flights:
            self._flying += 1
            task = asyncio.create_task(self._fly())
            self._tasks.add(task)  # held, or the loop may collect it mid-flight
            task.add_done_callback(self._tasks.discard)
        return await future

    async def _fly(self) -> None:
        try:
            await self._batches()
        finally:
            # In the same step as the last look at the queue: a scan queued after it
            # finds one flight fewer, and starts its own.
            self._flying -= 1

    async def _batches(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            try:
                outcomes = await self.run([decision for decision, _f in batch])
            except (psycopg.Error, SQLAlchemyError, OSError) as exc:
                # Nothing is lost or doubled: if the insert did land, the route finds the
                # row (by its nonce, and answers the same; without one, as already
                # checked in).
                log.warning("check-in lane: %s; the route takes these %d scans", exc,
                            len(batch))
                outcomes = [None] * len(batch)
            except Exception as exc:  # noqa: BLE001 (a bug: each scan's request fails with it)
                for _decision, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            except BaseException:  # cancelled: the server is stopping
                for _decision, future in batch:
                    future.cancel()
                raise
            for (_decision, future), outcome in zip(batch, outcomes, strict=True):
                if not future.done():
                    future.set_result(outcome)


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
        self.batches = Batches(self._run_sqlite, 1) if self.pool is None \
            else Batches(self._run_postgresql, connections)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST"
                or not self.enabled):
            await self.app(scope, receive, send)
            return
        body, complete = await _read_body(receive)
        if body is None:
            return  # the client left before sending its scan
        answer = None
        if complete:
            try:
                answer = await self._try(scope, body)
            except Exception:  # noqa: BLE001 (a bug: the route, which crosses the error handler, answers)
                log.exception("check-in lane failed; the route takes the scan")
        if answer is not None:
            await send({"type": "http.response.start", "status": 201, "headers": [
                *_ANSWER_HEADERS[scope.get("scheme") == "https"],
                (b"content-length", str(len(answer)).encode())]})
            await send({"type": "http.response.body", "body": answer})
            return
        await self.app(scope, _replay(body, complete, receive), send)

    async def _try(self, scope: Scope, body: bytes) -> bytes | None:
        """The lane's answer (a 201's JSON), or None: the route decides."""
        sent = credentials(scope, self.session_cookie)
        if sent is None:
            return None
        try:
            data = CheckinRequest.model_validate_json(body)
        except ValidationError:
            return None  # the route explains what is wrong, in the user's language
        decision = checkin_lane.steps(sent, self.token_cache_seconds, ScanIn.of(data),
                                      utcnow())
        outcome = await self.batches.decide(decision)
        return None if outcome is None else answer_json(outcome)

    async def _run_sqlite(self, decisions: list[checkin_lane.Steps]) -> Outcomes:
        return await anyio.to_thread.run_sync(checkin_lane.run_sqlite, get_engine(), decisions)

    async def _run_postgresql(self, decisions: list[checkin_lane.Steps]) -> Outcomes:
        assert self.pool is not None
        async with self.pool.connection() as conn:
            return await checkin_lane.run_postgresql(conn, decisions)


def answer_json(outcome: Outcome) -> bytes:
    """The body the route's JSONResponse gives `outcome`, byte for byte: for the lane's
    one shape (checked in for a whole day, no conflict) built straight from its fields,
    a fifth of json.dumps' work over the payload dict."""
    if (outcome.status != "checked_in" or outcome.session_id is not None
            or outcome.session is not None or outcome.conflict):
        return json.dumps(outcome.payload(), ensure_ascii=False, allow_nan=False,
                          separators=(",", ":")).encode()
    category = "null" if outcome.category is None else _string(outcome.category)
    by = "null" if outcome.by is None else _string(outcome.by)
    return (f'{{"status":"checked_in","registration_id":{outcome.registration_id:d},'
            f'"name":{_string(outcome.name)},"category":{category},'
            f'"batch":{_string(outcome.batch)},"batch_id":{outcome.batch_id:d},'
            f'"day":"{outcome.day.isoformat()}","session_id":null,"session":null,'
            f'"method":{_string(outcome.method)},"conflict":false,'
            f'"checked_in_at":"{outcome.at.isoformat()}","by":{by}}}').encode()


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
        if not message.get("more_body", False):
            if not chunks:
                return chunk, True
            chunks.append(chunk)
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
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
