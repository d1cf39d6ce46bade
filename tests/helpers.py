"""Small helpers shared by the router tests."""

import re
from collections.abc import Awaitable, Callable
from typing import Any

from anyio.from_thread import start_blocking_portal
from fastapi.testclient import TestClient

from tests.conftest import PASSWORD

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def login_page_client(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the CSRF token of the new session."""
    r = client.post("/login", data={"email": email, "password": password, "next": "/trainings"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get("/trainings")
    match = CSRF_RE.search(page.text)
    assert match, "no CSRF token on the page"
    return match.group(1)


def run_async(fn: Callable[[], Awaitable[Any]]) -> Any:
    """anyio.run(fn) in a thread of its own: Playwright's sync API (browser tests earlier
    in the run) may hold this thread's event loop."""
    with start_blocking_portal() as portal:
        return portal.call(fn)
