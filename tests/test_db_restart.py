"""A database restart costs one request a clear 503, never a 500, and the next request
finds a fresh connection (pre-ping is off by default: it costs a round trip each time)."""


import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import DB_KIND
from tests.dbutil import PG_ADMIN_URL
from tests.live import live_app

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
