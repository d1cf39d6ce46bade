"""Kampung KB coverage (cakupan) as an A4 landscape PDF, for the office's report to the
head of the agency: the letterhead, the filters it was made with, the register against the
target, a table per kecamatan (its Kampung KB, how many have trained cadres, and trained
cadres per poktan) with a bar chart of the same, and the Kampung KB where nobody has been
trained yet.

Pure: a `CoverageDoc` (defined here; service.services.coverage_doc builds it from the
computed coverage) in, PDF bytes out; never touches the database. It names no person.
Words go through gettext, numbers and dates through service.i18n.formats, so the PDF
speaks the request's language (Indonesian by default).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from service.i18n import N_, gettext, ngettext
from service.i18n.formats import fmt_date, fmt_number, fmt_percent
from service.rendering.numbered_canvas import NumberedCanvas
from service.rendering.office_pdf import (
    CITY_STYLE,
    ORG_STYLE,
    grid_table,
    letterhead,
    paragraph_style,
)
from service.rendering.pdf_bars import PairedBars, paired_bars
from service.rendering.sans_font import SANS, SANS_BOLD, SANS_ITALIC

_ = gettext


@dataclass(frozen=True)
class DistrictLine:
    district: str
    kampung_kb: int  # in the register
    covered: int  # with at least one trained cadre
    trained: list[int]  # cadres trained per group, in CoverageDoc.groups' order

    @property
    def share(self) -> float:
        return self.covered / self.kampung_kb if self.kampung_kb else 0.0


@dataclass(frozen=True)
class UncoveredLine:
    """A Kampung KB of the register where nobody has been trained."""

    name: str
    village: str
    district: str
    poktan: list[str]  # what it runs, as the register says (empty: not recorded)


@dataclass(frozen=True)
class CoverageDoc:
    organization: str
    organization_city: str | None
    logo_png: bytes | None
    program_title: str | None  # the filters the coverage was computed with
    year: int | None
    target: int | None
    registered: int
    covered: int
    unlinked: int  # trained cadres whose Kampung KB text names no register entry
    groups: list[str]  # column labels: the poktan, then "other"
    districts: list[DistrictLine]
    uncovered: list[UncoveredLine]
    printed_on: date


_PAGE_W, _PAGE_H = landscape(A4)
_MARGIN = 1.6 * cm
_PAD = 6  # platypus frames pad 6 pt inside their margins
_W = _PAGE_W - 2 * _MARGIN  # 26.5 cm of content
_IN_REGISTER = colors.HexColor("#b7c6d8")
_COVERED = colors.HexColor("#1f6f5c")
# A drawing cannot split across pages: a longer list of kecamatan continues in another.
_CHART_ROWS = 24


_style = paragraph_style
_ST_ORG, _ST_CITY = ORG_STYLE, CITY_STYLE
_ST_TITLE = _style("title", fontName=SANS_BOLD, fontSize=15, leading=19, alignment=TA_CENTER,
                   spaceBefore=6)
_ST_META = _style("meta", fontSize=9.5, leading=12.5, alignment=TA_CENTER)
_ST_H2 = _style("h2", fontName=SANS_BOLD, fontSize=11, leading=14, spaceBefore=10,
                spaceAfter=5)
_ST_CELL = _style("cell", fontSize=8.5, leading=10.5)
_ST_NUM = _style("num", fontSize=8.5, leading=10.5, alignment=TA_RIGHT)
_ST_HEAD = _style("head", fontName=SANS_BOLD, fontSize=8.5, leading=10.5)
_ST_HEAD_NUM = _style("headnum", fontName=SANS_BOLD, fontSize=8.5, leading=10.5,
                      alignment=TA_RIGHT)
_ST_BOLD_NUM = _style("boldnum", fontName=SANS_BOLD, fontSize=8.5, leading=10.5,
                      alignment=TA_RIGHT)
_ST_NOTE = _style("note", fontName=SANS_ITALIC, fontSize=8.5, leading=11,
                  textColor=colors.HexColor("#444444"))


def _p(text: str, style: ParagraphStyle = _ST_CELL) -> Paragraph:
    """User text as a Paragraph: escaped, since Paragraph reads mini-HTML."""
    return Paragraph(escape(text), style)


def _n(value: int, style: ParagraphStyle = _ST_NUM) -> Paragraph:
    return Paragraph(fmt_number(value), style)


def _filters(doc: CoverageDoc) -> str:
    parts = [_("Programme: {title}", title=doc.program_title) if doc.program_title
             else _("All trainings")]
    parts.append(_("Year: {year}", year=doc.year) if doc.year is not None
                 else _("All years"))
    return " · ".join(parts)


def _header(doc: CoverageDoc) -> list[Flowable]:
    city = _p(doc.organization_city, _ST_CITY) if doc.organization_city else None
    return [*letterhead(_p(doc.organization.upper(), _ST_ORG), city, doc.logo_png, _W),
            _p(_("KAMPUNG KB COVERAGE"), _ST_TITLE), _p(_filters(doc), _ST_META),
            Spacer(1, 6)]


def _summary(doc: CoverageDoc) -> list[Flowable]:
    """The register against the target, and the register against what was trained."""
    def share(part: int, whole: int | None, of: str) -> Paragraph:
        return _p(_(of, share=fmt_percent(part / whole)) if whole else "", _ST_NUM)

    target = (_n(doc.target) if doc.target is not None
              else _p(_("not set"), _ST_NUM))
    nobody = doc.registered - doc.covered
    rows: list[list[Any]] = [
        [_p(_("Kampung KB"), _ST_HEAD), _p(_("How many"), _ST_HEAD_NUM),
         _p(_("Share"), _ST_HEAD_NUM)],
        [_p(_("Target")), target, _p("")],
        [_p(_("In the register")), _n(doc.registered),
         share(doc.registered, doc.target, N_("{share} of the target"))],
        [_p(_("With trained cadres")), _n(doc.covered),
         share(doc.covered, doc.registered, N_("{share} of the register"))],
        [_p(_("Nobody trained yet")), _n(nobody),
         share(nobody, doc.registered, N_("{share} of the register"))],
    ]
    if doc.target is not None and doc.target > doc.registered:
        rows.append([_p(_("Not yet in the register (target minus register)")),
                     _n(doc.target - doc.registered),
                     share(doc.target - doc.registered, doc.target,
                           N_("{share} of the target"))])
    out: list[Flowable] = [_p(_("Register and target"), _ST_H2),
                           grid_table(rows, [9 * cm, 2.5 * cm, 4 * cm])]
    if doc.unlinked:
        out += [Spacer(1, 4), _p(ngettext(
            "{n} trained cadre is not linked to a Kampung KB of the register.",
            "{n} trained cadres are not linked to a Kampung KB of the register.",
            doc.unlinked), _ST_NOTE)]
    return out


def _districts(doc: CoverageDoc) -> list[Flowable]:
    head = [_p(_("Kecamatan"), _ST_HEAD), _p(_("Kampung KB"), _ST_HEAD_NUM),
            _p(_("Covered"), _ST_HEAD_NUM), _p(_("Share covered"), _ST_HEAD_NUM),
            *(_p(g, _ST_HEAD_NUM) for g in doc.groups), _p(_("Total"), _ST_HEAD_NUM)]
    rows: list[list[Any]] = [head]
    for d in doc.districts:
        rows.append([_p(d.district), _n(d.kampung_kb), _n(d.covered),
                     _p(fmt_percent(d.share), _ST_NUM), *(_n(v) for v in d.trained),
                     _n(sum(d.trained))])
    registered = sum(d.kampung_kb for d in doc.districts)
    covered = sum(d.covered for d in doc.districts)
    sums = [sum(d.trained[i] for d in doc.districts) for i in range(len(doc.groups))]
    rows.append([_p(_("Total"), _ST_HEAD), _n(registered, _ST_BOLD_NUM),
                 _n(covered, _ST_BOLD_NUM),
                 _p(fmt_percent(covered / registered if registered else 0.0), _ST_BOLD_NUM),
                 *(_n(v, _ST_BOLD_NUM) for v in sums), _n(sum(sums), _ST_BOLD_NUM)])
    fixed = [2.0 * cm, 2.0 * cm, 2.3 * cm]
    group_w = 1.75 * cm
    first = _W - sum(fixed) - group_w * (len(doc.groups) + 1)
    widths = [first, *fixed, *([group_w] * (len(doc.groups) + 1))]
    return [_p(_("Per kecamatan"), _ST_H2),
            _p(_("Kampung KB of the register, how many have trained cadres, and the cadres "
                 "trained for each poktan (a cadre counts once per poktan)."), _ST_NOTE),
            Spacer(1, 4), grid_table(rows, widths, total_rows=1)]


def _chart(lines: Sequence[DistrictLine], top: int) -> Drawing:
    """Kampung KB in the register and those covered, two bars per kecamatan, the first
    kecamatan on top."""
    return paired_bars(PairedBars(
        width=_W, label_w=5.5 * cm, whole=_IN_REGISTER, part=_COVERED,
        whole_label=_("Kampung KB in the register"), part_label=_("With trained cadres"),
        legend_step=150, right_pad=40, number=fmt_number),
        [(d.district, d.kampung_kb, d.covered) for d in lines], top)


def _charts(doc: CoverageDoc) -> list[Flowable]:
    if not doc.districts:
        return []
    top = max(d.kampung_kb for d in doc.districts)
    drawings = [_chart(doc.districts[i:i + _CHART_ROWS], top)
                for i in range(0, len(doc.districts), _CHART_ROWS)]
    return [KeepTogether([_p(_("Kampung KB with trained cadres per kecamatan"), _ST_H2),
                          drawings[0]]), *drawings[1:]]


def _uncovered(doc: CoverageDoc) -> list[Flowable]:
    title = _p(_("Kampung KB where nobody has been trained yet"), _ST_H2)
    if not doc.uncovered:
        return [title, _p(_("Every Kampung KB of the register has trained cadres."),
                          _ST_NOTE)]
    rows: list[list[Any]] = [[
        _p(_("No."), _ST_HEAD_NUM), _p(_("Kampung KB"), _ST_HEAD),
        _p(_("Kelurahan/Desa"), _ST_HEAD), _p(_("Kecamatan"), _ST_HEAD),
        _p(_("Poktan it runs"), _ST_HEAD)]]
    for n, line in enumerate(doc.uncovered, start=1):
        rows.append([_n(n), _p(line.name), _p(line.village), _p(line.district),
                     _p(", ".join(line.poktan) or "–")])
    widths = [1.1 * cm, 8.2 * cm, 6.0 * cm, 5.6 * cm, _W - 20.9 * cm]
    return [CondPageBreak(3 * cm), title, grid_table(rows, widths)]


def render_coverage_pdf(doc: CoverageDoc) -> bytes:
    """The coverage as A4 landscape PDF bytes (equal input, equal bytes)."""
    buf = io.BytesIO()
    # Outside the f-strings: Babel's extractor does not look into f-strings.
    title = _("Kampung KB coverage")
    printed = _("Printed on {date}", date=fmt_date(doc.printed_on))
    pdf = SimpleDocTemplate(
        buf, pagesize=landscape(A4), leftMargin=_MARGIN - _PAD, rightMargin=_MARGIN - _PAD,
        topMargin=1.3 * cm - _PAD, bottomMargin=2 * cm - _PAD,
        title=f"{title} – {doc.organization}", author=doc.organization, creator="Bimtek",
        invariant=1)
    story: list[Flowable] = [*_header(doc), *_summary(doc)]
    if doc.districts:
        story += [*_districts(doc), *_charts(doc)]
    else:
        story.append(_p(_("The register is empty."), _ST_NOTE))
    story += _uncovered(doc)
    maker = functools.partial(
        NumberedCanvas, left=f"{title} · {doc.organization} · {printed}",
        page_fmt=_("Page {page} of {total}"), font=SANS, size=7.5, margin=_MARGIN)
    pdf.build(story, canvasmaker=maker)
    return buf.getvalue()

