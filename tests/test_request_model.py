"""Nothing blocks the event loop: no `async def` route or dependency touches a database
session except by handing it to a worker thread (checked from the source), and every
router test fails on a statement run on the loop (the guard in conftest's `app`)."""

import ast
import asyncio
import inspect
import textwrap
import typing
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import anyio.to_thread
import pytest
from fastapi import Depends, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import RouteContext, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from service.db import DB
from tests.conftest import BlockingOnEventLoop
from tests.helpers import login_page_client

# --- the static check ------------------------------------------------------------------


def _is_session(hint: Any) -> bool:
    """A Session, also inside Annotated[...] (DB, AsideDB) or Optional."""
    if typing.get_origin(hint) is Annotated:
        return _is_session(typing.get_args(hint)[0])
    if typing.get_args(hint) and typing.get_origin(hint) is not None:
        return any(_is_session(arg) for arg in typing.get_args(hint))
    return isinstance(hint, type) and issubclass(hint, OrmSession)


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _to_thread(call: ast.Call) -> bool:
    return _dotted(call.func).endswith("to_thread.run_sync")


def session_misuse(fn: Callable[..., Any]) -> list[str]:
    """Where the coroutine function `fn` uses a Session parameter on the event loop: any
    use but as an argument of anyio.to_thread.run_sync (which runs it in a worker thread)."""
    if not (inspect.iscoroutinefunction(fn) or inspect.isasyncgenfunction(fn)):
        return []
    hints = typing.get_type_hints(fn, include_extras=True)
    sessions = {name for name, hint in hints.items() if name != "return" and _is_session(hint)}
    if not sessions:
        return []
    lines, first = inspect.getsourcelines(fn)
    tree = ast.parse(textwrap.dedent("".join(lines)))
    handed_over = {id(arg) for call in ast.walk(tree)
                   if isinstance(call, ast.Call) and _to_thread(call)
                   for arg in [*call.args[1:], *(k.value for k in call.keywords)]}
    uses = sorted((node.lineno, node.id) for node in ast.walk(tree)
                  if isinstance(node, ast.Name) and node.id in sessions
                  and id(node) not in handed_over)
    where = f"{fn.__module__}.{fn.__qualname__}"
    return [f"{where} (line {first + line - 1}) uses `{name}` on the event loop"
            for line, name in uses]


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    if dependant.call is not None:
        yield dependant.call
    for sub in dependant.dependencies:
        yield from _calls(sub)


def api_routes(app: FastAPI) -> list[RouteContext]:
    """Every FastAPI route of the app, those of included routers too (with the routers'
    own dependencies in their `dependant`)."""
    return [r for r in iter_route_contexts(app.routes)
            if isinstance(getattr(r, "dependant", None), Dependant)]


def offenders(app: FastAPI) -> list[str]:
    """Every route's endpoint and the dependencies it runs, checked by session_misuse."""
    found: dict[str, None] = {}
    for route in api_routes(app):
        for fn in _calls(route.dependant):
            for problem in session_misuse(fn):
                found[f"{','.join(sorted(route.methods or ()))} {route.path}: {problem}"] = None
    return list(found)


def test_no_route_uses_a_database_session_on_the_event_loop() -> None:
    from service.main import create_app

    app = create_app(checkin_lane=False, worker=False)
    assert len(api_routes(app)) > 100  # the API and the pages, not an empty app
    assert offenders(app) == []


# Deliberately bad and good examples, for the checker itself.

async def bad_page(db: DB) -> dict[str, int]:
    db.execute(text("SELECT 1"))
    return {}


async def bad_dependency(session: Annotated[Session, Depends(lambda: None)]) -> int:
    return int(session.execute(text("SELECT 1")).scalar_one())


def uses_bad_dependency(n: Annotated[int, Depends(bad_dependency)]) -> dict[str, int]:
    return {"n": n}


def _work(db: Session, n: int) -> int:
    return int(db.execute(text("SELECT :n"), {"n": n}).scalar_one())


async def good_page(db: DB) -> dict[str, int]:
    # The whole unit of work in one worker-thread call, as POST /api/checkins does.
    return {"n": await anyio.to_thread.run_sync(_work, db, 1)}


def sync_page(db: DB) -> dict[str, int]:
    return {"n": _work(db, 2)}


def _app(*endpoints: tuple[str, Callable[..., Any]]) -> FastAPI:
    app = FastAPI()
    for path, endpoint in endpoints:
        app.add_api_route(path, endpoint, methods=["POST"])
    return app


def test_the_checker_reports_an_async_route_that_uses_its_session() -> None:
    found = offenders(_app(("/bad", bad_page)))
    assert len(found) == 1
    assert found[0].startswith("POST /bad: tests.test_request_model.bad_page (line ")
    assert "uses `db` on the event loop" in found[0]


def test_the_checker_reports_an_async_dependency_that_uses_a_session() -> None:
    found = offenders(_app(("/dep", uses_bad_dependency)))
    assert len(found) == 1 and "bad_dependency" in found[0] and "`session`" in found[0]


def test_the_checker_lets_a_session_go_to_a_worker_thread_and_sync_routes_be() -> None:
    assert offenders(_app(("/good", good_page), ("/sync", sync_page))) == []


# --- the runtime guard -----------------------------------------------------------------

def test_a_statement_on_the_event_loop_fails_the_router_test(app: Any,
                                                              client: TestClient) -> None:
    app.add_api_route("/blocking", bad_page, methods=["POST"])
    with pytest.raises(BlockingOnEventLoop, match="ran on the event loop"):
        client.post("/blocking")
    # The same work in a worker thread passes.
    app.add_api_route("/threaded", good_page, methods=["POST"])
    assert client.post("/threaded").json() == {"n": 1}


def test_the_tests_own_statements_in_the_main_thread_pass(app: Any, db: Session) -> None:
    assert db.execute(text("SELECT 1")).scalar_one() == 1
    # Playwright's sync API leaves its loop marked as running in the main thread.
    loop = asyncio.new_event_loop()
    asyncio._set_running_loop(loop)
    try:
        assert db.execute(text("SELECT 2")).scalar_one() == 2
    finally:
        asyncio._set_running_loop(None)
        loop.close()


# --- the one form helper ----------------------------------------------------------------

def test_a_row_without_a_quota_keeps_its_place(client: TestClient, admin: Any,
                                               api_headers: dict[str, str]) -> None:
    csrf = login_page_client(client, admin.email)
    r = client.post("/trainings", data={
        "csrf_token": csrf, "title": "Pelatihan Kader", "kind": "pelatihan",
        "start_date": "2018-09-12", "end_date": "2018-09-18", "timezone": "Asia/Jakarta",
        "category_name": ["Kader BKB", "Kader BKR", ""], "category_quota": ["", "40", ""]},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    training = client.get(f"/api{r.headers['location']}", headers=api_headers).json()
    assert [(c["name"], c["quota"]) for c in training["categories"]] == [
        ("Kader BKB", None), ("Kader BKR", 40)]
