"""The check-in bench's floor (bench/floor_app.py): one durable row per scan, batched as
the door's lane batches, so that the figure it prints is a real write and not a ping."""

import asyncio
import os

import httpx
import pytest

from bench import floor_app
from tests.dbutil import fresh_database, pg_available


def _scan(nonce: str) -> dict[str, str]:
    return {"code": f"BKT1.{nonce}.sig", "nonce": nonce}


async def _scans(url: str) -> tuple[list[httpx.Response], httpx.Response, httpx.Response]:
    app = floor_app.Floor(url)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://floor") as client:
        crowd = await asyncio.gather(*(client.post("/api/checkins", json=_scan(f"n{i}"))
                                       for i in range(40)))
        again = await client.post("/api/checkins", json=_scan("n7"))
        ping = await client.get("/healthz")
    return list(crowd), again, ping


def test_the_floor_writes_one_row_per_scan_through_the_lanes_batches() -> None:
    if not pg_available():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is required under CI=true")
        pytest.skip("PostgreSQL is not running")
    with fresh_database("postgresql", "benchfloor") as url:
        floor_app.create_table(url)
        crowd, again, ping = asyncio.run(_scans(url))
        assert [r.status_code for r in crowd] == [201] * 40
        assert {r.json()["nonce"] for r in crowd} == {f"n{i}" for i in range(40)}
        # a nonce already written is not written again
        assert again.status_code == 200 and again.json()["status"] == "already_checked_in"
        assert floor_app.count_rows(url) == 40
        assert ping.status_code == 200 and ping.content == b'{"status":"ok"}'
        floor_app.drop_table(url)
