"""Printable ticket cards and the QR renderers: what is printed scans back and verifies."""

from __future__ import annotations

import dataclasses
import io
import random
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
import qrcode
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas

from service.rendering.qr import draw_qr, qr_matrix, qr_png, qr_svg
from service.rendering.ticket_cards_pdf import TicketCard, ticket_cards_pdf
from service.services.ticket_codes import (
    TicketClaims,
    generate_keypair,
    sign_ticket,
    verify_ticket,
)

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PRIVATE, PUBLIC = generate_keypair()
LONG_NAME = "Hj. Nur Aisyah Binti Muhammad Syafii, S.Pd., M.Pd."
MARKUP_NAME = "Rina <script>alert(1)</script> & Sons"
NAMES = [
    LONG_NAME,
    MARKUP_NAME,
    "Yusuf \u00c7a\u011flar Nu\u00f1ez",
    "Ma\u02bcruf Amin",
    "Siti",
    "Drs. H. Bambang Sutrisno Wicaksono, M.Si.",
    "Dewi Lestari",
    "Andi Pangerang",
    "Fransiska Xaveria Tnesi",  # page 2
    "I Gede Ngurah Rai Wiratama",  # page 2
]
CATEGORIES = ["Kader BKB", "PKB", None, "TP-PKK Kelurahan", "Pokja Kampung KB"]


def _card(i: int, name: str) -> TicketCard:
    claims = TicketClaims(7, 4200 + i, 31, date(2018, 9, 12), date(2018, 9, 13))
    return TicketCard(
        name=name,
        training_title="Pelatihan Pengelolaan Kelompok Kegiatan Kampung KB "
                       "bagi Kader dan Penyuluh KB Kota Padang Tahun 2018",
        organization="DP3AP2KB Kota Padang",
        batch_name="Angkatan I",
        dates="12\u201313 September 2018",
        venue="Hotel Pangeran Beach, Jl. Ir. H. Juanda No. 79, Padang" if i % 3 else None,
        code=sign_ticket(claims, PRIVATE),
        ticket_url=f"127.0.0.1:8000/t/Xk3vQ9pL2mN8rT5wY7zA{i:02d}",
        category=CATEGORIES[i % len(CATEGORIES)],
    )


CARDS = [_card(i, name) for i, name in enumerate(NAMES)]


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return ticket_cards_pdf(CARDS, title="Tiket Peserta \u2013 Angkatan I")


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _png_of_page_one(pdf: bytes, tmp_path: Path) -> Path:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed")
    source = tmp_path / "cards.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile",
         str(source), str(tmp_path / "page")],
        check=True, capture_output=True, timeout=60,
    )
    png = tmp_path / "page.png"
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(png, ARTIFACTS / "ticket-cards.png")  # for a human to look at
    return png


# --- cards -------------------------------------------------------------------------------


def test_ten_cards_fill_two_pages(pdf: bytes) -> None:
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2


def test_page_one_qr_codes_scan_back_to_genuine_tickets(pdf: bytes, tmp_path: Path) -> None:
    with Image.open(_png_of_page_one(pdf, tmp_path)) as image:
        found = [b.text for b in zxingcpp.read_barcodes(image)]
    assert sorted(found) == sorted(card.code for card in CARDS[:8])
    assert sorted(verify_ticket(text, PUBLIC).registration_id for text in found) == list(
        range(4200, 4208))


def test_every_name_is_printed_literally(pdf: bytes) -> None:
    text = _text(pdf)
    missing = [name for name in NAMES if name not in text]
    assert missing == []


def test_markup_in_a_name_prints_as_text(pdf: bytes) -> None:
    assert "<script>alert(1)</script> & Sons" in _text(pdf)


def test_labels_are_indonesian(pdf: bytes) -> None:
    text = _text(pdf)
    for label in ("ANGKATAN", "TANGGAL", "TEMPAT", "Tunjukkan kode QR ini di meja registrasi"):
        assert label in text


