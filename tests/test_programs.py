"""Programmes: a training's place in one, the programme's figures, and carrying a stage's
participants into the next (Pontianak 2018: Tahap 1, Tahap 2, then monthly coaching)."""

from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from service.errors import FieldError, NotFound
from service.models import Organization, Participant, Program, Registration, Training, User
from service.models.base import pk
from service.schemas.planning import TrainingCreate
from service.schemas.programs import CarryIn, ProgramCreate
from service.services import programs, registrations, trainings
from tests import factories

TAHAP1 = date(2018, 3, 20)
TAHAP2 = date(2018, 4, 24)
COACHING = date(2018, 5, 15)


@pytest.fixture
def org(db: Session) -> Organization:
    return factories.organization(db, "DP3AP2KB Kota Pontianak")


@pytest.fixture
def admin(db: Session, org: Organization) -> User:
    return factories.user(db, org, role="admin")


def program(db: Session, org: Organization, title: str = "Bimtek Pengelola Kampung KB 2018",
            start: date = date(2018, 3, 1), end: date = date(2018, 12, 31)) -> Program:
    return programs.create_program(db, pk(org), ProgramCreate(title=title, start_date=start,
                                                               end_date=end))


def stage(db: Session, org: Organization, prog: Program | None, title: str, start: date,
          days: int = 2, **fields: Any) -> Training:
    extra = {"program_id": pk(prog)} if prog is not None else {}
    return factories.training(db, org, title=title, start=start, days=days,
                              **{"kind": "bimtek", **extra, **fields})


def people(db: Session, t: Training, batch: Any, count: int, first: int = 0
           ) -> list[Registration]:
    return factories.register_many(db, t, batch, count, first)


def carry(db: Session, prog: Program, source: Training, target: Training,
          only_attended: bool = True) -> programs.CarryResult:
    return programs.carry(db, prog, CarryIn(from_training_id=pk(source),
                                            to_training_id=pk(target),
                                            only_attended=only_attended))


def target_regs(db: Session, t: Training) -> list[Registration]:
    return list(db.exec(select(Registration).where(Registration.training_id == pk(t))).all())


# --- programmes and their trainings ---------------------------------------------------------

def test_a_programme_ending_before_it_starts_is_refused(db: Session, org: Organization) -> None:
    with pytest.raises(FieldError) as err:
        program(db, org, start=date(2018, 12, 31), end=date(2018, 1, 1))
    assert err.value.field == "end_date"


def test_trainings_join_a_programme_as_its_next_stages(db: Session, org: Organization) -> None:
    prog = program(db, org)
    one = stage(db, org, prog, "Tahap 1", TAHAP1)
    two = stage(db, org, prog, "Tahap 2", TAHAP2)
    assert (one.program_id, one.program_stage) == (prog.id, 1)
    assert (two.program_id, two.program_stage) == (prog.id, 2)
    assert [t.title for t in programs.stages_of(db, prog)] == ["Tahap 1", "Tahap 2"]


def test_stages_are_ordered_by_their_number_not_their_creation(db: Session,
                                                               org: Organization) -> None:
    prog = program(db, org)
    stage(db, org, prog, "Pembinaan bulanan", COACHING, program_stage=3)
    stage(db, org, prog, "Tahap 1", TAHAP1, program_stage=1)
    assert [t.title for t in programs.stages_of(db, prog)] == ["Tahap 1", "Pembinaan bulanan"]


def test_another_organizations_programme_cannot_be_joined(db: Session, org: Organization) -> None:
    other = program(db, factories.organization(db, "DP3AP2KB Kota Padang"))
    with pytest.raises(FieldError) as err:
        stage(db, org, other, "Tahap 1", TAHAP1)
    assert (err.value.field, err.value.code) == ("program_id", "unknown_program")


def test_an_update_that_names_no_programme_keeps_the_training_in_it(
        db: Session, org: Organization) -> None:
    prog = program(db, org)
    t = stage(db, org, prog, "Tahap 1", TAHAP1)
    trainings.update_training(db, t, TrainingCreate(
        title="Tahap 1: Pontianak Barat dan Pontianak Kota", kind="bimtek",
        start_date=t.start_date, end_date=t.end_date))
    assert (t.program_id, t.program_stage) == (prog.id, 1)


