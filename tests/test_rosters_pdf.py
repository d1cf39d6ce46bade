"""Roster and attendance-sheet PDFs: names in order with their numbers, the Indonesian
date, the header on every page, page numbers, the alternating signature boxes (from the
text positions), the organizer's logo; rendered to PNG under test-artifacts/ to look at."""

import io
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader
from sqlmodel import Session

from service.i18n import use_locale
from service.i18n.formats import fmt_date
from service.models import Organization
from service.rendering.attendance_sheet_pdf import (
    LEFT,
    WIDTHS,
    AttendanceSheet,
    SignRow,
    render_attendance_sheet_pdf,
)
from service.services import org_logo
from tests.roster_setup import ROSTER_ORDER, RosterSetup, make_roster_setup

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "rosters"
NAMES = list(ROSTER_ORDER)


@pytest.fixture
def setup(db: Session, org: Any) -> RosterSetup:
    return make_roster_setup(db, org)


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(pdf: bytes) -> str:
    """All the text on one line: a long name wrapped in its cell reads whole again."""
    return " ".join(" ".join(_text(pdf)).split())


def _png(pdf: bytes, name: str, pages: str = "1") -> Path | None:
    """Page(s) as PNG for a person to look at (pdftoppm -r 60)."""
    if not shutil.which("pdftoppm"):
        return None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    src = ARTIFACTS / f"{name}.pdf"
    src.write_bytes(pdf)
    first, _, last = pages.partition("-")
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", first, "-l", last or first,
                    str(src), str(ARTIFACTS / name)], check=True, timeout=60)
    found = sorted(ARTIFACTS.glob(f"{name}-*.png"))
    assert found, "pdftoppm made no PNG"
    with Image.open(found[0]) as img:
        assert img.width > 400  # a real page, not an empty render
    return found[0]


def _positions(pdf: bytes, page: int = 0) -> list[tuple[str, float, float]]:
    """(text, x, y) of every text run on a page."""
    out: list[tuple[str, float, float]] = []

    def visit(text: str, cm_: Any, tm: Any, *_: Any) -> None:
        if text.strip():
            out.append((text.strip(), tm[4], tm[5]))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return out


