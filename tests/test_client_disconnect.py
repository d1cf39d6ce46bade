"""A client that leaves while sending its body (a page navigated away, HTMX dropping a
superseded request) is not an error of ours: no 500, no traceback in the log."""

from typing import Any

from fastapi.testclient import TestClient

from tests.helpers import login_page_client, run_async


def test_a_body_cut_off_by_the_client_is_quietly_dropped(app: Any, client: TestClient,
                                                          admin: Any) -> None:
    login_page_client(client, admin.email)
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items()).encode()
    sent: list[dict[str, Any]] = []
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": "/trainings",
             "raw_path": b"/trainings", "query_string": b"", "root_path": "",
             "server": ("test", 80), "client": ("127.0.0.1", 5000),
             "headers": [(b"host", b"test"), (b"content-length", b"1000"), (b"cookie", cookie),
                         (b"content-type", b"application/x-www-form-urlencoded")]}
    # The CSRF token is read from the form: the body starts, then the client is gone.
    messages = iter([{"type": "http.request", "body": b"title=Pelatihan&csrf",
                      "more_body": True}, {"type": "http.disconnect"}])

    async def receive() -> dict[str, Any]:
        return next(messages, {"type": "http.disconnect"})

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def call() -> None:
        await app(scope, receive, send)

    run_async(call)
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 499
