"""bench_province's database: a province of 200 offices over five years (2021-2025):
150,000 people, 500,000 registrations, 100 Kampung KB per office (20,000), trainings
with their batches, agenda, check-ins, marks and certificates, programmes of three
stages. Office sizes fall off like a province's (share ~ 1/rank^0.8): the biggest holds
a tenth of everything, the smallest a few hundred people.

The schema comes from the real Alembic migrations; the rows go in by bulk inserts (raw
executemany on SQLite, COPY on PostgreSQL, foreign-key checks off while loading), then
two committee logins are made through the services. Built once and kept:
bench/.cache/province-<key>.db, and the PostgreSQL database bench_province_<key>. The key
hashes the migrations, these generator modules and the scale, so a new migration or
another shape rebuilds it and older copies are removed. A build goes under a temporary
name and is renamed when complete, so an interrupted one is never used.

BENCH_PROVINCE_SCALE=0.05 builds a twentieth (for trying the bench out).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import JSON, Boolean, Date, DateTime, Time, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from bench import province_people as pp
from bench import province_trainings as pt
from service.db import make_engine, writer_bind
from service.migrate import ROOT, upgrade
from tests.dbutil import PG_ADMIN_URL

SEED = 14
ORGS = 200
PEOPLE = 150_000
REGISTRATIONS = 500_000
KKB_PER_ORG = 100
SHARE_EXPONENT = 0.8
SCALE = float(os.environ.get("BENCH_PROVINCE_SCALE", "1"))
CACHE = Path(__file__).resolve().parent / ".cache"
PG_PREFIX = "bench_province_"
PASSWORD = "bench-province-2026"
# Committee logins of the biggest office (id 1) and of the smallest (id ORGS).
BIG_EMAIL, SMALL_EMAIL = "panitia@terbesar.bench", "panitia@terkecil.bench"

COLUMNS: dict[str, tuple[str, ...]] = {
    "organization": ("id", "name", "city", "logo_png", "kampung_kb_target", "created_at"),
    "kampung_kb": pp.KAMPUNG_KB_COLUMNS,
    "participant": pp.PARTICIPANT_COLUMNS,
    "program": ("id", "organization_id", "title", "start_date", "end_date", "description",
                "created_at"),
    "training": ("id", "organization_id", "title", "kind", "start_date", "end_date",
                 "timezone", "venue_id", "description", "region_level", "checkin_mode",
                 "registration_opens_at", "registration_closes_at", "public_code",
                 "registration_batch_choice", "program_id", "program_stage",
                 "ticket_private_key", "ticket_public_key", "created_at"),
    "trainingcategory": ("id", "training_id", "name", "quota", "taken", "position"),
    "batch": ("id", "training_id", "name", "start_date", "end_date", "capacity", "venue_id",
              "meeting_dates", "confirmed_count", "position", "created_at"),
    "agenda_session": ("id", "batch_id", "date", "start_time", "end_time", "title", "kind",
                       "jpl", "room_id", "venue_id", "description", "created_at"),
    "registration": ("id", "training_id", "participant_id", "batch_id", "preferred_batch_id",
                     "category_id", "status", "ticket_token", "contact_key", "source",
                     "created_at", "cancelled_at", "ticket_emailed_at"),
    "checkin": ("id", "registration_id", "batch_id", "day", "slot", "session_id", "scanned_at",
                "recorded_at", "device_id", "method", "nonce", "user_id", "offline"),
    "attendance_mark": ("id", "registration_id", "batch_id", "day", "slot", "session_id",
                        "status", "excuse", "reason", "user_id", "created_at"),
    "certificate": ("id", "organization_id", "training_id", "registration_id", "name", "number",
                    "verification_code", "issued_at", "issued_by", "revoked_at", "revoked_by",
                    "revoke_reason", "link_sent_at"),
    "counter": ("id", "organization_id", "name", "value"),
}


@dataclass
class Built:
    kind: str
    url: str
    cached: bool
    seconds: float | None  # the build's time (when it was built)
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        c = self.counts
        shape = (f"{c.get('organization', 0):,} organizations, {c.get('participant', 0):,} "
                 f"people, {c.get('registration', 0):,} registrations, "
                 f"{c.get('training', 0):,} trainings, {c.get('batch', 0):,} batches, "
                 f"{c.get('checkin', 0):,} check-ins, {c.get('certificate', 0):,} "
                 f"certificates, {c.get('kampung_kb', 0):,} Kampung KB, "
                 f"{c.get('program', 0):,} programmes")
        took = f"{self.seconds:.0f} s" if self.seconds is not None else "unknown time"
        how = f"cached (built in {took})" if self.cached else f"built in {took}"
        return f"{shape}; {how}"


def cache_key() -> str:
    digest = hashlib.sha1(f"{SCALE}".encode())
    here = Path(__file__).resolve().parent
    files = sorted((ROOT / "migrations" / "versions").glob("*.py"))
    files += [here / "province_data.py", here / "province_people.py",
              here / "province_trainings.py"]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def shares() -> list[float]:
    weights = [1 / (k ** SHARE_EXPONENT) for k in range(1, ORGS + 1)]
    return [w / sum(weights) for w in weights]


def _split(total: int, parts: list[float]) -> list[int]:
    out = [int(total * s) for s in parts]
    out[0] += total - sum(out)
    return out


def generate(write: Callable[[str, list[tuple[object, ...]]], None]) -> dict[str, int]:
    """Every row, one office at a time (handed to `write` table by table); row counts."""
    counts: dict[str, int] = defaultdict(int)
    rows: dict[str, list[tuple[object, ...]]] = defaultdict(list)

    def sink(table: str, row: tuple[object, ...]) -> None:
        rows[table].append(row)

    rng = random.Random(SEED)
    pools = pp.name_pools(SEED)
    now = pp.build_time()
    ids = pt.Ids()
    people = _split(round(PEOPLE * SCALE), shares())
    registrations = _split(round(REGISTRATIONS * SCALE), shares())
    phones: set[str] = set()
    for index, (name, regency) in enumerate(pp.organization_names(rng, ORGS)):
        org_rng = random.Random(SEED * 1000 + index)
        org_id = ids.take("organization")
        city = regency.removeprefix("Kabupaten ").removeprefix("Kota ")
        sink("organization", (org_id, name, city, None, KKB_PER_ORG + org_rng.randint(0, 30),
                              now))
        where = pp.places(org_rng, KKB_PER_ORG)
        first = ids.next["kampung_kb"]
        ids.next["kampung_kb"] += len(where)
        kkb = pp.kampung_kb_rows(org_rng, org_id, first, where, now)
        rows["kampung_kb"] += kkb
        first = ids.next["participant"]
        ids.next["participant"] += people[index]
        person_rows, persons = pp.person_rows(org_rng, pools, org_id, index, regency, first,
                                              people[index], kkb, phones, now)
        rows["participant"] += person_rows
        office = pt.Office(org_id, regency, {p.id: p for p in persons}, registrations[index],
                           org_rng)
        programs = [ids.take("program")
                    for _ in range(max(1, round(registrations[index] / 105 / 25)))]
        plans = pt.plan(office, programs)
        pt.people_of_stages(org_rng, plans)
        for p in plans:
            pt.emit(office, p, ids, sink, now)
        _programs(office, plans, sink, now)
        sink("counter", (ids.take("counter"), org_id, "certificate", office.certificates))
        for table in COLUMNS:
            counts[table] += len(rows[table])
            if rows[table]:
                write(table, rows[table])
        rows.clear()
    return dict(counts)


def _programs(office: pt.Office, plans: list[pt.Plan], sink: pt.Sink, now: datetime) -> None:
    stages: dict[int, list[pt.Plan]] = defaultdict(list)
    for p in plans:
        if p.program is not None:
            stages[p.program].append(p)
    for program_id, its in sorted(stages.items()):
        first = min(p.start for p in its)
        last = max(p.start for p in its) + timedelta(days=28 * (pt.MEETINGS - 1))
        sink("program", (program_id, office.id,
                         f"Bimtek Pengelola Kampung KB {office.regency} {first.year}", first,
                         last, "Tahap 1 dan 2 per kecamatan, lalu pembinaan bulanan.", now))


# --- loading -------------------------------------------------------------------------------

def _sqlite_converters(table: str) -> list[tuple[int, Callable[[Any], object]]]:
    """Values as SQLAlchemy stores them in SQLite (its DATE/DATETIME/TIME text formats)."""
    out: list[tuple[int, Callable[[Any], object]]] = []
    columns = SQLModel.metadata.tables[table].columns
    for i, name in enumerate(COLUMNS[table]):
        kind = columns[name].type
        if isinstance(kind, DateTime):
            out.append((i, lambda v: v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")))
        elif isinstance(kind, Date):
            out.append((i, date.isoformat))
        elif isinstance(kind, Time):
            out.append((i, lambda v: v.strftime("%H:%M:%S.%f")))
        elif isinstance(kind, Boolean):
            out.append((i, int))
        elif isinstance(kind, JSON):
            out.append((i, json.dumps))
    return out


def _sqlite_rows(table: str, rows: Iterable[tuple[object, ...]]) -> Iterable[list[object]]:
    converters = _sqlite_converters(table)
    for row in rows:
        values = list(row)
        for i, fn in converters:
            if values[i] is not None:
                values[i] = fn(values[i])
        yield values


def _load_sqlite(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # A file being built, renamed only when complete: no journal needed.
        for pragma in ("foreign_keys=OFF", "synchronous=OFF", "cache_size=-200000"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("BEGIN")

        def write(table: str, rows: list[tuple[object, ...]]) -> None:
            cols = COLUMNS[table]
            conn.executemany(f'INSERT INTO "{table}" ({", ".join(cols)}) '
                             f'VALUES ({", ".join("?" * len(cols))})', _sqlite_rows(table, rows))

        counts = generate(write)
        conn.execute("COMMIT")
        return counts
    finally:
        conn.close()


def _pg_conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _load_postgres(url: str) -> dict[str, int]:
    with psycopg.connect(_pg_conninfo(url)) as conn:
        # Loading rows that refer to each other: their foreign keys are the generator's.
        conn.execute("SET session_replication_role = replica")

        def write(table: str, rows: list[tuple[object, ...]]) -> None:
            cols = COLUMNS[table]
            json_at = [i for i, c in enumerate(cols)
                       if isinstance(SQLModel.metadata.tables[table].columns[c].type, JSON)]
            with conn.cursor().copy(
                    f'COPY "{table}" ({", ".join(cols)}) FROM STDIN') as copy:
                for row in rows:
                    if json_at:
                        row = tuple(json.dumps(v) if i in json_at and v is not None else v
                                    for i, v in enumerate(row))
                    copy.write_row(row)

        counts = generate(write)
        for table in COLUMNS:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                         f"(SELECT coalesce(max(id), 0) + 1 FROM \"{table}\"), false)")
        conn.commit()
    return counts


def _logins(url: str) -> None:
    """The committee logins the bench signs in with, made as the app makes them."""
    from service.models import Organization
    from service.services import auth

    engine = make_engine(url, pool_size=1)
    try:
        with Session(writer_bind(engine)) as db:
            for email, org_id in ((BIG_EMAIL, 1), (SMALL_EMAIL, ORGS)):
                org = db.get(Organization, org_id)
                assert org is not None
                auth.create_user(db, email=email, password=PASSWORD, name="Panitia Bench",
                                 role="committee", organization=org)
            db.commit()
    finally:
        engine.dispose()


def _settle(url: str) -> None:
    """Statistics for the planner, and the load written out, before anything is timed."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
        conn.execute(text("CHECKPOINT"))
    engine.dispose()


