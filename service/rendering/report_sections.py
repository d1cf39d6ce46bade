"""The activity report's sections the committee writes or adds (issue 15): background and
objectives, the evaluation summary, photos of the sessions, conclusions and follow-up
(RTL). Their input types, and their PDF flowables; the DOCX renderer reads the same types.

Pure: plain dataclasses in (service.services.report_texts, report_photos and
report_evaluation build them), reportlab flowables out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, Image, Paragraph, Table, TableStyle

from service.i18n import gettext as _
from service.i18n.formats import fmt_date
from service.rendering.office_pdf import INK, grid_table
from service.rendering.sans_font import SANS, SANS_BOLD, SANS_ITALIC


@dataclass(frozen=True)
class ReportTexts:
    """What the committee wrote; a blank field prints its default (already filled in by
    the service) or, for conclusions and RTL, a line saying nothing was written."""

    background: str = ""
    objectives: str = ""
    conclusions: str = ""
    follow_up: str = ""  # rencana tindak lanjut (RTL)
    saved: bool = False  # written by the committee (else every text is a default)


@dataclass(frozen=True)
class ReportPhotoItem:
    caption: str
    taken_on: date
    session: str | None  # the session's title, if the committee linked one
    jpeg: bytes  # already upright, resized and without EXIF
    width: int
    height: int


@dataclass(frozen=True)
class EvaluationMean:
    text: str
    mean: float | None


@dataclass(frozen=True)
class EvaluationBlock:
    """One evaluated form: the event, or one session with its narasumber. Below the
    minimum of answers `shown` is False and only the count is printed."""

    title: str
    detail: str  # "Angkatan I · Dr. Siti Rahma" (empty for the event)
    responses: int
    expected: int
    shown: bool
    mean: float | None
    items: list[EvaluationMean] = field(default_factory=list)


@dataclass(frozen=True)
class EvaluationFigures:
    scale: int
    min_shown: int
    event: EvaluationBlock | None
    sessions: list[EvaluationBlock]
    # The narasumber form's items over every session whose results are shown.
    session_items: list[EvaluationMean] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.sessions and (self.event is None or not self.event.responses)


def fmt_mean(value: float | None) -> str:
    """A mean as offices write it: one decimal, a decimal comma; a dash for none."""
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs: blank lines part them, single line breaks stay."""
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


# --- PDF ---------------------------------------------------------------------------------

_BODY = ParagraphStyle("rbody", fontName=SANS, fontSize=10, leading=14, textColor=INK,
                       spaceAfter=5)
_CELL = ParagraphStyle("rcell", fontName=SANS, fontSize=8.5, leading=10.5, textColor=INK)
_HEAD = ParagraphStyle("rhead", parent=_CELL, fontName=SANS_BOLD)
_NUM = ParagraphStyle("rnum", parent=_CELL, alignment=2)
_NOTE = ParagraphStyle("rnote", parent=_CELL, fontName=SANS_ITALIC, textColor="#444444")
_CAPTION = ParagraphStyle("rcaption", parent=_CELL, fontSize=8, leading=10)
_H2 = ParagraphStyle("rh2", parent=_CELL, fontName=SANS_BOLD, fontSize=11, leading=14,
                     spaceBefore=12, spaceAfter=5)
_H3 = ParagraphStyle("rh3", parent=_CELL, fontName=SANS_BOLD, fontSize=9.5, leading=12,
                     spaceBefore=8, spaceAfter=3)


def _text(text: str) -> list[Flowable]:
    return [Paragraph(escape(p).replace("\n", "<br/>"), _BODY) for p in paragraphs(text)]


def _written(text: str) -> list[Flowable]:
    return _text(text) or [Paragraph(escape(_("Not written yet.")), _NOTE)]


def opening_section(texts: ReportTexts) -> list[Flowable]:
    """Background and objectives, right after the title."""
    return [Paragraph(escape(_("Background")), _H2), *_written(texts.background),
            Paragraph(escape(_("Objectives")), _H2), *_written(texts.objectives)]


