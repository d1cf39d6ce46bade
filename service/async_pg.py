"""A few PostgreSQL connections for the event loop itself (psycopg's async API).

Only the door's fast lane uses them (service/middleware/checkin_lane.py): a batch of
check-ins there is one statement in autocommit, awaited on the event loop, with no
worker thread, no ORM session and no transaction to begin and commit. Everything else goes
through SQLAlchemy's pool (service/db.py).
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from psycopg import AsyncConnection
from sqlalchemy.engine import make_url

APPLICATION_NAME = "bimtek-checkin-lane"


def conninfo(database_url: str) -> str:
    """psycopg's connection string for a SQLAlchemy URL (postgresql+psycopg://...),
    named so that pg_stat_activity tells these connections apart."""
    url = make_url(database_url).set(drivername="postgresql")
    url = url.update_query_dict({"application_name": APPLICATION_NAME})
    return url.render_as_string(hide_password=False)


class AsyncPgPool:
    """At most `size` connections, opened on first use in the running event loop; a
    request waits here (without a thread) while all are busy. A connection that fails
    in use is closed rather than returned, and replaced by the next request."""

    def __init__(self, database_url: str, size: int) -> None:
        self.conninfo = conninfo(database_url)
        self.size = max(1, size)
        self._idle: list[AsyncConnection] = []
        self._slots: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        loop = asyncio.get_running_loop()
        if loop is not self._loop or self._slots is None:
            # Connections and the semaphore belong to one event loop (a test client may
            # start another): begin afresh in this one.
            for stale in self._idle:
                stale.pgconn.finish()
            self._idle, self._slots, self._loop = [], asyncio.Semaphore(self.size), loop
        async with self._slots:
            conn = self._idle.pop() if self._idle else None
            if conn is None or conn.closed:
                conn = await AsyncConnection.connect(self.conninfo, autocommit=True)
                # These connections run a few fixed statements, prepared (psycopg does
                # after a few runs) and never better planned for their parameters: the
                # lane's batch statement has one, a JSON text. Left to choose, PostgreSQL
                # plans it afresh now and then (~2.5 ms of CPU each time, as much as
                # writing 30 check-ins).
                await conn.execute("SET plan_cache_mode = force_generic_plan")
            try:
                yield conn
            except BaseException:
                # Its state is unknown (a statement cut off, a dead server): drop it.
                await conn.close()
                raise
            self._idle.append(conn)
