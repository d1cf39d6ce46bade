"""Certificate PDFs: what is printed reads back (text, QR), fits, and streams.

Pages are rasterised with pdftoppm and their QR decoded with zxing-cpp; text comes back
through pypdf, and positions through pdfium's character boxes.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from PIL import Image, ImageDraw
from pypdf import PdfReader

from service.rendering import certificate_pdf, fonts
from service.rendering.certificate_pdf import (
    CertificateDesign,
    CertificateFields,
    Signatory,
    render_certificate,
    render_certificates,
    render_preview_png,
    render_zip,
    stream_certificates,
    stream_zip,
)

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "certificates"
LONG_NAME = "Hj. Nur Aisyah Binti Muhammad Syafii, S.Pd., M.Pd."
VERY_LONG_NAME = ("Prof. Dr. Hj. Raden Ajeng Siti Nurhaliza Kusumawardhani Binti Haji Abdul "
                  "Rahman Muhammad Syafii Al-Minangkabawi, S.Pd., M.Pd., M.Kes., Ph.D.")
DIACRITIC_NAMES = ["Ni Luh Putu Ayu Sukmawatī", "Ṭāhir Al-Ḥaddād", "Nguyễn Văn Thành",
                   "Ma\u02bcruf O’Neil", "Yusuf Çağlar Nuñez", "Ñoman Ẓulkifli"]
MARKUP_NAME = "Rina <script>alert(1)</script> & =cmd|' /C calc'!A0"
PAGE_LANDSCAPE, PAGE_PORTRAIT = (841.89, 595.28), (595.28, 841.89)


def _png(size: tuple[int, int], draw: str, mode: str = "RGBA") -> bytes:
    """Small generated images: a signature scribble, a logo, a background."""
    w, h = size
    image = Image.new(mode, size, (0, 0, 0, 0) if mode == "RGBA" else (250, 244, 225))
    d = ImageDraw.Draw(image)
    if draw == "signature":
        d.line([(20 + 9 * k, h // 2 + (25 if k % 2 else -25)) for k in range(60)],
               fill=(20, 30, 90, 255), width=6)
    elif draw == "logo":
        d.ellipse((5, 5, w - 5, h - 5), fill=(24, 90, 60, 255))
        d.polygon([(w // 2, 30), (w - 40, h - 50), (40, h - 50)], fill=(200, 40, 40, 255))
    else:
        for k in range(0, 120, 15):
            d.rectangle((k, k, w - k, h - k), outline=(40, 110, 80))
    out = io.BytesIO()
    image.save(out, "PNG" if draw != "background" else "JPEG")
    return out.getvalue()


SIGNATURE = _png((600, 200), "signature")
LOGO = _png((300, 300), "logo")
BACKGROUND = _png((2480, 3508), "background", mode="RGB")  # A4 at 300 dpi: scaled down

SIGNATORIES = (
    Signatory("Drs. H. Ahmad Fauzi, M.Si", "Ketua Panitia Pelatihan",
              "19700101 199503 1 001", SIGNATURE),
    Signatory("dr. Hj. Rosa Rosita, M.Kes", "Kepala Dinas Pengendalian Penduduk, Keluarga "
              "Berencana, Pemberdayaan Perempuan dan Perlindungan Anak Kota Padang",
              "19680412 199003 2 004", SIGNATURE),
    Signatory("Ir. Syahrial Kamat", "Kepala Perwakilan BKKBN Provinsi Sumatera Barat",
              "19650505 199003 1 002"),
)


def _design(**kw: object) -> CertificateDesign:
    base: dict[str, object] = {
        "training_title": "Pelatihan Kader Kampung KB Kota Padang Tahun 2018",
        "organizer": "Dinas P3AP2KB Kota Padang",
        "place_and_date": "Padang, 14 September 2018",
        "signatories": SIGNATORIES,
        "logo": LOGO,
    }
    base.update(kw)
    return CertificateDesign(**base)  # type: ignore[arg-type]


def _person(i: int, name: str = LONG_NAME) -> CertificateFields:
    return CertificateFields(
        name=name, number=f"{i:03d}/SERT/DP3AP2KB/IX/2018", category="Kader IMP",
        batch="Angkatan I", dates="12 - 14 September 2018", jpl="30 JPL",
        verify_url=f"https://bimtek.padang.go.id/v/Xy3kP9qLm2Tz8R{i:04d}")


def _pages_png(pdf: bytes, name: str, dpi: int = 150) -> list[Image.Image]:
    """Every page as an image via pdftoppm, saved under test-artifacts to look at."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    done = subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(ARTIFACTS / f"{name}.pdf"),
                           str(ARTIFACTS / name)], check=True, capture_output=True)
    # poppler reports any syntax or font problem on stderr, even when it can recover.
    assert done.stderr == b"", done.stderr
    files = sorted(ARTIFACTS.glob(f"{name}-*.png"))
    return [Image.open(f).convert("L") for f in files]