def closing_section(texts: ReportTexts, heading: str) -> list[Flowable]:
    """Conclusions and follow-up (RTL), before the signature block."""
    return [CondPageBreak(4 * cm), Paragraph(escape(heading), _H2),
            Paragraph(escape(_("Conclusions")), _H3), *_written(texts.conclusions),
            Paragraph(escape(_("Follow-up plan (RTL)")), _H3), *_written(texts.follow_up)]


def _items_table(items: list[EvaluationMean], width: float) -> Table:
    rows: list[list[object]] = [[Paragraph(escape(_("Item")), _HEAD),
                                 Paragraph(escape(_("Mean")), _NUM)]]
    rows += [[Paragraph(escape(i.text), _CELL), Paragraph(fmt_mean(i.mean), _NUM)]
             for i in items]
    return grid_table(rows, [width - 2.5 * cm, 2.5 * cm])


def evaluation_section(f: EvaluationFigures | None, width: float,
                       heading: str) -> list[Flowable]:
    """Means per item for the event, and per session with its narasumber; never a
    comment's text nor who gave it. Nothing for a training without evaluations."""
    if f is None or f.empty:
        return []
    out: list[Flowable] = [CondPageBreak(5 * cm), Paragraph(escape(heading), _H2),
                           Paragraph(escape(_("Scale 1–{scale}; results of a form with fewer "
                                               "than {n} answers are not shown.",
                                               scale=f.scale, n=f.min_shown)), _NOTE)]
    if f.event is not None and f.event.responses:
        e = f.event
        out.append(Paragraph(escape(_("Evaluation of the event ({n} answers)",
                                      n=e.responses)), _H3))
        out.append(_items_table(e.items, width) if e.shown
                   else Paragraph(escape(_("Too few answers to show.")), _NOTE))
    if f.sessions:
        rows: list[list[object]] = [[Paragraph(escape(_("Session")), _HEAD),
                                     Paragraph(escape(_("Narasumber")), _HEAD),
                                     Paragraph(escape(_("Answers")), _NUM),
                                     Paragraph(escape(_("Mean")), _NUM)]]
        rows += [[Paragraph(escape(s.title), _CELL), Paragraph(escape(s.detail), _CELL),
                  Paragraph(f"{s.responses} / {s.expected}", _NUM),
                  Paragraph(fmt_mean(s.mean) if s.shown else "—", _NUM)] for s in f.sessions]
        out += [Paragraph(escape(_("Evaluation of the sessions and narasumber")), _H3),
                grid_table(rows, [width - 10.5 * cm, 6 * cm, 2.2 * cm, 2.3 * cm])]
        if f.session_items:
            out += [Paragraph(escape(_("Per item, over every session shown")), _H3),
                    _items_table(f.session_items, width)]
    return out


def _photo_cell(photo: ReportPhotoItem, col_w: float) -> list[Flowable]:
    # At most as tall as wide: a portrait phone photo does not fill half a page.
    scale = min(col_w / photo.width, col_w * 0.75 / photo.height)
    image = Image(io.BytesIO(photo.jpeg), width=photo.width * scale,
                  height=photo.height * scale)
    caption = escape(photo.caption or "")
    when = escape(fmt_date(photo.taken_on))
    extra = f" · {escape(photo.session)}" if photo.session else ""
    return [image, Paragraph(f"{caption}<br/><font size=7>{when}{extra}</font>", _CAPTION)]


def photos_section(photos: list[ReportPhotoItem], width: float,
                   heading: str) -> list[Flowable]:
    """The photos two by two, each with its caption and the day it was taken."""
    if not photos:
        return []
    col_w = (width - 0.6 * cm) / 2
    rows = [[_photo_cell(p, col_w - 8) for p in photos[i:i + 2]]
            for i in range(0, len(photos), 2)]
    if len(rows[-1]) == 1:
        rows[-1].append([])
    table = Table(rows, colWidths=[col_w + 0.3 * cm] * 2, hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    return [CondPageBreak(8 * cm), Paragraph(escape(heading), _H2), table]
