"""A batch's printed agenda ("Jadwal Acara") as an A4 PDF.

Pure: takes an `AgendaDoc` built by the caller and returns PDF bytes; never touches the
database. Labels, day and month names live in `_LABELS` so the module needs no i18n
machinery.
"""

from __future__ import annotations

import datetime
import functools
import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from service.rendering.numbered_canvas import NumberedCanvas
from service.rendering.sans_font import SANS, SANS_BOLD, SANS_ITALIC


@dataclass(frozen=True)
class AgendaRow:
    start: datetime.time
    end: datetime.time
    title: str
    kind: str  # "opening" | "material" | "field_visit" | "break" | "closing" | "presentation"
    speakers: tuple[str, ...]  # display names with titles and institution
    room: str | None
    jpl: int  # JPL = 45-minute training hours
    place: str | None = None  # the session's own place, when not the day's


@dataclass(frozen=True)
class AgendaDay:
    date: datetime.date
    rows: tuple[AgendaRow, ...]
    place: str | None = None  # the day's own place (a field visit), when not the batch's


@dataclass(frozen=True)
class AgendaDoc:
    organization: str
    training_title: str
    batch_name: str
    start_date: datetime.date
    end_date: datetime.date
    venue: str | None
    timezone_label: str  # "WIB" | "WITA" | "WIT"
    days: tuple[AgendaDay, ...]
    locale: str = "id"  # "id" (default) or "en"


_LABELS: dict[str, dict[str, Any]] = {
    "id": {
        "title": "JADWAL ACARA",
        "day": "Hari ke-{n}",
        "cols": ("Waktu", "Materi / Kegiatan", "Narasumber", "Ruang", "JPL"),
        "day_total": "Jumlah JPL hari ini",
        "grand_total": "Total JPL: {n}",
        "empty_day": "Belum ada sesi",
        "page": "Halaman {page} dari {total}",
        "venue": "Tempat: {venue}",
        "day_place": "Tempat: {venue}",
        "time_sep": ".",  # Indonesian writes 08.00, not 08:00
        "weekdays": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
        "months": (
            "Januari", "Februari", "Maret", "April", "Mei", "Juni",
            "Juli", "Agustus", "September", "Oktober", "November", "Desember",
        ),
    },
    "en": {
        "title": "AGENDA",
        "day": "Day {n}",
        "cols": ("Time", "Session / Activity", "Speaker", "Room", "JPL"),
        "day_total": "JPL today",
        "grand_total": "Total JPL: {n}",
        "empty_day": "No sessions yet",
        "page": "Page {page} of {total}",
        "venue": "Venue: {venue}",
        "day_place": "Venue: {venue}",
        "time_sep": ":",
        "weekdays": (
            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        ),
        "months": (
            "January", "February", "March", "April", "May", "June",
            "July", "August", "September", "October", "November", "December",
        ),
    },
}

# --- fonts -------------------------------------------------------------------------------

_FONT, _FONT_BOLD, _FONT_ITALIC = SANS, SANS_BOLD, SANS_ITALIC

# --- styles ------------------------------------------------------------------------------

_INK = colors.HexColor("#1a1a1a")
_GRID = colors.HexColor("#555555")
_HEAD_BG = colors.HexColor("#d9d9d9")
_BREAK_BG = colors.HexColor("#efefef")
_TOTAL_BG = colors.HexColor("#f7f7f7")

_PAGE_W, _PAGE_H = A4
_MARGIN = 2 * cm
# platypus frames pad 6 pt inside the margins; shrink the margins by that so the printed
# content box sits exactly 2 cm from the paper edge and the table aligns with the rules.
_FRAME_PAD = 6
_FRAME_W = _PAGE_W - 2 * _MARGIN
_FRAME_H = _PAGE_H - 2 * _MARGIN
# Waktu, Materi, Narasumber, Ruang, JPL (17 cm): Waktu fits "08.00–09.30 WITA" on one line.
_COL_WIDTHS = (3.1 * cm, 5.7 * cm, 5.0 * cm, 2.1 * cm, 1.1 * cm)
# Heading, table header and a few sessions: less room than this starts the day on a new page.
_MIN_DAY_START = 4 * cm


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base: dict[str, Any] = {
        "fontName": _FONT,
        "fontSize": 8.5,
        "leading": 11,
        "textColor": _INK,
    }
    base.update(kw)
    return ParagraphStyle(name, **base)


