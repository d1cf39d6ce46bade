"""The minutes of a meeting (notulen rapat) as an A4 PDF: the office's letterhead, the
meeting's title, day, place, chair and note-taker, the attendance by unit, the presenters,
the minutes' text, the decisions numbered, the follow-up actions (this meeting's and the
earlier meetings' still open), and the signatures of the chair and the note-taker."""

import functools
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
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

from service.i18n import gettext as _
from service.i18n.formats import fmt_date
from service.rendering.numbered_canvas import NumberedCanvas
from service.rendering.office_pdf import (
    CITY_STYLE,
    ORG_STYLE,
    grid_table,
    letterhead,
    paragraph_style,
)
from service.rendering.sans_font import SANS, SANS_BOLD

_MARGIN = 2.0 * cm
_W = A4[0] - 2 * _MARGIN


@dataclass(frozen=True)
class Person:
    name: str
    detail: str = ""  # jabatan or institution


@dataclass(frozen=True)
class AttendanceGroup:
    name: str  # the unit or institution
    people: list[Person]


@dataclass(frozen=True)
class PresenterLine:
    unit: str
    name: str
    topic: str
    when: str


@dataclass(frozen=True)
class ActionLine:
    title: str
    unit: str
    owner: str
    due: date
    status: str  # already in the document's language
    meeting: str = ""  # the meeting it came from (carried-over actions)
    note: str = ""


@dataclass(frozen=True)
class Signatory:
    role: str  # "Pimpinan Rapat", "Notulis"
    name: str
    nip: str = ""
    position: str = ""


@dataclass
class MinutesDoc:
    organization: str
    organization_city: str
    logo_png: bytes | None
    title: str
    held_on: date
    place: str
    chair: Signatory
    note_taker: Signatory
    text: str
    decisions: list[str]
    actions: list[ActionLine]
    carried: list[ActionLine] = field(default_factory=list)
    attendance: list[AttendanceGroup] = field(default_factory=list)
    present_count: int = 0
    presenters: list[PresenterLine] | None = None  # None: the meeting has no presenters model


_ST_TITLE = paragraph_style("mtitle", fontName=SANS_BOLD, fontSize=14, leading=18,
                            alignment=TA_CENTER, spaceBefore=8)
_ST_SUB = paragraph_style("msub", fontName=SANS_BOLD, fontSize=11.5, leading=15,
                          alignment=TA_CENTER, spaceBefore=2, spaceAfter=6)
_ST_H2 = paragraph_style("mh2", fontName=SANS_BOLD, fontSize=10.5, leading=14, spaceBefore=10,
                         spaceAfter=4)
_ST_BODY = paragraph_style("mbody", fontSize=9.5, leading=13, spaceAfter=3)
_ST_CELL = paragraph_style("mcell", fontSize=8.5, leading=10.5)
_ST_HEAD = paragraph_style("mhead", fontName=SANS_BOLD, fontSize=8.5, leading=10.5)
_ST_META = paragraph_style("mmeta", fontSize=9.5, leading=13)
_ST_NOTE = paragraph_style("mnote", fontSize=8.5, leading=11, textColor="#555555")
_ST_SIGN = paragraph_style("msign", fontSize=10, leading=13, alignment=TA_CENTER)
_ST_SIGN_NAME = paragraph_style("msignname", fontName=SANS_BOLD, fontSize=10, leading=13,
                                alignment=TA_CENTER)


