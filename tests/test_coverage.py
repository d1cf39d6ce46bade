"""Coverage counts against a hand-built Padang: three Kampung KB in two kecamatan, cadres of
several poktan over two years, one absent, one from a Kampung KB not in the register, and
another organization's cadre of a Kampung KB of the same name."""

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from service.errors import NotFound
from service.models import Batch, Organization, Registration, Training, User
from service.models.base import pk
from service.schemas.kampung_kb import KampungKBCreate
from service.schemas.programs import ProgramCreate
from service.services import coverage, kampung_kb, programs
from service.services.coverage import Coverage, ItemCoverage
from tests import factories

CATEGORIES = ("Kader BKB", "Kader BKR", "Kader BKL", "Anggota UPPKS", "PIK R", "PKB")
MELATI = {"kampung_kb": "Kampung KB Melati", "village": "Air Tawar Barat"}
MAWAR = {"kampung_kb": "kampung kb MAWAR", "village": "Lapai"}
ANGGREK = {"kampung_kb": "Anggrek"}


@dataclass
class World:
    org: Organization
    t2018: Training
    t2019: Training
    program_id: int
    other_program_id: int
    anggrek: Registration  # the Kampung KB's one trained cadre


def _entry(db: Session, org: Organization, name: str, village: str, district: str,
           poktan: list[str]) -> None:
    kampung_kb.create_kampung_kb(db, pk(org), KampungKBCreate(
        name=name, village=village, district=district, poktan=poktan))


def _cadre(db: Session, t: Training, b: Batch, n: int, category: str, by: User, days: int,
           **fields: Any) -> Registration:
    """A cadre registered into the batch, present on its first `days` days."""
    reg = factories.register(db, t, b, **{**factories.kader(n), "category": category,
                                          **fields})
    for day in range(days):
        factories.check_in(db, reg, b.start_date + timedelta(days=day), by)
    return reg


@pytest.fixture
def world(db: Session) -> World:
    org = factories.organization(db)
    admin = factories.user(db, org, role="admin")
    _entry(db, org, "Kampung KB Melati", "Air Tawar Barat", "Padang Utara",
           ["BKB", "BKR", "PIK-R"])
    _entry(db, org, "Kampung KB Mawar", "Lapai", "Nanggalo", ["BKB", "BKL"])
    _entry(db, org, "Kampung KB Anggrek", "Ulak Karang Utara", "Padang Utara", [])
    t2018 = factories.training(db, org, start=date(2018, 9, 12), days=2, categories=CATEGORIES)
    b_t2018 = factories.batch(db, t2018)
    _cadre(db, t2018, b_t2018, 0, "Kader BKB", admin, 1, **MELATI)
    _cadre(db, t2018, b_t2018, 1, "Kader BKB", admin, 2, **MELATI)
    _cadre(db, t2018, b_t2018, 2, "PIK R", admin, 0, **MELATI)  # never came
    _cadre(db, t2018, b_t2018, 3, "Kader BKL", admin, 2, **MAWAR)
    _cadre(db, t2018, b_t2018, 4, "PKB", admin, 1, **MAWAR)  # lainnya
    anggrek = _cadre(db, t2018, b_t2018, 5, "Anggota UPPKS", admin, 1, **ANGGREK)
    _cadre(db, t2018, b_t2018, 6, "Kader BKR", admin, 2, kampung_kb="Kampung KB Kenanga")
    program = programs.create_program(db, pk(org), ProgramCreate(
        title="Pembinaan Kampung KB 2019", start_date=date(2019, 1, 1),
        end_date=date(2019, 12, 31)))
    t2019 = factories.training(db, org, start=date(2019, 3, 5), days=2, categories=CATEGORIES,
                               program_id=pk(program))
    b_t2019 = factories.batch(db, t2019)
    _cadre(db, t2019, b_t2019, 0, "Kader BKB", admin, 2, **MELATI)  # again: counts once
    _cadre(db, t2019, b_t2019, 7, "Kader BKR", admin, 1, **MELATI)
    other = factories.organization(db, "DP3AP2KB Kota Pontianak")
    other_admin = factories.user(db, other, role="admin", email="admin@pontianak.test")
    _entry(db, other, "Kampung KB Melati", "Air Tawar Barat", "Padang Utara", ["BKB"])
    other_training = factories.training(db, other, start=date(2018, 9, 12), days=2,
                                        categories=CATEGORIES)
    b_other_training = factories.batch(db, other_training)
    _cadre(db, other_training, b_other_training, 8, "Kader BKB", other_admin, 2, **MELATI)
    other_program = programs.create_program(db, pk(other), ProgramCreate(
        title="Program Pontianak", start_date=date(2018, 1, 1), end_date=date(2018, 12, 31)))
    for o in (org, other):
        kampung_kb.match_participants(db, pk(o))
    return World(org, t2018, t2019, pk(program), pk(other_program), anggrek)


