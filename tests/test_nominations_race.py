"""Two focal points' phones racing for a unit's last seat: the lock on the training_unit
row (FOR UPDATE on PostgreSQL; IMMEDIATE writers on SQLite) lets exactly one in. Real
transactions in threads, committed, against the suite's database (SQLite here,
PostgreSQL in tests/run_postgres.py)."""

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from service.db import writer_bind
from service.errors import DomainError
from service.models import Nominee, Organization, Participant, Training, TrainingUnit, User
from service.models.base import pk
from service.services.nominations import accept, links, nominees
from tests.nominations_world import BEFORE, delegate, world

PHONES = 8


@pytest.fixture
def last_seat(engine: Engine) -> Iterator[tuple[Engine, int, str]]:
    """A unit with a quota of 3 and 2 names in, committed for real; cleaned up after."""
    writer = writer_bind(engine)
    with Session(writer) as db:
        w = world(db, quota=3, org_name="Perwakilan BKKBN Uji Paralel")
        for n in range(2):
            nominees.add(db, w.tu, delegate(n), now=BEFORE)
        db.commit()
        ids = (pk(w.training), pk(w.user), pk(w.org), pk(w.tu))
        raw = w.raw
    try:
        yield writer, ids[3], raw
    finally:
        with Session(engine) as db:
            db.execute(delete(Nominee).where(Nominee.training_unit_id == ids[3]))
            for model, row_id in ((Training, ids[0]), (User, ids[1])):
                row = db.get(model, row_id)
                if row is not None:
                    db.delete(row)
                    db.flush()
            # The accepted delegates' people (their registrations went with the training).
            db.execute(delete(Participant).where(Participant.organization_id == ids[2]))
            org = db.get(Organization, ids[2])
            if org is not None:
                db.delete(org)
            db.commit()


def _all_at_once(work: list[object]) -> tuple[list[str], list[BaseException]]:
    barrier = threading.Barrier(len(work), timeout=30)
    outcomes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(job: object) -> None:
        try:
            barrier.wait()  # before any statement: SQLite's writer holds its lock
            result = job()  # type: ignore[operator]
            with lock:
                outcomes.append(result)
        except BaseException as exc:  # noqa: BLE001
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes, errors


def test_two_phones_racing_for_the_last_seat_cannot_both_get_it(
        last_seat: tuple[Engine, int, str]) -> None:
    writer, _tu_id, raw = last_seat

    def phone(n: int) -> object:
        def add() -> str:
            with Session(writer) as db:
                try:
                    nominees.add(db, links.resolve(db, raw, BEFORE), delegate(10 + n),
                                 now=BEFORE)
                    db.commit()
                    return "added"
                except DomainError as exc:
                    db.rollback()
                    return exc.code
        return add

    outcomes, errors = _all_at_once([phone(n) for n in range(PHONES)])
    assert errors == []
    assert sorted(outcomes) == ["added"] + ["nomination_quota_full"] * (PHONES - 1)
    with Session(writer) as db:
        tu = links.resolve(db, raw, BEFORE)
        assert nominees.named_count(db, tu) == 3


def test_two_committee_members_accepting_at_once_register_each_delegate_once(
        last_seat: tuple[Engine, int, str]) -> None:
    writer, tu_id, _raw = last_seat

    def member() -> str:
        with Session(writer) as db:
            tu = db.get(TrainingUnit, tu_id)
            assert tu is not None
            training = db.get(Training, tu.training_id)
            assert training is not None
            count = accept.accept(db, training, tu)
            db.commit()
            return str(count)

    outcomes, errors = _all_at_once([member, member, member])
    assert errors == []
    assert sorted(outcomes) == ["0", "0", "2"]
    with Session(writer) as db:
        accepted = db.exec(select(Nominee.registration_id)
                           .where(Nominee.training_unit_id == tu_id)).all()
        assert len(set(accepted)) == 2 and None not in accepted