def _p(text: str, style: Any = _ST_CELL) -> Paragraph:
    """User text as a Paragraph: escaped (Paragraph reads mini-HTML), line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _header(d: MinutesDoc) -> list[Flowable]:
    city = _p(d.organization_city, CITY_STYLE) if d.organization_city else None
    out = letterhead(_p(d.organization.upper(), ORG_STYLE), city, d.logo_png, _W)
    out += [_p(_("MINUTES OF THE MEETING"), _ST_TITLE), _p(d.title, _ST_SUB)]
    rows = [[_p(_("Day, date"), _ST_META), _p(":", _ST_META),
             _p(fmt_date(d.held_on, weekday=True), _ST_META)],
            [_p(_("Venue"), _ST_META), _p(":", _ST_META), _p(d.place or "-", _ST_META)],
            [_p(_("Chair"), _ST_META), _p(":", _ST_META), _p(d.chair.name or "-", _ST_META)],
            [_p(_("Note-taker"), _ST_META), _p(":", _ST_META),
             _p(d.note_taker.name or "-", _ST_META)],
            [_p(_("Attendance"), _ST_META), _p(":", _ST_META),
             _p(_("{n} present", n=d.present_count), _ST_META)]]
    table = Table(rows, colWidths=[3.2 * cm, 0.4 * cm, _W - 3.6 * cm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return [*out, table]


def _attendance(d: MinutesDoc, n: str) -> list[Flowable]:
    head = _p(_("{n}. Attendance", n=n), _ST_H2)
    if not d.attendance:
        return [head, _p(_("No attendance was recorded."), _ST_NOTE)]
    rows: list[list[Any]] = [[_p(_("No."), _ST_HEAD), _p(_("Name"), _ST_HEAD),
                              _p(_("Position"), _ST_HEAD)]]
    spans: list[tuple[Any, ...]] = []
    number = 0
    for group in d.attendance:
        spans += [("SPAN", (0, len(rows)), (-1, len(rows))),
                  ("BACKGROUND", (0, len(rows)), (-1, len(rows)), "#f2f4f7")]
        rows.append([_p(f"{group.name} ({len(group.people)})", _ST_HEAD), "", ""])
        for person in group.people:
            number += 1
            rows.append([_p(str(number)), _p(person.name), _p(person.detail)])
    return [head, grid_table(rows, [1.0 * cm, 8.0 * cm, _W - 9.0 * cm], extra=spans)]


def _presenters(d: MinutesDoc, n: str) -> list[Flowable]:
    rows: list[list[Any]] = [[_p(_("Time"), _ST_HEAD), _p(_("Unit"), _ST_HEAD),
                              _p(_("Presenter"), _ST_HEAD), _p(_("Topic"), _ST_HEAD)]]
    rows += [[_p(p.when), _p(p.unit), _p(p.name), _p(p.topic)] for p in d.presenters or []]
    return [_p(_("{n}. Presentations", n=n), _ST_H2),
            grid_table(rows, [3.0 * cm, 4.2 * cm, 4.2 * cm, _W - 11.4 * cm])]


def _text(d: MinutesDoc, n: str) -> list[Flowable]:
    out: list[Flowable] = [_p(_("{n}. Discussion", n=n), _ST_H2)]
    paragraphs = [p for p in d.text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    if not paragraphs:
        return [*out, _p(_("Nothing was written."), _ST_NOTE)]
    return out + [_p(p.strip("\n"), _ST_BODY) for p in paragraphs]


def _decisions(d: MinutesDoc, n: str) -> list[Flowable]:
    head = _p(_("{n}. Decisions", n=n), _ST_H2)
    if not d.decisions:
        return [head, _p(_("No decisions were recorded."), _ST_NOTE)]
    rows = [[_p(f"{i}.", _ST_BODY), _p(text, _ST_BODY)]
            for i, text in enumerate(d.decisions, start=1)]
    table = Table(rows, colWidths=[0.9 * cm, _W - 0.9 * cm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [head, table]


def _action_table(lines: list[ActionLine], with_meeting: bool) -> Table:
    head = [_p(_("No."), _ST_HEAD), _p(_("Action"), _ST_HEAD), _p(_("Unit"), _ST_HEAD),
            _p(_("Person"), _ST_HEAD), _p(_("Due"), _ST_HEAD), _p(_("Status"), _ST_HEAD)]
    rows: list[list[Any]] = [head]
    for i, a in enumerate(lines, start=1):
        what = a.title + (f"\n({a.meeting})" if with_meeting and a.meeting else "") \
            + (f"\n{a.note}" if a.note else "")
        rows.append([_p(str(i)), _p(what), _p(a.unit or "-"), _p(a.owner or "-"),
                     _p(fmt_date(a.due)), _p(a.status)])
    return grid_table(rows, [0.9 * cm, _W - 12.4 * cm, 3.6 * cm, 3.0 * cm, 2.6 * cm,
                             2.3 * cm])


def _actions(d: MinutesDoc, n: str) -> list[Flowable]:
    out: list[Flowable] = [_p(_("{n}. Follow-up actions", n=n), _ST_H2)]
    out.append(_action_table(d.actions, False) if d.actions
               else _p(_("No follow-up actions were agreed."), _ST_NOTE))
    if d.carried:
        out += [Spacer(1, 6), _p(_("Follow-up of earlier meetings still open"), _ST_HEAD),
                Spacer(1, 3), _action_table(d.carried, True)]
    return out


def _signature(d: MinutesDoc) -> Flowable:
    def block(s: Signatory) -> list[Flowable]:
        return [_p(s.role, _ST_SIGN), _p(s.position, _ST_SIGN) if s.position else Spacer(1, 13),
                Spacer(1, 1.9 * cm),
                _p(s.name or "(" + "." * 40 + ")", _ST_SIGN_NAME if s.name else _ST_SIGN),
                _p(f"NIP. {s.nip}" if s.nip else "", _ST_SIGN)]

    place = f"{d.place}, " if d.place else ""
    when = _p(f"{place}{fmt_date(d.held_on)}", _ST_SIGN)
    table = Table([["", when], [block(d.note_taker), block(d.chair)]],
                  colWidths=[_W / 2, _W / 2], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 16), table])


def render_minutes_pdf(d: MinutesDoc) -> bytes:
    """The minutes as A4 portrait PDF bytes (equal input, equal bytes)."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN,
                            topMargin=1.6 * cm, bottomMargin=_MARGIN,
                            title=f"{_('Minutes')} – {d.title}", author=d.organization,
                            creator="Bimtek", invariant=1)
    sections = [_attendance]
    if d.presenters:
        sections.append(_presenters)
    sections += [_text, _decisions, _actions]
    story: list[Flowable] = [*_header(d)]
    for i, section in enumerate(sections):
        story += section(d, "ABCDEFG"[i])
    story.append(_signature(d))
    maker = functools.partial(NumberedCanvas, left=f"{_('Minutes')} · {d.title}",
                              page_fmt=_("Page {page} of {total}"), font=SANS, size=7.5,
                              margin=_MARGIN)
    doc.build(story, canvasmaker=maker)
    return buf.getvalue()
