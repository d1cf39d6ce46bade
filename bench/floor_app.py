"""The bench's floor: the cheapest durable check-in this machine can serve, as a bare
ASGI app, so that the check-in ceiling can be read against what a write costs here at
all, whatever the application around it does.

POST /api/checkins reads the same body the scanner sends (bench/wrk/checkins.lua) and,
with no login, no ticket signature, no registration and no foreign key, writes one row
per request (its nonce unique, its code beside it) into a table of its own. The writes
go exactly as the door's fast lane sends them (service/middleware/checkin_lane.py):
batched while the database is busy (the same Batches), one statement per batch (a JSON
parameter read by json_to_recordset), in autocommit over the same async psycopg pool,
each batch one durable commit. Anything else answers as the bare ping does. Served as
`bimtek serve` serves Bimtek (bench.ping_app's options, processes and access log).

    BIMTEK_DATABASE_URL=postgresql+psycopg://... \
        .venv/bin/python -m bench.floor_app --port 8001 --workers 2
"""

import json
import os
from collections.abc import Generator
from typing import Any

from psycopg import AsyncConnection
from sqlalchemy import create_engine, text
from starlette.types import Receive, Scope, Send

from bench import ping_app
from bench.ping_app import BODY, HEADERS, lifespan
from service.async_pg import AsyncPgPool
from service.middleware.checkin_lane import Batches
from service.settings import get_settings

TABLE = "bench_floor_checkin"
_CREATED_HEADERS = [(b"content-type", b"application/json"),
                    (b"server-timing", b'checkin;desc="floor"')]
_WRITE = (f"INSERT INTO {TABLE} (nonce, code) SELECT nonce, code "
          f"FROM json_to_recordset(%(rows)s::json) AS sent(nonce text, code text) "
          f"ON CONFLICT DO NOTHING RETURNING nonce").encode()

# A decision, as the lane's Batches drive them: yields its write, returns its answer.
Decision = Generator[tuple[str, Any], Any, Any]


def _sql(database_url: str, statement: str) -> Any:
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement))
            return result.scalar() if result.returns_rows else None
    finally:
        engine.dispose()


def create_table(database_url: str) -> None:
    """The floor's table, empty (the bench calls this before each floor run)."""
    drop_table(database_url)
    _sql(database_url, f"CREATE TABLE {TABLE} (id bigserial PRIMARY KEY, "
                       "nonce text NOT NULL UNIQUE, code text NOT NULL, "
                       "recorded_at timestamptz NOT NULL DEFAULT now())")


def empty_table(database_url: str) -> None:
    _sql(database_url, f"TRUNCATE {TABLE}")


def drop_table(database_url: str) -> None:
    _sql(database_url, f"DROP TABLE IF EXISTS {TABLE}")


def count_rows(database_url: str) -> int:
    return int(_sql(database_url, f"SELECT count(*) FROM {TABLE}"))


class Floor:
    def __init__(self, database_url: str) -> None:
        # As many connections, and so batches in flight, per process as the lane has.
        connections = get_settings().checkin_lane_connections
        self.pool = AsyncPgPool(database_url, connections)
        self.batches = Batches(self._run, connections)

    async def _run(self, decisions: list[Any]) -> list[Any]:
        rows = [next(d)[1] for d in decisions]
        async with self.pool.connection() as conn:
            written = await _write(conn, rows)
        return [row["nonce"] in written for row in rows]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["method"] != "POST":
            await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
            await send({"type": "http.response.body", "body": BODY})
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        scan = json.loads(body)
        row = {"nonce": scan["nonce"], "code": scan["code"]}
        written = await self.batches.decide(_decide(row))
        answer = json.dumps({"status": "checked_in" if written else "already_checked_in",
                             "nonce": row["nonce"]}).encode()
        await send({"type": "http.response.start", "status": 201 if written else 200,
                    "headers": [*_CREATED_HEADERS,
                                (b"content-length", str(len(answer)).encode())]})
        await send({"type": "http.response.body", "body": answer})


def _decide(row: dict[str, str]) -> Decision:
    written = yield "write", row
    return written


async def _write(conn: AsyncConnection, rows: list[dict[str, str]]) -> set[str]:
    cursor = await conn.execute(_WRITE, {"rows": json.dumps(rows)})
    return {r[0] for r in await cursor.fetchall()}


def create_app() -> Floor:
    return Floor(os.environ["BIMTEK_DATABASE_URL"])


def main(argv: list[str] | None = None) -> int:
    return ping_app.main(argv, "bench.floor_app:create_app", __doc__)


if __name__ == "__main__":
    raise SystemExit(main())
