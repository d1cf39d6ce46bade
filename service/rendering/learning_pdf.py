"""The learning results' section of the activity report PDF: pre-test and post-test
means, the gain, who passed, per batch with a bar chart, and the hardest questions.

Pure: `LearningFigures` (defined here; service.services.assessments.report builds it) in,
reportlab flowables out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from service.i18n import gettext as _
from service.i18n.formats import fmt_percent
from service.rendering.office_pdf import INK, grid_table
from service.rendering.pdf_bars import PairedBars, paired_bars
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
class BatchDistribution:
    """How many of a batch scored in each band of ten points (0-9 ... 90-100)."""

    name: str
    pre: list[int]
    post: list[int]


@dataclass(frozen=True)
class PersonGain:
    name: str
    batch: str
    pretest: int | None
    posttest: int | None

    @property
    def gain(self) -> int | None:
        if self.pretest is None or self.posttest is None:
            return None
        return self.posttest - self.pretest


@dataclass(frozen=True)
class LearningFigures:
    overall: LearningRow
    pretest_sheets: int
    posttest_sheets: int
    pass_score: int | None
    by_batch: list[LearningRow]
    by_category: list[LearningRow]
    hardest: list[HardQuestion]  # of the post-test (else the pre-test), hardest first
    # The charts (services/learning_charts): per batch, the scores in bands of ten; each
    # person's pre-test, post-test and gain (by batch and name).
    distributions: list[BatchDistribution] = field(default_factory=list)
    people: list[PersonGain] = field(default_factory=list)


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


_BANDS = tuple(f"{lo}–{lo + 9 if lo < 90 else 100}" for lo in range(0, 100, 10))
_UP = colors.HexColor("#1f6f5c")
_DOWN = colors.HexColor("#b42318")
_AXIS = colors.HexColor("#666666")


def _distributions(found: Sequence[BatchDistribution], width: float) -> list[Flowable]:
    """Per batch, how the scores spread over bands of ten, pre-test against post-test:
    two batches side by side, on one scale (pdf_bars' paired bars)."""
    top = max((n for d in found for n in (*d.pre, *d.post)), default=0)
    cell = (width - 0.4 * cm) / 2
    spec = PairedBars(width=cell, label_w=38, whole=_POST, part=_PRE,
                      whole_label=_("Post-test"), part_label=_("Pre-test"), legend_step=70)
    cells: list[list[Flowable]] = []
    for d in found:
        rows = [(band, post, pre) for band, pre, post in zip(_BANDS, d.pre, d.post,
                                                             strict=True)]
        # The top band first, as a histogram turned on its side reads.
        cells.append([Paragraph(escape(d.name), _HEAD),
                      paired_bars(spec, list(reversed(rows)), top)])
    grid: list[list[object]] = [[*cells[i:i + 2], *([""] if i + 1 == len(cells) else [])]
                                for i in range(0, len(cells), 2)]
    table = Table(grid, colWidths=[cell + 0.2 * cm] * 2)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    heading = Paragraph(_("Distribution of scores per batch (people per band of 10 "
                          "points)"), _H3)
    return [KeepTogether([heading, table])]


def _gain_chart(people: Sequence[PersonGain], width: float) -> Drawing:
    """Each person's gain as one bar, the largest first: above the line gained, below
    it lost; with the count of each."""
    gains = sorted((g for g in (p.gain for p in people) if g is not None), reverse=True)
    height, left, pad = 150.0, 26.0, 8.0
    drawing = Drawing(width, height)
    lowest = min(gains, default=0)
    top = 10 * math.ceil(max(max(gains, default=0), 1) / 10)  # up to the next ten
    bottom = -10 * math.ceil(-lowest / 10) if lowest < 0 else 0
    scale = (height - 2 * pad - 12) / (top - bottom)
    zero = pad + -bottom * scale
    step = (width - left) / max(len(gains), 1)
    for i, g in enumerate(gains):
        h = g * scale
        drawing.add(Rect(left + i * step, zero if h >= 0 else zero + h,
                         max(step * 0.8, 0.3), abs(h) or 0.4,
                         fillColor=_UP if g >= 0 else _DOWN, strokeColor=None))
    drawing.add(Line(left, zero, width, zero, strokeColor=_AXIS, strokeWidth=0.6))
    for value in (top, 0) + ((bottom,) if bottom else ()):
        y = zero + value * scale
        drawing.add(String(left - 3, y - 2.5, f"{value:+d}" if value else "0",
                           fontName=SANS, fontSize=7, textAnchor="end", fillColor=_AXIS))
    up = sum(1 for g in gains if g > 0)
    same = sum(1 for g in gains if g == 0)
    down = sum(1 for g in gains if g < 0)
    drawing.add(String(left, height - 8, _("{up} gained, {same} the same, {down} lost",
                                           up=up, same=same, down=down),
                       fontName=SANS, fontSize=8, fillColor=INK))
    return drawing


def _people_table(people: Sequence[PersonGain], width: float) -> Table:
    head = [Paragraph(_("Name"), _HEAD), Paragraph(_("Batch"), _HEAD),
            Paragraph(_("Pre-test"), _HEAD), Paragraph(_("Post-test"), _HEAD),
            Paragraph(_("Gain"), _HEAD)]
    rows: list[list[object]] = [head]
    for p in people:
        rows.append([Paragraph(escape(p.name), _CELL), Paragraph(escape(p.batch), _CELL),
                     Paragraph("—" if p.pretest is None else str(p.pretest), _NUM),
                     Paragraph("—" if p.posttest is None else str(p.posttest), _NUM),
                     Paragraph("—" if p.gain is None else f"{p.gain:+d}", _NUM)])
    return grid_table(rows, [width - 11.5 * cm, 3.5 * cm, 2.5 * cm, 2.5 * cm, 3 * cm])


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
    if f.distributions:
        out += _distributions(f.distributions, width)
    if any(p.gain is not None for p in f.people):
        out.append(KeepTogether([Paragraph(_("Gain per person, from the pre-test to the "
                                             "post-test"), _H3),
                                 _gain_chart(f.people, width)]))
    if f.hardest:
        rows: list[list[object]] = [[Paragraph(_("Hardest questions"), _HEAD),
                                     Paragraph(_("Right"), _HEAD)]]
        rows += [[Paragraph(escape(f"{q.position}. {q.text}"), _CELL),
                  Paragraph(fmt_percent(q.share_right), _NUM)] for q in f.hardest]
        out.append(KeepTogether([Paragraph(_("Hardest questions"), _H3),
                                 grid_table(rows, [width - 2.5 * cm, 2.5 * cm])]))
    if f.people:
        out += [Paragraph(_("Scores per person"), _H3), _people_table(f.people, width)]
    return out
