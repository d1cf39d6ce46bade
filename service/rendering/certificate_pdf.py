"""Certificates (sertifikat): one A4 page per person, as one merged PDF, one PDF each, or
a ZIP of separate PDFs.

Pure: plain data in, bytes out. Built for runs of thousands (a measured 300+ pages a
second a core is the target; see bench/bench_certificates.py):

- what every certificate of a training shares is drawn once, as a Form XObject that each
  page places (`certificate_layout.build_static`); images are decoded and scaled once;
- each page adds only a few lines of text and its QR, drawn as one path; the QR matrix
  comes from zxing-cpp's encoder (C++, ~0.2 ms), falling back to `qr.qr_matrix`;
- pages stream through `pdf_stream.PdfWriter`: written as they are made, so memory stays
  flat however many people; the font subsets go last, once every glyph is known;
- fonts are DejaVu Serif (in the package), subset by glyph id and cached, so a ZIP of
  10,000 files reuses one compressed font stream instead of subsetting 10,000 times.

Names are drawn as glyph ids, never parsed: "<script>" or "=cmd|" print literally.
"""

from __future__ import annotations

import io
import string
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Literal

from service.rendering import certificate_layout as layout
from service.rendering import fonts as font_files
from service.rendering.fonts import TrueTypeFont, clean_text
from service.rendering.pdf_images import PdfImage, prepare
from service.rendering.pdf_stream import PdfWriter

try:  # zxing-cpp's encoder is ~25x faster than the pure-Python one in qr.py
    import zxingcpp
except ImportError:  # pragma: no cover - a platform without its wheels
    zxingcpp = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Signatory:
    name: str                 # "dr. Hj. Rosa Rosita, M.Kes"
    position: str             # "Kepala Dinas P3AP2KB Kota Padang"
    nip: str = ""             # "19680412 199003 2 004" (printed as "NIP. ..." when set)
    signature: bytes | None = None   # PNG or JPEG bytes, already validated by the caller


@dataclass(frozen=True)
class CertificateDesign:
    """Everything that is the same on every certificate of a training."""

    orientation: Literal["landscape", "portrait"] = "landscape"
    background: bytes | None = None  # PNG/JPEG bytes, already validated; None = built-in
    title: str = "SERTIFIKAT"
    given_to: str = "diberikan kepada"           # line above the name
    wording: str = "sebagai peserta"              # line(s) below the name
    training_title: str = ""
    organizer: str = ""                           # organization name
    place_and_date: str = ""                      # "Padang, 14 September 2018"
    signatories: tuple[Signatory, ...] = ()       # 0 to 3
    logo: bytes | None = None                     # organization logo PNG, optional
    show_qr: bool = True
    show_category_batch: bool = True              # the "Kategori ... — Angkatan ..." line
    place_date_signatory: int | None = None       # above this signatory (0-2); None: last
    # A pass rule: each person's own wording (CertificateFields.wording) in its place.
    wording_per_person: bool = False


@dataclass(frozen=True)
class CertificateFields:
    """What differs per person."""

    name: str          # shrunk to fit ONE line, however long
    number: str        # "001/SERT/DP3AP2KB/IX/2018"
    category: str      # "Kader IMP"
    batch: str         # "Angkatan I"
    dates: str         # "12 - 14 September 2018"
    jpl: str           # "30 JPL"
    verify_url: str    # absolute URL of /v/{code}; drawn as a QR (one path) + small text
    wording: str = ""  # with a pass rule: "telah mengikuti dan dinyatakan LULUS" or not


MAX_SIGNATORIES = 3
# Print needs ~150 dpi for a full-page picture, less for small ones: larger uploads are
# scaled down once, instead of being copied whole into every separate PDF.
_BACKGROUND_PX, _LOGO_PX, _SIGNATURE_PX = 1754, 400, 600
# Glyphs every subset carries, so nearly all separate PDFs share one cached font stream.
_COMMON_TEXT = string.printable.strip() + " \u2014"


def qr_modules(text: str) -> tuple[int, bytes]:
    """(n, n*n bytes row by row, 0 = dark) of the QR for `text`, error correction M."""
    if hasattr(zxingcpp, "create_barcode"):
        symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
        image = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))  # type: ignore[arg-type]
        return image.shape[0], image.tobytes()  # type: ignore[index]
    from service.rendering.qr import qr_matrix

    matrix = qr_matrix(text)
    return len(matrix), bytes(0 if m else 255 for row in matrix for m in row)


