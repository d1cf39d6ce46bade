"""The front door (middleware/front.py): security headers, the Content-Security-Policy of
pages and of the scanner, HSTS and Secure cookies over HTTPS, the request's language,
and the body limit; one pure ASGI layer in front of a tiny app."""

from typing import Any

import pytest

from service.i18n import get_locale
from service.middleware import FrontDoor
from tests.helpers import run_async


async def _app(scope: Any, receive: Any, send: Any) -> None:
    while (await receive()).get("more_body"):
        pass
    body = get_locale().encode()
    await send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", b"text/plain"), (b"set-cookie", b"lang=en; Path=/; SameSite=lax"),
        (b"set-cookie", b"bimtek_session=x; HttpOnly; Path=/; SameSite=lax")]})
    await send({"type": "http.response.body", "body": body})


def _call(path: str = "/trainings", *, scheme: str = "http", secure_cookies: bool = False,
          headers: list[tuple[bytes, bytes]] | None = None, query: bytes = b"",
          body: bytes | None = None) -> tuple[int, dict[bytes, list[bytes]], bytes]:
    front = FrontDoor(_app, max_bytes=100, secure_cookies=secure_cookies)
    headers = list(headers or [])
    if body is not None:
        headers.append((b"content-length", str(len(body)).encode()))
    scope = {"type": "http", "method": "POST" if body is not None else "GET", "path": path,
             "scheme": scheme, "query_string": query, "headers": headers}
    messages = iter([{"type": "http.request", "body": body or b"", "more_body": False}])
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(messages, {"type": "http.disconnect"})

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    run_async(lambda: front(scope, receive, send))
    answer: dict[bytes, list[bytes]] = {}
    for name, value in sent[0]["headers"]:
        answer.setdefault(name, []).append(value)
    return sent[0]["status"], answer, b"".join(m.get("body", b"") for m in sent[1:])


def _csp(headers: dict[bytes, list[bytes]]) -> dict[str, str]:
    [policy] = headers[b"content-security-policy"]
    return {d.split(" ", 1)[0]: d.partition(" ")[2] for d in policy.decode().split("; ")}


def test_pages_run_only_our_own_scripts() -> None:
    _status, headers, _body = _call("/trainings/4/registrations")
    csp = _csp(headers)
    assert csp["script-src"] == "'self'"
    assert "unsafe-inline" not in csp["script-src"] and "eval" not in csp["script-src"]
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert headers[b"x-content-type-options"] == [b"nosniff"]
    assert headers[b"x-frame-options"] == [b"DENY"]


def test_the_scanner_may_compile_its_webassembly_decoder() -> None:
    for path in ("/scan", "/scan-sw.js", "/scan/app.webmanifest"):
        csp = _csp(_call(path)[1])
        assert csp["script-src"] == "'self' 'wasm-unsafe-eval'", path
        assert csp["worker-src"] == "'self'"


def test_over_plain_http_no_hsts_and_no_secure_cookies() -> None:
    _status, headers, _body = _call()
    assert b"strict-transport-security" not in headers
    assert not any(b"secure" in c.lower() for c in headers[b"set-cookie"])


def test_over_https_hsts_and_every_cookie_secure() -> None:
    _status, headers, _body = _call(scheme="https")
    assert headers[b"strict-transport-security"] == [b"max-age=31536000"]
    assert len(headers[b"set-cookie"]) == 2
    assert all(c.endswith(b"; Secure") for c in headers[b"set-cookie"])


def test_secure_cookies_setting_marks_cookies_over_http_too() -> None:
    _status, headers, _body = _call(secure_cookies=True)
    assert all(c.endswith(b"; Secure") for c in headers[b"set-cookie"])
    assert b"strict-transport-security" not in headers


@pytest.mark.parametrize(("path", "headers", "query", "locale"), [
    ("/trainings", [], b"", "id"),
    ("/trainings", [(b"cookie", b"a=b; lang=en")], b"", "en"),
    ("/trainings", [(b"cookie", b"lang=en")], b"lang=id", "id"),
    ("/trainings", [(b"accept-language", b"en-US,en;q=0.9")], b"", "id"),
    ("/api/trainings", [(b"accept-language", b"en-US,en;q=0.9")], b"", "en"),
    ("/trainings", [(b"cookie", b"lang=xx")], b"x=1&lang=en", "en"),
])
def test_the_language_of_a_request(path: str, headers: list[tuple[bytes, bytes]],
                                   query: bytes, locale: str) -> None:
    assert _call(path, headers=headers, query=query)[2].decode() == locale


def test_a_body_over_the_limit_is_refused_before_the_app_reads_it() -> None:
    status, headers, body = _call("/api/trainings", body=b"x" * 101)
    assert status == 413 and b"too_large" in body
    assert headers[b"content-security-policy"]  # refusals carry the headers too
    assert _call("/api/trainings", body=b"x" * 100)[0] == 200
