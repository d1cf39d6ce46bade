"""The demo's guests, committee and narasumber attendance (services/demo/guests.py):
Padang's opening guests and committee of 8, every session's narasumber recorded with one
missed, and Sumsel's opening guests and committee."""

import pytest
from sqlmodel import Session

from service.models import Training
from service.services.demo.guests import seed_guests
from service.services.guests import attendance, people, speaker_attendance


@pytest.fixture
def db(demo_db: Session) -> Session:
    """The demo (guests, committee, narasumber attendance and SPJ included) is seeded once
    for this module (conftest's seeded_demo)."""
    return demo_db


@pytest.fixture
def demo(demo_trainings: tuple[Training, Training]) -> tuple[Training, Training]:
    return demo_trainings


def test_padangs_opening_guests_came_on_the_first_day(db: Session,
                                                      demo: tuple[Training, Training]) -> None:
    padang, _province = demo
    grid = attendance.grid(db, padang, "guest")
    positions = {p.position for p in grid.people}
    assert {"Wakil Wali Kota Padang", "Kepala Perwakilan", "Kepala Dinas", "Ketua"} <= positions
    assert {tuple(grid.days_present(p)) for p in grid.people} == {(grid.days[0],)}


def test_padangs_committee_of_eight_was_there_every_day(
        db: Session, demo: tuple[Training, Training]) -> None:
    padang, _province = demo
    grid = attendance.grid(db, padang, "committee")
    assert len(grid.people) == 8 and len(grid.days) == 4
    assert [p.committee_role for p in grid.people][:4] == [
        "Penanggung jawab", "Ketua", "Sekretaris", "Bendahara"]
    assert all(grid.days_present(p) == grid.days for p in grid.people)


def test_every_padang_session_has_its_narasumber_recorded_one_missed(
        db: Session, demo: tuple[Training, Training]) -> None:
    padang, _province = demo
    slots = speaker_attendance.slots(db, padang)
    assert slots and all(s.present is not None for s in slots)
    missed = [s for s in slots if s.present is False]
    assert len(missed) == 1 and missed[0].batch.name.endswith(" III")
    assert any(s.record and s.record.via_link for s in slots)


def test_sumsel_has_its_opening_guests_and_committee(
        db: Session, demo: tuple[Training, Training]) -> None:
    _padang, province = demo
    assert len(people.list_people(db, province, "guest")) == 3
    grid = attendance.grid(db, province, "committee")
    assert len(grid.people) == 6 and all(grid.days_present(p) == grid.days
                                         for p in grid.people)


def test_seeding_twice_adds_nothing(db: Session, demo: tuple[Training, Training]) -> None:
    padang, province = demo
    before = len(people.list_people(db, padang))
    seed_guests(db, padang, province)
    assert len(people.list_people(db, padang)) == before