class _Renderer:
    """A design made ready once: fonts, images, the shared form; then any number of
    pages, into one document or many."""

    def __init__(self, design: CertificateDesign) -> None:
        self.design = design
        self.fonts = layout.Fonts(font_files.load(font_files.SERIF),
                                  font_files.load(font_files.SERIF_BOLD))
        landscape = design.orientation == "landscape"
        w, h = (layout.A4_H, layout.A4_W) if landscape else (layout.A4_W, layout.A4_H)
        self.geometry = layout.Geometry(w, h, landscape)
        images: dict[str, PdfImage] = {}
        background = logo = None
        if design.background:
            images["Bg"] = prepare(design.background, max_side=_BACKGROUND_PX, photo=True)
            background = "Bg"
        if design.logo:
            images["Logo"] = prepare(design.logo, max_side=_LOGO_PX, photo=False)
            logo = "Logo"
        blocks = []
        for k, s in enumerate(design.signatories[:MAX_SIGNATORIES]):
            name = None
            if s.signature:
                name = f"Sig{k}"
                images[name] = prepare(s.signature, max_side=_SIGNATURE_PX, photo=False,
                                       whiten=True)
            blocks.append(layout.SignatoryBlock(
                clean_text(s.name), clean_text(s.position), clean_text(s.nip), name,
                images[name].aspect if name else 1.0))
        text = layout.StaticText(
            organizer=clean_text(design.organizer), title=clean_text(design.title),
            given_to=clean_text(design.given_to), wording=clean_text(design.wording),
            training_title=clean_text(design.training_title),
            place_and_date=clean_text(design.place_and_date), signatories=tuple(blocks),
            logo=logo, logo_aspect=images["Logo"].aspect if logo else 1.0,
            background=background,
            background_aspect=images["Bg"].aspect if background else 1.0,
            show_qr=design.show_qr, show_category_batch=design.show_category_batch,
            place_date_over=-1 if design.place_date_signatory is None
            else design.place_date_signatory, wording_per_person=design.wording_per_person)
        self.static = layout.build_static(self.fonts, self.geometry, text, images)
        self.title = text.training_title or text.title
        self.form = self._form_stream()
        self.common = {key: self.fonts.by_key(key).glyphs_of(_COMMON_TEXT)
                       | self.static.used[key] for key in (layout.REGULAR, layout.BOLD)}

    def _form_stream(self) -> bytes:
        import zlib

        return zlib.compress(self.static.content, 6)

    # --- one page ---------------------------------------------------------------------

    def page_content(self, person: CertificateFields) -> tuple[bytes, dict[str, set[int]]]:
        c = layout.Canvas(self.fonts, ops=["q /Static Do Q"])
        detail1, detail2 = layout.details(person.category, person.batch, person.dates,
                                          person.jpl)
        url = clean_text(person.verify_url)
        qr = qr_modules(url) if self.design.show_qr and url else None
        layout.person_content(c, self.static, clean_text(person.name),
                              clean_text(person.number), detail1, detail2, url, qr,
                              clean_text(person.wording or self.design.wording))
        return c.content(), c.used

    # --- one document -----------------------------------------------------------------

    def open_document(self, out: BinaryIO) -> _Document:
        return _Document(self, out)


class _Document:
    """One PDF being written: shared objects first, pages as they come, fonts last."""

    def __init__(self, renderer: _Renderer, out: BinaryIO) -> None:
        self.r = renderer
        self.writer = w = PdfWriter(out)
        self.font_refs = {layout.REGULAR: w.reserve(), layout.BOLD: w.reserve()}
        self.used = {key: set(glyphs) for key, glyphs in renderer.common.items()}
        image_refs = {name: self._image(img) for name, img in renderer.static.images.items()}
        gstate = w.add("<< /Type /ExtGState /BM /Multiply >>")
        g = renderer.geometry
        fonts = self._font_dict()
        xobjects = " ".join(f"/{name} {ref} 0 R" for name, ref in image_refs.items())
        form = w.add_stream(
            f"/Type /XObject /Subtype /Form /BBox [0 0 {layout.num(g.width)} "
            f"{layout.num(g.height)}] /Resources << /Font {fonts} /XObject << {xobjects} >> "
            f"/ExtGState << /Mul {gstate} 0 R >> >>", renderer.form, compressed=True)
        self.resources = f"<< /Font {fonts} /XObject << /Static {form} 0 R >> >>"

    def _font_dict(self) -> str:
        return "<< " + " ".join(f"/{k} {ref} 0 R" for k, ref in self.font_refs.items()) + " >>"

    def _image(self, img: PdfImage) -> int:
        mask = ""
        if img.mask is not None:
            smask = self.writer.add_stream(
                f"/Type /XObject /Subtype /Image /Width {img.width} /Height {img.height} "
                "/ColorSpace /DeviceGray /BitsPerComponent 8", img.mask, compressed=True)
            mask = f" /SMask {smask} 0 R"
        entries = (f"/Type /XObject /Subtype /Image /Width {img.width} /Height {img.height} "
                   f"/ColorSpace {img.colour_space} /BitsPerComponent 8{mask}")
        if img.filter == "/DCTDecode":
            return self.writer.add_stream(entries + " /Filter /DCTDecode", img.data)
        return self.writer.add_stream(entries, img.data, compressed=True)

    def add_page(self, person: CertificateFields) -> None:
        content, used = self.r.page_content(person)
        for key, glyphs in used.items():
            self.used[key] |= glyphs
        g = self.r.geometry
        self.writer.add_page(g.width, g.height, self.resources, content)

    def close(self) -> int:
        for key, ref in self.font_refs.items():
            self._font(self.r.fonts.by_key(key), self.used[key], ref)
        self.writer.close(self.r.title)
        return self.writer.page_count

    def _font(self, font: TrueTypeFont, glyphs: set[int], ref: int) -> None:
        w = self.writer
        sub = font.subset(glyphs)
        base = f"/{sub.tag}+{font.name}"
        file_ref = w.add_stream(f"/Length1 {sub.length1}", sub.font_file, compressed=True)
        x0, y0, x1, y1 = (round(v * 1000 / font.units_per_em) for v in font.bbox)
        descriptor = w.add(
            f"<< /Type /FontDescriptor /FontName {base} /Flags 34 /FontBBox [{x0} {y0} {x1} "
            f"{y1}] /ItalicAngle {font.italic_angle} /Ascent {font.ascent} /Descent "
            f"{font.descent} /CapHeight {font.cap_height} /StemV {font.stem_v} "
            f"/FontFile2 {file_ref} 0 R >>")
        cid = w.add(
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont {base} /CIDSystemInfo "
            f"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor "
            f"{descriptor} 0 R /CIDToGIDMap /Identity /DW 1000 /W [{sub.widths}] >>")
        to_unicode = w.add_stream("", sub.to_unicode, compressed=True)
        w.add(f"<< /Type /Font /Subtype /Type0 /BaseFont {base} /Encoding /Identity-H "
              f"/DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>", ref)


