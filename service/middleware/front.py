"""The front door every request crosses: its language, its body limit, and the security
headers and cookie flags of its answer, in one pure ASGI layer.

One layer rather than three: each ASGI layer is a coroutine frame, a wrapped send and a
walk over the headers per request, and /healthz measured 3.7x slower than a bare app
with them stacked (bench/bench_checkins.py prints both). Everything that does not
depend on the request (header lists, policies, patterns) is built once, here, per
process.
"""

import json
import re
from collections.abc import Mapping
from html import escape

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.i18n import LOCALES, pick_locale, set_locale
from service.i18n import gettext as _

# Content-Security-Policy: scripts only from our own files (no inline script, no eval:
# htmx is configured for it in the templates' htmx-config), styles from our files and
# the style attributes of bars and progress (CSS runs no script), images also as data:
# (QR codes) and blob: (previews), nothing framed, forms only to us.
_CSP = ("default-src 'self'; script-src 'self'{wasm}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
# The door scanner decodes QR codes with zxing-wasm: compiling WebAssembly needs
# 'wasm-unsafe-eval' (JavaScript eval stays forbidden), on its pages only.
SCANNER_PATHS = "/scan"
CSP_PAGES = _CSP.format(wasm="")
CSP_SCANNER = _CSP.format(wasm=" 'wasm-unsafe-eval'")
HSTS = b"max-age=31536000"

_COMMON = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
           (b"x-frame-options", b"DENY"))


def _headers(csp: str, https: bool) -> tuple[tuple[bytes, bytes], ...]:
    hsts = ((b"strict-transport-security", HSTS),) if https else ()
    return (*_COMMON, (b"content-security-policy", csp.encode()), *hsts)


# (scanner page?, https?) -> the headers every answer carries, unless it set its own.
_SECURITY = {(scan, https): _headers(CSP_SCANNER if scan else CSP_PAGES, https)
             for scan in (False, True) for https in (False, True)}
_OURS = frozenset(name for headers in _SECURITY.values() for name, _v in headers)


def security_headers(path: str, https: bool) -> tuple[tuple[bytes, bytes], ...]:
    """The headers FrontDoor adds to every answer of `path`: for a layer that answers
    before the request reaches it (the check-in fast lane)."""
    return _SECURITY[path.startswith(SCANNER_PATHS), https]


class _TooLarge(Exception):
    pass


class FrontDoor:
    """Per request: the locale (the user's choice by ?lang= or cookie, else
    Accept-Language for API clients, else Indonesian); a 413 for a body over its path's
    limit, before anything parses it; security headers on the answer (HSTS over HTTPS);
    and Secure on every cookie it sets when the request came over HTTPS (the scheme a
    trusted proxy reports) or `secure_cookies` says so."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, secure_cookies: bool,
                 overrides: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.secure_cookies = secure_cookies
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
        path: str = scope["path"]
        # One walk over the request's headers for everything this layer needs.
        cookie_lang = accept = None
        declared = -1  # no body announced
        for key, value in scope["headers"]:
            if key == b"content-length":
                declared = int(value) if value.isdigit() else 0
            elif key == b"transfer-encoding":
                declared = max(declared, 0)
            elif key == b"cookie" and b"lang=" in value:
                cookie_lang = _cookie_lang(value)
            elif key == b"accept-language":
                accept = value
        query: bytes = scope["query_string"]
        set_locale(pick_locale(
            cookie_lang, accept.decode("latin-1") if accept and path.startswith("/api")
            else None, _query_lang(query) if b"lang=" in query else None))

        https = scope.get("scheme") == "https"
        security = security_headers(path, https)
        secure = https or self.secure_cookies
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": _with_security(
                    message.get("headers", ()), security, secure)}
            await send(message)

        if declared < 0:
            await self.app(scope, receive, send_with_headers)
            return
        limit = self._limit(path)
        if declared > limit:
            await _refuse(scope, send_with_headers, limit)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _TooLarge:
            if not started:
                await _refuse(scope, send_with_headers, limit)


def _with_security(headers: list[tuple[bytes, bytes]] | tuple[()],
                   security: tuple[tuple[bytes, bytes], ...],
                   secure: bool) -> list[tuple[bytes, bytes]]:
    out = []
    own: set[bytes] = set()
    for name, value in headers:
        if name in _OURS:
            own.add(name)
        elif secure and name == b"set-cookie" and b"secure" not in value.lower():
            value += b"; Secure"
        out.append((name, value))
    out += security if not own else [h for h in security if h[0] not in own]
    return out


def _query_lang(query: bytes) -> str | None:
    for part in query.split(b"&"):
        if part.startswith(b"lang="):
            return part[5:].decode("latin-1")
    return None


def _cookie_lang(cookie: bytes) -> str | None:
    for part in cookie.split(b";"):
        name, _sep, value = part.strip().partition(b"=")
        if name == b"lang":
            text = value.strip(b'"').decode("latin-1")
            return text if text in LOCALES else None
    return None


async def _refuse(scope: Scope, send: Send, limit: int) -> None:
    message = _("The request is too large (at most {mb} MB).", mb=round(limit / 1048576, 1))
    headers = {key: value.decode("latin-1") for key, value in scope["headers"]
               if key in (b"referer", b"host")}
    if scope["path"].startswith("/api"):
        body = json.dumps({"code": "too_large", "message": message}).encode()
        ctype = b"application/json"
    else:
        # Back to the form the file came from (a local page only), else home.
        referer, host = headers.get(b"referer", ""), headers.get(b"host", "")
        back = referer if host and referer.split("://", 1)[-1].startswith(host + "/") \
            else "/"
        body = (f"<!doctype html><meta charset=utf-8><meta name=viewport "
                f"content='width=device-width,initial-scale=1'><title>413</title>"
                f"<body style='font:16px/1.5 system-ui,sans-serif;max-width:36rem;"
                f"margin:3rem auto;padding:0 1rem'><h1 style='font-size:1.3rem'>"
                f"{escape(message)}</h1><p><a href='{escape(back)}'>"
                f"{escape(_('Back'))}</a></p></body>").encode()
        ctype = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", ctype),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
