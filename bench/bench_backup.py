"""Backup and restore of the province (bench/province_data.py: 200 offices, ~500,000
registrations, 1.1 million check-ins, its cache in bench/.cache), on SQLite and on
PostgreSQL (when one answers): `bimtek backup`'s work (runs.take, without a run row, so
the cached database is not changed) and `bimtek restore`'s into a new empty database,
with the archive's size.

The reference, measured in the same run: on SQLite, copying the database file (cp) and
`SELECT count(*)` over the registrations; on PostgreSQL, a plain `pg_dump -Fc` to
/dev/null and the same count.

Knobs: BENCH_BACKUP_DB=sqlite|postgresql (one of them), BENCH_PROVINCE_SCALE (province_data).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text

from bench import province_data
from service.db import make_engine
from service.services.backups import runs, snapshot
from service.settings import Settings
from tests.dbutil import fresh_database, pg_available


def _seconds(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


def _count(url: str) -> float:
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            return _seconds(lambda: conn.execute(
                text("SELECT count(*) FROM registration")).scalar_one())
    finally:
        engine.dispose()


def _one(kind: str) -> Iterator[str]:
    built = province_data.ensure(kind)
    yield f"{kind}: {built.summary()}"
    folder = Path(tempfile.mkdtemp(prefix="bimtek-bench-backup-"))
    settings = Settings(database_url=built.url, backup_dir=str(folder))
    engine = make_engine(built.url, pool_size=2)
    try:
        if kind == "sqlite":
            source = snapshot.sqlite_file(built.url)
            copy = folder / "copy.db"
            ref = _seconds(lambda: shutil.copyfile(source, copy))
            yield (f"  reference: cp of the database file {ref:.2f} s "
                   f"({source.stat().st_size / 1e6:,.0f} MB)")
            copy.unlink()
        else:
            dump = snapshot.checked_tool(settings, "pg_dump", 0)
            ref = _seconds(lambda: subprocess.run(  # noqa: S603
                [dump, "--format=custom", "--no-sync", "--file=/dev/null"],
                env=snapshot.pg_env(built.url), check=True))
            yield f"  reference: plain pg_dump -Fc to /dev/null {ref:.2f} s"
        yield f"  reference: SELECT count(*) FROM registration {_count(built.url) * 1000:.0f} ms"
        target = folder / "province.zip"
        outcome = None

        def backup() -> None:
            nonlocal outcome
            outcome = runs.take(engine, settings, None, target)

        took = _seconds(backup)
        assert outcome is not None
        rows = sum(outcome.manifest["row_counts"].values())
        yield (f"  backup:  {took:.2f} s, archive {outcome.size / 1e6:,.1f} MB "
               f"({rows:,} rows; {outcome.manifest['row_counts']['registration']:,} "
               f"registrations)")
        with fresh_database(kind, "bkbench") as url:
            done = None

            def restore() -> None:
                nonlocal done
                done = runs.restore(target, url, settings)

            took = _seconds(restore)
            assert done is not None and done.counts == outcome.manifest["row_counts"]
            yield f"  restore: {took:.2f} s into an empty database (row counts checked)"
    finally:
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def run() -> Iterator[str]:
    only = os.environ.get("BENCH_BACKUP_DB")
    for kind in ("sqlite", "postgresql"):
        if only and only != kind:
            continue
        if kind == "postgresql" and not pg_available():
            yield "postgresql: not running, skipped"
            continue
        yield from _one(kind)


def main() -> int:
    for line in run():
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
