"""The Sumsel workshop's nominations in the demo (issue 16): 17 kabupaten/kota, their
quotas adding up to the 144 places, three lagging."""

import io
import time as clock

import pytest
from pypdf import PdfReader
from sqlmodel import Session, col, select

from service.models import Nominee, Registration, Training, TrainingUnit
from service.services.demo import nominations as demo_nominations
from service.services.demo import province as demo_province
from service.services.nominations import status, surat_tugas

PASSWORD = "demo-sumsel-2022"


@pytest.fixture
def seeded(db: Session) -> tuple[Training, list[TrainingUnit], float]:
    province = demo_province.seed_province(db, PASSWORD)
    began = clock.perf_counter()
    made = demo_nominations.seed_nominations(db, province)
    took = clock.perf_counter() - began
    training = db.get(Training, province.training_id)
    assert training is not None
    return training, made, took


def test_every_kabupaten_kota_is_a_unit_with_its_share_of_the_144(
        db: Session, seeded: tuple[Training, list[TrainingUnit], float]) -> None:
    training, made, took = seeded
    rows, totals = status.fill(db, training)
    assert len(made) == 17 and totals.units == 17 and totals.quota == 144
    assert sorted({r.training_unit.quota for r in rows}) == [8, 9]
    assert {r.unit.kind for r in rows} == {"kabupaten_kota"}
    assert [r.unit.name for r in rows] == sorted(demo_province.REGENCIES)
    assert all(r.unit.focal_phone and r.unit.focal_email for r in rows)
    assert took < 3, took


def test_three_units_lag_without_a_letter(
        db: Session, seeded: tuple[Training, list[TrainingUnit], float]) -> None:
    training, _made, _took = seeded
    rows, totals = status.fill(db, training)
    lagging = [r for r in rows if r.lagging]
    assert sorted(r.unit.name for r in lagging) == sorted(demo_nominations.LAGGING)
    assert all(0 < r.accepted < r.named < r.training_unit.quota and not r.surat_tugas
               for r in lagging)
    assert totals.surat_tugas == 14 and totals.lagging == 3
    assert all(not r.open for r in rows)  # the deadline (5 August 2022) has passed


def test_accepted_delegates_are_the_registered_officials_of_their_unit(
        db: Session, seeded: tuple[Training, list[TrainingUnit], float]) -> None:
    _training, made, _took = seeded
    pairs = db.exec(select(Nominee, Registration)
                    .join(Registration, col(Registration.id) == Nominee.registration_id)).all()
    units = {tu.id: tu.unit_id for tu in made}
    assert len(pairs) > 120
    assert all(reg.unit_id == units[n.training_unit_id] for n, reg in pairs)
    assert len({reg.id for _n, reg in pairs}) == len(pairs)


def test_the_letters_are_small_pdfs_naming_the_delegates(
        db: Session, seeded: tuple[Training, list[TrainingUnit], float]) -> None:
    _training, made, _took = seeded
    letter = surat_tugas.get(db, made[0])
    assert letter.media_type == "application/pdf" and len(letter.data) < 20_000
    text = PdfReader(io.BytesIO(letter.data)).pages[0].extract_text()
    first = db.exec(select(Nominee).where(Nominee.training_unit_id == made[0].id)
                    .order_by(col(Nominee.id))).first()
    assert first is not None and "SURAT TUGAS" in text and first.name in text
