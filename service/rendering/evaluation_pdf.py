"""A narasumber's evaluation summary as an A4 portrait PDF: per session they taught, how
many answered of how many, the mean of each item, how many gave each score, and the
comments, without a name. The office's letterhead, as its other documents have.

Pure: an `EvaluationSummaryDoc` (defined here; service.services.evaluations.results
builds it) in, PDF bytes out.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import date, time
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from service.i18n import get_locale, gettext
from service.i18n.formats import fmt_date, fmt_range, fmt_time
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
class SummaryItem:
    text: str
    mean: float | None
    counts: list[int]  # counts[n - 1]: how many gave n


@dataclass(frozen=True)
class SummarySection:
    title: str
    batch: str
    day: date
    start: time
    end: time
    speakers: list[str]
    expected: int
    responses: int
    shown: bool
    mean: float | None
    scale: int
    items: list[SummaryItem]
    comments: list[str]


@dataclass(frozen=True)
class EvaluationSummaryDoc:
    organization: str
    organization_city: str | None
    logo_png: bytes | None
    training: str
    start_date: date
    end_date: date
    speaker: str
    institution: str | None
    form_title: str
    min_shown: int
    sections: list[SummarySection]
    printed_on: date


_PAGE_W, _PAGE_H = A4
_MARGIN = 2 * cm
_PAD = 6
_W = _PAGE_W - 2 * _MARGIN


_style = paragraph_style
_ST_ORG, _ST_CITY = ORG_STYLE, CITY_STYLE
_ST_TITLE = _style("title", fontName=SANS_BOLD, fontSize=15, leading=19, alignment=TA_CENTER,
                   spaceBefore=8, spaceAfter=4)
_ST_SUB = _style("sub", fontSize=10, leading=13, alignment=TA_CENTER, spaceAfter=8)
_ST_H2 = _style("h2", fontName=SANS_BOLD, fontSize=11, leading=14, spaceBefore=12,
                spaceAfter=3)
_ST_CELL = _style("cell", fontSize=8.5, leading=10.5)
_ST_NUM = _style("num", fontSize=8.5, leading=10.5, alignment=TA_RIGHT)
_ST_HEAD = _style("head", fontName=SANS_BOLD, fontSize=8.5, leading=10.5)
_ST_HEAD_NUM = _style("headnum", fontName=SANS_BOLD, fontSize=8.5, leading=10.5,
                      alignment=TA_RIGHT)
_ST_BOLD_NUM = _style("boldnum", fontName=SANS_BOLD, fontSize=8.5, leading=10.5,
                      alignment=TA_RIGHT)
_ST_META = _style("meta", fontSize=8.5, leading=11, textColor=colors.HexColor("#444444"),
                  spaceAfter=4)
_ST_NOTE = _style("note", fontName=SANS_ITALIC, fontSize=8.5, leading=11,
                  textColor=colors.HexColor("#444444"))
_ST_COMMENT = _style("comment", fontSize=8.5, leading=11, leftIndent=10, bulletIndent=0,
                     spaceAfter=2)


def _p(text: str, style: ParagraphStyle = _ST_CELL) -> Paragraph:
    """User text as a Paragraph: escaped, since Paragraph reads mini-HTML."""
    return Paragraph(escape(text), style)


def fmt_mean(value: float | None) -> str:
    """A mean score with two decimals (4,25 in Indonesian, 4.25 in English); – for none."""
    if value is None:
        return "–"
    text = f"{value:.2f}"
    return text.replace(".", ",") if get_locale() == "id" else text


def _scores_table(s: SummarySection) -> Flowable:
    head = [_p(_("Item"), _ST_HEAD), _p(_("Mean"), _ST_HEAD_NUM)]
    head += [_p(str(n), _ST_HEAD_NUM) for n in range(1, s.scale + 1)]
    rows: list[list[Any]] = [head]
    for item in s.items:
        counts = item.counts or [0] * s.scale
        rows.append([_p(item.text), _p(fmt_mean(item.mean), _ST_NUM),
                     *[_p(str(c), _ST_NUM) for c in counts]])
    rows.append([_p(_("All items"), _ST_HEAD), _p(fmt_mean(s.mean), _ST_BOLD_NUM),
                 *[""] * s.scale])
    score_w = 1.1 * cm
    widths = [_W - 2.2 * cm - s.scale * score_w, 2.2 * cm, *[score_w] * s.scale]
    return grid_table(rows, widths, total_rows=1)


def _section(doc: EvaluationSummaryDoc, s: SummarySection) -> list[Flowable]:
    when = f"{fmt_date(s.day, weekday=True)}, {fmt_time(s.start)}–{fmt_time(s.end)}"
    answered = _("{n} of {total} participants answered", n=s.responses, total=s.expected)
    meta = " · ".join(part for part in (s.batch, when, answered) if part)
    out: list[Flowable] = [_p(s.title, _ST_H2), _p(meta, _ST_META)]
    if len(s.speakers) > 1:
        out.append(_p(_("Taught together by: {names}", names="; ".join(s.speakers)),
                      _ST_META))
    if not s.shown:
        return [KeepTogether([*out, _p(_(
            "Fewer than {n} answers: the scores are held back, so that no single answer "
            "can be recognised.", n=doc.min_shown), _ST_NOTE)])]
    out.append(_scores_table(s))
    head = KeepTogether(out)
    comments: list[Flowable] = [_p(_("Comments"), _ST_HEAD)] if s.comments else []
    comments += [Paragraph(escape(c), _ST_COMMENT, bulletText="–") for c in s.comments]
    return [head, Spacer(1, 4), *comments]


def render_evaluation_summary_pdf(doc: EvaluationSummaryDoc) -> bytes:
    """The summary as A4 portrait PDF bytes (equal input, equal bytes)."""
    buf = io.BytesIO()
    title = _("Evaluation of the narasumber")
    pdf = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=_MARGIN - _PAD, rightMargin=_MARGIN - _PAD,
        topMargin=1.6 * cm - _PAD, bottomMargin=_MARGIN - _PAD,
        title=f"{title} – {doc.speaker}", author=doc.organization, creator="Bimtek",
        invariant=1)
    city = _p(doc.organization_city, _ST_CITY) if doc.organization_city else None
    who = doc.speaker + (f" · {doc.institution}" if doc.institution else "")
    story: list[Flowable] = [
        *letterhead(_p(doc.organization.upper(), _ST_ORG), city, doc.logo_png, _W),
        _p(doc.form_title.upper(), _ST_TITLE),
        _p(f"{doc.training} · {fmt_range(doc.start_date, doc.end_date)}", _ST_SUB),
        _p(_("Narasumber: {name}", name=who), _ST_H2),
        _p(_("Answers are anonymous: the committee keeps no link between an answer and the "
             "participant who gave it. Scores from 1 (poor) to {scale} (very good); the "
             "numbered columns count how many gave each score.",
             scale=max((s.scale for s in doc.sections), default=5)), _ST_NOTE)]
    if not doc.sections:
        story.append(_p(_("No session of yours is evaluated in this training."), _ST_NOTE))
    for section in doc.sections:
        story += _section(doc, section)
    story += [Spacer(1, 10), _p(_("Printed on {date}", date=fmt_date(doc.printed_on)),
                                _ST_META)]
    maker = functools.partial(
        NumberedCanvas, left=f"{title} · {doc.speaker}",
        page_fmt=_("Page {page} of {total}"), font=SANS, size=7.5, margin=_MARGIN)
    pdf.build(story, canvasmaker=maker)
    return buf.getvalue()
