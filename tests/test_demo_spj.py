"""The demo's SPJ (services/demo/spj.py): Padang's treasurer, 2018 rates and narasumber
finance fields, so its SPJ pays 421 cadres' transport and 7 institutions' narasumber; the
Sumsel workshop's 2022 rates by zone with Palembang as the city."""

import pytest
from sqlmodel import Session, select

from service.models import Organization, Training, User
from service.services import auth
from service.services.demo.province import REGENCIES
from service.services.demo.spj import (
    PADANG_TREASURER,
    SUMSEL_TREASURER,
    ZONES,
    seed_spj,
)
from service.services.spj import compute, rates
from tests.conftest import DEMO_PASSWORD as PASSWORD


@pytest.fixture
def db(demo_db: Session) -> Session:
    """The demo (guests, committee, narasumber attendance and SPJ included) is seeded once
    for this module (conftest's seeded_demo)."""
    return demo_db


@pytest.fixture
def demo(demo_trainings: tuple[Training, Training]) -> tuple[Training, Training]:
    return demo_trainings


def test_padangs_spj_pays_421_cadres_and_seven_institutions(
        db: Session, demo: tuple[Training, Training]) -> None:
    padang, _province = demo
    spj = compute.build(db, padang)
    assert spj.year == 2018
    assert len(spj.transport) == 421
    assert {b.people for b in spj.by_batch()} and sum(b.people for b in spj.by_batch()) == 421
    # Everyone is from Kota Padang: 100.000 a day present, over (at most) two days.
    assert {x.rate for x in spj.transport} == {100_000}
    assert all(0 <= x.days_present <= 2 for x in spj.transport)
    assert sum(x.days_present for x in spj.transport) * 100_000 == spj.transport_gross
    assert spj.transport_gross > 421 * 100_000  # most came both days
    institutions = {x.speaker.institution for x in spj.honorarium if x.gross > 0}
    assert len(institutions) == 7
    assert spj.honorarium_tax > 0
    # The one narasumber who missed an afternoon (guests demo) is not paid for it.
    assert not [w for w in spj.warnings if w.code in ("no_class", "attendance_not_recorded")]


def test_padangs_treasurer_signs_in_with_the_demo_password(
        db: Session, demo: tuple[Training, Training]) -> None:
    user = db.exec(select(User).where(User.email == PADANG_TREASURER)).one()
    assert user.role == "treasurer"
    assert auth.authenticate(db, PADANG_TREASURER, PASSWORD) is not None


def test_one_non_asn_narasumber_without_npwp(db: Session,
                                              demo: tuple[Training, Training]) -> None:
    padang, _province = demo
    spj = compute.build(db, padang)
    no_npwp = [x.speaker for x in spj.honorarium if not x.speaker.npwp]
    assert [(s.institution, s.golongan) for s in no_npwp] == [("AKU Sumbar", None)]
    assert {x.speaker.golongan for x in spj.honorarium} == {None, "III", "IV"}


def test_sumsel_rates_by_zone_and_palembang_as_the_city(
        db: Session, demo: tuple[Training, Training]) -> None:
    _padang, province = demo
    org = db.get(Organization, province.organization_id)
    assert org is not None
    data = rates.parsed(rates.get(db, province.organization_id, 2022))
    kinds = {place: rates.transport_rate(data, org, place).origin_kind for place in REGENCIES}
    assert kinds.pop("Kota Palembang") == "within_city"
    assert set(kinds.values()) == {"zone"}
    assert {p for _r, places in ZONES.values() for p in places} == set(kinds)
    spj = compute.build(db, province)
    assert spj.year == 2022 and len(spj.honorarium) == 5
    assert db.exec(select(User).where(User.email == SUMSEL_TREASURER)).one().organization_id \
        == province.organization_id


def test_seeding_twice_changes_nothing(db: Session, demo: tuple[Training, Training]) -> None:
    padang, province = demo
    before = compute.build(db, padang).net
    seed_spj(db, PASSWORD, padang, province)
    assert compute.build(db, padang).net == before