def _meta_path(name: str) -> Path:
    return CACHE / f"{name}.json"


def _remember(name: str, seconds: float, counts: dict[str, int]) -> None:
    _meta_path(name).write_text(json.dumps({"seconds": seconds, "counts": counts,
                                            "built_at": datetime.now(UTC).isoformat()}))


def _recall(kind: str, url: str, name: str) -> Built:
    meta: dict[str, Any] = {}
    if _meta_path(name).exists():
        meta = json.loads(_meta_path(name).read_text())
    return Built(kind, url, True, meta.get("seconds"), meta.get("counts", {}))


def _tag() -> str:
    """Copies of another scale are kept apart (and kept)."""
    return "" if SCALE == 1 else f"x{SCALE:g}_".replace(".", "")


def _sqlite(key: str) -> Built:
    name = f"province-{_tag()}{key}"
    final = CACHE / f"{name}.db"
    url = f"sqlite:///{final}"
    if final.exists():
        return _recall("sqlite", url, name)
    for old in CACHE.glob(f"province-{_tag()}*"):
        if _tag() or not old.name.startswith("province-x"):
            old.unlink()
    started = time.perf_counter()
    building = CACHE / f"{name}.building.db"
    upgrade(f"sqlite:///{building}")
    counts = _load_sqlite(building)
    _logins(f"sqlite:///{building}")
    _settle(f"sqlite:///{building}")
    for extra in ("-wal", "-shm"):
        Path(f"{building}{extra}").unlink(missing_ok=True)
    building.rename(final)
    seconds = time.perf_counter() - started
    _remember(name, seconds, counts)
    return Built("sqlite", url, False, seconds, counts)


