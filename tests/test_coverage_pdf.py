"""The coverage as a PDF: the register against the target, a table and a chart per
kecamatan, the Kampung KB nobody has been trained from; the filters it was asked with; the
API and the page serve it to their own organization only; it names no cadre."""

import io
import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from service.models import Organization, User
from service.models.base import pk
from service.rendering.coverage_pdf import (
    CoverageDoc,
    DistrictLine,
    UncoveredLine,
    render_coverage_pdf,
)
from service.schemas.kampung_kb import KampungKBCreate
from service.schemas.programs import ProgramCreate
from service.services import coverage, coverage_doc, kampung_kb, programs
from tests import factories
from tests.helpers import login_page_client

TODAY = date(2018, 12, 3)
GROUPS = ["BKB", "BKR", "BKL", "UPPKA", "PIK-R", "Lainnya"]


def _text(pdf: bytes) -> str:
    # pypdf puts table cells on lines of their own: compare with single spaces.
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(
        io.BytesIO(pdf)).pages))


def _padang(db: Session, org: Organization, admin: User) -> dict[str, str]:
    """Three Kampung KB in two kecamatan, target 104; one BKB cadre of Melati present in
    2018, one cadre of a Kampung KB the register lacks."""
    for name, village, district in (("Kampung KB Melati", "Air Tawar Barat", "Padang Utara"),
                                    ("Kampung KB Anggrek", "Ulak Karang Utara",
                                     "Padang Utara"),
                                    ("Kampung KB Mawar", "Lapai", "Nanggalo")):
        kampung_kb.create_kampung_kb(db, pk(org), KampungKBCreate(
            name=name, village=village, district=district, poktan=["BKB", "BKL"]))
    kampung_kb.set_target(db, pk(org), 104)
    t = factories.training(db, org, start=date(2018, 9, 12), days=2,
                           categories=("Kader BKB", "PKB"))
    b = factories.batch(db, t)
    cadre = {**factories.kader(0), "category": "Kader BKB", "kampung_kb": "Melati"}
    factories.check_in(db, factories.register(db, t, b, **cadre), b.start_date, admin)
    stranger = {**factories.kader(1), "category": "PKB", "kampung_kb": "Kampung KB Kenanga"}
    factories.check_in(db, factories.register(db, t, b, **stranger), b.start_date, admin)
    factories.committed(db)
    return cadre


def _pdf(db: Session, org: Organization, year: int | None = None) -> bytes:
    cov = coverage.coverage(db, pk(org), year=year)
    return render_coverage_pdf(coverage_doc.coverage_doc(db, pk(org), cov, TODAY))


def test_the_pdf_prints_the_target_each_kecamatan_and_who_has_nobody_trained(
        db: Session, org: Organization, admin: User) -> None:
    cadre = _padang(db, org, admin)
    pdf = _pdf(db, org)
    text = _text(pdf)
    assert "CAKUPAN KAMPUNG KB" in text and "DP3AP2KB KOTA PADANG" in text
    assert "Target 104" in text and "Dalam daftar 3" in text
    assert "Belum dalam daftar (target dikurangi daftar) 101" in text
    # Padang Utara: 2 Kampung KB, 1 covered, one BKB cadre; Nanggalo: none.
    assert "Padang Utara 2 1 50,0% 1 0 0 0 0 0 1" in text
    assert "Nanggalo 1 0 0,0% 0 0 0 0 0 0 0" in text
    assert "1 kader terlatih belum ditautkan ke Kampung KB dalam daftar." in text
    uncovered = text.split("Kampung KB yang belum punya kader terlatih", 1)[1]
    assert "Kampung KB Anggrek Ulak Karang Utara Padang Utara BKB, BKL" in uncovered
    assert "Kampung KB Mawar" in uncovered and "Melati" not in uncovered
    # Nobody is named: the coverage counts cadres.
    assert cadre["name"] not in text and cadre["nik"] not in text
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape


def test_the_pdf_says_which_programme_and_year_it_counts(db: Session, org: Organization,
                                                          admin: User) -> None:
    _padang(db, org, admin)
    text = _text(_pdf(db, org, year=2019))
    assert "Semua pelatihan · Tahun: 2019" in text
    assert "Dengan kader terlatih 0" in text
    assert "Semua pelatihan · Semua tahun" in _text(_pdf(db, org))


def test_an_empty_register_prints_a_page_that_says_so() -> None:
    doc = CoverageDoc("DP3AP2KB Kota Padang", None, None, None, None, None, 0, 0, 0, GROUPS,
                      [], [], TODAY)
    text = _text(render_coverage_pdf(doc))
    assert "Daftar masih kosong." in text and "belum diatur" in text


def test_sixty_kecamatan_continue_over_pages_and_equal_input_gives_equal_bytes() -> None:
    districts = [DistrictLine(f"Kecamatan {n:02d}", 3, n % 4 and 2, [n % 3] * len(GROUPS))
                 for n in range(60)]
    uncovered = [UncoveredLine(f"Kampung KB {n:03d}", "Desa", "Kecamatan", [])
                 for n in range(80)]
    doc = CoverageDoc("Dinas PPKB Provinsi Sumatera Barat", "Padang", None, "Program 2022",
                      2022, 180, 180, 105, 0, GROUPS, districts, uncovered, TODAY)
    pdf = render_coverage_pdf(doc)
    reader = PdfReader(io.BytesIO(pdf))
    text = _text(pdf)
    assert len(reader.pages) >= 4
    assert "Kecamatan 59" in text and "Kampung KB 079" in text
    assert f"Halaman 1 dari {len(reader.pages)}" in text
    assert render_coverage_pdf(doc) == pdf


def test_the_api_serves_the_pdf_with_the_filters(api: TestClient, db: Session,
                                                 org: Organization, admin: User) -> None:
    _padang(db, org, admin)
    r = api.get("/api/coverage.pdf?year=2018")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == (
        'attachment; filename="cakupan-kampung-kb-2018.pdf"')
    assert "Tahun: 2018" in _text(r.content)
    assert api.get("/api/coverage.pdf?year=abc").status_code == 422


def test_another_organizations_programme_is_not_found(api: TestClient, db: Session) -> None:
    other = factories.organization(db, "DP3AP2KB Kota Pontianak")
    program = programs.create_program(db, pk(other), ProgramCreate(
        title="Program Pontianak", start_date=date(2018, 1, 1),
        end_date=date(2018, 1, 1) + timedelta(days=300)))
    factories.committed(db)
    assert api.get(f"/api/coverage.pdf?program_id={pk(program)}").status_code == 404


def test_the_coverage_page_links_to_the_pdf_of_its_filters(
        client: TestClient, db: Session, org: Organization, admin: User) -> None:
    _padang(db, org, admin)
    login_page_client(client, admin.email)
    page = client.get("/coverage?year=2018").text
    assert 'id="export-pdf" href="/coverage.pdf?year=2018"' in page
    r = client.get("/coverage.pdf?program_id=&year=2018")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert "Padang Utara" in _text(r.content)
    assert client.get("/coverage.pdf?year=dua").status_code == 422
