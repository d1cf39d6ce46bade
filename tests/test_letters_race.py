"""Letters issued at once by several committee members (threads, each with its own
connection: on SQLite the first BEGIN IMMEDIATE holds the others back, on PostgreSQL the
counter row's lock does): no number is handed out twice or skipped, and a unit invited
twice at once still holds one letter."""

import re
import threading
from collections.abc import Callable
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from service.db import make_engine, writer_bind
from service.migrate import upgrade
from service.models import IssuedLetter, Training, User
from service.models.base import pk
from service.schemas.letters import LetterIssue
from service.services.letters import issuing
from tests.conftest import DB_KIND
from tests.dbutil import fresh_database
from tests.letters_world import world

THREADS = 8


def _run_at_once(engine: Engine, training_id: int, user_id: int, body: dict[str, object]
                 ) -> list[str]:
    barrier = threading.Barrier(THREADS)
    errors: list[str] = []

    def one() -> None:
        barrier.wait(timeout=30)
        try:
            with Session(writer_bind(engine), expire_on_commit=False) as db:
                training, user = db.get(Training, training_id), db.get(User, user_id)
                assert training is not None and user is not None
                issuing.issue(db, training, user, LetterIssue.model_validate(body),
                              "https://bimtek.example")
                db.commit()
        except Exception as exc:  # noqa: BLE001 (reported by the test)
            errors.append(repr(exc))

    threads = [threading.Thread(target=one) for _ in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    return errors


def _with_world(name: str, check: Callable[[Engine, int, int], None]) -> None:
    with fresh_database(DB_KIND, name) as url:
        upgrade(url)
        engine = make_engine(url, pool_size=THREADS + 2)
        try:
            with Session(writer_bind(engine), expire_on_commit=False) as db:
                w = world(db)
                db.commit()
                ids = pk(w.training), pk(w.admin)
            check(engine, *ids)
        finally:
            engine.dispose()


def test_surat_tugas_issued_at_once_never_share_a_number() -> None:
    def check(engine: Engine, training_id: int, user_id: int) -> None:
        errors = _run_at_once(engine, training_id, user_id, {
            "kind": "committee_assignment", "new_number": True,
            "letter_date": date(2018, 9, 3)})
        assert errors == []
        with Session(engine) as db:
            numbers = [x.number for x in db.exec(select(IssuedLetter)).all()]
        seqs = sorted(int(re.match(r"(\d+)/", n).group(1)) for n in numbers)  # type: ignore[union-attr]
        assert seqs == list(range(1, THREADS + 1))  # never twice, no gaps
        assert len(set(numbers)) == THREADS

    _with_world("letters_race", check)


def test_a_unit_invited_by_two_members_at_once_gets_one_letter() -> None:
    def check(engine: Engine, training_id: int, user_id: int) -> None:
        errors = _run_at_once(engine, training_id, user_id, {
            "kind": "invitation", "letter_date": date(2018, 9, 3)})
        assert errors == []
        with Session(engine) as db:
            letters = db.exec(select(IssuedLetter)).all()
        assert len(letters) == 3 and len({x.unit_id for x in letters}) == 3
        assert sorted(x.seq for x in letters) == [1, 2, 3]

    _with_world("letters_race_units", check)
