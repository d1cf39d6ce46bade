"""The province view as a service: sharing and withdrawing, who sees whom, and the figures
of a hand-built West Sumatra (tests/province_world.py) counted by hand."""

from datetime import date

import pytest
from sqlmodel import Session, select

from service.errors import Conflict
from service.models import ProvinceShare, Registration
from service.models.base import pk
from service.models.province import OFFICE, PROVINCE
from service.services import coverage
from service.services.people import record
from service.services.province import figures, sharing
from tests import factories
from tests.province_world import PADANG, World, build


@pytest.fixture
def world(db: Session) -> World:
    return build(db)


def _rows(view: figures.ProvinceView) -> dict[str, figures.OfficeRow]:
    return {r.name: r for r in view.offices}


# --- sharing -------------------------------------------------------------------------------

def test_an_office_shares_and_withdraws(db: Session, world: World) -> None:
    assert PADANG in _rows(figures.province_view(db, pk(world.province)))
    sharing.withdraw(db, pk(world.padang), pk(world.province))
    assert PADANG not in _rows(figures.province_view(db, pk(world.province)))
    with pytest.raises(sharing.NotShared):
        sharing.withdraw(db, pk(world.padang), pk(world.province))
    with pytest.raises(sharing.OfficeNotShared):
        figures.office_detail(db, pk(world.province), pk(world.padang))
    sharing.share(db, pk(world.padang), pk(world.province), world.padang_admin)
    assert PADANG in _rows(figures.province_view(db, pk(world.province)))


def test_sharing_twice_keeps_one_agreement(db: Session, world: World) -> None:
    first = sharing.share(db, pk(world.padang), pk(world.province), world.padang_admin)
    again = sharing.share(db, pk(world.padang), pk(world.province), world.padang_admin)
    assert pk(first) == pk(again)
    assert len(db.exec(select(ProvinceShare).where(
        ProvinceShare.office_id == pk(world.padang))).all()) == 1


def test_the_choices_of_an_office_say_where_it_shares(db: Session, world: World) -> None:
    got = {c.name: (c.shared, c.agreed_by) for c in sharing.choices(db, pk(world.padang))}
    assert got == {world.province.name: (True, "Adminah Rahasiawati"),
                   world.other_province.name: (False, None)}


def test_only_a_province_can_be_shared_with(db: Session, world: World) -> None:
    with pytest.raises(sharing.ProvinceNotFound):
        sharing.share(db, pk(world.padang), pk(world.bukittinggi), world.padang_admin)
    with pytest.raises(sharing.ProvinceNotFound):
        sharing.share(db, pk(world.padang), 10**9, world.padang_admin)


def test_a_province_cannot_share_with_a_province_or_itself(db: Session, world: World) -> None:
    for target in (world.other_province, world.province):
        with pytest.raises(Conflict) as refused:
            sharing.share(db, pk(world.province), pk(target), world.province_admin)
        assert refused.value.code == "province_cannot_share"


def test_a_province_made_an_office_again_loses_its_shares(db: Session, world: World) -> None:
    sharing.set_kind(db, world.province, OFFICE)
    assert db.exec(select(ProvinceShare).where(
        ProvinceShare.province_id == pk(world.province))).all() == []
    with pytest.raises(sharing.NotProvince):
        figures.province_view(db, pk(world.province))
    # An office made a province stops sharing itself (Agam shared with Riau).
    sharing.set_kind(db, world.agam, PROVINCE)
    assert figures.province_view(db, pk(world.other_province)).offices == []


# --- who sees whom -------------------------------------------------------------------------

def test_a_province_sees_only_the_offices_that_share_with_it(db: Session, world: World) -> None:
    view = figures.province_view(db, pk(world.province))
    assert [r.name for r in view.offices] == [PADANG, world.bukittinggi.name]  # by name
    assert [r.name for r in figures.province_view(db, pk(world.other_province)).offices] == [
        world.agam.name]
    with pytest.raises(sharing.OfficeNotShared):
        figures.office_detail(db, pk(world.province), pk(world.agam))


def test_an_office_is_no_province(db: Session, world: World) -> None:
    with pytest.raises(sharing.NotProvince):
        figures.province_view(db, pk(world.padang))
    # Not even about an office that shares with someone.
    with pytest.raises(sharing.NotProvince):
        figures.office_detail(db, pk(world.padang), pk(world.bukittinggi))


# --- the figures ---------------------------------------------------------------------------

def test_padangs_row_counted_by_hand(db: Session, world: World) -> None:
    row = _rows(figures.province_view(db, pk(world.province)))[PADANG]
    f = row.figures
    assert (f.trainings, f.registrations, f.people_trained, f.days_attended, f.jpl,
            f.certificates) == (2, 7, 5, 7, 22, 1)
    assert (row.kampung_kb_registered, row.kampung_kb_target, f.kampung_kb_covered) == (3, 10, 3)
    assert f.by_poktan == {"BKB": 2, "BKR": 2, "BKL": 0, "UPPKA": 0, "PIK-R": 0, "lainnya": 1}
    assert row.trainings_by_year == {2019: 1, 2018: 1}
    assert row.city == "Padang" and row.sharing_since == date.today()