def render_certificates(design: CertificateDesign, people: Iterable[CertificateFields],
                        out: BinaryIO) -> int:
    """One merged PDF, one page per person, written to `out` as it goes (streamed: memory
    flat however many people); returns the page count."""
    doc = _Renderer(design).open_document(out)
    for person in people:
        doc.add_page(person)
    return doc.close()


def render_certificate(design: CertificateDesign, person: CertificateFields) -> bytes:
    """One person's PDF."""
    return _single(_Renderer(design), person)


def render_zip(design: CertificateDesign, people: Iterable[tuple[str, CertificateFields]],
               out: BinaryIO) -> int:
    """A ZIP of separate PDFs (filename, fields), streamed to `out`; returns the count.

    Stored, not deflated: every stream inside is compressed already. zipfile writes
    data descriptors when `out` cannot seek, so a response body works too.
    """
    renderer = _Renderer(design)
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for filename, person in people:
            archive.writestr(filename, _single(renderer, person))
            count += 1
    return count


class _Chunks:
    """A write-only sink whose contents a generator hands on and clears."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


_CHUNK = 256 * 1024


def stream_certificates(design: CertificateDesign,
                        people: Iterable[CertificateFields]) -> Iterator[bytes]:
    """The merged PDF as chunks of ~256 KB, made as they are asked for: for a
    StreamingResponse, which pulls, where `render_certificates` pushes into a file."""
    sink = _Chunks()
    doc = _Renderer(design).open_document(sink)  # type: ignore[arg-type]
    for person in people:
        doc.add_page(person)
        if sink.size >= _CHUNK:
            yield sink.take()
    doc.close()
    yield sink.take()


def stream_zip(design: CertificateDesign,
               people: Iterable[tuple[str, CertificateFields]]) -> Iterator[bytes]:
    """`render_zip` as chunks of ~256 KB, made as they are asked for."""
    sink = _Chunks()
    renderer = _Renderer(design)
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED) as archive:  # type: ignore[call-overload]
        for filename, person in people:
            archive.writestr(filename, _single(renderer, person))
            if sink.size >= _CHUNK:
                yield sink.take()
    yield sink.take()


def _single(renderer: _Renderer, person: CertificateFields) -> bytes:
    buf = io.BytesIO()
    doc = renderer.open_document(buf)
    doc.add_page(person)
    doc.close()
    return buf.getvalue()


def render_preview_png(design: CertificateDesign, person: CertificateFields,
                       width_px: int = 900) -> bytes:
    """A PNG preview of one certificate for the template editor's live preview.

    Rasterised in-process with pdfium (pypdfium2): browsers on phones do not show inline
    PDFs, and pdftoppm is not a runtime dependency.
    """
    import pypdfium2

    pdf = pypdfium2.PdfDocument(render_certificate(design, person))
    try:
        page = pdf[0]
        # Clamped: a preview never needs more, and a huge width would be a huge bitmap.
        bitmap = page.render(scale=min(max(width_px, 50), 3000) / page.get_width())
        image = bitmap.to_pil()
        buf = io.BytesIO()
        image.save(buf, "PNG", optimize=False)
        return buf.getvalue()
    finally:
        pdf.close()


__all__ = ["CertificateDesign", "CertificateFields", "Signatory", "render_certificate",
           "render_certificates", "render_preview_png", "render_zip", "stream_certificates",
           "stream_zip"]
