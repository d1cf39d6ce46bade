"""The printed attendance sheet (daftar hadir) of one batch day, as Indonesian offices
print it: the organizer's logo and the training, batch, day and that day's place above;
numbered rows with name (and NIP), jabatan and institution, and the region when the sheet
is one list; or one section per kabupaten/kota, each with its heading and its own
numbering; a signature column whose boxes alternate left and right
(row 1 signs on the left half, row 2 on the right, so neighbours' signatures never
collide); the header repeated on every page; page numbers; the committee's signature
at the end.

Pure: an `AttendanceSheet` in, PDF bytes out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from service.rendering.pdf_sheet import (
    FONT,
    FONT_BOLD,
    Fitted,
    clip,
    fit,
    width_of,
    wrap,
)

PAGE_W, PAGE_H = A4
LEFT, RIGHT, TOP, BOTTOM = 2.0 * cm, 1.5 * cm, 1.5 * cm, 1.8 * cm
CONTENT_W = PAGE_W - LEFT - RIGHT
# No., name, institution, signature: the signature column is wide enough for two boxes.
WIDTHS = (1.1 * cm, 6.0 * cm, 4.6 * cm, CONTENT_W - 11.7 * cm)
# With a region column (kabupaten/kota or kecamatan) before the signature.
# Names keep their width (they are what people look for); the signature boxes give some.
WIDTHS_REGION = (0.9 * cm, 6.0 * cm, 4.0 * cm, 2.6 * cm, CONTENT_W - 13.5 * cm)
ROW_H = 0.95 * cm  # room to sign with a ballpoint
HEAD_H = 0.8 * cm
SECTION_H = 0.75 * cm
NOTE_SIZE = 7.0
SECTION_BG = colors.HexColor("#eef2f6")
MUTED = colors.HexColor("#444444")
SIZE, MIN_SIZE = 9.0, 7.5
PAD = 4.0
LOGO_H = 2.0 * cm
SIGN_BLOCK_H = 4.2 * cm
GRID = colors.HexColor("#333333")
HEAD_BG = colors.HexColor("#d9d9d9")


@dataclass(frozen=True)
class SignRow:
    number: int
    name: str
    institution: str
    note: str = ""  # under the name, smaller: "NIP ••••••••••••••2004"
    detail: str = ""  # above the institution: the jabatan
    region: str = ""  # the region column's value, when the sheet has one


@dataclass(frozen=True)
class Heading:
    """A section of a sheet grouped by region: "Kabupaten Ogan Ilir (9 orang)"."""

    title: str


@dataclass(frozen=True)
class AttendanceSheet:
    organization: str
    title: str  # "DAFTAR HADIR PESERTA"
    training: str
    details: tuple[tuple[str, str], ...]  # ("Angkatan", "Angkatan I"), ("Hari/Tanggal", ...)
    # No., Nama, Instansi, Tanda Tangan; or with the region before Tanda Tangan.
    columns: tuple[str, ...]
    rows: Sequence[SignRow | Heading]
    place_date: str  # "Padang, 12 September 2018"
    signer: str  # "Panitia Pelaksana,"
    signer_line: str = "(...........................................)"
    signer_id: str = "NIP."
    page_label: str = "Halaman {page} dari {total}"
    footer: str = ""
    logo: bytes | None = None  # PNG or JPEG, already checked when it was uploaded


def _title_block(c: Canvas, doc: AttendanceSheet, logo: ImageReader | None) -> float:
    y = PAGE_H - TOP
    text_left, text_w = LEFT, CONTENT_W
    if logo is not None:
        iw, ih = logo.getSize()
        w = min(LOGO_H * iw / ih, 3.2 * cm)
        h = w * ih / iw
        c.drawImage(logo, LEFT, y - h, w, h, mask="auto")
        # Text centred on the page, clear of the logo on both sides.
        text_left, text_w = LEFT + w + 0.3 * cm, CONTENT_W - 2 * (w + 0.3 * cm)
    mid = text_left + text_w / 2
    c.setFont(FONT_BOLD, 10)
    c.drawCentredString(mid, y - 11, clip(doc.organization.upper(), FONT_BOLD, 10, text_w))
    c.setFont(FONT_BOLD, 14)
    c.drawCentredString(mid, y - 29, doc.title)
    ty = y - 45
    c.setFont(FONT_BOLD, 11)
    for line in wrap(doc.training, FONT_BOLD, 11, text_w)[:2]:
        c.drawCentredString(mid, ty, line)
        ty -= 13.5
    y = min(ty + 4, y - LOGO_H - 2) - 8
    c.setLineWidth(1.2)
    c.line(LEFT, y, PAGE_W - RIGHT, y)
    c.setLineWidth(0.4)
    c.line(LEFT, y - 2, PAGE_W - RIGHT, y - 2)
    y -= 16
    label_w = max((width_of(label, FONT, 9.5) for label, _ in doc.details), default=0.0)
    c.setFont(FONT, 9.5)
    for label, value in doc.details:
        c.drawString(LEFT, y, label)
        c.drawString(LEFT + label_w + 6, y, ":")
        c.drawString(LEFT + label_w + 14, y,
                     clip(value, FONT, 9.5, CONTENT_W - label_w - 14))
        y -= 13
    return y - 4


def _title_height(doc: AttendanceSheet) -> float:
    # Fixed parts of the title block (the training takes at most two lines).
    return LOGO_H + 10 + 16 + 13 * len(doc.details) + 4


def widths(doc: AttendanceSheet) -> tuple[float, ...]:
    return WIDTHS_REGION if len(doc.columns) == 5 else WIDTHS


def _xs(ws: tuple[float, ...]) -> list[float]:
    return [LEFT + sum(ws[:i]) for i in range(len(ws))]


def _header(c: Canvas, doc: AttendanceSheet, y: float) -> float:
    ws = widths(doc)
    xs = _xs(ws)
    c.setFillColor(HEAD_BG)
    c.setStrokeColor(GRID)
    c.setLineWidth(0.6)
    c.rect(LEFT, y - HEAD_H, CONTENT_W, HEAD_H, stroke=1, fill=1)
    c.setFillColor(colors.black)
    for x, w, label in zip(xs, ws, doc.columns, strict=True):
        # "Kabupaten/Kota" over a narrow column shrinks rather than being cut.
        size = 9.0
        while size > 7.0 and width_of(label, FONT_BOLD, size) > w - 4:
            size -= 0.25
        c.setFont(FONT_BOLD, size)
        c.drawCentredString(x + w / 2, y - HEAD_H / 2 - 3, clip(label, FONT_BOLD, size, w - 4))
        c.line(x, y, x, y - HEAD_H)
    return y - HEAD_H


# A cell's text: lines in one font, size and colour, stacked with the cell's other blocks.
Block = tuple[Fitted, str, colors.Color]


def _cell(c: Canvas, blocks: list[Block], x: float, base: float) -> None:
    """Blocks stacked and centred in the row's height."""
    blocks = [b for b in blocks if any(b[0].lines)]
    height = sum(len(f.lines) * f.size * 1.15 for f, _font, _ink in blocks)
    ty = base + ROW_H / 2 + height / 2
    for f, font, ink in blocks:
        c.setFont(font, f.size)
        c.setFillColor(ink)
        for line in f.lines:
            ty -= f.size * 1.15
            c.drawString(x + PAD, ty + f.size * 0.25, line)
    c.setFillColor(colors.black)


