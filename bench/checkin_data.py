"""The check-in load test's database: the Padang demo's shape, scaled to 100,000 registrations.

One organization, one training whose batches run TODAY in Asia/Jakarta (the server
takes the check-in day from its clock when a scan carries no scanned_at), the demo's
participant categories and kecamatan, every registration confirmed with a ticket
token, Batch.confirmed_count and TrainingCategory.taken consistent, and a scanner
login (role "scanner", limited to the training) with an API token. Each registration's
signed ticket code is written to a file, one per line, in a shuffled order (a door
scans people in no particular order), for the wrk script in bench/wrk/checkins.lua.

The small rows (organization, user, token, training, batches) go through the service
functions a committee uses; the 200,000 participant and registration rows go in by
Core bulk inserts (executemany) in one transaction: seconds, not minutes.

    .venv/bin/python -m bench.checkin_data sqlite:///tmp/b.db --codes /tmp/codes.txt
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from faker import Faker
from sqlalchemy import Engine, Table, delete, func, insert, select, text, update
from sqlmodel import Session, SQLModel, col

from service.db import make_engine, writer_bind
from service.migrate import upgrade
from service.models import (
    Batch,
    CheckIn,
    Registration,
    Scan,
    TrainingCategory,
)
from service.models.base import pk
from service.schemas.planning import BatchCreate, CategoryIn, TrainingCreate
from service.services import auth, trainings
from service.services.demo.padang import (
    CATEGORIES,
    KECAMATAN,
    ORG_NAME,
    PHONE_PREFIXES,
    PROFILES,
    TRAINING_TITLE,
    _institution,
    padang_nik,
)
from service.services.participant_fields import contact_key
from service.services.registrations import new_ticket_token
from service.services.ticket_codes import TicketClaims, sign_ticket

SEED = 2018
REGISTRATIONS = 100_000
BATCHES = 4
TIMEZONE = "Asia/Jakarta"
SCANNER_EMAIL = "gerbang1@bench.padang"
SCANNER_PASSWORD = "bench-gerbang-satu"
CHUNK = 10_000
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@dataclass
class CheckinData:
    """What the load test needs to know about the database it was handed."""

    url: str
    codes_path: Path
    token: str  # the scanner login's raw API token (Authorization: Bearer ...)
    training_id: int
    batch_ids: list[int]
    registrations: int
    days: tuple[date, date]
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        t = self.timings
        return (f"{self.registrations} registrations in {len(self.batch_ids)} batches "
                f"({self.days[0]} .. {self.days[1]}); built in {t.get('total', 0):.1f} s "
                f"(migrate {t.get('migrate', 0):.1f}, rows {t.get('rows', 0):.1f}, "
                f"sign {t.get('sign', 0):.1f})")


def jakarta_today() -> date:
    return datetime.now(ZoneInfo(TIMEZONE)).date()


def _quotas(total: int) -> dict[str, int]:
    """The demo's category quotas scaled to `total`, summing to exactly `total`."""
    base = sum(CATEGORIES.values())
    quotas = {name: q * total // base for name, q in CATEGORIES.items()}
    first = next(iter(quotas))
    quotas[first] += total - sum(quotas.values())
    return quotas


def _name_pools(seed: int) -> dict[str, list[str]]:
    """A few hundred names from Faker's id_ID locale, combined at random below: calling
    Faker 200,000 times would take longer than the rest of the build."""
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    return {"ff": [fake.first_name_female() for _ in range(600)],
            "fl": [fake.last_name_female() for _ in range(300)],
            "mf": [fake.first_name_male() for _ in range(600)],
            "ml": [fake.last_name_male() for _ in range(300)]}


def _people(org_id: int, quotas: dict[str, int], seed: int, now: datetime,
            ) -> tuple[list[dict[str, object]], list[str]]:
    """(participant rows with ids 1..n, category name per participant)."""
    rng = random.Random(seed)
    names = _name_pools(seed)
    places = [(kec, code, kel) for kec, (code, kels) in KECAMATAN.items() for kel in kels]
    niks: set[str] = set()
    phones: set[str] = set()
    rows: list[dict[str, object]] = []
    categories: list[str] = []
    year = now.year
    for category, quota in quotas.items():
        profile = PROFILES[category]
        for _ in range(quota):
            kecamatan, code, kelurahan = rng.choice(places)
            woman = rng.random() < profile.women
            age = rng.randint(*profile.ages)
            birth = date(year - age, 1, 1) + timedelta(days=rng.randint(0, 364))
            if woman:
                name = rng.choice(names["ff"])
                if rng.random() < 0.6:
                    name += " " + rng.choice(names["fl"])
                if age >= 45 and rng.random() < 0.2:
                    name = "Hj. " + name
            else:
                name = f"{rng.choice(names['mf'])} {rng.choice(names['ml'])}"
            phone = f"+62{rng.choice(PHONE_PREFIXES)}{rng.randint(10**7, 10**8 - 1)}"
            while phone in phones:
                phone = f"+62{rng.choice(PHONE_PREFIXES)}{rng.randint(10**7, 10**8 - 1)}"
            phones.add(phone)
            nik = padang_nik(rng, code, birth, woman, niks)
            rows.append({
                "id": len(rows) + 1, "organization_id": org_id, "nik": nik, "name": name,
                "gender": "P" if woman else "L", "birth_date": birth, "phone": phone,
                "email": None,
                "institution": _institution(category, kelurahan, kecamatan, rng),
                "position": rng.choice(profile.positions), "village": kelurahan,
                "district": kecamatan, "regency": "Kota Padang", "province": "Sumatera Barat",
                "kampung_kb": f"Kampung KB {kelurahan}", "created_at": now})
            categories.append(category)
    return rows, categories


def _bulk_insert(engine: Engine, table: Table, rows: list[dict[str, object]]) -> None:
    with writer_bind(engine).begin() as conn:
        for start in range(0, len(rows), CHUNK):
            conn.execute(insert(table), rows[start:start + CHUNK])


def _bump_sequences(engine: Engine) -> None:
    """Explicit ids leave PostgreSQL's serial sequences behind; move them past the rows."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in ("participant", "registration"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT max(id) FROM {table}))"))
        conn.execute(text("ANALYZE"))


def build(url: str, codes_path: Path, registrations: int = REGISTRATIONS,
          batches: int = BATCHES, seed: int = SEED, migrate: bool = True) -> CheckinData:
    """Fill the fresh database at `url` and write the ticket codes to `codes_path`."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    if migrate:
        upgrade(url)
    timings["migrate"] = time.perf_counter() - started
    engine = make_engine(url, pool_size=1)
    today = jakarta_today()
    # Yesterday to tomorrow: the run stays inside the batch when Jakarta's midnight
    # passes (17:00 UTC), and the server's "today" always falls in it.
    first_day, last_day = today - timedelta(days=1), today + timedelta(days=1)
    quotas = _quotas(registrations)
    per_batch = -(-registrations // batches)
    now = datetime.now(UTC)

    t0 = time.perf_counter()
    with Session(writer_bind(engine), expire_on_commit=False) as db:
        org = auth.get_or_create_organization(db, ORG_NAME)
        org.city = "Padang"
        training = trainings.create_training(db, pk(org), TrainingCreate(
            title=f"{TRAINING_TITLE} (uji beban)", kind="pelatihan", start_date=first_day,
            end_date=last_day, timezone=TIMEZONE,
            categories=[CategoryIn(name=n, quota=q) for n, q in quotas.items()]))
        batch_rows = [trainings.create_batch(db, training, BatchCreate(
            name=f"Angkatan {ROMAN[i] if i < len(ROMAN) else i + 1}", start_date=first_day,
            end_date=last_day, capacity=per_batch)) for i in range(batches)]
        scanner = auth.create_user(db, email=SCANNER_EMAIL, password=SCANNER_PASSWORD,
                                   name="Gerbang 1", role="scanner", organization=org)
        scanner.training_id = pk(training)
        db.add(scanner)
        token, _row = auth.issue_token(db, scanner, "api", days=30)
        category_ids = {c.name: pk(c) for c in db.scalars(select(TrainingCategory).where(
            col(TrainingCategory.training_id) == pk(training)))}
        training_id, org_id = pk(training), pk(org)
        batch_ids = [pk(b) for b in batch_rows]
        private_key = training.ticket_private_key
        db.commit()
    assert private_key is not None

    people, categories = _people(org_id, quotas, seed, now)
    # Round robin over the batches, so each batch holds every category and kecamatan.
    regs = [{
        "id": p["id"], "training_id": training_id, "participant_id": p["id"],
        "batch_id": batch_ids[i % batches], "preferred_batch_id": None,
        "category_id": category_ids[categories[i]], "status": "confirmed",
        "ticket_token": new_ticket_token(),
        "contact_key": contact_key(str(p["phone"]), str(p["name"])), "source": "import",
        "created_at": now, "cancelled_at": None, "ticket_emailed_at": None,
    } for i, p in enumerate(people)]
    timings["generate"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    _bulk_insert(engine, SQLModel.metadata.tables["participant"], people)
    _bulk_insert(engine, SQLModel.metadata.tables["registration"], regs)
    with writer_bind(engine).begin() as conn:
        for batch_id in batch_ids:
            conn.execute(update(Batch).where(col(Batch.id) == batch_id).values(
                confirmed_count=select(func.count()).where(
                    col(Registration.batch_id) == batch_id,
                    col(Registration.status) == "confirmed").scalar_subquery()))
        for name, cid in category_ids.items():
            conn.execute(update(TrainingCategory).where(
                col(TrainingCategory.id) == cid).values(taken=quotas[name]))
    _bump_sequences(engine)
    timings["rows"] = time.perf_counter() - t1

    t2 = time.perf_counter()
    order = list(range(len(regs)))
    random.Random(seed + 1).shuffle(order)
    codes = []
    for i in order:
        r = regs[i]
        codes.append(sign_ticket(TicketClaims(
            training_id=training_id, registration_id=int(r["id"]),  # type: ignore[call-overload]
            batch_id=int(r["batch_id"]), first_day=first_day,  # type: ignore[call-overload]
            last_day=last_day), private_key))
    codes_path.parent.mkdir(parents=True, exist_ok=True)
    codes_path.write_text("\n".join(codes) + "\n", encoding="ascii")
    timings["sign"] = time.perf_counter() - t2
    _settle(engine)
    engine.dispose()
    timings["total"] = time.perf_counter() - started
    return CheckinData(url=url, codes_path=codes_path, token=token, training_id=training_id,
                       batch_ids=batch_ids, registrations=len(regs),
                       days=(first_day, last_day), timings=timings)


def _settle(engine: Engine) -> None:
    """Statistics for the planner and the bulk load's pages written out now, so that
    neither autovacuum nor a checkpoint of the load runs during the measurements."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
            conn.execute(text("CHECKPOINT"))
    else:
        raw = engine.raw_connection()  # outside a transaction: a checkpoint needs that
        try:
            cursor = raw.cursor()
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.close()
        finally:
            raw.close()


def count_checkins(url: str) -> tuple[int, int]:
    """(check-in rows, scan rows) in the database."""
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            checkins = conn.execute(select(func.count()).select_from(CheckIn)).scalar_one()
            scans = conn.execute(select(func.count()).select_from(Scan)).scalar_one()
        return int(checkins), int(scans)
    finally:
        engine.dispose()


def reset_checkins(url: str) -> None:
    """Delete every check-in and scan, so the next load checks everyone in afresh."""
    engine = make_engine(url, pool_size=1)
    try:
        with writer_bind(engine).begin() as conn:
            conn.execute(delete(Scan))
            conn.execute(delete(CheckIn))
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE checkin"))
                conn.execute(text("VACUUM ANALYZE scan"))
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", help="a fresh database URL (migrated here)")
    parser.add_argument("--codes", type=Path, default=Path("test-artifacts/checkin-codes.txt"))
    parser.add_argument("--registrations", type=int, default=REGISTRATIONS)
    parser.add_argument("--batches", type=int, default=BATCHES)
    args = parser.parse_args()
    data = build(args.url, args.codes, args.registrations, args.batches)
    print(data.summary())
    print(f"codes: {data.codes_path}")
    print(f"token: {data.token}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
