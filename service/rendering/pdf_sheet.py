"""Shared drawing for printed lists (roster, daftar hadir): fonts, text fitted to a
cell, rows split into pages with the header repeated, and "Halaman X dari Y".

Drawn straight on the reportlab canvas rather than with platypus tables: a 421-row list
lays out in a few milliseconds, every row keeps a known height (room to sign), and the
page count is known before the first page is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics

from service.rendering.sans_font import SANS, SANS_BOLD

FONT = SANS
FONT_BOLD = SANS_BOLD
ELLIPSIS = "\u2026"




def width_of(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def clip(text: str, font: str, size: float, width: float) -> str:
    """The text cut with an ellipsis to fit `width` (for what may be shortened)."""
    if width_of(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if width_of(text[:mid] + ELLIPSIS, font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a single word longer than the line is cut by characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if width_of(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while width_of(word, font, size) > width and len(word) > 1:
            cut = len(word)
            while cut > 1 and width_of(word[:cut], font, size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


@dataclass(frozen=True)
class Fitted:
    size: float
    lines: tuple[str, ...]


def fit(text: str, font: str, size: float, width: float, min_size: float,
        max_lines: int = 2) -> Fitted:
    """A name is never cut if it can help: one line at the normal size, else one line a
    little smaller, else wrapped at the smaller size; only past max_lines is it clipped."""
    if width_of(text, font, size) <= width:
        return Fitted(size, (text,))
    if width_of(text, font, min_size) <= width:
        # The largest size that fits, in quarter points.
        s = size
        while s > min_size and width_of(text, font, s) > width:
            s -= 0.25
        return Fitted(s, (text,))
    lines = wrap(text, font, min_size, width)
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1:])
        lines = [*lines[:max_lines - 1], clip(rest, font, min_size, width)]
    return Fitted(min_size, tuple(lines))


def paginate(heights: Sequence[float], first_room: float, room: float) -> list[range]:
    """Row indexes per page: the first page has less room (the title block)."""
    pages: list[range] = []
    start, used, limit = 0, 0.0, first_room
    for i, h in enumerate(heights):
        if used + h > limit and i > start:
            pages.append(range(start, i))
            start, used, limit = i, 0.0, room
        used += h
    pages.append(range(start, len(heights)))
    return pages