_ST_ORG = _style("org", fontName=_FONT_BOLD, fontSize=10, leading=13, alignment=TA_CENTER)
_ST_DOC_TITLE = _style(
    "doctitle", fontName=_FONT_BOLD, fontSize=15, leading=19, alignment=TA_CENTER,
    spaceBefore=4,
)
_ST_TRAINING = _style(
    "training", fontName=_FONT_BOLD, fontSize=12, leading=15, alignment=TA_CENTER,
    spaceBefore=2,
)
_ST_META = _style("meta", fontSize=10, leading=13, alignment=TA_CENTER)
_ST_DAY = _style(
    "day", fontName=_FONT_BOLD, fontSize=10.5, leading=13, spaceBefore=10, spaceAfter=5
)
_ST_CELL = _style("cell", alignment=TA_LEFT)
_ST_CELL_C = _style("cellc", alignment=TA_CENTER)
_ST_CELL_BREAK = _style("cellbreak", fontName=_FONT_ITALIC, alignment=TA_CENTER)
_ST_HEAD = _style("head", fontName=_FONT_BOLD, alignment=TA_CENTER)
_ST_TOTAL_LABEL = _style("totlabel", fontName=_FONT_BOLD, alignment=TA_RIGHT)
_ST_TOTAL_NUM = _style("totnum", fontName=_FONT_BOLD, alignment=TA_CENTER)
_ST_PLACE = _style("place", fontName=_FONT_BOLD, fontSize=9, leading=11.5, spaceAfter=4,
                   textColor=colors.HexColor("#1f4e79"))
_ST_EMPTY = _style("empty", fontName=_FONT_ITALIC, textColor=colors.HexColor("#555555"))
_ST_GRAND = _style(
    "grand", fontName=_FONT_BOLD, fontSize=11, leading=14, alignment=TA_RIGHT, spaceBefore=12
)

# --- formatting --------------------------------------------------------------------------


def _labels(locale: str) -> dict[str, Any]:
    # "en-US" / "id_ID" reduce to their language; anything unknown prints Indonesian.
    lang = locale.replace("_", "-").split("-")[0].lower()
    return _LABELS.get(lang, _LABELS["id"])


def _fmt_date(d: datetime.date, lab: dict[str, Any]) -> str:
    return f"{d.day} {lab['months'][d.month - 1]} {d.year}"


def _fmt_range(start: datetime.date, end: datetime.date, lab: dict[str, Any]) -> str:
    """'12–13 September 2018', '30 September – 1 Oktober 2018', or one date."""
    if end <= start:
        return _fmt_date(start, lab)
    month_end = lab["months"][end.month - 1]
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}\u2013{end.day} {month_end} {end.year}"
    if start.year == end.year:
        month_start = lab["months"][start.month - 1]
        return f"{start.day} {month_start} \u2013 {end.day} {month_end} {end.year}"
    return f"{_fmt_date(start, lab)} \u2013 {_fmt_date(end, lab)}"


def _fmt_time(t: datetime.time, lab: dict[str, Any]) -> str:
    return f"{t.hour:02d}{lab['time_sep']}{t.minute:02d}"


def _fmt_slot(row: AgendaRow, tz: str, lab: dict[str, Any]) -> str:
    return f"{_fmt_time(row.start, lab)}\u2013{_fmt_time(row.end, lab)} {tz}".strip()


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """Paragraph from user text: escaped, since Paragraph parses mini-HTML markup."""
    return Paragraph(escape(text), style)


def _row_jpl(row: AgendaRow) -> int:
    return 0 if row.kind == "break" else max(row.jpl, 0)


# --- story -------------------------------------------------------------------------------


def _header(doc: AgendaDoc, lab: dict[str, Any]) -> list[Flowable]:
    out: list[Flowable] = [
        _p(doc.organization.upper(), _ST_ORG),
        Paragraph(escape(lab["title"]), _ST_DOC_TITLE),
        _p(doc.training_title, _ST_TRAINING),
        _p(doc.batch_name, _ST_META),
        _p(_fmt_range(doc.start_date, doc.end_date, lab), _ST_META),
    ]
    if doc.venue:
        out.append(_p(lab["venue"].format(venue=doc.venue), _ST_META))
    out.append(Spacer(1, 6))
    out.append(HRFlowable(width="100%", thickness=1.2, color=_INK, spaceBefore=2, spaceAfter=1))
    out.append(HRFlowable(width="100%", thickness=0.4, color=_INK, spaceAfter=4))
    return out


