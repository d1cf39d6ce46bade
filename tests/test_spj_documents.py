"""The SPJ's documents: what the daftar nominatif and the receipts say, the XLSX's cells
(numbers, no live formulas), the treasurer's NPWP and account in the honorarium list."""

import io
import os
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from service.models import Participant
from service.models.base import pk
from service.rendering.spj_pdf import render_nominatif_pdf, render_receipts_pdf
from service.rendering.spj_sheets import render_nominatif_xlsx
from service.rendering.spreadsheet_safety import is_live_formula
from service.schemas.spj import SignersIn
from service.services.spj import compute, documents
from tests import factories, spj_world


@pytest.fixture
def world(db: Session) -> spj_world.World:
    w = spj_world.build(db)
    compute.save_signers(db, w.training, SignersIn(
        pptk_name="Drs. Syafrizal, M.Si", pptk_nip="196805121994031005",
        treasurer_name="Yuliana, S.E.", treasurer_nip="198107152006042011", place="Padang"))
    return w


def _text(pdf: bytes, name: str) -> str:
    shots = os.environ.get("SPJ_SHOTS")
    if shots:  # to look at them: SPJ_SHOTS=/tmp/spj pytest ... then pdftoppm -png -r 60
        Path(shots).mkdir(parents=True, exist_ok=True)
        (Path(shots) / f"{name}.pdf").write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                         check=True)
    return " ".join(out.stdout.decode().split())


def test_transport_nominatif(db: Session, world: spj_world.World) -> None:
    spj = compute.build(db, world.training)
    doc = documents.transport(spj, world.batch, compute.signers(db, world.training))
    text = _text(render_nominatif_pdf(doc), "transport")
    assert "DAFTAR NOMINATIF PEMBAYARAN UANG TRANSPORT PESERTA" in text
    assert "DP3AP2KB KOTA PADANG" in text
    assert "Citra Lestari Kabupaten Solok 2 390.000 780.000 0 780.000" in text
    assert "1.450.000" in text
    assert "Terbilang: satu juta empat ratus lima puluh ribu rupiah" in text
    assert "Drs. Syafrizal, M.Si" in text and "19680512 199403 1 005" in text
    assert "Yuliana, S.E." in text and "Padang, 13 September 2018" in text
    assert "1. ...." in text and "3. ...." in text


def test_honorarium_nominatif_carries_npwp_and_account(db: Session,
                                                       world: spj_world.World) -> None:
    spj = compute.build(db, world.training)
    doc = documents.honorarium(spj, compute.signers(db, world.training))
    text = _text(render_nominatif_pdf(doc), "honorarium")
    assert "DAFTAR NOMINATIF PEMBAYARAN HONORARIUM NARASUMBER" in text
    assert "12.345.678.9-012.345" in text
    assert spj_world.ACCOUNT in text
    assert "19700101 199003 1 002" in text
    assert "5.000.000" in text and "750.000" in text and "4.250.000" in text
    assert "lima juta sembilan ratus empat puluh dua ribu rupiah" in text


def test_receipts_a_page_each(db: Session, world: spj_world.World) -> None:
    spj = compute.build(db, world.training)
    signers = compute.signers(db, world.training)
    pdf = render_receipts_pdf(documents.receipts(spj, signers, "honorarium", None))
    text = _text(pdf, "receipts-honorarium")
    assert text.count("TANDA TERIMA") == 2
    assert "Telah terima dari : Bendahara Pengeluaran DP3AP2KB Kota Padang" in text
    assert "Rp 4.250.000" in text and "empat juta dua ratus lima puluh ribu rupiah" in text
    transport = render_receipts_pdf(documents.receipts(spj, signers, "transport", world.batch))
    body = _text(transport, "receipts-transport")
    assert body.count("TANDA TERIMA") == 3
    assert "2 hari × Rp 190.000" in body


def test_xlsx_has_numbers_and_no_live_formulas(db: Session, world: spj_world.World) -> None:
    reg = factories.register(db, world.training, world.batch, name="Eka")
    # Stored before input refused such names: the sheet must still keep them inert.
    person = db.get(Participant, reg.participant_id)
    assert person is not None
    person.name, person.regency = "=HYPERLINK(\"x\")", "+Kota Padang"
    db.add(person)
    db.flush()
    factories.check_in(db, reg, world.training.start_date, world.committee)
    spj = compute.build(db, world.training)
    doc = documents.transport(spj, world.batch, compute.signers(db, world.training))
    wb = load_workbook(io.BytesIO(render_nominatif_xlsx(doc)))
    ws = wb.active
    assert ws is not None
    cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [v for v in cells if is_live_formula(v)]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    citra = next(r for r in rows if r[1] == "Citra Lestari")
    assert citra[2:8] == ["Kabupaten Solok", 2, 390_000, 780_000, 0, 780_000]
    total = next(r for r in rows if r[0] == "Total")
    assert total[5:8] == [1_640_000, 0, 1_640_000]


def test_transport_of_a_batch_holds_only_its_people(db: Session,
                                                    world: spj_world.World) -> None:
    other = factories.batch(db, world.training, name="Angkatan II", days=2)
    dewi = factories.register(db, world.training, other, name="Dewi Anggraini",
                              regency="Kota Padang")
    factories.check_in(db, dewi, world.training.start_date, world.committee)
    spj = compute.build(db, world.training)
    doc = documents.transport(spj, other, compute.signers(db, world.training))
    assert [r.name for r in doc.rows] == ["Dewi Anggraini"]
    assert {b.batch: b.gross for b in spj.by_batch()} == {"Angkatan I": 1_450_000,
                                                           "Angkatan II": 190_000}
    assert pk(other)