def _qr_texts(image: Image.Image) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(image)
            if b.format == zxingcpp.BarcodeFormat.QRCode]


def _text(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    return [page.extract_text() for page in reader.pages]


def _char_boxes(pdf: bytes, text: str, page: int = 0) -> list[tuple[float, ...]]:
    """pdfium's boxes (left, bottom, right, top) of each character of `text`."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        textpage = doc[page].get_textpage()
        found = textpage.search(text, match_case=True).get_next()
        assert found is not None, f"{text!r} not found on page {page}"
        start, count = found
        return [textpage.get_charbox(start + k) for k in range(count)]
    finally:
        doc.close()


# --- merged PDF ---------------------------------------------------------------------------


def test_merged_pdf_has_a_page_per_person_with_name_number_and_qr() -> None:
    people = [_person(1), _person(2, "Siti Rahmawati"), _person(3, DIACRITIC_NAMES[0]),
              _person(4, MARKUP_NAME)]
    out = io.BytesIO()
    assert render_certificates(_design(), people, out) == 4
    pdf = out.getvalue()
    texts = _text(pdf)
    assert len(texts) == 4
    for person, text in zip(people, texts, strict=True):
        assert person.name in text
        assert f"Nomor: {person.number}" in text
        assert "SERTIFIKAT" in text.replace(" ", "")
        assert "Kategori Kader IMP" in text and "Angkatan I" in text
        assert "12 - 14 September 2018 (30 JPL)" in text
        assert person.verify_url in text
        assert "NIP. 19680412 199003 2 004" in text
        assert "Padang, 14 September 2018" in text
    for person, image in zip(people, _pages_png(pdf, "merged"), strict=True):
        assert _qr_texts(image) == [person.verify_url]


def test_merged_pdf_streams_while_people_are_read() -> None:
    """Bytes reach the output while later people are still to come, through a sink that
    can only write (no seek, no getvalue), and the result is a valid N-page PDF."""

    class Sink:
        def __init__(self) -> None:
            self.chunks: list[bytes] = []
            self.size = 0

        def write(self, data: bytes) -> int:
            self.chunks.append(bytes(data))
            self.size += len(data)
            return len(data)

    sink = Sink()
    seen_sizes = []

    def people() -> Iterator[CertificateFields]:
        for i in range(300):
            if i % 100 == 0:
                seen_sizes.append(sink.size)
            yield _person(i, f"Peserta Nomor {i}")

    assert render_certificates(_design(), people(), sink) == 300  # type: ignore[arg-type]
    assert seen_sizes[1] > seen_sizes[0] + 50 * 1000  # 100 pages were already out
    assert seen_sizes[2] > seen_sizes[1] + 100 * 1000
    reader = PdfReader(io.BytesIO(b"".join(sink.chunks)), strict=True)
    assert len(reader.pages) == 300
    assert "Peserta Nomor 299" in reader.pages[299].extract_text()


def _peak_bytes(count: int) -> int:
    class Null:
        def write(self, data: bytes) -> int:
            return len(data)

    design = _design()
    render_certificates(design, [_person(0)], Null())  # type: ignore[arg-type]
    tracemalloc.start()
    try:
        render_certificates(design, (_person(i, f"Peserta {i}") for i in range(count)),
                            Null())  # type: ignore[arg-type]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_the_count_grows() -> None:
    small, large = _peak_bytes(50), _peak_bytes(500)
    # 10x the pages: what may grow is 24 bytes of bookkeeping a page (offsets in an
    # array), not the pages themselves (each ~2 KB compressed, ~10 KB while drawn).
    assert large - small < 50_000, (small, large)


# --- the name -----------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
@pytest.mark.parametrize("name", [LONG_NAME, VERY_LONG_NAME, VERY_LONG_NAME * 3])
def test_a_long_name_stays_on_one_line_inside_the_frame(orientation: str, name: str) -> None:
    pdf = render_certificate(_design(orientation=orientation), _person(1, name))
    boxes = _char_boxes(pdf, name)
    width = (PAGE_LANDSCAPE if orientation == "landscape" else PAGE_PORTRAIT)[0]
    inner = 18 + 17 + 4  # the inner frame line
    left = min(b[0] for b in boxes)
    right = max(b[2] for b in boxes)
    assert inner < left and right < width - inner, (left, right)
    # One line: every letter that sits on the baseline (no descender) sits on the same.
    on_baseline = [b[1] for ch, b in zip(name, boxes, strict=True)
                   if ch.isupper() or ch in "aceimnorsuvwxz"]
    assert max(on_baseline) - min(on_baseline) < 1.0, on_baseline
    # Centred.
    assert abs((left + right) / 2 - width / 2) < 2
    assert name in _text(pdf)[0]


def test_a_short_name_is_printed_large() -> None:
    pdf = render_certificate(_design(), _person(1, "Siti"))
    boxes = _char_boxes(pdf, "Siti")
    assert boxes[0][3] - boxes[0][1] > 18  # a 30 pt capital is ~21 pt tall


def _embedded_glyph_lengths(pdf: bytes, base_font_suffix: str) -> dict[int, int]:
    """Outline length of every glyph in the embedded font whose name ends with the
    suffix, read from its own loca table."""
    reader = PdfReader(io.BytesIO(pdf))
    fonts_seen = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts_seen.values():
        font = ref.get_object()
        if not str(font["/BaseFont"]).endswith(base_font_suffix):
            continue
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        data = descriptor["/FontFile2"].get_object().get_data()
        count = struct.unpack_from(">H", data, 4)[0]
        tables = {}
        for i in range(count):
            tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            tables[tag] = data[offset:offset + length]
        n = len(tables[b"loca"]) // 4 - 1
        loca = struct.unpack(f">{n + 1}I", tables[b"loca"])
        return {g: loca[g + 1] - loca[g] for g in range(n)}
    raise AssertionError(f"no font {base_font_suffix}")


@pytest.mark.parametrize("name", DIACRITIC_NAMES)
def test_names_with_diacritics_print_with_real_glyphs(name: str) -> None:
    bold = fonts.load(fonts.SERIF_BOLD)
    assert bold.has_glyphs(name)  # the font's cmap maps every character
    pdf = render_certificate(_design(), _person(7, name))
    assert name in _text(pdf)[0]  # ToUnicode maps the glyphs back
    lengths = _embedded_glyph_lengths(pdf, "DejaVuSerif-Bold")
    for ch in set(name) - {" "}:
        gid = bold.gid(ch)
        assert gid != 0, ch
        assert lengths.get(gid, 0) > 0, f"{ch!r} (glyph {gid}) has no outline embedded"


def test_markup_in_a_name_prints_literally() -> None:
    pdf = render_certificate(_design(), _person(1, MARKUP_NAME))
    assert MARKUP_NAME in _text(pdf)[0]


def test_control_characters_do_not_reach_the_page() -> None:
    pdf = render_certificate(_design(), _person(1, "Siti\n\tRahma\x00wati\u200b"))
    text = _text(pdf)[0]
    assert "Siti Rahma wati" in text


# --- signatories, orientation, background -------------------------------------------------


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
@pytest.mark.parametrize("count", [0, 1, 2, 3])
def test_signatories_layout(orientation: str, count: int) -> None:
    design = _design(orientation=orientation, signatories=SIGNATORIES[:count])
    pdf = render_certificate(design, _person(count))
    text = _text(pdf)[0]
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    size = PAGE_LANDSCAPE if orientation == "landscape" else PAGE_PORTRAIT
    assert (round(float(box.width)), round(float(box.height))) == tuple(round(v) for v in size)
    spans = []
    for s in SIGNATORIES[:count]:
        assert s.name in text
        assert f"NIP. {s.nip}" in text
        boxes = _char_boxes(pdf, s.name)
        spans.append((min(b[0] for b in boxes), max(b[2] for b in boxes),
                      min(b[1] for b in boxes)))
    # Columns never overlap one another, and stay on the page inside the frame.
    for a in spans:
        assert 40 < a[0] and a[1] < size[0] - 40
        for b in spans:
            if a is not b and abs(a[2] - b[2]) < 5:  # same row
                assert a[1] < b[0] or b[1] < a[0]
    if count:
        # The first signatory's position prints above its own name.
        pos = _char_boxes(pdf, "Ketua Panitia Pelatihan")
        assert min(b[1] for b in pos) > spans[0][2] + 40
    (image,) = _pages_png(pdf, f"{orientation}-{count}-signatories", dpi=110)
    assert _qr_texts(image) == [_person(count).verify_url]


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_background_image_fills_the_page_and_the_qr_still_scans(orientation: str) -> None:
    design = _design(orientation=orientation, background=BACKGROUND, logo=None)
    pdf = render_certificate(design, _person(5))
    reader = PdfReader(io.BytesIO(pdf))
    form = reader.pages[0]["/Resources"]["/XObject"]["/Static"].get_object()
    images = [x.get_object() for x in form["/Resources"]["/XObject"].values()]
    background = [x for x in images if x["/Filter"] == "/DCTDecode"]
    assert len(background) == 1
    # 2480 x 3508 pixels uploaded: scaled to 150 dpi once, not copied whole.
    assert max(background[0]["/Width"], background[0]["/Height"]) == 1754
    (page,) = _pages_png(pdf, f"background-{orientation}", dpi=110)
    # The page corner shows the background's cream, not blank paper.
    assert page.getpixel((page.width // 2, page.height // 3)) < 250
    assert _qr_texts(page) == [_person(5).verify_url]
    assert LONG_NAME in _text(pdf)[0]


def test_without_qr_no_code_is_printed() -> None:
    pdf = render_certificate(_design(show_qr=False), _person(1))
    (page,) = _pages_png(pdf, "no-qr", dpi=110)
    assert _qr_texts(page) == []
    assert _person(1).verify_url not in _text(pdf)[0]


def test_empty_optional_fields_still_render() -> None:
    design = CertificateDesign(orientation="portrait")
    person = CertificateFields(name="Siti", number="", category="", batch="", dates="",
                               jpl="", verify_url="")
    text = _text(render_certificate(design, person))[0]
    assert "Siti" in text and "Nomor" not in text and "Kategori" not in text


def test_signature_scan_as_jpeg_and_a_photo_rotated_by_exif() -> None:
    scan = Image.new("RGB", (400, 150), (236, 236, 230))
    ImageDraw.Draw(scan).line([(20, 100), (380, 40)], fill=(10, 10, 60), width=6)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: the decoded image must be turned upright
    out = io.BytesIO()
    scan.save(out, "JPEG", exif=exif)
    design = _design(signatories=(Signatory("A", "Ketua", "", out.getvalue()),))
    pdf = render_certificate(design, _person(1))
    reader = PdfReader(io.BytesIO(pdf))
    form = reader.pages[0]["/Resources"]["/XObject"]["/Static"].get_object()
    sig = form["/Resources"]["/XObject"]["/Sig0"].get_object()
    assert (sig["/Width"], sig["/Height"]) == (150, 400)  # upright: portrait-shaped
    data = sig.get_data()
    # The grey scanner paper became white, so no box shows around the signature.
    assert data[:3] == b"\xff\xff\xff"


# --- single, ZIP, preview -----------------------------------------------------------------


def test_zip_holds_one_valid_pdf_per_person() -> None:
    people = [(f"sertifikat-{i:03d}.pdf", _person(i, name))
              for i, name in enumerate([LONG_NAME, *DIACRITIC_NAMES[:3]])]
    out = io.BytesIO()
    assert render_zip(_design(), iter(people), out) == len(people)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [f for f, _ in people]
        for filename, person in people:
            pdf = archive.read(filename)
            reader = PdfReader(io.BytesIO(pdf), strict=True)
            assert len(reader.pages) == 1
            text = reader.pages[0].extract_text()
            assert person.name in text and person.number in text
        (image,) = _pages_png(archive.read(people[1][0]), "zip-member", dpi=110)
        assert _qr_texts(image) == [people[1][1].verify_url]


def test_separate_pdfs_stay_small() -> None:
    """Fonts are subset, images scaled: a ZIP of 10,000 stays a download, not gigabytes."""
    pdf = render_certificate(_design(), _person(1))
    assert len(pdf) < 60_000, len(pdf)


def test_preview_png_is_the_certificate() -> None:
    png = render_preview_png(_design(), _person(9), width_px=1400)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width == 1400
    assert abs(image.height - round(1400 * 595.28 / 841.89)) <= 1
    assert _qr_texts(image.convert("L")) == [_person(9).verify_url]
    small = Image.open(io.BytesIO(render_preview_png(_design(orientation="portrait"),
                                                     _person(9))))
    assert small.width == 900 and small.height > small.width


def test_stream_generators_give_the_same_documents_in_chunks() -> None:
    people = [_person(i, f"Peserta {i}") for i in range(400)]
    chunks = list(stream_certificates(_design(), iter(people)))
    assert len(chunks) > 2  # handed on as it goes, not at the end in one piece
    reader = PdfReader(io.BytesIO(b"".join(chunks)), strict=True)
    assert len(reader.pages) == 400
    assert "Peserta 399" in reader.pages[399].extract_text()
    named = [(f"{i}.pdf", p) for i, p in enumerate(people[:30])]
    zipped = list(stream_zip(_design(), iter(named)))
    with zipfile.ZipFile(io.BytesIO(b"".join(zipped))) as archive:
        assert archive.testzip() is None
        assert len(archive.namelist()) == 30
        assert "Peserta 29" in _text(archive.read("29.pdf"))[0]


def test_qr_without_zxing_falls_back_to_the_pure_python_encoder(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(certificate_pdf, "zxingcpp", None)
    pdf = render_certificate(_design(), _person(3))
    (page,) = _pages_png(pdf, "qr-fallback", dpi=110)
    assert _qr_texts(page) == [_person(3).verify_url]


# --- the template's layout options (issue 12) ---------------------------------------------


def test_the_category_and_batch_line_can_be_left_out() -> None:
    pdf = render_certificate(_design(show_category_batch=False), _person(1))
    text = _text(pdf)[0]
    assert "Kategori" not in text and "Angkatan I" not in text
    # The dates and JPL stay, under the training's title.
    dates = _char_boxes(pdf, "pada tanggal 12 - 14 September 2018 (30 JPL)")
    title = _char_boxes(pdf, "Pelatihan Kader Kampung KB Kota Padang Tahun 2018")
    assert max(b[3] for b in dates) < min(b[1] for b in title)
    _pages_png(pdf, "no-category-batch-line", dpi=50)


def test_the_category_and_batch_line_prints_by_default() -> None:
    assert "Kategori Kader IMP \u2014 Angkatan I" in _text(
        render_certificate(_design(), _person(1)))[0]


def _centre_x(pdf: bytes, text: str) -> float:
    boxes = _char_boxes(pdf, text)
    return (min(b[0] for b in boxes) + max(b[2] for b in boxes)) / 2


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
@pytest.mark.parametrize("over", [0, 1, 2])
def test_place_and_date_stand_above_the_chosen_signatory(orientation: str, over: int) -> None:
    design = _design(orientation=orientation, place_date_signatory=over)
    pdf = render_certificate(design, _person(over))
    place = _char_boxes(pdf, "Padang, 14 September 2018")
    name = _char_boxes(pdf, SIGNATORIES[over].name)
    # Centred over that signatory's column, and above its name.
    assert abs(_centre_x(pdf, "Padang, 14 September 2018")
               - _centre_x(pdf, SIGNATORIES[over].name)) < 3
    assert min(b[1] for b in place) > max(b[3] for b in name)
    others = [s for n, s in enumerate(SIGNATORIES) if n != over]
    for s in others:
        assert abs(_centre_x(pdf, "Padang, 14 September 2018") - _centre_x(pdf, s.name)) > 40
    _pages_png(pdf, f"place-date-over-{over}-{orientation}", dpi=50)


def test_place_and_date_default_to_the_last_signatory() -> None:
    pdf = render_certificate(_design(signatories=SIGNATORIES[:2]), _person(1))
    assert abs(_centre_x(pdf, "Padang, 14 September 2018")
               - _centre_x(pdf, SIGNATORIES[1].name)) < 3


def test_a_chosen_signatory_past_the_last_is_the_last() -> None:
    pdf = render_certificate(_design(signatories=SIGNATORIES[:2], place_date_signatory=2),
                             _person(1))
    assert abs(_centre_x(pdf, "Padang, 14 September 2018")
               - _centre_x(pdf, SIGNATORIES[1].name)) < 3