def test_an_update_with_an_empty_programme_takes_the_training_out(
        db: Session, org: Organization) -> None:
    prog = program(db, org)
    t = stage(db, org, prog, "Tahap 1", TAHAP1)
    trainings.update_training(db, t, TrainingCreate.model_validate({
        "title": t.title, "kind": "bimtek", "start_date": t.start_date,
        "end_date": t.end_date, "program_id": ""}))
    assert (t.program_id, t.program_stage) == (None, None)


def test_list_counts_each_programmes_stages(db: Session, org: Organization) -> None:
    prog = program(db, org)
    stage(db, org, prog, "Tahap 1", TAHAP1)
    stage(db, org, prog, "Tahap 2", TAHAP2)
    stage(db, org, None, "Pelatihan lain", TAHAP2)
    assert [(s.program.id, s.stages) for s in programs.list_programs(db, pk(org))] == [
        (prog.id, 2)]


# --- carrying a stage's participants --------------------------------------------------------

@pytest.fixture
def staged(db: Session, org: Organization, admin: User) -> dict[str, Any]:
    """Tahap 1: 6 registered in one batch, the first 4 present on day 1 (the 5th on no
    day, the 6th waiting for a batch); Tahap 2 and the coaching with two batches."""
    prog = program(db, org)
    one = stage(db, org, prog, "Tahap 1", TAHAP1)
    b1 = factories.batch(db, one, capacity=5)
    regs = people(db, one, b1, 6)
    assert [r.status for r in regs].count("waitlisted") == 1
    for reg in regs[:4]:
        factories.check_in(db, reg, TAHAP1, admin)
    coaching = stage(db, org, prog, "Pembinaan bulanan", COACHING, days=200, kind="pembinaan")
    for name, day in (("Pontianak Barat", COACHING), ("Pontianak Kota", COACHING + timedelta(1))):
        factories.batch(db, coaching, name=name, start=day, days=1, capacity=30)
    return {"program": prog, "one": one, "coaching": coaching, "regs": regs}


def test_carry_registers_the_attended_of_a_stage_into_the_next(
        db: Session, staged: dict[str, Any]) -> None:
    done = carry(db, staged["program"], staged["one"], staged["coaching"])
    assert (done.carried, done.already, done.waitlisted) == (4, 0, 4)
    carried = target_regs(db, staged["coaching"])
    assert sorted(r.participant_id for r in carried) == sorted(
        r.participant_id for r in staged["regs"][:4])
    # A stage of several batches: they wait for the committee's assignment.
    assert {(r.status, r.batch_id) for r in carried} == {("waitlisted", None)}


def test_carry_without_only_attended_takes_everyone_registered(
        db: Session, staged: dict[str, Any]) -> None:
    done = carry(db, staged["program"], staged["one"], staged["coaching"], only_attended=False)
    assert done.carried == 6


def test_carry_never_registers_anyone_twice(db: Session, staged: dict[str, Any]) -> None:
    carry(db, staged["program"], staged["one"], staged["coaching"])
    again = carry(db, staged["program"], staged["one"], staged["coaching"], only_attended=False)
    assert (again.carried, again.already) == (2, 4)
    assert len(target_regs(db, staged["coaching"])) == 6


def test_carry_into_a_stage_of_one_batch_seats_them_there(
        db: Session, org: Organization, staged: dict[str, Any]) -> None:
    two = stage(db, org, staged["program"], "Tahap 2", TAHAP2)
    only = factories.batch(db, two, capacity=3)
    done = carry(db, staged["program"], staged["one"], two)
    assert (done.carried, done.waitlisted) == (4, 1)
    statuses = sorted((r.status, r.batch_id) for r in target_regs(db, two))
    assert statuses == [("confirmed", only.id)] * 3 + [("waitlisted", None)]
    db.refresh(only)
    assert only.confirmed_count == 3


def test_carry_brings_back_a_cancelled_registration(
        db: Session, staged: dict[str, Any]) -> None:
    first = staged["regs"][0]
    person = db.get(Participant, first.participant_id)
    assert person is not None
    before = registrations.register(db, staged["coaching"], {"name": person.name,
                                                             "nik": person.nik})
    registrations.cancel(db, before)
    done = carry(db, staged["program"], staged["one"], staged["coaching"])
    assert (done.carried, done.already) == (4, 0)
    assert before.status == "waitlisted" and before.source == "program"


