"""A database restart costs one request a clear 503, never a 500, and the next request
finds a fresh connection (pre-ping is off by default: it costs a round trip each time)."""

import os

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import DB_KIND
from tests.dbutil import PG_ADMIN_URL, fresh_database, pg_available
from tests.live import REPO, run_cli, serve

EMAIL, PASSWORD = "restart@padang.test", "restart-password-1"


@pytest.mark.postgres
def test_connections_killed_by_a_restart_give_503_then_recover() -> None:
    if DB_KIND != "postgresql":
        pytest.skip("a PostgreSQL restart (SQLite has no server to restart)")
    if not pg_available():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is required under CI=true")
        pytest.skip("PostgreSQL is not running")
    with fresh_database("postgresql", "restart") as url:
        env = {**os.environ, "BIMTEK_DATABASE_URL": url, "BIMTEK_DB_POOL_SIZE": "1"}
        run_cli(["migrate"], env)
        run_cli(["create-admin", EMAIL, "--password", PASSWORD, "--org", "Restart"], env)
        with serve(env, REPO / "test-artifacts" / "restart.log") as base, \
                httpx.Client(base_url=base, timeout=20) as client:
            token = client.post("/api/auth/token",
                                data={"username": EMAIL, "password": PASSWORD})
            client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
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