def _pg_databases(admin: Any) -> list[str]:
    return list(admin.execute(text("SELECT datname FROM pg_database WHERE datname LIKE "
                                    "'bench\\_province\\_%'")).scalars())


def _postgres(key: str) -> Built:
    name = f"{PG_PREFIX}{_tag()}{key}"
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            existing = _pg_databases(conn)
            if name in existing:
                return _recall("postgresql", url, name)
            for old in existing:
                if old.startswith(f"{PG_PREFIX}x") == bool(_tag()):
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)'))
                    _meta_path(old).unlink(missing_ok=True)
            building = f"{name}_building"
            conn.execute(text(f'CREATE DATABASE "{building}"'))
        started = time.perf_counter()
        building_url = make_url(url).set(database=building).render_as_string(
            hide_password=False)
        upgrade(building_url)
        counts = _load_postgres(building_url)
        _logins(building_url)
        _settle(building_url)
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{building}" RENAME TO "{name}"'))
        seconds = time.perf_counter() - started
        _remember(name, seconds, counts)
        return Built("postgresql", url, False, seconds, counts)
    finally:
        admin.dispose()


def ensure(kind: str) -> Built:
    """The province database of `kind` ("sqlite" or "postgresql"), built if not cached."""
    CACHE.mkdir(parents=True, exist_ok=True)
    key = cache_key()
    return _sqlite(key) if kind == "sqlite" else _postgres(key)


def main() -> int:
    for kind in ("sqlite", "postgresql"):
        print(kind, ensure(kind).summary(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