def _day_table(day: AgendaDay, tz: str, lab: dict[str, Any]) -> Table:
    data: list[list[Any]] = [[Paragraph(escape(c), _ST_HEAD) for c in lab["cols"]]]
    cmds: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), _FONT),
        ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
        ("BACKGROUND", (0, 0), (-1, 0), _HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    for i, row in enumerate(day.rows, start=1):
        slot = _p(_fmt_slot(row, tz, lab), _ST_CELL_C)
        if row.kind == "break":
            cmds.append(("BACKGROUND", (0, i), (-1, i), _BREAK_BG))
            if not row.speakers and not row.room:
                # A bare break reads best as one centred band across the session columns.
                data.append([slot, _p(row.title, _ST_CELL_BREAK), "", "", ""])
                cmds.append(("SPAN", (1, i), (3, i)))
                continue
            title: Paragraph = _p(row.title, _ST_CELL_BREAK)
            jpl_cell: Any = ""
        else:
            title = _p(row.title, _ST_CELL)
            jpl_cell = _p(str(row.jpl) if row.jpl > 0 else "\u2013", _ST_CELL_C)
        speakers = Paragraph("<br/>".join(escape(s) for s in row.speakers), _ST_CELL)
        # A session away from the day's place names it above its room.
        where = Paragraph("<br/>".join(escape(w) for w in (row.place, row.room) if w),
                          _ST_CELL_C)
        data.append([slot, title, speakers, where, jpl_cell])

    n = len(data)
    subtotal = sum(_row_jpl(r) for r in day.rows)
    data.append([Paragraph(escape(lab["day_total"]), _ST_TOTAL_LABEL), "", "", "",
                 Paragraph(str(subtotal), _ST_TOTAL_NUM)])
    cmds += [
        ("SPAN", (0, n), (3, n)),
        ("BACKGROUND", (0, n), (-1, n), _TOTAL_BG),
        ("LINEABOVE", (0, n), (-1, n), 1.0, _INK),
        # Keep the subtotal with the day's last session, never alone under a repeated header.
        ("NOSPLIT", (0, n - 1), (-1, n)),
    ]
    table = Table(data, colWidths=list(_COL_WIDTHS), repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle(cmds))
    return table


def _story(doc: AgendaDoc, lab: dict[str, Any]) -> list[Flowable]:
    story = _header(doc, lab)
    for n, day in enumerate(doc.days, start=1):
        heading = (
            f"{lab['day'].format(n=n)} \u2014 "
            f"{lab['weekdays'][day.date.weekday()]}, {_fmt_date(day.date, lab)}"
        )
        head: list[Flowable] = [Paragraph(escape(heading), _ST_DAY)]
        if day.place:
            head.append(_p(lab["day_place"].format(venue=day.place), _ST_PLACE))
        if not day.rows:
            story.append(KeepTogether([*head, Paragraph(escape(lab["empty_day"]), _ST_EMPTY)]))
            continue
        table = _day_table(day, doc.timezone_label, lab)
        _, table_h = table.wrap(_FRAME_W, _FRAME_H)
        if table_h + 2 * cm < _FRAME_H:
            # A day that fits on one page moves whole to the next page rather than splitting.
            story.append(KeepTogether([*head, table]))
        else:
            # A long day splits anyway; just never leave its heading alone at a page foot.
            story += [CondPageBreak(_MIN_DAY_START), *head, table]
    total = sum(_row_jpl(r) for day in doc.days for r in day.rows)
    story.append(Paragraph(escape(lab["grand_total"].format(n=total)), _ST_GRAND))
    return story


def render_agenda_pdf(doc: AgendaDoc) -> bytes:
    """Render the batch agenda as A4 portrait PDF bytes (deterministic for equal input)."""
    lab = _labels(doc.locale)
    buf = io.BytesIO()
    template = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=_MARGIN - _FRAME_PAD,
        rightMargin=_MARGIN - _FRAME_PAD,
        topMargin=_MARGIN - _FRAME_PAD,
        bottomMargin=_MARGIN - _FRAME_PAD,
        title=f"{lab['title'].title()} \u2013 {doc.training_title} \u2013 {doc.batch_name}",
        author=doc.organization,
        creator="Bimtek",
        # Fixed timestamps and IDs: equal input gives equal bytes (cacheable, testable).
        invariant=1,
    )
    maker = functools.partial(NumberedCanvas, left=doc.organization, page_fmt=lab["page"],
                              font=_FONT, size=8, margin=_MARGIN)
    template.build(_story(doc, lab), canvasmaker=maker)
    return buf.getvalue()
