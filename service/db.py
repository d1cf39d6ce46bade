"""Engine and the per-request session: it commits once on success, rolls back on error."""

from collections.abc import AsyncIterator, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import anyio
import anyio.to_thread
from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine

from service.settings import get_settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str, pool_size: int = 4, max_overflow: int = 0, pool_timeout: float = 30.0,
                pre_ping: bool = True) -> Engine:
    """Build an engine; SQLite gets WAL and explicit BEGIN so writers can take IMMEDIATE."""
    if is_sqlite(url):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=NullPool if path in ("", ":memory:") else None,
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        pool_pre_ping=pre_ping,
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling would defer BEGIN and break
        # SAVEPOINT; we emit BEGIN ourselves in the "begin" hook below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A writer takes the write lock up front, so two writers never both read
        # then collide on upgrade: races are settled by the lock, not by luck.
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())


@lru_cache
def get_engine() -> Engine:
    s = get_settings()
    return make_engine(s.database_url, s.db_pool_size, s.db_max_overflow, s.db_pool_timeout,
                       s.db_pre_ping)


def writer_bind(engine: Engine) -> Engine:
    """The engine as a writer: on SQLite its transactions begin IMMEDIATE."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(sqlite_begin="IMMEDIATE")
    return engine


def open_session(write: bool = True) -> Session:
    """A session for work outside a request (CLI, demo seeding, background jobs)."""
    engine = get_engine()
    return Session(writer_bind(engine) if write else engine, expire_on_commit=False)


def _finish(session: Session, failed: bool) -> None:
    try:
        if failed:
            session.rollback()
        else:
            session.commit()
    finally:
        session.close()


async def get_db(request: Request) -> AsyncIterator[Session]:
    """The request's unit of work: commit once if the route returns, roll back if it raises.

    Async, so that it costs no worker-thread hop of its own: opening a session does no
    I/O, and ending one is one hop (commit or rollback, then close) while it still holds
    a transaction, none when the route already committed in its own thread call."""
    session = open_session(write=request.method not in SAFE_METHODS)
    failed = False
    try:
        yield session
    except BaseException:
        failed = True
        raise
    finally:
        if session.in_transaction():
            # Shielded: a cancelled request still rolls back and returns its connection.
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(_finish, session, failed)
        else:
            session.close()


# scope="function": the commit happens before the response is sent, so a client
# never sees 201 for a write that failed to commit.
DB = Annotated[Session, Depends(get_db, scope="function")]


def get_aside_db() -> Iterator[Session]:
    """A second, short unit of work for bookkeeping that must persist even when the
    request fails (rate-limit counters): the caller commits it at once."""
    session = open_session(write=True)
    try:
        yield session
    finally:
        session.close()


AsideDB = Annotated[Session, Depends(get_aside_db, scope="function")]
