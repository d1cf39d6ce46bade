"""Committee pages with the Padang demo loaded: latency and SQL statements per request.

Runs on a fresh SQLite database, and on a fresh PostgreSQL database too when one
answers at tests.dbutil.PG_ADMIN_URL (created and dropped here).
"""

import math
import os
import shutil
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import col, select

from tests.dbutil import fresh_database, pg_available
from tests.helpers import post_login

N = 30          # timed requests per page
WARMUP = 2      # untimed first requests: template compilation, caches
SLOW_MS = 100.0
# Printed documents (agenda, rosters, daftar hadir, the activity report) are downloads,
# not pages to click through: the bar for them is a second.
SLOW_DOCUMENT_MS = 1000.0
DOCUMENTS = (".pdf", ".xlsx", ".csv")
EMAIL, PASSWORD = "bench@padang.demo", "bench-padang-2018"
# Transaction control is not work the page asked for.
_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


@dataclass
class Row:
    path: str
    median_ms: float
    p95_ms: float
    statements: int
    status: int


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _use_database(url: str) -> None:
    # Settings and the engine are cached per process: point both at this database.
    from service.db import get_engine
    from service.settings import get_settings

    os.environ["BIMTEK_DATABASE_URL"] = url
    get_settings.cache_clear()
    get_engine.cache_clear()


def _bench(kind: str, url: str) -> Iterator[str]:
    from service import migrate
    from service.db import get_engine, open_session
    from service.main import create_app
    from service.models import AgendaSession
    from service.services.demo import seed_demo

    _use_database(url)
    started = time.perf_counter()
    migrate.upgrade(url)
    migrated = time.perf_counter() - started
    engine = get_engine()
    started = time.perf_counter()
    with open_session() as db:
        demo = seed_demo(db, admin_email=EMAIL, admin_password=PASSWORD)
        db.commit()
        batch_id = demo.batch_ids[0]
        session_id = db.exec(select(AgendaSession.id).where(
            AgendaSession.batch_id == batch_id, AgendaSession.kind == "material")
            .order_by(col(AgendaSession.date), col(AgendaSession.start_time))).first()
    seeded = time.perf_counter() - started
    yield (f"{kind} ({engine.dialect.name}): migrate {migrated:.2f} s, demo seed {seeded:.2f} s "
           f"({demo.summary})")

    count = [0]

    def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(_CONTROL):
            count[0] += 1

    event.listen(engine, "before_cursor_execute", _count)
    tid = demo.training_id
    pages = [
        "/trainings", f"/trainings/{tid}", f"/trainings/{tid}/edit",
        f"/trainings/{tid}/batches/new", f"/batches/{batch_id}", f"/batches/{batch_id}/edit",
        f"/sessions/{session_id}/edit", "/speakers", "/venues", "/users",
        f"/batches/{batch_id}/agenda.pdf", f"/api/trainings/{tid}",
        f"/trainings/{tid}/report", f"/trainings/{tid}/report.pdf",
        f"/trainings/{tid}/certificates", f"/trainings/{tid}/certificates?q=kader&page=2",
        f"/trainings/{tid}/rosters", f"/api/batches/{batch_id}/roster.pdf",
        f"/api/batches/{batch_id}/roster.xlsx", f"/batches/{batch_id}/daftar-hadir.pdf",
    ]
    rows: list[Row] = []
    try:
        with TestClient(create_app(worker=False)) as client:
            login = post_login(client, EMAIL, PASSWORD)  # with the form's CSRF token
            assert login.status_code == 303, login.text
            token = client.post("/api/auth/token",
                                data={"username": EMAIL, "password": PASSWORD})
            assert token.status_code == 200, token.text
            bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
            for path in pages:
                headers = bearer if path.startswith("/api/") else {}
                for _ in range(WARMUP):
                    client.get(path, headers=headers)
                times, statements, status = [], [], 0
                for _ in range(N):
                    before = count[0]
                    t0 = time.perf_counter()
                    response = client.get(path, headers=headers, follow_redirects=False)
                    times.append((time.perf_counter() - t0) * 1000)
                    statements.append(count[0] - before)
                    status = response.status_code if response.status_code != 200 else status
                rows.append(Row(path, statistics.median(times), _p95(times), max(statements),
                                status or 200))
    finally:
        event.remove(engine, "before_cursor_execute", _count)
        engine.dispose()

    width = max(len(r.path) for r in rows)
    yield f"  {'path':<{width}}  {'median ms':>9}  {'p95 ms':>7}  {'SQL/req':>7}"
    for r in rows:
        flags = []
        limit = SLOW_DOCUMENT_MS if r.path.endswith(DOCUMENTS) else SLOW_MS
        if r.median_ms > limit:
            flags.append(f"SLOW (median > {limit:.0f} ms)")
        if r.status != 200:
            flags.append(f"HTTP {r.status}")
        yield (f"  {r.path:<{width}}  {r.median_ms:9.1f}  {r.p95_ms:7.1f}  {r.statements:7d}"
               + ("  " + ", ".join(flags) if flags else ""))


def run() -> Iterator[str]:
    kinds = ["sqlite"] + (["postgresql"] if pg_available() else [])
    if len(kinds) == 1:
        yield "PostgreSQL does not answer: SQLite only"
    previous = os.environ.get("BIMTEK_DATABASE_URL")
    try:
        for kind in kinds:
            with fresh_database(kind, "bench") as url:
                yield from _bench(kind, url)
            if kind == "sqlite":
                # fresh_database leaves SQLite's temp folder behind (tests reuse that).
                shutil.rmtree(os.path.dirname(url.removeprefix("sqlite:///")),
                              ignore_errors=True)
    finally:
        if previous is None:
            os.environ.pop("BIMTEK_DATABASE_URL", None)
        else:
            os.environ["BIMTEK_DATABASE_URL"] = previous
        _use_database(os.environ.get("BIMTEK_DATABASE_URL", ""))