def test_short_url_is_printed(pdf: bytes) -> None:
    # Long URLs break after their last "/", so look for both halves.
    text = _text(pdf)
    assert "127.0.0.1:8000/t/" in text and "Xk3vQ9pL2mN8rT5wY7zA00" in text


def test_card_without_venue_has_no_venue_label() -> None:
    card = dataclasses.replace(CARDS[0], venue=None)
    assert "TEMPAT" not in _text(ticket_cards_pdf([card], title="t"))


def test_absurdly_long_name_is_shortened_with_an_ellipsis() -> None:
    name = "Nur Aisyah " * 40
    text = _text(ticket_cards_pdf([dataclasses.replace(CARDS[0], name=name)], title="t"))
    assert "Nur Aisyah Nur Aisyah" in text and "\u2026" in text
    assert name.strip() not in text


def test_control_characters_never_reach_the_pdf() -> None:
    card = dataclasses.replace(CARDS[0], name="Siti\nAminah\x00\tPutri")
    assert "Siti Aminah Putri" in _text(ticket_cards_pdf([card], title="t"))


def test_no_cards_give_a_valid_blank_page() -> None:
    assert len(PdfReader(io.BytesIO(ticket_cards_pdf([], title="t"))).pages) == 1


def test_rendering_is_deterministic() -> None:
    assert ticket_cards_pdf(CARDS[:2], title="t") == ticket_cards_pdf(CARDS[:2], title="t")


# --- QR renderers --------------------------------------------------------------------------


def test_qr_png_decodes_back() -> None:
    with Image.open(io.BytesIO(qr_png(CARDS[0].code))) as image:
        assert image.mode == "1"
        assert [b.text for b in zxingcpp.read_barcodes(image)] == [CARDS[0].code]


def test_qr_png_size_follows_box_size_and_border() -> None:
    with Image.open(io.BytesIO(qr_png("BIMTEK", box_size=3, border=2))) as image:
        assert image.size == ((21 + 2 * 2) * 3,) * 2  # version 1: 21 modules


def test_qr_svg_is_xml_with_one_path() -> None:
    root = ET.fromstring(qr_svg(CARDS[0].code))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 49 49"  # 41 modules + 2 x 4 quiet zone
    assert root.get("shape-rendering") == "crispEdges"
    assert [child.tag.split("}")[1] for child in root] == ["path"]


def test_draw_qr_is_one_filled_path() -> None:
    buf = io.BytesIO()
    canvas = Canvas(buf, pageCompression=0)
    draw_qr(canvas, CARDS[0].code, 50, 50, 100)
    canvas.showPage()
    canvas.save()
    content = PdfReader(io.BytesIO(buf.getvalue())).pages[0].get_contents()
    assert content is not None
    ops = content.get_data().decode().split()
    assert ops.count("f") == 1 and ops.count("re") > 100
    assert "S" not in ops and "B" not in ops  # no stroke


def test_qr_matrix_is_what_the_qrcode_package_makes() -> None:
    # The faster mask choice must pick the very mask qrcode's own search picks; the
    # texts vary in length and mode so every part of the penalty gets to decide.
    rng = random.Random(2018)
    texts = [CARDS[0].code, "https://example.org/v/ABCD-1234", "Ma\u02bcruf", "x" * 300]
    texts += ["".join(rng.choice("AB01 /xyz\u00e9") for _ in range(rng.randint(1, 200)))
              for _ in range(60)]
    for text in texts:
        reference = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        reference.add_data(text)
        reference.make(fit=True)
        assert qr_matrix(text) == reference.get_matrix()


def test_qr_svg_path_covers_exactly_the_dark_modules() -> None:
    code = CARDS[0].code
    path = ET.fromstring(qr_svg(code, border=4))[0].get("d") or ""
    matrix = qr_matrix(code)
    drawn = [[False] * len(matrix) for _ in matrix]
    for x, y, length in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", path):
        for c in range(int(x) - 4, int(x) - 4 + int(length)):
            drawn[int(y) - 4][c] = True
    assert drawn == matrix
