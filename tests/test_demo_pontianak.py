"""The Pontianak 2018 demo programme: seeded into the office it is given, shaped like the
real one (stages by kecamatan at a restaurant, then monthly coaching in six kecamatan)."""

from collections import Counter
from datetime import date

import pytest
from sqlmodel import Session, col, select

from service.models import Batch, Participant, Program, Registration, Training, User, Venue
from service.models.base import pk
from service.services import meeting_days, programs
from service.services.demo.pontianak import seed_pontianak
from tests import factories


@pytest.fixture
def seeded(db: Session) -> tuple[Program, str, User]:
    org = factories.organization(db, "DP3AP2KB Kota Pontianak")
    admin = factories.user(db, org, role="admin")
    summary = seed_pontianak(db, pk(org), pk(admin))
    program = db.exec(select(Program).where(Program.organization_id == org.id)).one()
    return program, summary, admin


def _districts(db: Session, training: Training) -> Counter[str | None]:
    return Counter(db.exec(select(Participant.district)
                           .join(Registration, col(Registration.participant_id) == Participant.id)
                           .where(Registration.training_id == training.id)).all())


def test_three_stages_in_order_in_the_given_organization(
        db: Session, seeded: tuple[Program, str, User]) -> None:
    program, summary, admin = seeded
    stages = programs.stages_of(db, program)
    assert [(t.program_stage, t.kind) for t in stages] == [
        (1, "bimtek"), (2, "bimtek"), (3, "pembinaan")]
    assert all(t.organization_id == admin.organization_id for t in stages)
    assert stages[0].title == "Bimtek Pengelola Kampung KB: Pontianak Barat dan Pontianak Kota"
    assert program.title in summary


def test_tahap_1_is_fifty_managers_of_two_kecamatan_at_a_restaurant(
        db: Session, seeded: tuple[Program, str, User]) -> None:
    first = programs.stages_of(db, seeded[0])[0]
    assert (first.end_date - first.start_date).days == 1
    assert set(_districts(db, first)) == {"Pontianak Barat", "Pontianak Kota"}
    assert sum(_districts(db, first).values()) == 50
    venue = db.get(Venue, first.venue_id)
    assert venue is not None and venue.name.startswith("Rumah Makan")
    names = db.exec(select(Participant.name).join(
        Registration, col(Registration.participant_id) == Participant.id)
        .where(Registration.training_id == first.id)).all()
    assert any(n.startswith(("Hj. ", "H. ", "Drs. ", "Dra. ")) or ", S." in n for n in names)


def test_tahap_2_is_the_other_four_kecamatan(db: Session,
                                             seeded: tuple[Program, str, User]) -> None:
    second = programs.stages_of(db, seeded[0])[1]
    assert set(_districts(db, second)) == {"Pontianak Selatan", "Pontianak Tenggara",
                                           "Pontianak Timur", "Pontianak Utara"}


def test_coaching_batches_are_the_six_kecamatan_with_carried_people(
        db: Session, seeded: tuple[Program, str, User]) -> None:
    ov = programs.program_overview(db, seeded[0])
    one, two, coaching = ov.stages
    assert len(coaching.batches) == 6
    # Twelve monthly meetings each, made by one form; one moved a week.
    assert all(len(meeting_days.days_of(b)) == 12 for b in coaching.batches)
    utara = next(b for b in coaching.batches if b.name == "Kec. Pontianak Utara")
    assert date(2018, 12, 18) in meeting_days.days_of(utara)
    assert date(2018, 12, 11) not in meeting_days.days_of(utara)
    # Carried: everyone who attended a stage, each seated in their kecamatan's batch.
    assert coaching.registered == one.attended + two.attended == coaching.confirmed
    for reg, person, batch in db.exec(
            select(Registration, Participant, Batch)
            .join(Participant, col(Participant.id) == Registration.participant_id)
            .join(Batch, col(Batch.id) == Registration.batch_id)
            .where(Registration.training_id == coaching.training.id)).all():
        assert batch.name.endswith(person.district or "?")
    # Attendance for most, not all.
    assert 0.8 < one.rate < 1 and 0.8 < coaching.rate < 1
    assert len(ov.waiting) == one.registered + two.registered - coaching.registered
