"""ASGI middleware: request locale, body size limit, security headers, database admission."""

import json
import re

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.i18n import gettext as _
from service.i18n import pick_locale, set_locale


def cookie_value(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                k, _sep, v = part.strip().partition("=")
                if k == name:
                    return v
    return None


def header_value(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class LocaleMiddleware:
    """Pages speak Indonesian unless the user switched (cookie or ?lang=); API clients
    may ask with Accept-Language."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = dict(p.partition("=")[::2] for p in
                         scope.get("query_string", b"").decode("latin-1").split("&") if p)
            is_api = scope["path"].startswith("/api")
            accept = header_value(scope, b"accept-language") if is_api else None
            set_locale(pick_locale(cookie_value(scope, "lang"), accept, query.get("lang")))
        await self.app(scope, receive, send)


class _TooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Refuse bodies over the limit before anything parses them (413 with a clear message)."""

    def __init__(self, app: ASGIApp, max_bytes: int, overrides: dict[str, int] | None = None):
        self.app = app
        self.max_bytes = max_bytes
        # Paths (regular expressions, matched from the start) that take larger
        # uploads, e.g. spreadsheet imports.
        self.overrides = [(re.compile(p), limit) for p, limit in (overrides or {}).items()]

    def _limit(self, path: str) -> int:
        for pattern, limit in self.overrides:
            if pattern.match(path):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        declared = header_value(scope, b"content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, send, limit)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send, limit)

    async def _refuse(self, scope: Scope, send: Send, limit: int) -> None:
        message = _("The request is too large (at most {mb} MB).", mb=round(limit / 1048576, 1))
        if scope["path"].startswith("/api"):
            body = json.dumps({"code": "too_large", "message": message}).encode()
            ctype = b"application/json"
        else:
            from html import escape

            # Back to the form the file came from (a local page only), else home.
            referer = header_value(scope, b"referer") or ""
            host = header_value(scope, b"host") or ""
            back_label = _("Back")
            back = referer if host and referer.split("://", 1)[-1].startswith(host + "/") \
                else "/"
            body = (f"<!doctype html><meta charset=utf-8><meta name=viewport "
                    f"content='width=device-width,initial-scale=1'><title>413</title>"
                    f"<body style='font:16px/1.5 system-ui,sans-serif;max-width:36rem;"
                    f"margin:3rem auto;padding:0 1rem'><h1 style='font-size:1.3rem'>"
                    f"{escape(message)}</h1><p><a href='{escape(back)}'>"
                    f"{escape(back_label)}</a></p></body>").encode()
            ctype = b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", ctype),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _v in headers}
                extra = [(b"x-content-type-options", b"nosniff"),
                         (b"referrer-policy", b"same-origin"),
                         (b"x-frame-options", b"DENY")]
                headers += [(k, v) for k, v in extra if k not in names]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class DbAdmissionMiddleware:
    """Let at most `limit` requests of this process work with the database at once.

    Sync routes and their dependencies run one thread call at a time, and a request
    keeps its pooled connection between those calls. Without this gate, a burst fills
    every worker thread with requests blocked on checking out a connection, while the
    requests that hold the connections wait for a thread to finish: a deadlock until
    the pool times out (seen with 48 concurrent registrations). Waiting here costs no
    thread. The limit equals the connection pool, which stays below the thread pool.
    """

    EXEMPT = ("/healthz", "/static/")

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = max(1, limit)
        self._gate: anyio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.EXEMPT):
            await self.app(scope, receive, send)
            return
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
