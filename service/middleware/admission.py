"""The per-process gate in front of the database: at most `limit` requests at once, each
admitted only once its body has arrived."""

import tempfile
from typing import IO

import anyio
import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

EXEMPT = ("/healthz", "/static/")
# A body larger than this (an office's export archive on /offices/import may reach
# hundreds of MB) waits in a temporary file, written and read off the event loop, not in
# memory.
SPOOL_AT = 1024 * 1024


class DbAdmissionMiddleware:
    """Let at most `limit` requests of this process work with the database at once.

    Sync routes and their dependencies run one thread call at a time, and a request
    keeps its pooled connection between those calls. Without this gate, a burst fills
    every worker thread with requests blocked on checking out a connection, while the
    requests that hold the connections wait for a thread to finish: a deadlock until
    the pool times out (seen with 48 concurrent registrations). Waiting here costs no
    thread. The limit equals the connection pool, which stays below the thread pool.

    A request's body is read before it takes a place (bounded by the body limit of the
    front door, outside this layer) and replayed to the app: a form or an upload
    trickling in over a weak village-hall signal would otherwise hold one of the
    process's few places for as long as it takes, and everyone else would queue behind
    it.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = max(1, limit)
        self._gate: anyio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT):
            await self.app(scope, receive, send)
            return
        spooled: IO[bytes] | None = None
        if _has_body(scope):
            body = await _read_body(receive)
            if body is None:
                # Gone before its body arrived: nothing to do, nobody to tell (499 is
                # nginx's word for it, and keeps the access log honest).
                await send({"type": "http.response.start", "status": 499, "headers": []})
                await send({"type": "http.response.body", "body": b""})
                return
            if not isinstance(body, bytes):
                spooled = body
            receive = _replay(body, receive)
        try:
            await self._admitted(scope, receive, send)
        finally:
            if spooled is not None:
                spooled.close()

    async def _admitted(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._gate is None:
            # Created on first use, inside the server's event loop.
            self._gate = anyio.Semaphore(self.limit)
        gate = self._gate
        await gate.acquire()
        held = True

        async def releasing_send(message: Message) -> None:
            # A request's unit of work ends before its response starts (get_db commits
            # and closes first), so a long download streams without holding a place.
            nonlocal held
            if held and message["type"] == "http.response.start":
                held = False
                gate.release()
            await send(message)

        try:
            await self.app(scope, receive, releasing_send)
        finally:
            if held:
                gate.release()


def _has_body(scope: Scope) -> bool:
    for key, value in scope["headers"]:
        if key == b"content-length":
            return value != b"0"
        if key == b"transfer-encoding":
            return True
    return False


async def _read_body(receive: Receive) -> bytes | IO[bytes] | None:
    """The whole body (the front door raises past its limit): bytes, or past SPOOL_AT a
    temporary file (the caller closes it); None if the client left."""
    chunks: list[bytes] = []
    held = 0
    spool: IO[bytes] | None = None
    try:
        while True:
            message = await receive()
            if message["type"] != "http.request":
                if spool is not None:
                    spool.close()
                return None
            data = message.get("body", b"")
            chunks.append(data)
            held += len(data)
            done = not message.get("more_body", False)
            if held > SPOOL_AT or (done and spool is not None):
                if spool is None:
                    spool = await anyio.to_thread.run_sync(tempfile.TemporaryFile)
                await anyio.to_thread.run_sync(spool.write, b"".join(chunks))
                chunks, held = [], 0
            if done:
                if spool is None:
                    return b"".join(chunks)
                await anyio.to_thread.run_sync(spool.seek, 0)
                return spool
    except BaseException:
        if spool is not None:
            spool.close()
        raise


def _replay(body: bytes | IO[bytes], receive: Receive) -> Receive:
    """A receive() that gives the body read (a spooled one in pieces), then waits on the
    client as before (for its disconnect)."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if not pending:
            return await receive()
        if isinstance(body, bytes):
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        piece = await anyio.to_thread.run_sync(body.read, SPOOL_AT)
        pending = len(piece) == SPOOL_AT
        if pending:
            # A piece of exactly SPOOL_AT may be the last: an empty one ends the body.
            return {"type": "http.request", "body": piece, "more_body": True}
        return {"type": "http.request", "body": piece, "more_body": False}

    return replayed
