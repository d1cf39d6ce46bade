"""Paired horizontal bars in an office's PDF: for each row a larger figure (registered,
Kampung KB in the register) with the part of it that counts (attended, with trained
cadres), the first row on top, a legend above. The activity report and the coverage
export draw the same chart; this is the one place it is drawn."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors

from service.rendering.pdf_sheet import clip
from service.rendering.sans_font import SANS

GRID = colors.HexColor("#666666")
ROW_H = 17  # points per row (two bars side by side)


@dataclass(frozen=True)
class PairedBars:
    width: float  # of the drawing
    label_w: float  # the row labels' column
    whole: colors.Color  # the larger figure's bar
    part: colors.Color  # the part's bar
    whole_label: str
    part_label: str
    legend_step: float = 110  # between the legend's two entries
    right_pad: float = 30  # room for the last bar's figure
    number: Callable[[int], str] = str


def legend(items: list[tuple[colors.Color, str]], x: float, y: float,
           step: float = 110) -> Legend:
    out = Legend()
    out.x, out.y = x, y
    out.alignment = "right"
    out.fontName, out.fontSize = SANS, 8
    out.boxAnchor = "nw"
    out.columnMaximum = 1
    out.deltax = step
    out.dx = out.dy = 8
    out.colorNamePairs = items
    return out


def paired_bars(spec: PairedBars, rows: Sequence[tuple[str, int, int]], top: int) -> Drawing:
    """One drawing of `rows` (label, whole, part); `top`: the largest whole of every
    drawing of the chart, so continued drawings share one scale."""
    part = list(reversed(rows))  # the chart lists categories bottom-up
    chart_h = ROW_H * len(part)
    height = chart_h + 42
    drawing = Drawing(spec.width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = spec.label_w, 18
    chart.width, chart.height = spec.width - spec.label_w - spec.right_pad, chart_h
    # Within a row the chart stacks its series bottom-up: the whole goes on top.
    chart.data = [[p for _l, _w, p in part], [w for _l, w, _p in part]]
    chart.categoryAxis.categoryNames = [clip(label, SANS, 7.5, spec.label_w - 8)
                                        for label, _w, _p in part]
    chart.categoryAxis.labels.fontName = SANS
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = GRID
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(top, 1) * 1.12
    chart.valueAxis.visible = 0
    chart.bars[0].fillColor = spec.part
    chart.bars[1].fillColor = spec.whole
    chart.bars.strokeColor = None
    chart.barSpacing = 0.5
    chart.groupSpacing = 3
    chart.barLabelFormat = spec.number
    chart.barLabels.fontName = SANS
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    drawing.add(chart)
    drawing.add(legend([(spec.whole, spec.whole_label), (spec.part, spec.part_label)],
                       spec.label_w, height - 4, spec.legend_step))
    return drawing