def test_committee_roster_pdf_lists_people_in_order_with_numbers(
        api: TestClient, setup: RosterSetup) -> None:
    r = api.get(f"/api/batches/{setup.batch.id}/roster.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert "inline" in r.headers["content-disposition"]
    assert "daftar-peserta-angkatan-i.pdf" in r.headers["content-disposition"]
    text = "\n".join(_text(r.content))
    assert "DAFTAR PESERTA" in text and "Angkatan I" in text and "Hotel Pangeran Beach" in text
    at = [text.index(name.split(",")[0]) for name in NAMES]
    assert at == sorted(at), "names out of order"
    for n, name in enumerate(NAMES, start=1):
        assert re.search(rf"(^|\s){n}\s+{re.escape(name.split(',')[0])}", text), name
    assert "••••••••••••0011" in text and "0812 6634 0011" in text
    assert "1371015203850011" not in text and "Zainal" not in text
    assert "Halaman 1 dari 1" in text
    _png(r.content, "roster-committee")


def test_narasumber_roster_pdf_has_no_phone_or_nik(api: TestClient,
                                                   setup: RosterSetup) -> None:
    r = api.post(f"/api/trainings/{setup.training.id}/roster-links",
                 json={"speaker_id": setup.speaker_a.id})
    key = r.json()["url"].rsplit("/n/", 1)[1]
    api.headers.pop("Authorization")
    got = api.get(f"/n/{key}/batches/{setup.batch.id}/roster.pdf")
    assert got.status_code == 200, got.text
    pdf = got.content
    text = _flat(pdf)
    assert all(name.split(",")[0] in text for name in NAMES)
    for secret in ("0011", "6634", "NIK", "No. HP"):
        assert secret not in text
    _png(pdf, "roster-narasumber")


def test_attendance_sheet_pdf_heading_rows_and_signature(
        api: TestClient, setup: RosterSetup) -> None:
    day = setup.days[1]
    r = api.get(f"/api/batches/{setup.batch.id}/attendance-sheet.pdf",
                params={"day": day.isoformat()})
    assert r.status_code == 200, r.text
    assert f"daftar-hadir-angkatan-i-{day.isoformat()}.pdf" in r.headers["content-disposition"]
    text = "\n".join(_text(r.content))
    with use_locale("id"):
        day_text = fmt_date(day, weekday=True)
    assert "DAFTAR HADIR PESERTA" in text and day_text in text
    assert "Pelatihan Kader Kampung KB Kota Padang" in text and "Hotel Pangeran Beach" in text
    assert "Tanda Tangan" in text and "Panitia Pelaksana," in text and "NIP." in text
    at = [text.index(name.split(",")[0]) for name in NAMES]
    assert at == sorted(at)
    assert "Zainal" not in text and "0812" not in text
    _png(r.content, "attendance-sheet")


def test_attendance_sheet_day_outside_the_batch_is_refused(
        api: TestClient, setup: RosterSetup) -> None:
    r = api.get(f"/api/batches/{setup.batch.id}/attendance-sheet.pdf",
                params={"day": (setup.days[0] - timedelta(days=1)).isoformat()})
    assert r.status_code == 422 and r.json()["code"] == "day_outside_batch"
    assert api.get(f"/api/batches/{setup.batch.id}/attendance-sheet.pdf",
                   params={"day": "12-09-2018"}).status_code == 422


def _sheet(rows: int, logo: bytes | None = None) -> AttendanceSheet:
    names = ("Hj. Nur Aisyah Binti Muhammad Syafii, S.Pd., M.Pd.", "Yusnidar",
             "Ḥalimah Ṣalihah Nur'aini", "Rina Marlina")
    return AttendanceSheet(
        organization="DP3AP2KB Kota Padang", title="DAFTAR HADIR PESERTA",
        training="Pelatihan Pengelolaan Kelompok Kegiatan Kampung KB Kota Padang",
        details=(("Angkatan", "Angkatan I"), ("Hari/Tanggal", "Rabu, 12 September 2018"),
                 ("Tempat", "Hotel Pangeran Beach")),
        columns=("No.", "Nama", "Instansi", "Tanda Tangan"),
        rows=[SignRow(n, f"{names[n % 4]} {n:03d}", "Kelurahan Lubuk Buaya")
              for n in range(1, rows + 1)],
        place_date="Padang, 12 September 2018", signer="Panitia Pelaksana,", logo=logo)


def test_signature_boxes_alternate_left_and_right() -> None:
    pdf = render_attendance_sheet_pdf(_sheet(30))
    sign_x = LEFT + sum(WIDTHS[:3])
    mid = sign_x + WIDTHS[3] / 2
    numbers = {}
    for text, x, _y in _positions(pdf):
        m = re.fullmatch(r"(\d+)\.", text)
        if m and x >= sign_x - 1:
            numbers[int(m.group(1))] = x
    assert len(numbers) >= 15, numbers
    for n, x in numbers.items():
        if n % 2:
            assert sign_x < x < mid, f"row {n} should sign on the left half"
        else:
            assert mid <= x < sign_x + WIDTHS[3], f"row {n} should sign on the right half"
    # Rows 1 and 3 start at the same place; rows 2 and 4 too.
    assert numbers[1] == numbers[3] and numbers[2] == numbers[4]
    assert numbers[2] - numbers[1] == pytest.approx(WIDTHS[3] / 2)
    _png(pdf, "signature-boxes")


def test_421_rows_repeat_the_header_and_number_every_page() -> None:
    pdf = render_attendance_sheet_pdf(_sheet(421))
    pages = _text(pdf)
    assert len(pages) > 10
    for i, page in enumerate(pages, start=1):
        assert f"Halaman {i} dari {len(pages)}" in page
        if i < len(pages) or "421." in page:
            assert "Tanda Tangan" in page and "Nama" in page and "Instansi" in page
    body = "\n".join(pages)
    numbers = [int(n) for n in re.findall(r"(?m)^(\d+)\.$", body)]
    assert numbers == list(range(1, 422))  # every row once, in order, across pages
    for n in (1, 2, 210, 421):  # each number beside its own name (which ends in n:03d)
        assert re.search(rf"(?m)^{n}\.\n[^\n]*(\n[^\n]*)? {n:03d}$", body), n
    assert "Panitia Pelaksana," in pages[-1]
    _png(pdf, "attendance-421", pages=f"{len(pages) - 1}-{len(pages)}")


def test_empty_batch_prints_blank_numbered_rows(api: TestClient, setup: RosterSetup) -> None:
    r = api.get(f"/api/batches/{setup.third.id}/attendance-sheet.pdf",
                params={"day": setup.third.start_date.isoformat()})
    assert r.status_code == 200
    text = "\n".join(_text(r.content))
    assert "Angkatan III" in text and "15." in text and "Panitia Pelaksana," in text
    roster = api.get(f"/api/batches/{setup.third.id}/roster.pdf")
    assert "Belum ada peserta di angkatan ini." in "\n".join(_text(roster.content))
    _png(r.content, "attendance-empty")


def test_logo_is_printed_on_the_attendance_sheet(api: TestClient, db: Session,
                                                 org: Organization,
                                                 setup: RosterSetup) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (300, 200), (15, 110, 79)).save(buf, "JPEG")
    org_logo.set_logo(db, org, buf.getvalue())
    db.commit()
    pdf = api.get(f"/api/batches/{setup.batch.id}/attendance-sheet.pdf",
                  params={"day": setup.days[0].isoformat()}).content
    images = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert len(images) == 1
    assert images[0].image is not None and images[0].image.size == (300, 200)
    _png(pdf, "attendance-logo")