def _section(c: Canvas, heading: Heading, y: float) -> float:
    base = y - SECTION_H
    c.setFillColor(SECTION_BG)
    c.setStrokeColor(GRID)
    c.setLineWidth(0.4)
    c.rect(LEFT, base, CONTENT_W, SECTION_H, stroke=1, fill=1)
    c.setFillColor(colors.black)
    c.setFont(FONT_BOLD, 9.5)
    c.drawString(LEFT + PAD, base + SECTION_H / 2 - 3.3,
                 clip(heading.title, FONT_BOLD, 9.5, CONTENT_W - 2 * PAD))
    return base


def _row(c: Canvas, doc: AttendanceSheet, row: SignRow, cells: list[list[Block]],
         y: float) -> float:
    ws = widths(doc)
    xs = _xs(ws)
    base = y - ROW_H
    c.setFont(FONT, SIZE)
    c.drawCentredString(xs[0] + ws[0] / 2, base + ROW_H / 2 - 3, f"{row.number}.")
    for x, blocks in zip(xs[1:-1], cells, strict=True):
        _cell(c, blocks, x, base)
    # The signature box: odd rows sign in the left half, even rows in the right half.
    sign_x, sign_w = xs[-1], ws[-1]
    half = sign_w / 2
    start = sign_x + (0 if row.number % 2 else half)
    c.setFont(FONT, 8)
    label = f"{row.number}."
    c.drawString(start + PAD, base + 5, label)
    c.setDash(1, 2)
    c.setLineWidth(0.6)
    label_end = start + PAD + width_of(label, FONT, 8) + 3
    c.line(label_end, base + 5, start + half - PAD, base + 5)
    c.setDash()
    c.setLineWidth(0.4)
    c.setStrokeColor(GRID)
    c.line(LEFT, base, PAGE_W - RIGHT, base)
    for x in [*xs, PAGE_W - RIGHT]:
        c.line(x, y, x, base)
    return base


def _sign_block(c: Canvas, doc: AttendanceSheet, y: float) -> None:
    x = PAGE_W - RIGHT - 6.5 * cm
    c.setFont(FONT, 10)
    c.drawString(x, y - 18, doc.place_date)
    c.drawString(x, y - 31, doc.signer)
    c.drawString(x, y - 31 - 2.0 * cm, doc.signer_line)
    c.drawString(x, y - 44 - 2.0 * cm, doc.signer_id)


