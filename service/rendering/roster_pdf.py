"""A roster (daftar peserta) as an A4 PDF: title block, one line per person with
attendance per day, the header repeated on every page, page numbers.

Pure: the `Sheet` that also makes the CSV and XLSX in, PDF bytes out.
"""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
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
from service.rendering.roster_sheets import Cell, Sheet

MARGIN = 1.5 * cm
SIZE, MIN_SIZE, HEAD_SIZE, HEAD_MIN = 8.5, 7.0, 8.0, 5.5
PAD = 3.0
ROW_MIN = 15.0
GRID = colors.HexColor("#555555")
HEAD_BG = colors.HexColor("#d9d9d9")
ZEBRA = colors.HexColor("#f4f4f4")
FOOTER_Y = 0.9 * cm


def _leading(size: float) -> float:
    return size * 1.2


def _title_block(c: Canvas, sheet: Sheet, page_w: float, top: float) -> float:
    """Draws the organization, title and heading lines; returns the y below them."""
    y = top
    c.setFont(FONT_BOLD, 10)
    c.drawCentredString(page_w / 2, y - 10, clip(sheet.organization.upper(), FONT_BOLD, 10,
                                                 page_w - 2 * MARGIN))
    y -= 14
    c.setFont(FONT_BOLD, 14)
    c.drawCentredString(page_w / 2, y - 15, sheet.title)
    y -= 20
    c.setFont(FONT, 10)
    for line in sheet.heading:
        c.drawCentredString(page_w / 2, y - 11, clip(line, FONT, 10, page_w - 2 * MARGIN))
        y -= 13
    y -= 4
    c.setLineWidth(1.2)
    c.line(MARGIN, y, page_w - MARGIN, y)
    c.setLineWidth(0.4)
    c.line(MARGIN, y - 2, page_w - MARGIN, y - 2)
    return y - 10


def _title_height(sheet: Sheet) -> float:
    return 14 + 20 + 13 * len(sheet.heading) + 4 + 10


def render_roster_pdf(sheet: Sheet) -> bytes:
    """A4 (landscape when the columns need it) PDF bytes, deterministic for equal input."""
    page_w, page_h = landscape(A4) if len(sheet.columns) > 8 else A4
    content_w = page_w - 2 * MARGIN
    total_weight = sum(col.width for col in sheet.columns)
    widths = [content_w * col.width / total_weight for col in sheet.columns]
    xs = [MARGIN + sum(widths[:i]) for i in range(len(widths))]

    heads = [_head(col.label, w - 2 * PAD) for col, w in zip(sheet.columns, widths, strict=True)]
    head_h = max(len(h.lines) * _leading(h.size) for h in heads) + 2 * PAD + 2

    # Layout first: every cell fitted, every row's height known, then the pages.
    fitted = []
    heights = []
    for row in sheet.rows:
        cells = [fit(_show(v), FONT, SIZE, w - 2 * PAD, MIN_SIZE)
                 for v, w in zip(row, widths, strict=True)]
        lines = max(len(f.lines) for f in cells)
        fitted.append(cells)
        heights.append(max(ROW_MIN, lines * _leading(MIN_SIZE) + 2 * PAD))
    bottom = FOOTER_Y + 0.8 * cm
    room = page_h - 2 * MARGIN - head_h - (bottom - MARGIN)
    pages = paginate(heights, room - _title_height(sheet), room) if sheet.rows else [range(0)]

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(page_w, page_h), invariant=1)
    c.setTitle(" \u2013 ".join([sheet.title, *sheet.heading[:2]]))
    c.setAuthor(sheet.organization)
    c.setCreator("Bimtek")
    for number, rows in enumerate(pages, start=1):
        y = page_h - MARGIN
        if number == 1:
            y = _title_block(c, sheet, page_w, y)
        y = _header(c, xs, widths, heads, y, head_h)
        for i in rows:
            y = _row(c, sheet, xs, widths, fitted[i], y, heights[i], zebra=i % 2 == 1)
        if number == len(pages):
            if not sheet.rows:
                c.setFont(FONT, SIZE)
                c.drawString(MARGIN + PAD, y - 14, sheet.note or "")
            elif sheet.note and y - 16 > bottom:
                c.setFont(FONT, 7.5)
                c.setFillColor(colors.HexColor("#444444"))
                c.drawString(MARGIN, y - 12, sheet.note)
                c.setFillColor(colors.black)
        _footer(c, sheet, page_w, number, len(pages))
        c.showPage()
    c.save()
    return buf.getvalue()


def _show(value: Cell) -> str:
    return "" if value is None else str(value)


def _head(label: str, width: float) -> Fitted:
    """A column label wrapped between words; a word wider than the column shrinks the
    label rather than being cut ("(06/12)" stays whole)."""
    size = HEAD_SIZE
    while size > HEAD_MIN and max(width_of(w, FONT_BOLD, size) for w in label.split()) > width:
        size -= 0.25
    return Fitted(size, tuple(wrap(label, FONT_BOLD, size, width)))


def _header(c: Canvas, xs: list[float], widths: list[float], heads: list[Fitted],
            y: float, head_h: float) -> float:
    c.setFillColor(HEAD_BG)
    c.setStrokeColor(GRID)
    c.setLineWidth(0.5)
    c.rect(xs[0], y - head_h, sum(widths), head_h, stroke=1, fill=1)
    c.setFillColor(colors.black)
    for x, w, head in zip(xs, widths, heads, strict=True):
        c.setFont(FONT_BOLD, head.size)
        block = len(head.lines) * _leading(head.size)
        ty = y - (head_h - block) / 2 - head.size
        for line in head.lines:
            c.drawCentredString(x + w / 2, ty, line)
            ty -= _leading(head.size)
        c.line(x, y, x, y - head_h)
    return y - head_h


def _row(c: Canvas, sheet: Sheet, xs: list[float], widths: list[float], cells: list[Fitted],
         y: float, h: float, zebra: bool) -> float:
    if zebra:
        c.setFillColor(ZEBRA)
        c.rect(xs[0], y - h, sum(widths), h, stroke=0, fill=1)
        c.setFillColor(colors.black)
    for x, w, col, f in zip(xs, widths, sheet.columns, cells, strict=True):
        c.setFont(FONT, f.size)
        block = len(f.lines) * _leading(f.size)
        ty = y - (h - block) / 2 - f.size * 0.95
        for line in f.lines:
            if col.align == "center":
                c.drawCentredString(x + w / 2, ty, line)
            elif col.align == "right":
                c.drawRightString(x + w - PAD, ty, line)
            else:
                c.drawString(x + PAD, ty, line)
            ty -= _leading(f.size)
    c.setStrokeColor(GRID)
    c.setLineWidth(0.4)
    right = xs[-1] + widths[-1]
    c.line(xs[0], y - h, right, y - h)
    for x in [*xs, right]:
        c.line(x, y, x, y - h)
    return y - h


def _footer(c: Canvas, sheet: Sheet, page_w: float, number: int, total: int) -> None:
    c.setFont(FONT, 7.5)
    c.setFillColor(colors.HexColor("#444444"))
    label = sheet.page_label.format(page=number, total=total)
    c.drawRightString(page_w - MARGIN, FOOTER_Y, label)
    if sheet.footer:
        room = page_w - 2 * MARGIN - 3 * cm
        c.drawString(MARGIN, FOOTER_Y, clip(sheet.footer, FONT, 7.5, room))
    c.setFillColor(colors.black)
