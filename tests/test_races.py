"""Races are settled by the database: two committee members booking one narasumber at once."""

import threading
from datetime import date, time

from sqlmodel import Session, func, select

from service.db import make_engine, writer_bind
from service.errors import DomainError
from service.migrate import upgrade
from service.models import AgendaSession
from service.schemas.planning import BatchCreate, SessionCreate, SpeakerCreate, TrainingCreate
from service.services import agenda, speakers, trainings
from service.services.auth import get_or_create_organization
from tests.conftest import DB_KIND
from tests.dbutil import fresh_database


def test_one_speaker_booked_twice_at_once_gets_exactly_one_session() -> None:
    with fresh_database(DB_KIND, "race") as url:
        upgrade(url)
        engine = make_engine(url, pool_size=4)
        with Session(writer_bind(engine)) as db:
            org = get_or_create_organization(db, "DP3AP2KB Kota Padang")
            t = trainings.create_training(db, org.id or 0, TrainingCreate(
                title="Pelatihan", kind="pelatihan", start_date=date(2018, 9, 12),
                end_date=date(2018, 9, 13)))
            batches = [trainings.create_batch(db, t, BatchCreate(
                name=f"Angkatan {n}", start_date=date(2018, 9, 12), end_date=date(2018, 9, 13),
                capacity=105)) for n in ("I", "II", "III", "IV")]
            sp = speakers.create_speaker(db, org.id or 0, SpeakerCreate(name="Drs. Syahrul"))
            db.commit()
            ids = [(b.id, t.id) for b in batches]
            org_id, sp_id = org.id or 0, sp.id or 0

        barrier = threading.Barrier(len(ids))
        outcomes: list[str] = []

        def book(batch_id: int | None) -> None:
            # Start together; on SQLite the first BEGIN IMMEDIATE then holds the others back.
            barrier.wait(timeout=30)
            with Session(writer_bind(engine)) as db:
                batch, training = trainings.get_batch(db, org_id, batch_id or 0)
                try:
                    agenda.save_session(db, org_id, batch, training, SessionCreate(
                        title="Kebijakan", date=date(2018, 9, 12), start_time=time(8),
                        end_time=time(9, 30), speaker_ids=[sp_id]))
                    db.commit()
                    outcomes.append("booked")
                except DomainError as exc:
                    db.rollback()
                    outcomes.append(exc.code)

        threads = [threading.Thread(target=book, args=(b,)) for b, _ in ids]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=60)
        with Session(engine) as db:
            booked = db.exec(select(func.count()).select_from(AgendaSession)).one()
        engine.dispose()
        assert sorted(outcomes) == ["booked"] + ["speaker_conflict"] * 3
        assert booked == 1
