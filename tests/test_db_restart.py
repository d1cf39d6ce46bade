"""A database restart costs one request a clear 503, never a 500, and the next request
finds a fresh connection (pre-ping is off by default: it costs a round trip each time).
A database that cannot be reached at all, or a commit that fails, is a 503 with a retry
hint for every kind of request, JSON under /api, a page elsewhere."""

import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from service.errors import database_unavailable
from tests.conftest import DB_KIND
from tests.dbutil import PG_ADMIN_URL
from tests.live import REPO, free_port, live_app

EMAIL, PASSWORD = "restart@padang.test", "restart-password-1"


@pytest.mark.postgres
def test_connections_killed_by_a_restart_give_503_then_recover() -> None:
    if DB_KIND != "postgresql":
        pytest.skip("a PostgreSQL restart (SQLite has no server to restart)")
    with live_app("restart", EMAIL, PASSWORD, kind="postgresql", timeout=20,
                  env={"BIMTEK_DB_POOL_SIZE": "1"}) as (client, url):
        assert client.get("/api/auth/me").status_code == 200
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            killed = conn.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :db"), {"db": make_url(url).database}).scalar()
        admin.dispose()
        assert killed >= 1
        # The process's one pooled connection is dead: its next request learns it.
        first = client.get("/api/auth/me")
        assert first.status_code == 503, first.text
        assert first.json()["code"] == "database_unavailable"
        assert first.json()["message"].startswith("Basis data")
        assert client.get("/api/auth/me").status_code == 200


# --- a database that cannot be reached at all ----------------------------------------------


MESSAGE = "Basis data tidak menjawab. Coba lagi sebentar lagi."
TOKEN = "AbCdEfGhIjKlMnOpQrStUv"
# Every kind of request: public pages, the login, pages behind a session (read and form),
# the JSON API with a token (read, write, the door's check-in), readiness.
REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/readyz", {}),
    ("GET", "/login", {}),
    ("POST", "/login", {"data": {"email": "a@padang.test", "password": "x" * 12}}),
    ("GET", "/trainings", {"cookies": {"bimtek_session": TOKEN}}),
    ("POST", "/trainings", {"cookies": {"bimtek_session": TOKEN},
                            "data": {"title": "X", "csrf_token": "y"}}),
    ("GET", f"/t/{TOKEN}", {}),
    ("GET", f"/daftar/{TOKEN}", {}),
    ("GET", f"/v/{TOKEN}", {}),
    ("POST", "/api/auth/token", {"data": {"username": "a@padang.test", "password": "x"}}),
    ("GET", "/api/trainings", {"headers": {"Authorization": f"Bearer {TOKEN}"}}),
    ("POST", "/api/trainings", {"headers": {"Authorization": f"Bearer {TOKEN}"},
                                "json": {"title": "X"}}),
    ("POST", "/api/checkins", {"headers": {"Authorization": f"Bearer {TOKEN}"},
                               "json": {"code": "BT1.abc", "nonce": "n-1"}}),
]


@contextmanager
def _served(database_url: str, label: str) -> Iterator[str]:
    """The app served by uvicorn against `database_url`, without migrating first (which
    `bimtek serve` does, and which needs the database)."""
    port = free_port()
    log = REPO / "test-artifacts" / f"{label}.log"
    log.parent.mkdir(exist_ok=True)
    env = {**os.environ, "BIMTEK_DATABASE_URL": database_url}
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "uvicorn", "service.main:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            else:
                pytest.fail(f"the app did not start:\n{log.read_text()[-3000:]}")
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=15)


def _closed_port() -> int:
    """A local port nobody listens on: connections to it are refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _every_request_is_a_503(base: str) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        assert client.get("/healthz").status_code == 200  # the process itself is fine
        for method, path, given in REQUESTS:
            options = dict(given)
            client.cookies.clear()
            client.cookies.update(options.pop("cookies", {}))
            r = client.request(method, path, **options)
            assert r.status_code == 503, (method, path, r.status_code, r.text[:300])
            assert r.headers.get("retry-after") == "5", (method, path)
            if path.startswith(("/api", "/readyz")):
                assert r.json()["code"] == "database_unavailable", (method, path)
                assert r.json()["message"] == MESSAGE
            else:
                assert r.headers["content-type"].startswith("text/html"), (method, path)
                assert MESSAGE in r.text, (method, path)


def test_an_unreachable_postgresql_gives_503_with_a_retry_hint_everywhere() -> None:
    if DB_KIND != "postgresql":
        pytest.skip("the PostgreSQL suite's case (SQLite's is below)")
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/bimtek"
    with _served(url, "unreachable-postgresql") as base:
        _every_request_is_a_503(base)


def test_an_sqlite_file_that_cannot_be_opened_gives_503_everywhere() -> None:
    if DB_KIND != "sqlite":
        pytest.skip("the SQLite suite's case (PostgreSQL's is above)")
    # A folder where the database file should be: "unable to open database file".
    folder = Path(tempfile.mkdtemp(prefix="bimtek-unopenable-"))
    with _served(f"sqlite:///{folder}", "unopenable-sqlite") as base:
        _every_request_is_a_503(base)


def test_a_failure_while_the_request_commits_is_a_503(engine: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from service import db as service_db
    from service.main import create_app
    from service.settings import get_settings

    finish = service_db._finish

    def commit_fails(session: Any, failed: bool) -> None:
        if failed:
            finish(session, failed)
            return
        finish(session, True)
        raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(service_db, "_finish", commit_fails)
    monkeypatch.setattr(get_settings(), "secret_key", "")  # the secret is read from the table
    app = create_app(checkin_lane=False, worker=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        # A refusal rolls back: nothing to commit, nothing fails. (Not a failed login: its
        # attempt is counted for real in the suite's database and would lock later tests.)
        r = client.get("/api/trainings")
        assert r.status_code == 401
        # The login page reads the form-signing secret, so its unit of work ends in a commit.
        r = client.get("/login")
        assert r.status_code == 503 and r.headers["retry-after"] == "5", r.text
        assert MESSAGE in r.text


@pytest.mark.parametrize(("error", "unavailable"), [
    (OperationalError("x", {}, sqlite3.OperationalError("database is locked")), True),
    (OperationalError("x", {}, sqlite3.OperationalError("unable to open database file")), True),
    (OperationalError("x", {}, sqlite3.OperationalError("no such table: training")), False),
    (ProgrammingError("x", {}, sqlite3.ProgrammingError("bad parameter")), False),
    (OperationalError("x", {}, psycopg.OperationalError("connection refused")), True),
    (psycopg.OperationalError("server closed the connection unexpectedly"), True),
    (PoolTimeout("QueuePool limit reached"), True),
    (ValueError("not a database error"), False),
])
def test_which_errors_mean_the_database_is_unavailable(error: Exception,
                                                        unavailable: bool) -> None:
    assert database_unavailable(error) is unavailable
