"""The parts an office's A4 documents share (the activity report, a person's training
record): the letterhead (the office's name and city beside its logo, over a double rule)
and the grid table with a shaded header repeated on each page."""

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, HRFlowable, Image, Table, TableStyle

from service.rendering.sans_font import SANS, SANS_BOLD

INK = colors.HexColor("#1a1a1a")
GRID = colors.HexColor("#666666")
HEAD_BG = colors.HexColor("#dde3ea")
TOTAL_BG = colors.HexColor("#f2f4f7")
_LOGO = 1.9 * cm


def paragraph_style(name: str, **kw: Any) -> ParagraphStyle:
    """A paragraph style of these documents: the sans font at 9 pt in ink, with `kw`."""
    base: dict[str, Any] = {"fontName": SANS, "fontSize": 9, "leading": 11.5, "textColor": INK}
    return ParagraphStyle(name, **{**base, **kw})


# The letterhead's lines: the office's name, then its city.
ORG_STYLE = paragraph_style("org", fontName=SANS_BOLD, fontSize=11, leading=14,
                            alignment=TA_CENTER)
CITY_STYLE = paragraph_style("city", fontSize=9, leading=12, alignment=TA_CENTER)


def letterhead(name: Flowable, city: Flowable | None, logo_png: bytes | None,
               width: float) -> list[Flowable]:
    """The office's name (and city) centred, its logo at the left when it has one that
    reads, then the double rule of an Indonesian kop surat."""
    lines: list[Flowable] = [name, *([city] if city is not None else [])]
    head: list[Flowable] = lines
    size = _logo_size(logo_png)
    if logo_png and size:
        logo = Image(io.BytesIO(logo_png), width=size[0], height=size[1])
        table = Table([[logo, lines, ""]], colWidths=[2.4 * cm, width - 4.8 * cm, 2.4 * cm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        head = [table]
    return [*head,
            HRFlowable(width="100%", thickness=1.4, color=INK, spaceBefore=6, spaceAfter=1),
            HRFlowable(width="100%", thickness=0.4, color=INK, spaceAfter=2)]


def _logo_size(logo_png: bytes | None) -> tuple[float, float] | None:
    if not logo_png:
        return None
    try:
        w, h = ImageReader(io.BytesIO(logo_png)).getSize()
    except Exception:  # noqa: BLE001 (a broken logo must not cost the document)
        return None
    if not (w and h):
        return None
    return _LOGO * min(1, w / h), _LOGO * min(1, h / w)


def grid_table(rows: list[list[Any]], widths: Sequence[float], total_rows: int = 0,
               extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    """A grid table with a shaded header repeated on each page, and `total_rows`
    shaded rows at its foot."""
    cmds: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if total_rows:
        cmds += [("BACKGROUND", (0, -total_rows), (-1, -1), TOTAL_BG),
                 ("LINEABOVE", (0, -total_rows), (-1, -total_rows), 1.0, INK)]
    table = Table(rows, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([*cmds, *extra]))
    return table


