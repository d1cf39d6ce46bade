"""Test databases: a fresh one per run, built by migrating, on SQLite or PostgreSQL."""

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ADMIN_URL = os.environ.get("BIMTEK_TEST_PG_ADMIN_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pg_available() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False


@contextmanager
def fresh_database(kind: str, label: str = "t") -> Iterator[str]:
    """Yield the URL of a new empty database of `kind` ("sqlite" or "postgresql"); drop it after."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix=f"bimtek-{label}-"))
        yield f"sqlite:///{folder / 'test.db'}"
        return
    name = f"bimtek_{label}_{secrets.token_hex(4)}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
