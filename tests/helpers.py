"""Small helpers shared by the router tests."""

import re
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from anyio.from_thread import start_blocking_portal
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.conftest import PASSWORD

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def login_form_token(client: Any) -> str:
    """The login form's CSRF token, as a browser gets it: GET /login sets the pre-login
    cookie (kept by `client`, a TestClient or an httpx.Client) that the token is bound to."""
    match = CSRF_RE.search(client.get("/login").text)
    assert match, "no CSRF token on the login form"
    return match.group(1)


def post_login(client: Any, email: str, password: str = PASSWORD, next: str = "/trainings"
               ) -> Any:
    """POST /login as the login form does (with its CSRF token); not followed."""
    return client.post("/login", data={"email": email, "password": password, "next": next,
                                       "csrf_token": login_form_token(client)},
                       follow_redirects=False)


def login_page_client(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the CSRF token of the new session."""
    r = post_login(client, email, password)
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


def api_routes(app: Any) -> Iterator[APIRoute]:
    """Every APIRoute of the app, included routers' too."""
    def walk(routes: list[Any]) -> Iterator[APIRoute]:
        for route in routes:
            if isinstance(route, APIRoute):
                yield route
            elif hasattr(route, "original_router"):  # FastAPI's included router
                yield from walk(route.original_router.routes)
            elif hasattr(route, "routes"):
                yield from walk(route.routes)
    return walk(app.routes)


def path_params(route: APIRoute) -> dict[str, Any]:
    """Path parameter -> its declared type, also those its dependencies declare."""
    found: dict[str, Any] = {}

    def collect(dependant: Any) -> None:
        for param in dependant.path_params:
            found[param.name] = param.field_info.annotation
        for sub in dependant.dependencies:
            collect(sub)
    collect(route.dependant)
    return found


def id_routes(app: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path template, path parameters) of every route with an integer in its path."""
    out = []
    for route in api_routes(app):
        params = path_params(route)
        if any(kind is int for kind in params.values()):
            out.extend((method, route.path, params) for method in sorted(route.methods)
                       if method != "HEAD")
    return out
