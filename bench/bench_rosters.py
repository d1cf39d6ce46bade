"""A 421-row roster PDF, a daftar hadir and 421 ticket cards in under 1 s each.

One batch holding all 421 participants of the Padang demo (names, NIKs, institutions
from `demo_participants`), two days with check-ins, the organizer's logo; on a fresh
SQLite database (and PostgreSQL when one answers). Each figure is a whole download as
a request makes it, in-process: the queries, the layout and the PDF or spreadsheet
bytes. The first run and the best of five are shown (the first pays for font loading).
"""

import io
import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from datetime import time as clock_time

from PIL import Image
from sqlmodel import Session

from service.db import make_engine
from service.migrate import upgrade
from service.models import Batch, CheckIn, Registration, Training
from service.models.base import pk
from service.rendering.attendance_sheet_pdf import render_attendance_sheet_pdf
from service.rendering.roster_pdf import render_roster_pdf
from service.rendering.roster_sheets import roster_csv, roster_xlsx
from service.rendering.ticket_cards_pdf import ticket_cards_pdf
from service.schemas.planning import BatchCreate, CategoryIn, TrainingCreate
from service.services import auth, org_logo, rosters, ticket_delivery, trainings
from service.services.demo import CATEGORIES, ORG_NAME, demo_participants
from service.services.registrations import new_ticket_token
from tests.dbutil import fresh_database, pg_available

TARGET_S = 1.0
DAY1, DAY2 = date(2018, 9, 12), date(2018, 9, 13)


def _build(db: Session) -> tuple[Training, Batch, int]:
    org = auth.get_or_create_organization(db, ORG_NAME)
    org.city = "Padang"
    logo = io.BytesIO()
    Image.new("RGB", (400, 400), (15, 110, 79)).save(logo, "PNG")
    org_logo.set_logo(db, org, logo.getvalue())
    training = trainings.create_training(db, pk(org), TrainingCreate(
        title="Pelatihan Pengelolaan Kelompok Kegiatan Kampung KB Kota Padang",
        kind="pelatihan", start_date=DAY1, end_date=DAY2, venue="Hotel Pangeran Beach",
        categories=[CategoryIn(name=n) for n in CATEGORIES]))
    batch = trainings.create_batch(db, training, BatchCreate(
        name="Angkatan I", start_date=DAY1, end_date=DAY2, capacity=500))
    cats = {c.name: c.id for c in trainings.list_categories(db, pk(training))}
    names = [n for n, quota in CATEGORIES.items() for _ in range(quota)]
    people = demo_participants(pk(org))
    db.add_all(people)
    db.flush()
    regs = [Registration(training_id=pk(training), participant_id=pk(p), batch_id=batch.id,
                         category_id=cats[c], status="confirmed",
                         ticket_token=new_ticket_token())
            for p, c in zip(people, names, strict=True)]
    db.add_all(regs)
    db.flush()
    rng = random.Random(2018)
    for day in (DAY1, DAY2):
        for reg in regs:
            if rng.random() < 0.93:
                db.add(CheckIn(registration_id=pk(reg), batch_id=pk(batch), day=day,
                               scanned_at=datetime.combine(day, clock_time(1), tzinfo=UTC)))
    db.flush()
    return training, batch, len(regs)


def _timed(fn: Callable[[], bytes]) -> tuple[float, float, int]:
    """(first run, best of five, size) in seconds and bytes."""
    times, size = [], 0
    for _ in range(5):
        started = time.perf_counter()
        size = len(fn())
        times.append(time.perf_counter() - started)
    return times[0], min(times), size


def _measure(kind: str, url: str) -> Iterator[str]:
    upgrade(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as db:
        training, batch, people = _build(db)
        db.commit()

    def download(make: Callable[[Session, Training, Batch], bytes]) -> Callable[[], bytes]:
        def run() -> bytes:
            with Session(engine) as db:  # a fresh session each time, as a request has
                t, b = db.get(Training, training.id), db.get(Batch, batch.id)
                assert t is not None and b is not None
                return make(db, t, b)
        return run

    def roster_pdf(db: Session, t: Training, b: Batch) -> bytes:
        return render_roster_pdf(rosters.sheet(rosters.roster(db, t, b), "committee"))

    def sheet_pdf(db: Session, t: Training, b: Batch) -> bytes:
        return render_attendance_sheet_pdf(
            rosters.attendance_sheet(rosters.roster(db, t, b), DAY1))

    def xlsx(db: Session, t: Training, b: Batch) -> bytes:
        return roster_xlsx(rosters.sheet(rosters.roster(db, t, b), "narasumber"))

    def csv(db: Session, t: Training, b: Batch) -> bytes:
        return roster_csv(rosters.sheet(rosters.roster(db, t, b), "committee"))

    def cards(db: Session, t: Training, b: Batch) -> bytes:
        ctx = ticket_delivery.context(db, t)
        rows = ticket_delivery.confirmed_rows(db, t, b.id)
        return ticket_cards_pdf(ticket_delivery.ticket_cards(db, ctx, rows,
                                                             "https://bimtek.example"),
                                title=f"{t.title} – {b.name}")

    for label, make, target in (("roster PDF", roster_pdf, TARGET_S),
                                ("daftar hadir PDF", sheet_pdf, TARGET_S),
                                ("roster XLSX", xlsx, None), ("roster CSV", csv, None),
                                # Padang's largest angkatan (106) within 1 s: 421 in 4.
                                ("ticket cards PDF", cards, TARGET_S * 421 / 106)):
        first, best, size = _timed(download(make))
        verdict = ""
        if target is not None:
            verdict = f"  [{'OK' if first < target else 'SLOW'}: target < {target:.1f} s]"
        yield (f"{kind:<10} {label:<17} {people} rows: first {first * 1000:.0f} ms, best "
               f"{best * 1000:.0f} ms, {size / 1024:.0f} KiB{verdict}")
    engine.dispose()


def run() -> Iterator[str]:
    kinds = ["sqlite"] + (["postgresql"] if pg_available() else [])
    for kind in kinds:
        with fresh_database(kind, "benchrosters") as url:
            yield from _measure(kind, url)
