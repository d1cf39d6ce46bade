"""The learning results' section of the activity report PDF: pre-test and post-test
means, the gain, who passed, per batch with a bar chart, and the hardest questions.

Pure: `LearningFigures` (defined here; service.services.assessments.report builds it) in,
reportlab flowables out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from service.i18n import gettext as _
from service.i18n.formats import fmt_percent
from service.rendering.office_pdf import INK, grid_table
from service.rendering.pdf_sheet import clip
from service.rendering.sans_font import SANS, SANS_BOLD

_PRE = colors.HexColor("#8aa2bd")
_POST = colors.HexColor("#1f6f5c")


@dataclass(frozen=True)
class LearningRow:
    name: str
    pretest: float | None
    posttest: float | None
    gain: float | None
    passed: int | None


@dataclass(frozen=True)
class HardQuestion:
    position: int
    text: str
    share_right: float


@dataclass(frozen=True)
class LearningFigures:
    overall: LearningRow
    pretest_sheets: int
    posttest_sheets: int
    pass_score: int | None
    by_batch: list[LearningRow]
    by_category: list[LearningRow]
    hardest: list[HardQuestion]  # of the post-test (else the pre-test), hardest first


_CELL = ParagraphStyle("lcell", fontName=SANS, fontSize=8.5, leading=10.5, textColor=INK)
_HEAD = ParagraphStyle("lhead", parent=_CELL, fontName=SANS_BOLD)
_NUM = ParagraphStyle("lnum", parent=_CELL, alignment=TA_RIGHT)
_H2 = ParagraphStyle("lh2", parent=_CELL, fontName=SANS_BOLD, fontSize=11, leading=14,
                     spaceBefore=12, spaceAfter=5)
_H3 = ParagraphStyle("lh3", parent=_CELL, fontName=SANS_BOLD, fontSize=9.5, leading=12,
                     spaceBefore=8, spaceAfter=3)


def _score(value: float | None, signed: bool = False) -> Paragraph:
    text = "—" if value is None else (f"{value:+.1f}" if signed else f"{value:.1f}")
    return Paragraph(text.replace(".", ","), _NUM)


def _rows(rows: Sequence[LearningRow], rule: bool, first: str) -> list[list[object]]:
    head = [Paragraph(escape(first), _HEAD), Paragraph(_("Pre-test"), _HEAD),
            Paragraph(_("Post-test"), _HEAD), Paragraph(_("Gain"), _HEAD)]
    if rule:
        head.append(Paragraph(_("Passed"), _HEAD))
    out: list[list[object]] = [head]
    for r in rows:
        line: list[object] = [Paragraph(escape(r.name), _CELL), _score(r.pretest),
                              _score(r.posttest), _score(r.gain, True)]
        if rule:
            line.append(Paragraph(str(r.passed or 0), _NUM))
        out.append(line)
    return out


def _chart(rows: Sequence[LearningRow], width: float) -> Drawing:
    drawing = Drawing(width, 150)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 30, width - 40, 95
    chart.data = [[r.pretest or 0 for r in rows], [r.posttest or 0 for r in rows]]
    chart.categoryAxis.categoryNames = [clip(r.name, SANS, 7, 80) for r in rows]
    chart.categoryAxis.labels.fontName = SANS
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.valueAxis.labels.fontName = SANS
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor, chart.bars[1].fillColor = _PRE, _POST
    chart.bars.strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 30, 148
    legend.fontName, legend.fontSize = SANS, 8
    legend.alignment, legend.boxAnchor, legend.columnMaximum, legend.deltax = \
        "right", "nw", 1, 90
    legend.colorNamePairs = [(_PRE, _("Pre-test")), (_POST, _("Post-test"))]
    drawing.add(legend)
    return drawing


def learning_section(f: LearningFigures | None, width: float, heading: str) -> list[Flowable]:
    """The section, or nothing for a training without answered tests."""
    if f is None:
        return []
    rule = f.pass_score is not None
    summary = [[Paragraph(_("Answer sheets"), _HEAD),
                Paragraph(f"{f.pretest_sheets} / {f.posttest_sheets}", _NUM)],
               [Paragraph(_("Pre-test mean"), _HEAD), _score(f.overall.pretest)],
               [Paragraph(_("Post-test mean"), _HEAD), _score(f.overall.posttest)],
               [Paragraph(_("Mean gain per person"), _HEAD), _score(f.overall.gain, True)]]
    if rule:
        summary.append([Paragraph(_("Passed (post-test ≥ {n})", n=f.pass_score), _HEAD),
                        Paragraph(str(f.overall.passed or 0), _NUM)])
    out: list[Flowable] = [KeepTogether([Paragraph(escape(heading), _H2),
                                         grid_table(summary, [7 * cm, 3 * cm])])]
    cols = [width - (13 if rule else 10.5) * cm, 2.5 * cm, 2.5 * cm, 2.5 * cm] + \
        ([2.5 * cm] if rule else [])
    if f.by_batch:
        out.append(KeepTogether([Paragraph(_("Per batch"), _H3),
                                 grid_table(_rows(f.by_batch, rule, _("Batch")), cols),
                                 _chart(f.by_batch, width)]))
    if f.by_category:
        out.append(KeepTogether([Paragraph(_("Per category"), _H3),
                                 grid_table(_rows(f.by_category, rule, _("Category")), cols)]))
    if f.hardest:
        rows: list[list[object]] = [[Paragraph(_("Hardest questions"), _HEAD),
                                     Paragraph(_("Right"), _HEAD)]]
        rows += [[Paragraph(escape(f"{q.position}. {q.text}"), _CELL),
                  Paragraph(fmt_percent(q.share_right), _NUM)] for q in f.hardest]
        out.append(KeepTogether([Paragraph(_("Hardest questions"), _H3),
                                 grid_table(rows, [width - 2.5 * cm, 2.5 * cm])]))
    return out