def test_a_year_counts_the_trainings_ending_in_it(db: Session, world: World) -> None:
    view = figures.province_view(db, pk(world.province), 2019)
    f = _rows(view)[PADANG].figures
    assert (f.trainings, f.registrations, f.people_trained, f.days_attended, f.jpl,
            f.certificates, f.kampung_kb_covered) == (1, 2, 2, 2, 6, 0, 2)
    assert {g: n for g, n in f.by_poktan.items() if n} == {"BKB": 1, "BKR": 1}
    assert view.years == [2019, 2018]
    assert _rows(figures.province_view(db, pk(world.province), 2020))[PADANG].figures \
        .people_trained == 0


def test_the_total_row_adds_the_offices(db: Session, world: World) -> None:
    view = figures.province_view(db, pk(world.province))
    t = view.totals
    assert (t.figures.trainings, t.figures.registrations, t.figures.people_trained,
            t.figures.jpl, t.kampung_kb_registered, t.kampung_kb_target) == (3, 8, 6, 22, 3, 10)
    assert t.figures.by_poktan["BKB"] == 3


def test_figures_agree_with_the_offices_own_coverage_and_records(db: Session,
                                                                  world: World) -> None:
    """The province reads the same numbers as the office's coverage page and its people's
    records."""
    row = _rows(figures.province_view(db, pk(world.province)))[PADANG]
    cov = coverage.coverage(db, pk(world.padang))
    assert (row.kampung_kb_registered, row.figures.kampung_kb_covered) == (
        cov.registered, cov.covered)
    people = {r.participant_id for t in (world.t2018, world.t2019)
              for r in db.exec(select(Registration)
                               .where(Registration.training_id == t.id)).all()}
    assert row.figures.jpl == sum(record.person_record(db, pk(world.padang), p).jpl_total
                                  for p in people)


def test_the_detail_per_year_training_and_kecamatan(db: Session, world: World) -> None:
    d = figures.office_detail(db, pk(world.province), pk(world.padang))
    assert [(y.year, y.figures.people_trained, y.figures.jpl) for y in d.years] == [
        (2019, 2, 6), (2018, 4, 16)]
    assert [t.title for t in d.years[1].trainings] == ["Pelatihan Kader Kampung KB 2018"]
    by = {k.district: (k.kampung_kb, k.covered) for k in d.by_district}
    assert by == {"Nanggalo": (1, 1), "Padang Utara": (2, 2)}
    assert d.unlinked == 1  # the Kenanga cadre
    assert d.held_in == [2019, 2018]


def test_queries_do_not_grow_with_offices_or_people(db: Session, world: World,
                                                    count_queries: list[str]) -> None:
    figures.province_view(db, pk(world.province))
    few = len(count_queries)
    # Two more offices with trainings, batches and people, sharing too.
    for n, name in enumerate(("DPPKB Kota Payakumbuh", "DPPKB Kota Solok")):
        office = factories.organization(db, name)
        admin = factories.user(db, office, role="admin", email=f"a{n}@more.test")
        for year in (2018, 2019):
            t = factories.training(db, office, start=date(year, 5, 2), days=2)
            b = factories.batch(db, t)
            for reg in factories.register_many(db, t, b, 4, first=10 * n):
                factories.check_in(db, reg, b.start_date, admin)
        sharing.share(db, pk(office), pk(world.province), admin)
    count_queries.clear()
    view = figures.province_view(db, pk(world.province))
    assert len(view.offices) == 4
    assert len(count_queries) == few


def test_the_demo_province_sees_padang_and_bukittinggi_not_agam(db: Session) -> None:
    from service.services import auth
    from service.services.demo import sumbar as demo_sumbar

    padang = factories.organization(db, "DP3AP2KB Kota Padang")
    admin = factories.user(db, padang, role="admin")
    seeded = demo_sumbar.seed_sumbar(db, "demo-sumbar-2019x", pk(padang), pk(admin))
    view = figures.province_view(db, seeded.organization_id)
    assert [r.name for r in view.offices] == ["DP3AP2KB Kota Padang", "DPPKB Kota Bukittinggi"]
    bukittinggi = view.offices[1]
    assert bukittinggi.figures.people_trained > 20 and bukittinggi.figures.certificates > 0
    assert bukittinggi.kampung_kb_registered == 6 and bukittinggi.figures.kampung_kb_covered == 6
    for email in (demo_sumbar.EMAIL, "admin@agam.demo"):
        assert auth.authenticate(db, email, "demo-sumbar-2019x").role == "admin"
