"""The app as a process: health endpoints, several workers, pool settings."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import DB_KIND
from tests.dbutil import fresh_database
from tests.helpers import post_login


def test_health_endpoints(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok"}


def test_pool_sizes_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from service.db import get_engine
    from service.settings import get_settings

    # Building an engine does not connect, so no server is needed here.
    monkeypatch.setenv("BIMTEK_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1:1/x")
    monkeypatch.setenv("BIMTEK_DB_POOL_SIZE", "3")
    monkeypatch.setenv("BIMTEK_DB_MAX_OVERFLOW", "1")
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        engine = get_engine()
        assert engine.pool.size() == 3  # type: ignore[attr-defined]
        assert engine.pool._max_overflow == 1  # type: ignore[attr-defined]
        engine.dispose()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        get_engine.cache_clear()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_runs_several_worker_processes() -> None:
    with fresh_database(DB_KIND, "serve") as url:
        port = _free_port()
        env = {**os.environ, "BIMTEK_DATABASE_URL": url, "BIMTEK_THREADPOOL_SIZE": "4"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--workers", "2",
             "--log-level", "warning"], env=env, cwd=Path(__file__).parents[1],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            assert httpx.get(f"http://127.0.0.1:{port}/readyz").json() == {"status": "ok"}
            children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                      text=True).stdout.split()
            # uvicorn's supervisor forks one process per worker (plus, on some
            # versions, a resource tracker).
            assert len(children) >= 2, children
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def test_error_pages_render_with_the_real_session(tmp_path: Path, monkeypatch: object) -> None:
    """Without the test's shared session: the error handler renders after the request's
    own session has rolled back and closed, and must not touch ORM rows then."""
    from fastapi.testclient import TestClient

    from service import migrate
    from service.db import get_engine, open_session
    from service.main import create_app
    from service.services.auth import create_admin
    from service.settings import get_settings

    url = f"sqlite:///{tmp_path / 'errors.db'}"
    monkeypatch.setenv("BIMTEK_DATABASE_URL", url)  # type: ignore[attr-defined]
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        migrate.upgrade(url)
        with open_session() as db:
            create_admin(db, "admin@errors.test", "a-long-password", "Dinas")
            db.commit()
        with TestClient(create_app(worker=False)) as client:
            post_login(client, "admin@errors.test", "a-long-password")
            r = client.get("/trainings/999999")
            assert r.status_code == 404 and "Pelatihan tidak ditemukan" in r.text
            assert 'href="/settings"' in r.text  # the top bar still knows the admin
            r = client.post("/batches/999999/delete", headers={"X-CSRF-Token": "forged"})
            assert r.status_code == 403
    finally:
        get_engine().dispose()
        get_settings.cache_clear()
        get_engine.cache_clear()


def test_the_demo_says_where_to_log_in() -> None:
    """`make run` passes its address, so the printed hint is the one that answers."""
    from tests.live import run_cli

    with fresh_database(DB_KIND, "democli") as url:
        env = {**os.environ, "BIMTEK_DATABASE_URL": url}
        out = run_cli(["demo", "--url", "http://127.0.0.1:8899/", "--password",
                       "demo-password-1"], env)
        assert "log in at http://127.0.0.1:8899/login as admin@padang.demo" in out
        again = run_cli(["demo", "--if-empty"], env)
        assert "demo not seeded" in again