def _items(cov: Coverage) -> dict[str, ItemCoverage]:
    return {i.name: i for i in cov.items}


def _trained(item: ItemCoverage) -> dict[str, int]:
    return {g: n for g, n in item.trained.items() if n}


def test_counts_per_kampung_kb(db: Session, world: World) -> None:
    items = _items(coverage.coverage(db, pk(world.org)))
    assert _trained(items["Kampung KB Melati"]) == {"BKB": 2, "BKR": 1}
    assert _trained(items["Kampung KB Mawar"]) == {"BKL": 1, "lainnya": 1}
    assert _trained(items["Kampung KB Anggrek"]) == {"UPPKA": 1}


def test_missing_poktan_are_those_it_runs_without_a_trained_cadre(db: Session,
                                                                  world: World) -> None:
    items = _items(coverage.coverage(db, pk(world.org)))
    assert items["Kampung KB Melati"].missing == ["PIK-R"]  # its PIK-R cadre never came
    assert items["Kampung KB Mawar"].missing == ["BKB"]
    # A Kampung KB that lists no poktan is asked for all five.
    assert items["Kampung KB Anggrek"].missing == ["BKB", "BKR", "BKL", "PIK-R"]


def test_totals_and_per_kecamatan(db: Session, world: World) -> None:
    kampung_kb.set_target(db, pk(world.org), 104)
    cov = coverage.coverage(db, pk(world.org))
    assert (cov.target, cov.registered, cov.covered, cov.unlinked) == (104, 3, 3, 1)
    by = {d.district: d for d in cov.by_district}
    assert list(by) == ["Nanggalo", "Padang Utara"]
    assert (by["Nanggalo"].kampung_kb, by["Nanggalo"].covered) == (1, 1)
    assert {g: n for g, n in by["Nanggalo"].by_poktan.items() if n} == {"BKL": 1, "lainnya": 1}
    assert (by["Padang Utara"].kampung_kb, by["Padang Utara"].covered) == (2, 2)
    assert {g: n for g, n in by["Padang Utara"].by_poktan.items() if n} == {
        "BKB": 2, "BKR": 1, "UPPKA": 1}


def test_year_counts_trainings_ending_in_it(db: Session, world: World) -> None:
    cov = coverage.coverage(db, pk(world.org), year=2019)
    items = _items(cov)
    assert _trained(items["Kampung KB Melati"]) == {"BKB": 1, "BKR": 1}
    assert not items["Kampung KB Mawar"].covered and items["Kampung KB Mawar"].missing == [
        "BKB", "BKL"]
    assert (cov.covered, cov.unlinked) == (1, 0)
    assert _trained(_items(coverage.coverage(db, pk(world.org), year=2018))[
        "Kampung KB Melati"]) == {"BKB": 2}
    assert coverage.coverage(db, pk(world.org), year=2020).covered == 0


def test_programme_counts_its_trainings_only(db: Session, world: World) -> None:
    cov = coverage.coverage(db, pk(world.org), program_id=world.program_id)
    assert cov.covered == 1 and cov.program_title == "Pembinaan Kampung KB 2019"
    assert _trained(_items(cov)["Kampung KB Melati"]) == {"BKB": 1, "BKR": 1}


def test_another_organizations_programme_is_not_found(db: Session, world: World) -> None:
    with pytest.raises(NotFound):
        coverage.coverage(db, pk(world.org), program_id=world.other_program_id)


def test_a_cancelled_registration_does_not_count(db: Session, world: World) -> None:
    from service.services import registrations

    registrations.cancel(db, world.anggrek)
    items = _items(coverage.coverage(db, pk(world.org)))
    assert not items["Kampung KB Anggrek"].covered


def test_queries_do_not_grow_with_the_register(db: Session, world: World,
                                               count_queries: list[str]) -> None:
    coverage.coverage(db, pk(world.org))
    before = len(count_queries)
    for n in range(30):
        _entry(db, world.org, f"Kampung KB Nomor {n}", f"Kelurahan {n}", f"Kecamatan {n % 4}",
               ["BKB"])
    count_queries.clear()
    cov = coverage.coverage(db, pk(world.org))
    assert cov.registered == 33
    assert len(count_queries) == before


def test_the_sheet_has_a_row_per_kampung_kb(db: Session, world: World) -> None:
    sheet = coverage.sheet(coverage.coverage(db, pk(world.org)), world.org.name)
    assert len(sheet.rows) == 3
    melati = next(r for r in sheet.rows if r[2] == "Kampung KB Melati")
    assert list(melati[4:10]) == [2, 1, 0, 0, 0, 0] and melati[10] == "PIK-R"