def _footer(c: Canvas, doc: AttendanceSheet, number: int, total: int) -> None:
    c.setFont(FONT, 7.5)
    c.setFillColor(colors.HexColor("#444444"))
    c.drawRightString(PAGE_W - RIGHT, 1.0 * cm, doc.page_label.format(page=number, total=total))
    if doc.footer:
        c.drawString(LEFT, 1.0 * cm, clip(doc.footer, FONT, 7.5, CONTENT_W - 3.5 * cm))
    c.setFillColor(colors.black)


def _blocks(doc: AttendanceSheet, row: SignRow) -> list[list[Block]]:
    """The text of a row's cells between the number and the signature."""
    ws = widths(doc)
    name_w, inst_w = ws[1] - 2 * PAD, ws[2] - 2 * PAD
    black = colors.black
    # Under a NIP or above an institution, the name and the jabatan keep to one line.
    name = fit(row.name, FONT, SIZE, name_w, MIN_SIZE)
    if row.note and len(name.lines) > 1:
        name = Fitted(MIN_SIZE, (clip(row.name, FONT, MIN_SIZE, name_w),))
    cells: list[list[Block]] = [
        [(name, FONT, black),
         (Fitted(NOTE_SIZE, (clip(row.note, FONT, NOTE_SIZE, name_w),)), FONT, MUTED)]]
    if row.detail:
        # The jabatan may take two lines; the institution under it one.
        cells.append([
            (fit(row.detail, FONT, MIN_SIZE, inst_w, NOTE_SIZE), FONT, black),
            (Fitted(6.5, (clip(row.institution, FONT, 6.5, inst_w),)), FONT, MUTED)])
    else:
        cells.append([(fit(row.institution, FONT, SIZE, inst_w, MIN_SIZE), FONT, black)])
    if len(ws) == 5:
        cells.append([(fit(row.region, FONT, 8.0, ws[3] - 2 * PAD, 7.0), FONT, black)])
    return cells


def _height(item: SignRow | Heading) -> float:
    return SECTION_H if isinstance(item, Heading) else ROW_H


def _paginate(doc: AttendanceSheet, first_room: float, room: float) -> list[range]:
    """Rows per page (the first has less room: the title block); a section's heading
    goes on only with room for its first row under it."""
    heights = [_height(r) for r in doc.rows]
    pages: list[range] = []
    start, used, limit = 0, 0.0, first_room
    for i, h in enumerate(heights):
        need = h + (heights[i + 1] if isinstance(doc.rows[i], Heading)
                    and i + 1 < len(heights) else 0.0)
        if used + need > limit and i > start:
            pages.append(range(start, i))
            start, used, limit = i, 0.0, room
        used += h
    pages.append(range(start, len(heights)))
    return pages


def draw_sheet(c: Canvas, doc: AttendanceSheet) -> None:
    """Draw one sheet onto `c` from a fresh page: its pages, the committee's signature
    (on a page of its own when the last has no room for it) and page numbers counted
    within the sheet; ends with the sheet's last page shown."""
    logo = ImageReader(io.BytesIO(doc.logo)) if doc.logo else None
    cells = [_blocks(doc, r) if isinstance(r, SignRow) else [] for r in doc.rows]
    room = PAGE_H - TOP - BOTTOM - HEAD_H
    pages = _paginate(doc, room - _title_height(doc) - 2 * 13.5, room)
    last_used = sum(_height(doc.rows[i]) for i in pages[-1]) + \
        (_title_height(doc) + 27 if len(pages) == 1 else 0)
    sign_alone = last_used + SIGN_BLOCK_H > room
    total = len(pages) + (1 if sign_alone else 0)
    y = PAGE_H - TOP
    for number, rows in enumerate(pages, start=1):
        y = _title_block(c, doc, logo) if number == 1 else PAGE_H - TOP
        y = _header(c, doc, y)
        for i in rows:
            item = doc.rows[i]
            y = _section(c, item, y) if isinstance(item, Heading) \
                else _row(c, doc, item, cells[i], y)
        if number < total:
            _footer(c, doc, number, total)
            c.showPage()
    if sign_alone:
        y = PAGE_H - TOP
    _sign_block(c, doc, y)
    _footer(c, doc, total, total)
    c.showPage()


def render_attendance_sheet_pdf(doc: AttendanceSheet) -> bytes:
    """A4 portrait PDF bytes, deterministic for equal input."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(" \u2013 ".join([doc.title, doc.training, *(v for _, v in doc.details[:2])]))
    c.setAuthor(doc.organization)
    c.setCreator("Bimtek")
    draw_sheet(c, doc)
    c.save()
    return buf.getvalue()
