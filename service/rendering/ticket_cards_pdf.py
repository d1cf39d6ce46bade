"""Printable participant ticket cards: A4 portrait, 8 per page, cut along dashed lines.

Pure: plain `TicketCard` data in, PDF bytes out. Text is drawn with `drawString` on the
canvas (not platypus Paragraphs), so nothing in a name is parsed as markup: "<script>"
or "&" print literally, and no layout engine slows a batch of hundreds of cards down.
Labels are Indonesian, the language the cards are printed in.

Each card (95 x 70.75 mm)::

    +----------------------------------------------+
    | ORGANIZATION                                 |
    | Training title, bold, at most two lines      |
    | ──────────────────────────────────────────── |
    | Participant Name, big, one line              |
    | Category                     +-----------+   |
    | ANGKATAN  batch              |  QR 36 mm |   |
    | TANGGAL   dates              |           |   |
    | TEMPAT    venue              +-----------+   |
    | Tunjukkan kode QR ini ...     host/t/token   |
    +----------------------------------------------+
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from service.rendering.pdf_sheet import clip
from service.rendering.qr import draw_qr
from service.rendering.sans_font import SANS, SANS_BOLD, SANS_ITALIC

_FONT, _FONT_BOLD, _FONT_ITALIC = SANS, SANS_BOLD, SANS_ITALIC


@dataclass(frozen=True)
class TicketCard:
    name: str
    training_title: str
    organization: str
    batch_name: str
    dates: str  # already formatted, e.g. "12–13 September 2018"
    venue: str | None
    code: str  # the QR text (a signed ticket code)
    ticket_url: str  # short URL printed under the QR, e.g. "127.0.0.1:8000/t/AbC..."
    category: str | None
    # Under the name: kabupaten/kota (or kecamatan) and jabatan, e.g. "Kabupaten Ogan Ilir ·
    # Kepala Bidang".
    subtitle: str | None = None
    # Days held somewhere else than the venue: ("HARI KE-3 · 14/9", "Kampung KB Seroja").
    day_places: tuple[tuple[str, str], ...] = ()


LABEL_BATCH = "ANGKATAN"
LABEL_DATES = "TANGGAL"
LABEL_VENUE = "TEMPAT"
INSTRUCTION = "Tunjukkan kode QR ini di meja registrasi"

# --- geometry ----------------------------------------------------------------------------

_PAGE_W, _PAGE_H = A4
_COLS, _ROWS = 2, 4
_PER_PAGE = _COLS * _ROWS
# 7 mm top and bottom is inside what office printers can print and buys the card the
# height a 36 mm QR, its URL and a quiet zone under the name need.
_MARGIN_X, _MARGIN_Y = 10 * mm, 7 * mm
_CARD_W = (_PAGE_W - 2 * _MARGIN_X) / _COLS
_CARD_H = (_PAGE_H - 2 * _MARGIN_Y) / _ROWS
_PAD = 4 * mm
_INNER_W = _CARD_W - 2 * _PAD
# 36 mm = 0.88 mm per module for the version 6 QR of a ticket code: a cheap phone camera
# reads that from arm's length. The gap keeps text out of the QR's quiet zone.
_QR = 36 * mm
_QR_GAP = 4 * mm
_TEXT_W = _INNER_W - _QR - _QR_GAP
# Text right under a QR eats into its quiet zone; 1.5 mm keeps phone scanners happy
# while leaving 4 modules free above the QR, below the name.
_URL_GAP = 1.5 * mm

_INK = colors.HexColor("#1a1a1a")
_MUTED = colors.HexColor("#5a5a5a")
_ACCENT = colors.HexColor("#1f4e79")
_CUT = colors.HexColor("#9a9a9a")

_ORG_SIZE, _ORG_MIN = 6.0, 5.0
_TITLE_MAX, _TITLE_MIN = 8.5, 6.5
_NAME_MAX, _NAME_MIN = 14.0, 4.0
_LABEL_SIZE = 5.5
_VALUE_SIZE = 8.0
_CATEGORY_SIZE = 8.0
_SUBTITLE_SIZE = 7.0
_NOTE_SIZE = 6.5
_URL_SIZE = 6.5
_URL_MIN = 5.0
# DejaVu's ascent/descent as fractions of the font size, to place text by its ink.
_ASCENT, _DESCENT = 0.76, 0.24

# --- text helpers ------------------------------------------------------------------------


def _clean(text: str | None) -> str:
    """One line of printable text: newlines, tabs and control characters never reach the
    PDF, where they would print as boxes or break the layout."""
    if not text:
        return ""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def _fit_size(text: str, font: str, max_size: float, min_size: float, width: float) -> float:
    """The largest size up to max_size at which text fits width (width scales linearly)."""
    unit = stringWidth(text, font, 1.0)
    if unit <= 0:
        return max_size
    return max(min(max_size, width / unit), min_size)


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """Word-wrapped lines, at most max_lines; what does not fit ends in an ellipsis."""
    lines = simpleSplit(text, font, size, width) or [""]
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    # simpleSplit never breaks a word, so one long word can still be too wide.
    return [clip(line, font, size, width) for line in lines]


def _fit_wrapped(text: str, font: str, max_size: float, min_size: float, width: float,
                 max_lines: int) -> tuple[float, list[str]]:
    """Shrink in half-point steps until text wraps into max_lines, then ellipsize."""
    size = max_size
    while size > min_size and len(simpleSplit(text, font, size, width)) > max_lines:
        size -= 0.5
    return size, _wrap(text, font, size, width, max_lines)


# --- drawing -----------------------------------------------------------------------------


def _draw_lines(c: Canvas, lines: list[str], font: str, size: float, x: float, top: float,
                leading: float) -> float:
    """Draw lines from `top` down (top = top of the first line's ink); return the bottom."""
    c.setFont(font, size)
    y = top - _ASCENT * size
    for line in lines:
        c.drawString(x, y, line)
        y -= leading
    return y + leading - _DESCENT * size


def _draw_header(c: Canvas, card: TicketCard, left: float, top: float) -> float:
    """Organization, title and rule; returns the y of the rule (fixed for every card)."""
    c.setFillColor(_MUTED)
    org = _clean(card.organization).upper()
    size = _fit_size(org, _FONT, _ORG_SIZE, _ORG_MIN, _INNER_W)
    org = clip(org, _FONT, size, _INNER_W)
    _draw_lines(c, [org], _FONT, size, left, top, size)
    title_top = top - _ORG_SIZE - 2.5
    size, lines = _fit_wrapped(_clean(card.training_title), _FONT_BOLD, _TITLE_MAX,
                               _TITLE_MIN, _INNER_W, 2)
    c.setFillColor(_INK)
    _draw_lines(c, lines, _FONT_BOLD, size, left, title_top, size * 1.18)
    # The rule sits below room for two title lines at full size, so all cards align.
    rule_y = title_top - _TITLE_MAX * (1 + 1.18) - 3
    c.setStrokeColor(_ACCENT)
    c.setLineWidth(0.8)
    c.line(left, rule_y, left + _INNER_W, rule_y)
    return rule_y


def _draw_name(c: Canvas, name: str, left: float, rule_y: float) -> float:
    """The name, one line however long; returns the y below its descenders."""
    text = _clean(name)
    size = _fit_size(text, _FONT_BOLD, _NAME_MAX, _NAME_MIN, _INNER_W)
    text = clip(text, _FONT_BOLD, size, _INNER_W)  # only past _NAME_MIN
    # A shorter name keeps the baseline of a full-size one, so cards line up.
    baseline = rule_y - 3.5 - _ASCENT * _NAME_MAX
    c.setFillColor(_INK)
    c.setFont(_FONT_BOLD, size)
    c.drawString(left, baseline, text)
    return baseline - _DESCENT * _NAME_MAX


def _draw_subtitle(c: Canvas, text: str | None, left: float, top: float) -> float:
    """Jabatan and region under the name, one muted line; returns the y below it."""
    line = _clean(text)
    if not line:
        return top
    c.setFillColor(_MUTED)
    size = _SUBTITLE_SIZE
    # Only as wide as the text column: the QR's quiet zone starts right under the name.
    return _draw_lines(c, [clip(line, _FONT, size, _TEXT_W)], _FONT, size, left, top,
                       size) - 1.5


def _draw_field(c: Canvas, label: str, value: str, left: float, top: float,
                max_lines: int = 2) -> float:
    """A small grey label over its value (up to two lines); returns the bottom."""
    c.setFillColor(_MUTED)
    bottom = _draw_lines(c, [label], _FONT, _LABEL_SIZE, left, top, _LABEL_SIZE)
    c.setFillColor(_INK)
    lines = _wrap(value, _FONT, _VALUE_SIZE, _TEXT_W, max_lines)
    return _draw_lines(c, lines, _FONT, _VALUE_SIZE, left, bottom - 1.2, _VALUE_SIZE * 1.2)


def _draw_details(c: Canvas, card: TicketCard, left: float, top: float, bottom: float) -> None:
    """Category, batch, dates and venue in the column left of the QR; the instruction
    sits at the bottom."""
    y = top
    category = _clean(card.category)
    if category:
        c.setFillColor(_ACCENT)
        line = clip(category, _FONT_BOLD, _CATEGORY_SIZE, _TEXT_W)
        y = _draw_lines(c, [line], _FONT_BOLD, _CATEGORY_SIZE, left, y, _CATEGORY_SIZE) - 4
    # A day held elsewhere (a field visit) keeps its two lines and shortens the other
    # fields to one each, so everything stays clear of the instruction at the bottom.
    lines = 1 if card.day_places else 2
    fields = [(LABEL_BATCH, card.batch_name, lines), (LABEL_DATES, card.dates, lines),
              (LABEL_VENUE, card.venue, lines), *((k, v, 2) for k, v in card.day_places)]
    for label, value, most in fields:
        text = _clean(value)
        if text:
            y = _draw_field(c, label, text, left, y, most) - (2.5 if card.day_places else 3.5)
    c.setFillColor(_MUTED)
    note = _wrap(INSTRUCTION, _FONT_ITALIC, _NOTE_SIZE, _TEXT_W, 2)
    leading = _NOTE_SIZE * 1.2
    note_top = bottom + _DESCENT * _NOTE_SIZE + (len(note) - 1) * leading + _ASCENT * _NOTE_SIZE
    _draw_lines(c, note, _FONT_ITALIC, _NOTE_SIZE, left, note_top, leading)


def _url_lines(url: str) -> tuple[float, list[str]]:
    """The URL on one line if it is legible that way, else broken after its last '/'."""
    size = _fit_size(url, _FONT, _URL_SIZE, _URL_MIN, _QR)
    if stringWidth(url, _FONT, size) <= _QR and size >= 6.0:
        return size, [url]
    cut = url.rfind("/", 0, len(url) - 1) + 1
    parts = [url[:cut], url[cut:]] if cut > 0 else [url]
    size = min(_fit_size(p, _FONT, _URL_SIZE, _URL_MIN, _QR) for p in parts)
    return size, [clip(p, _FONT, size, _QR) for p in parts]


def _draw_qr_block(c: Canvas, card: TicketCard, right: float, bottom: float) -> None:
    """The QR in the bottom-right corner with the short URL centred under it."""
    size, lines = _url_lines(_clean(card.ticket_url))
    leading = size * 1.2
    url_h = (len(lines) - 1) * leading + (_ASCENT + _DESCENT) * size
    qr_x = right - _QR
    qr_y = bottom + url_h + _URL_GAP
    draw_qr(c, card.code, qr_x, qr_y, _QR)
    c.setFillColor(_INK)
    c.setFont(_FONT, size)
    y = qr_y - _URL_GAP - _ASCENT * size
    for line in lines:
        c.drawCentredString(qr_x + _QR / 2, y, line)
        y -= leading


def _draw_card(c: Canvas, card: TicketCard, x: float, y: float) -> None:
    """One card with its bottom-left corner at (x, y)."""
    left, right = x + _PAD, x + _CARD_W - _PAD
    top, bottom = y + _CARD_H - _PAD, y + _PAD
    rule_y = _draw_header(c, card, left, top)
    below_name = _draw_subtitle(c, card.subtitle, left, _draw_name(c, card.name, left, rule_y))
    _draw_details(c, card, left, below_name - 4, bottom)
    _draw_qr_block(c, card, right, bottom)


def _card_origin(slot: int) -> tuple[float, float]:
    col, row = slot % _COLS, slot // _COLS
    return _MARGIN_X + col * _CARD_W, _PAGE_H - _MARGIN_Y - (row + 1) * _CARD_H


def _draw_cut_lines(c: Canvas, count: int) -> None:
    """Dashed edges around the page's cards. Each edge is drawn once and always in the
    same direction, so shared edges do not double up into a muddle of dashes."""
    edges: set[tuple[float, float, float, float]] = set()
    for slot in range(count):
        x, y = _card_origin(slot)
        x2, y2 = x + _CARD_W, y + _CARD_H
        edges.update({(x, y, x2, y), (x, y2, x2, y2), (x, y, x, y2), (x2, y, x2, y2)})
    c.saveState()
    c.setStrokeColor(_CUT)
    c.setLineWidth(0.4)
    c.setDash(3, 2.5)
    c.lines(sorted(edges))
    c.restoreState()
    if not count:
        return
    # A pair of scissors where cutting starts.
    c.setFillColor(_CUT)
    c.setFont(_FONT, 9)
    c.drawCentredString(_MARGIN_X + _CARD_W, _PAGE_H - _MARGIN_Y + 1.2, "\u2702")


def ticket_cards_pdf(cards: Sequence[TicketCard], *, title: str) -> bytes:
    """Ticket cards as A4 PDF bytes, 8 a page in 2 columns x 4 rows with cut lines.

    Deterministic for equal input. No cards give one blank page (a valid PDF).
    """
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(title)
    c.setCreator("Bimtek")
    if cards:
        c.setAuthor(_clean(cards[0].organization))
    pages = max(math.ceil(len(cards) / _PER_PAGE), 1)
    for page in range(pages):
        chunk = cards[page * _PER_PAGE:(page + 1) * _PER_PAGE]
        _draw_cut_lines(c, len(chunk))
        for slot, card in enumerate(chunk):
            _draw_card(c, card, *_card_origin(slot))
        c.showPage()
    c.save()
    return buf.getvalue()