# --- the committee's marks, listed meeting days, per-session check-in ---------------------

def _admin(db: Session, org: Organization) -> User:
    return factories.user(db, org, role="admin", email="panitia@padang.test")


def test_a_committee_mark_decides_over_the_door(db: Session, world: World) -> None:
    admin = _admin(db, world.org)
    batch = db.get(Batch, world.anggrek.batch_id)
    assert batch is not None
    factories.mark(db, world.anggrek, batch.start_date, admin, "absent", "Salah pindai")
    unscanned = _cadre(db, world.t2018, batch, 10, "Kader BKL", admin, 0, **MELATI)
    kampung_kb.match_participants(db, pk(world.org))
    factories.mark(db, unscanned, batch.start_date + timedelta(days=1), admin, "present",
                   "Hadir menurut daftar hadir")
    items = _items(coverage.coverage(db, pk(world.org)))
    assert not items["Kampung KB Anggrek"].covered
    assert _trained(items["Kampung KB Melati"]) == {"BKB": 2, "BKR": 1, "BKL": 1}


def test_a_scan_on_a_day_the_batch_no_longer_meets_does_not_count(db: Session,
                                                                   world: World) -> None:
    admin = _admin(db, world.org)
    t = factories.training(db, world.org, start=date(2020, 2, 3), days=3,
                           categories=CATEGORIES)
    b = factories.batch(db, t, days=3)
    _cadre(db, t, b, 11, "Kader BKL", admin, 0, **MAWAR)
    moved = _cadre(db, t, b, 12, "PIK R", admin, 0, **MAWAR)
    kept = _cadre(db, t, b, 13, "Kader BKR", admin, 0, **MAWAR)
    factories.check_in(db, moved, b.start_date + timedelta(days=1), admin)
    factories.check_in(db, kept, b.end_date, admin)
    # The committee then lists the days it really met: the first and the last.
    b.meeting_dates = [b.start_date.isoformat(), b.end_date.isoformat()]
    db.add(b)
    db.flush()
    kampung_kb.match_participants(db, pk(world.org))
    items = _items(coverage.coverage(db, pk(world.org), year=2020))
    assert _trained(items["Kampung KB Mawar"]) == {"BKR": 1}


def test_per_session_check_in_with_marks_follows_presence(db: Session, world: World) -> None:
    admin = _admin(db, world.org)
    t = factories.training(db, world.org, start=date(2020, 6, 8), days=2,
                           categories=CATEGORIES, mode="session")
    b = factories.batch(db, t)
    first = factories.session(db, t, b, start=time(8), end=time(9, 30))
    second = factories.session(db, t, b, title="Pengasuhan", start=time(10), end=time(11, 30))
    scanned = _cadre(db, t, b, 20, "Kader BKB", admin, 0, **MAWAR)
    undone = _cadre(db, t, b, 21, "Kader BKR", admin, 0, **MAWAR)
    marked = _cadre(db, t, b, 22, "Kader BKL", admin, 0, **MAWAR)
    factories.check_in(db, scanned, b.start_date, admin, session_id=pk(first))
    factories.check_in(db, undone, b.start_date, admin, session_id=pk(second))
    # A whole-day absent mark after the scan undoes it; a present mark needs no scan.
    factories.mark(db, undone, b.start_date, admin, "absent", "Pulang sebelum sesi")
    factories.mark(db, marked, b.end_date, admin, "present", "Daftar hadir")
    kampung_kb.match_participants(db, pk(world.org))
    items = _items(coverage.coverage(db, pk(world.org), year=2020))
    assert _trained(items["Kampung KB Mawar"]) == {"BKB": 1, "BKL": 1}


def test_queries_do_not_grow_with_the_trainings(db: Session, world: World,
                                                count_queries: list[str]) -> None:
    admin = _admin(db, world.org)
    count_queries.clear()
    coverage.coverage(db, pk(world.org))
    before = len(count_queries)
    for n in range(5):
        t = factories.training(db, world.org, title=f"Pelatihan {n}",
                               start=date(2020, 3, 2) + timedelta(days=7 * n), days=2,
                               categories=CATEGORIES)
        b = factories.batch(db, t)
        _cadre(db, t, b, 30 + n, "Kader BKB", admin, 1, **MELATI)
    kampung_kb.match_participants(db, pk(world.org))
    count_queries.clear()
    cov = coverage.coverage(db, pk(world.org))
    assert _trained(_items(cov)["Kampung KB Melati"])["BKB"] == 7
    assert len(count_queries) == before