def test_carry_keeps_a_category_of_the_same_name(db: Session, org: Organization,
                                                 admin: User) -> None:
    prog = program(db, org)
    one = factories.training(db, org, title="Tahap 1", start=TAHAP1, days=2,
                             categories=("Kader BKB", "PKB"), program_id=pk(prog))
    two = factories.training(db, org, title="Tahap 2", start=TAHAP2, days=2,
                             categories=("kader bkb",), program_id=pk(prog))
    reg = factories.register(db, one, factories.batch(db, one), **factories.kader(1))
    assert reg.category_id is not None
    carry(db, prog, one, two, only_attended=False)
    (carried,) = target_regs(db, two)
    assert carried.category_id == registrations.categories_of(db, pk(two))[0].id


def test_carry_from_a_training_outside_the_programme_is_refused(
        db: Session, org: Organization, staged: dict[str, Any]) -> None:
    outside = stage(db, org, None, "Pelatihan lain", TAHAP2)
    with pytest.raises(FieldError) as err:
        carry(db, staged["program"], outside, staged["coaching"])
    assert (err.value.field, err.value.code) == ("from_training_id", "not_in_program")


def test_carry_from_another_organizations_training_is_not_found(
        db: Session, staged: dict[str, Any]) -> None:
    elsewhere = factories.training(db, factories.organization(db, "DP3AP2KB Kota Padang"))
    with pytest.raises(NotFound):
        carry(db, staged["program"], elsewhere, staged["coaching"])


def test_carry_into_the_same_stage_is_refused(db: Session, staged: dict[str, Any]) -> None:
    with pytest.raises(FieldError) as err:
        carry(db, staged["program"], staged["one"], staged["one"])
    assert err.value.code == "same_stage"


# --- the programme's figures ----------------------------------------------------------------

def test_overview_counts_each_stage(db: Session, staged: dict[str, Any]) -> None:
    ov = programs.program_overview(db, staged["program"])
    one, coaching = ov.stages
    assert (one.registered, one.confirmed, one.attended) == (6, 5, 4)
    # 5 confirmed for 2 days each; 4 present on day 1 only.
    assert (one.present_days, one.expected_days) == (4, 10)
    assert (coaching.registered, coaching.attended) == (0, 0)
    assert ov.people == 6


def test_overview_lists_who_waits_for_a_later_stage(db: Session,
                                                    staged: dict[str, Any]) -> None:
    carry(db, staged["program"], staged["one"], staged["coaching"])
    ov = programs.program_overview(db, staged["program"])
    # The two who did not attend Tahap 1 are in no later stage yet.
    assert sorted(w.participant_id for w in ov.waiting) == sorted(
        r.participant_id for r in staged["regs"][4:])
    assert {w.after.training.id for w in ov.waiting} == {staged["one"].id}
    assert not any(w.attended for w in ov.waiting)


def test_overview_matrix_shows_each_persons_stages(db: Session,
                                                   staged: dict[str, Any]) -> None:
    carry(db, staged["program"], staged["one"], staged["coaching"])
    ov = programs.program_overview(db, staged["program"])
    by_person = {r.participant_id: r for r in ov.rows}
    regs = staged["regs"]
    present = by_person[regs[0].participant_id].cells
    assert [(c.status, c.present, c.days) for c in present] == [
        ("present", 1, 2), ("waiting", 0, 0)]
    assert by_person[regs[4].participant_id].cells[0].status == "absent"
    assert by_person[regs[5].participant_id].cells[0].status == "waiting"


def test_overview_attendance_per_kecamatan(db: Session, staged: dict[str, Any]) -> None:
    ov = programs.program_overview(db, staged["program"])
    # kader(n): odd n in Padang Utara, even in Kuranji; 0..3 present, 4 absent, 5 waiting.
    areas = {a.name: (a.people, a.present_days, a.expected_days) for a in ov.by_district}
    assert areas == {"Kuranji": (3, 2, 6), "Padang Utara": (3, 2, 4)}


def test_overview_matrix_pages_and_search(db: Session, staged: dict[str, Any]) -> None:
    ov = programs.program_overview(db, staged["program"], page=2, per_page=4)
    assert (ov.pages, ov.page, len(ov.rows), ov.matched) == (2, 2, 2, 6)
    found = programs.program_overview(db, staged["program"], q="kader 03")
    assert [r.name for r in found.rows] == ["Kader 03 Nur'aini"]


def test_another_organizations_programme_is_not_found(db: Session, org: Organization) -> None:
    prog = program(db, org)
    with pytest.raises(NotFound):
        programs.get_program(db, pk(org) + 1000, pk(prog))
