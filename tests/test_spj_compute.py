"""The SPJ against the hand-computed world of tests/spj_world.py, to the rupiah."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session

from service.models.base import pk
from service.models.speaker_attendance import SpeakerAttendance
from service.schemas.spj import RateTableIn
from service.services.spj import compute, money, rates
from tests import factories, spj_world


@pytest.fixture
def world(db: Session) -> spj_world.World:
    return spj_world.build(db)


def _transport(spj: compute.Spj) -> dict[str, tuple[int, int, int, int]]:
    return {x.name: (x.days_present, x.rate, x.gross, x.net) for x in spj.transport}


def test_transport_rows_follow_days_present_and_origin(db: Session,
                                                       world: spj_world.World) -> None:
    spj = compute.build(db, world.training)
    assert _transport(spj) == {"Ani Suryani": (2, 190_000, 380_000, 380_000),
                               "Budi Santoso": (1, 290_000, 290_000, 290_000),
                               "Citra Lestari": (2, 390_000, 780_000, 780_000)}
    assert (spj.transport_gross, spj.transport_tax, spj.transport_net) == (
        1_450_000, 0, 1_450_000)


def test_honorarium_pays_only_the_jp_present_by_class_and_tax(db: Session,
                                                              world: spj_world.World) -> None:
    spj = compute.build(db, world.training)
    rows = {x.speaker.name: (x.jp, x.rate, x.gross, x.tax, x.net) for x in spj.honorarium}
    assert rows == {"Dr. Hendra Gunawan": (5, 1_000_000, 5_000_000, 750_000, 4_250_000),
                    "Rina Marlina": (2, 900_000, 1_800_000, 108_000, 1_692_000)}
    assert (spj.honorarium_gross, spj.honorarium_tax, spj.honorarium_net) == (
        6_800_000, 858_000, 5_942_000)


def test_totals_and_words(db: Session, world: spj_world.World) -> None:
    spj = compute.build(db, world.training)
    assert (spj.gross, spj.tax, spj.net) == (8_250_000, 858_000, 7_392_000)
    assert compute.words(spj.net) == "tujuh juta tiga ratus sembilan puluh dua ribu rupiah"
    assert [(b.batch, b.people, b.gross) for b in spj.by_batch()] == [
        ("Angkatan I", 3, 1_450_000)]


def test_marking_a_participant_absent_moves_transport_by_that_days_rate(
        db: Session, world: spj_world.World) -> None:
    before = compute.build(db, world.training).transport_gross
    day2 = world.training.start_date + timedelta(days=1)
    factories.mark(db, world.ani, day2, world.committee, "absent", reason="Sakit")
    after = compute.build(db, world.training)
    assert before - after.transport_gross == 190_000
    assert _transport(after)["Ani Suryani"] == (1, 190_000, 190_000, 190_000)


def test_marking_a_participant_present_adds_that_days_rate(db: Session,
                                                            world: spj_world.World) -> None:
    before = compute.build(db, world.training).transport_gross
    day2 = world.training.start_date + timedelta(days=1)
    factories.mark(db, world.budi, day2, world.committee, "present")
    assert compute.build(db, world.training).transport_gross - before == 290_000


def test_unrecorded_session_is_a_warning_not_paid(db: Session, world: spj_world.World) -> None:
    spj = compute.build(db, world.training)
    unrecorded = [w for w in spj.warnings if w.code == "attendance_not_recorded"]
    assert [(w.speaker_id, w.session_id) for w in unrecorded] == [
        (pk(world.rina), pk(world.unrecorded))]
    assert "Ketahanan Keluarga" in unrecorded[0].message
    db.add(SpeakerAttendance(session_id=pk(world.unrecorded), speaker_id=pk(world.rina)))
    db.flush()
    again = compute.build(db, world.training)
    assert again.honorarium_gross == 6_800_000 + 2 * 900_000
    assert not [w for w in again.warnings if w.code == "attendance_not_recorded"]


def test_speaker_recorded_absent_is_not_paid_nor_warned(db: Session,
                                                        world: spj_world.World) -> None:
    db.add(SpeakerAttendance(session_id=pk(world.unrecorded), speaker_id=pk(world.rina),
                             present=False))
    db.flush()
    spj = compute.build(db, world.training)
    assert spj.honorarium_gross == 6_800_000
    assert not [w for w in spj.warnings if w.code == "attendance_not_recorded"]


def test_warnings_name_missing_npwp_and_class(db: Session, world: spj_world.World) -> None:
    world.rina.honorarium_class = None
    db.add(world.rina)
    db.flush()
    spj = compute.build(db, world.training)
    codes = {(w.code, w.speaker_id) for w in spj.warnings}
    assert ("no_npwp", pk(world.rina)) in codes
    assert ("no_class", pk(world.rina)) in codes
    assert ("no_npwp", pk(world.hendra)) not in codes
    assert spj.honorarium_gross == 5_000_000  # no class: not paid


def test_registration_without_origin_gets_the_default_and_a_warning(
        db: Session, world: spj_world.World) -> None:
    dodi = factories.register(db, world.training, world.batch, name="Dodi")
    factories.check_in(db, dodi, world.training.start_date, world.committee)
    spj = compute.build(db, world.training)
    assert _transport(spj)["Dodi"] == (1, 440_000, 440_000, 440_000)
    assert ("no_origin", pk(dodi)) in {(w.code, w.registration_id) for w in spj.warnings}


def test_no_rate_table_for_the_year_is_a_409(db: Session, world: spj_world.World) -> None:
    other = factories.training(db, world.org, title="Bimtek 2019",
                               start=world.training.start_date.replace(year=2019))
    with pytest.raises(rates.NoRateTable) as err:
        compute.build(db, other)
    assert err.value.status == 409
    assert "2019" in err.value.text()


def test_per_hour_pays_the_sessions_minutes(db: Session, world: spj_world.World) -> None:
    data = RateTableIn.model_validate({**spj_world.rates_2018(),
                                       "honorarium_unit": "orang_jam"})
    rates.save(db, pk(world.org), 2018, data, world.treasurer)
    spj = compute.build(db, world.training)
    hendra = next(x for x in spj.honorarium if x.speaker.id == world.hendra.id)
    # 08.00-10.15 and 08.00-09.30: 135 + 90 minutes = 3,75 hours.
    assert hendra.quantity == Decimal("3.75")
    assert hendra.gross == 3_750_000


def test_transport_tax_rounds_half_up_per_row(db: Session, world: spj_world.World) -> None:
    doc = spj_world.rates_2018()
    doc["tax"]["transport"] = "2.5"
    rates.save(db, pk(world.org), 2018, RateTableIn.model_validate(doc), world.treasurer)
    spj = compute.build(db, world.training)
    # 2,5% of 290.000 = 7.250; of 380.000 = 9.500; of 780.000 = 19.500.
    assert {x.name: x.tax for x in spj.transport} == {
        "Ani Suryani": 9_500, "Budi Santoso": 7_250, "Citra Lestari": 19_500}


@pytest.mark.parametrize(("gross", "percent", "tax"), [
    (10, "5", 1), (9, "5", 0), (12_345, "2.5", 309), (1_000_001, "15", 150_000),
    (1_000_003, "15", 150_000), (1_000_004, "15", 150_001), (0, "15", 0)])
def test_tax_rounds_to_the_whole_rupiah_half_up(gross: int, percent: str, tax: int) -> None:
    assert money.tax(gross, Decimal(percent)) == tax


@pytest.mark.parametrize(("origin", "kind"), [
    ("Kota Padang", "within_city"), ("PADANG", "within_city"),
    ("Kab. Padang Pariaman", "regency"), ("padang pariaman", "regency"),
    ("Kota Solok", "zone"), ("Kabupaten Solok", "zone"), ("Bukittinggi", "default"),
    (None, "unknown")])
def test_origin_matching(origin: str | None, kind: str, db: Session,
                         world: spj_world.World) -> None:
    data = RateTableIn.model_validate(spj_world.rates_2018())
    assert rates.transport_rate(data, world.org, origin).origin_kind == kind
