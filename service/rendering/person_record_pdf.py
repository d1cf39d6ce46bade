"""A person's record of trainings (riwayat pelatihan) as an A4 portrait PDF: what an ASN
attaches to a promotion file (the JPL of competence development per year), from the
organization that ran the trainings. The header with the organizer, who the person is,
one row per training (dates, batch, days present, JPL, certificate number), the JPL per
year and in all, and a place, date and line for the organizer's signature.

Pure: a `PersonRecordDoc` (defined here; service.services.people.record builds it) in,
PDF bytes out. It holds no NIK: the record identifies an ASN by name and NIP (masked,
unless an admin printed it), and a cadre by name. Words through gettext, numbers and
dates through service.i18n.formats, as the activity report does.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from service.i18n import gettext
from service.i18n.formats import fmt_date, fmt_number, fmt_range
from service.models.trainings import KIND_LABELS
from service.rendering.numbered_canvas import NumberedCanvas
from service.rendering.office_pdf import (
    CITY_STYLE,
    ORG_STYLE,
    grid_table,
    letterhead,
    paragraph_style,
)
from service.rendering.sans_font import SANS, SANS_BOLD, SANS_ITALIC

_ = gettext


@dataclass(frozen=True)
class RecordLine:
    title: str
    kind: str  # pelatihan | bimtek | ... (KIND_LABELS)
    batch: str | None
    start_date: date
    end_date: date
    days_present: int
    days_total: int
    jpl: int
    certificate_number: str | None


@dataclass(frozen=True)
class PersonRecordDoc:
    organization: str
    organization_city: str | None
    logo_png: bytes | None
    name: str
    nip: str | None  # as the viewer may see it
    position: str | None  # jabatan
    rank: str | None  # pangkat/golongan
    institution: str | None
    lines: list[RecordLine]  # newest first
    jpl_by_year: dict[int, int]  # oldest first
    jpl_total: int
    printed_on: date


_PAGE_W, _PAGE_H = A4
_MARGIN = 2 * cm
_PAD = 6
_W = _PAGE_W - 2 * _MARGIN
_BAR = colors.HexColor("#1f6f5c")


_style = paragraph_style
_ST_ORG, _ST_CITY = ORG_STYLE, CITY_STYLE
_ST_TITLE = _style("title", fontName=SANS_BOLD, fontSize=15, leading=19, alignment=TA_CENTER,
                   spaceBefore=8, spaceAfter=8)
_ST_H2 = _style("h2", fontName=SANS_BOLD, fontSize=11, leading=14, spaceBefore=12,
                spaceAfter=5)
_ST_CELL = _style("cell", fontSize=8.5, leading=10.5)
_ST_SMALL = _style("small", fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444"))
_ST_CODE = _style("code", fontSize=7.5, leading=10)
_ST_NUM = _style("num", fontSize=8.5, leading=10.5, alignment=TA_RIGHT)
_ST_HEAD = _style("head", fontName=SANS_BOLD, fontSize=8.5, leading=10.5)
_ST_HEAD_NUM = _style("headnum", fontName=SANS_BOLD, fontSize=8.5, leading=10.5,
                      alignment=TA_RIGHT)
_ST_BOLD_NUM = _style("boldnum", fontName=SANS_BOLD, fontSize=8.5, leading=10.5,
                      alignment=TA_RIGHT)
_ST_NOTE = _style("note", fontName=SANS_ITALIC, fontSize=8.5, leading=11,
                  textColor=colors.HexColor("#444444"))
_ST_SIGN = _style("sign", fontSize=10, leading=13, alignment=TA_CENTER)


def _p(text: str, style: ParagraphStyle = _ST_CELL) -> Paragraph:
    """User text as a Paragraph: escaped, since Paragraph reads mini-HTML."""
    return Paragraph(escape(text), style)


def _grid(rows: list[list[Any]], widths: list[float], total_rows: int = 0) -> Table:
    return grid_table(rows, widths, total_rows)


def _header(doc: PersonRecordDoc) -> list[Flowable]:
    city = _p(doc.organization_city, _ST_CITY) if doc.organization_city else None
    return [*letterhead(_p(doc.organization.upper(), _ST_ORG), city, doc.logo_png, _W),
            _p(_("TRAINING RECORD"), _ST_TITLE)]


def _who(doc: PersonRecordDoc) -> Flowable:
    rows = [(_("Name"), doc.name)]
    rows += [(label, value) for label, value in (
        (_("NIP"), doc.nip), (_("Position (jabatan)"), doc.position),
        (_("Rank (pangkat/golongan)"), doc.rank), (_("Institution"), doc.institution))
        if value]
    table = Table([[_p(k, _ST_HEAD), _p(v)] for k, v in rows],
                  colWidths=[4.5 * cm, _W - 4.5 * cm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _trainings(doc: PersonRecordDoc) -> list[Flowable]:
    out: list[Flowable] = [_p(_("Trainings attended"), _ST_H2)]
    if not doc.lines:
        return [*out, _p(_("No training attended yet."), _ST_NOTE)]
    rows: list[list[Any]] = [[
        _p(_("No."), _ST_HEAD), _p(_("Training"), _ST_HEAD), _p(_("Dates"), _ST_HEAD),
        _p(_("Days present"), _ST_HEAD_NUM), _p("JPL", _ST_HEAD_NUM),
        _p(_("Certificate number"), _ST_HEAD)]]
    for n, line in enumerate(doc.lines, start=1):
        kind = _(KIND_LABELS[line.kind]) if line.kind in KIND_LABELS else line.kind
        about = " · ".join(part for part in (kind, line.batch) if part)
        rows.append([_p(str(n), _ST_NUM), [_p(line.title), _p(about, _ST_SMALL)],
                     _p(fmt_range(line.start_date, line.end_date)),
                     _p(f"{line.days_present}/{line.days_total}", _ST_NUM),
                     _p(fmt_number(line.jpl), _ST_NUM),
                     _p(line.certificate_number or "–", _ST_CODE)])
    rows.append(["", _p(_("Total"), _ST_HEAD), "", "",
                 _p(fmt_number(doc.jpl_total), _ST_BOLD_NUM), ""])
    widths = [0.9 * cm, 5.4 * cm, 3.0 * cm, 1.9 * cm, 1.2 * cm, 4.6 * cm]
    return [*out, _grid(rows, widths, total_rows=1)]


def _years(doc: PersonRecordDoc) -> list[Flowable]:
    if not doc.jpl_by_year:
        return []
    top = max(doc.jpl_by_year.values())
    bar_w = 8 * cm
    rows: list[list[Any]] = [[_p(_("Year"), _ST_HEAD), _p("JPL", _ST_HEAD_NUM), ""]]
    for year, jpl in doc.jpl_by_year.items():
        bar = Table([[""]], colWidths=[max(bar_w * jpl / top, 2)], rowHeights=[7])
        bar.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), _BAR)]))
        rows.append([_p(str(year)), _p(fmt_number(jpl), _ST_NUM), bar])
    rows.append([_p(_("Total"), _ST_HEAD), _p(fmt_number(doc.jpl_total), _ST_BOLD_NUM), ""])
    table = _grid(rows, [2.5 * cm, 2.0 * cm, bar_w + 0.6 * cm], total_rows=1)
    table.setStyle(TableStyle([("ALIGN", (2, 1), (2, -1), "LEFT")]))
    return [KeepTogether([_p(_("JPL per year"), _ST_H2), table]), Spacer(1, 6)]


def _signature(doc: PersonRecordDoc) -> Flowable:
    place = f"{doc.organization_city}, " if doc.organization_city else ""
    block: list[Flowable] = [_p(f"{place}{fmt_date(doc.printed_on)}", _ST_SIGN),
                             _p(doc.organization, _ST_SIGN), Spacer(1, 2.1 * cm),
                             _p("(" + "." * 48 + ")", _ST_SIGN),
                             _p("NIP. " + "." * 36, _ST_SIGN)]
    table = Table([["", block]], colWidths=[_W - 8.5 * cm, 8.5 * cm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 18), table])


def render_person_record_pdf(doc: PersonRecordDoc) -> bytes:
    """The record as A4 portrait PDF bytes (equal input, equal bytes)."""
    buf = io.BytesIO()
    # Outside the f-strings: Babel's extractor does not look into f-strings.
    record = _("Training record")
    pdf = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=_MARGIN - _PAD, rightMargin=_MARGIN - _PAD,
        topMargin=1.6 * cm - _PAD, bottomMargin=_MARGIN - _PAD,
        title=f"{record} – {doc.name}", author=doc.organization,
        creator="Bimtek", invariant=1)
    story = [*_header(doc), _who(doc), *_trainings(doc), *_years(doc),
             _p(_("JPL: training hours of 45 minutes from each training's agenda: the JPL its "
                  "certificate states, else those of the sessions attended."), _ST_NOTE),
             _signature(doc)]
    maker = functools.partial(
        NumberedCanvas, left=f"{record} · {doc.name}",
        page_fmt=_("Page {page} of {total}"), font=SANS, size=7.5, margin=_MARGIN)
    pdf.build(story, canvasmaker=maker)
    return buf.getvalue()
