"""The printed attendance sheet (daftar hadir) of one batch day, as Indonesian offices
print it: the organizer's logo and the training, batch, day and venue above; numbered
rows with name and institution; a signature column whose boxes alternate left and right
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
    paginate,
    width_of,
    wrap,
)

PAGE_W, PAGE_H = A4
LEFT, RIGHT, TOP, BOTTOM = 2.0 * cm, 1.5 * cm, 1.5 * cm, 1.8 * cm
CONTENT_W = PAGE_W - LEFT - RIGHT
# No., name, institution, signature: the signature column is wide enough for two boxes.
WIDTHS = (1.1 * cm, 6.0 * cm, 4.6 * cm, CONTENT_W - 11.7 * cm)
ROW_H = 0.95 * cm  # room to sign with a ballpoint
HEAD_H = 0.8 * cm
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


@dataclass(frozen=True)
class AttendanceSheet:
    organization: str
    title: str  # "DAFTAR HADIR PESERTA"
    training: str
    details: tuple[tuple[str, str], ...]  # ("Angkatan", "Angkatan I"), ("Hari/Tanggal", ...)
    columns: tuple[str, str, str, str]  # No., Nama, Instansi, Tanda Tangan
    rows: Sequence[SignRow]
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


def _xs() -> list[float]:
    return [LEFT + sum(WIDTHS[:i]) for i in range(len(WIDTHS))]


def _header(c: Canvas, doc: AttendanceSheet, y: float) -> float:
    xs = _xs()
    c.setFillColor(HEAD_BG)
    c.setStrokeColor(GRID)
    c.setLineWidth(0.6)
    c.rect(LEFT, y - HEAD_H, CONTENT_W, HEAD_H, stroke=1, fill=1)
    c.setFillColor(colors.black)
    c.setFont(FONT_BOLD, 9)
    for x, w, label in zip(xs, WIDTHS, doc.columns, strict=True):
        c.drawCentredString(x + w / 2, y - HEAD_H / 2 - 3, clip(label, FONT_BOLD, 9, w - 4))
        c.line(x, y, x, y - HEAD_H)
    return y - HEAD_H


def _row(c: Canvas, row: SignRow, name: Fitted, institution: Fitted, y: float) -> float:
    xs = _xs()
    base = y - ROW_H
    c.setFont(FONT, SIZE)
    c.drawCentredString(xs[0] + WIDTHS[0] / 2, base + ROW_H / 2 - 3, f"{row.number}.")
    for x, f in ((xs[1], name), (xs[2], institution)):
        c.setFont(FONT, f.size)
        lead = f.size * 1.15
        ty = base + ROW_H / 2 + (len(f.lines) - 1) * lead / 2 - f.size * 0.35
        for line in f.lines:
            c.drawString(x + PAD, ty, line)
            ty -= lead
    # The signature box: odd rows sign in the left half, even rows in the right half.
    sign_x, sign_w = xs[3], WIDTHS[3]
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


def render_attendance_sheet_pdf(doc: AttendanceSheet) -> bytes:
    """A4 portrait PDF bytes, deterministic for equal input."""
    logo = ImageReader(io.BytesIO(doc.logo)) if doc.logo else None
    name_w, inst_w = WIDTHS[1] - 2 * PAD, WIDTHS[2] - 2 * PAD
    fitted = [(fit(r.name, FONT, SIZE, name_w, MIN_SIZE),
               fit(r.institution, FONT, SIZE, inst_w, MIN_SIZE)) for r in doc.rows]
    room = PAGE_H - TOP - BOTTOM - HEAD_H
    pages = paginate([ROW_H] * len(doc.rows), room - _title_height(doc) - 2 * 13.5, room)
    last_used = len(pages[-1]) * ROW_H + (_title_height(doc) + 27 if len(pages) == 1 else 0)
    sign_alone = last_used + SIGN_BLOCK_H > room
    total = len(pages) + (1 if sign_alone else 0)

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(" \u2013 ".join([doc.title, doc.training, *(v for _, v in doc.details[:2])]))
    c.setAuthor(doc.organization)
    c.setCreator("Bimtek")
    y = PAGE_H - TOP
    for number, rows in enumerate(pages, start=1):
        y = _title_block(c, doc, logo) if number == 1 else PAGE_H - TOP
        y = _header(c, doc, y)
        for i in rows:
            y = _row(c, doc.rows[i], *fitted[i], y)
        if number < total:
            _footer(c, doc, number, total)
            c.showPage()
    if sign_alone:
        y = PAGE_H - TOP
    _sign_block(c, doc, y)
    _footer(c, doc, total, total)
    c.showPage()
    c.save()
    return buf.getvalue()
