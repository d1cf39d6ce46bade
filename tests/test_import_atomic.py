"""An import is one transaction: a crash halfway through writing leaves nothing behind."""

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, func, select

from service.db import make_engine, writer_bind
from service.migrate import upgrade
from service.models import Participant, Registration, TrainingCategory
from service.schemas.planning import CategoryIn, TrainingCreate
from service.services import imports, trainings
from service.services.auth import get_or_create_organization
from tests.conftest import DB_KIND
from tests.dbutil import fresh_database
from tests.import_samples import PADANG_CATEGORIES, PADANG_HEADERS, make_xlsx, padang_rows


def test_a_crash_after_the_people_are_written_leaves_nothing(monkeypatch: Any) -> None:
    with fresh_database(DB_KIND, "atomic") as url:
        upgrade(url)
        engine = make_engine(url)
        with Session(writer_bind(engine)) as db:
            org = get_or_create_organization(db, "DP3AP2KB Kota Padang")
            t = trainings.create_training(db, org.id or 0, TrainingCreate(
                title="Pelatihan", kind="pelatihan", start_date=date(2027, 3, 1),
                end_date=date(2027, 3, 2),
                categories=[CategoryIn(name=c, quota=500) for c in PADANG_CATEGORIES]))
            db.commit()
            check = imports.check_file(db, t, make_xlsx(padang_rows(300), PADANG_HEADERS),
                                       "peserta.xlsx")
            assert check.result.ok

            real_insert = imports._insert_people

            def insert_then_crash(*args: Any) -> list[int]:
                assert len(real_insert(*args)) == 300  # the people are written...
                raise RuntimeError("the process died halfway")

            monkeypatch.setattr(imports, "_insert_people", insert_then_crash)
            with pytest.raises(RuntimeError):
                imports.import_rows(db, t, check)
            db.rollback()  # what the request's session does when the route raises
        with Session(engine) as db:
            assert db.exec(select(func.count()).select_from(Participant)).one() == 0
            assert db.exec(select(func.count()).select_from(Registration)).one() == 0
            taken = db.exec(select(func.sum(TrainingCategory.taken))).one()
            assert not taken
        engine.dispose()
