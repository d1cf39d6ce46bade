"""Fixtures: one migrated database per test run, a rolled-back transaction per test.

BIMTEK_TEST_DB=postgresql runs the suite on PostgreSQL (tests/run_postgres.py does).
"""

import asyncio
import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.dbutil import fresh_database, pg_available

DB_KIND = os.environ.get("BIMTEK_TEST_DB", "sqlite")


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    if DB_KIND == "postgresql" and not pg_available():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is required under CI=true but does not answer")
        pytest.skip("PostgreSQL is not running")
    with fresh_database(DB_KIND, "suite") as url:
        os.environ["BIMTEK_DATABASE_URL"] = url
        from service.settings import get_settings

        get_settings.cache_clear()
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    from service import migrate
    from service.db import get_engine

    migrate.upgrade(database_url)
    get_engine.cache_clear()
    engine = get_engine()
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test; the app's
    commits become savepoints."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint",
                      expire_on_commit=False)
    yield session
    session.close()
    outer.rollback()
    connection.close()


class BlockingOnEventLoop(AssertionError):
    """A database statement ran on the thread of a running event loop."""


def refuse_on_event_loop(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
    """before_cursor_execute: fail a statement that runs on the event loop.

    A blocking call on the loop stalls every request of the process, and one that waits
    for a lock held by another request on the same loop stops it for good (three public
    registrations at once did). TestClient runs the app on a loop in a thread of its own
    and sync routes in worker threads (no running loop there). The main thread is left
    alone: the tests and fixtures work there, and Playwright's sync API keeps its own loop
    marked as running in it between calls (browser tests earlier in the run)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    if threading.current_thread() is threading.main_thread():
        return
    raise BlockingOnEventLoop(
        "a database statement ran on the event loop: make the route (or dependency) a "
        "plain `def`, or hand the work to anyio.to_thread.run_sync; statement: "
        + statement[:120])


@pytest.fixture(scope="session")
def _one_app(engine: Engine) -> Any:
    """The application, made once for the whole run. FastAPI works out each route's
    dependencies on an app's first request to it (0.15-0.4 s per app here, paid again
    by every test that made its own); the `app` fixture gives each test this one afresh:
    its own dependency overrides, its own middleware stack (the admission gate belongs to
    one event loop, and each TestClient brings its own), and no route a test added."""
    from service.main import create_app

    return create_app(checkin_lane=False, worker=False)


@pytest.fixture
def app(db: Session, engine: Engine, _one_app: Any) -> Iterator[Any]:
    from service.db import get_aside_db, get_db

    application = _one_app

    def _test_db() -> Iterator[Session]:
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise

    routes = len(application.router.routes)
    application.dependency_overrides.clear()
    application.dependency_overrides[get_db] = _test_db
    # Bookkeeping that commits on its own (rate limits) shares the test's transaction.
    application.dependency_overrides[get_aside_db] = lambda: db
    application.middleware_stack = None  # built again on the first request
    # Every router test fails on a blocking database call on the event loop.
    event.listen(engine, "before_cursor_execute", refuse_on_event_loop)
    try:
        yield application
    finally:
        event.remove(engine, "before_cursor_execute", refuse_on_event_loop)
        application.dependency_overrides.clear()
        del application.router.routes[routes:]


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def org(db: Session) -> Any:
    from service.services.auth import get_or_create_organization

    return get_or_create_organization(db, "DP3AP2KB Kota Padang")


PASSWORD = "correct-horse-battery"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "production_hashing: hash passwords at the production argon2 cost")


@pytest.fixture(autouse=True)
def _cheap_password_hashing(request: pytest.FixtureRequest,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Passwords are hashed and checked by the same code and algorithm (argon2id) at
    argon2's lowest cost: the production cost (~0.15 s a hash or a check here) was paid
    by every test that makes a user or logs in, a minute or more of the suite. Both the
    real hashes and the unknown-email dummy change together, so a login still takes as
    long whether or not the account exists. Only this process: live servers keep the
    production cost. A test about the cost itself is marked production_hashing."""
    if request.node.get_closest_marker("production_hashing"):
        return
    from argon2 import PasswordHasher

    from service.services import auth

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    # raising=False: should auth's names change, the suite runs at full cost, not fails.
    monkeypatch.setattr(auth, "_hasher", cheap, raising=False)
    monkeypatch.setattr(auth, "_DUMMY_HASH", cheap.hash("not-a-real-password"), raising=False)


@pytest.fixture
def admin(db: Session, org: Any) -> Any:
    from service.services.auth import create_user

    return create_user(db, email="admin@padang.test", password=PASSWORD, name="Admin",
                       role="admin", organization=org)


@pytest.fixture
def api(client: TestClient, admin: Any) -> TestClient:
    """A client carrying a committee admin's bearer token."""
    r = client.post("/api/auth/token", data={"username": admin.email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return client


@pytest.fixture
def count_queries(engine: Engine) -> Iterator[list[str]]:
    """Collect the SQL statements run while the test executes."""
    statements: list[str] = []

    def _before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", _before)
    yield statements
    event.remove(engine, "before_cursor_execute", _before)


@pytest.fixture
def api_headers(client: TestClient, admin: Any) -> dict[str, str]:
    """A bearer header for the admin, for tests that also use the page session."""
    r = client.post("/api/auth/token", data={"username": admin.email, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


# --- the whole demo, seeded once per test module ------------------------------------------

DEMO_EMAIL, DEMO_PASSWORD = "Admin@Padang.Demo", "demo-padang-2018"


@pytest.fixture(scope="module")
def seeded_demo(engine: Engine) -> Iterator[tuple[Any, Any]]:
    """The demo `bimtek demo` seeds, once for a module whose tests read it (seeding takes
    seconds; thirty tests that each seeded it cost the suite minutes). It stays in a
    transaction held open for the module and rolled back after it, like `db`'s."""
    from service.services.demo import seed_demo

    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint",
                      expire_on_commit=False)
    result = seed_demo(session, admin_email=DEMO_EMAIL, admin_password=DEMO_PASSWORD)
    session.commit()  # a savepoint released into `outer`, which is rolled back at the end
    session.close()
    yield connection, result
    outer.rollback()
    connection.close()


@pytest.fixture
def demo_db(seeded_demo: tuple[Any, Any]) -> Iterator[Session]:
    """A session over the seeded demo; what a test changes is rolled back after it (a
    module overrides `db` with this one)."""
    connection = seeded_demo[0]
    savepoint = connection.begin_nested()
    session = Session(bind=connection, join_transaction_mode="create_savepoint",
                      expire_on_commit=False)
    yield session
    session.close()
    if savepoint.is_active:
        savepoint.rollback()


@pytest.fixture
def demo_trainings(demo_db: Session, seeded_demo: tuple[Any, Any]) -> tuple[Any, Any]:
    """The seeded demo's Padang training and Sumsel workshop, read in `demo_db`."""
    from service.models import Training

    result = seeded_demo[1]
    padang = demo_db.get(Training, result.training_id)
    assert padang is not None and result.province is not None
    province = demo_db.get(Training, result.province.training_id)
    assert province is not None
    return padang, province
