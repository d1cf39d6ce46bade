"""Alembic environment: migrates the database named by the settings, or the
connection handed in by the caller (the CLI and the test suite)."""

from alembic import context
from sqlmodel import SQLModel

import service.models  # noqa: F401  (registers every table)
from service.db import make_engine
from service.settings import get_settings

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.attributes.get("url") or get_settings().database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # SQLite alters a table by copying it and dropping the old one; with foreign
            # keys on, that drop would cascade and delete every dependent row (batches,
            # categories...). The pragma only takes effect outside a transaction.
            # Hence straight on the driver's connection, before SQLAlchemy begins one.
            conn.connection.driver_connection.execute(  # type: ignore[union-attr]
                "PRAGMA foreign_keys=OFF")
        _run(conn)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
