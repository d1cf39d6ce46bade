"""A training's activity report (laporan kegiatan) as an A4 portrait PDF: the header
with the organizer, the summary, attendance per batch and day with a bar chart, the
breakdowns by category, gender, kecamatan and kabupaten/kota (tables and horizontal bar
charts), the agenda with its narasumber, the certificates, and the signature block.

Pure: an `ActivityReport` (defined here; service.services.activity_report builds it)
in, PDF bytes out; never touches the database. Words go
through gettext and numbers and dates through service.i18n.formats, so the PDF speaks
the language of the request (Indonesian by default).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from service.i18n import gettext
from service.i18n.formats import fmt_date, fmt_number, fmt_percent, fmt_range, fmt_time
from service.models.participants import GENDER_LABELS
from service.models.trainings import KIND_LABELS, TIMEZONES
from service.rendering.guests_report_sections import GuestFigures, GuestLine
from service.rendering.learning_pdf import LearningFigures, learning_section
from service.rendering.numbered_canvas import NumberedCanvas
from service.rendering.office_pdf import GRID as _GRID
from service.rendering.office_pdf import INK as _INK
from service.rendering.office_pdf import TOTAL_BG as _TOTAL_BG
from service.rendering.office_pdf import grid_table, letterhead
from service.rendering.pdf_bars import PairedBars, legend, paired_bars
from service.rendering.pdf_sheet import clip
from service.rendering.report_sections import (
    EvaluationFigures,
    ReportPhotoItem,
    ReportTexts,
    closing_section,
    evaluation_section,
    opening_section,
    photos_section,
)
from service.rendering.sans_font import SANS, SANS_BOLD, SANS_ITALIC

_ = gettext


# --- the report: built by service.services.activity_report, read here, by the page and
# by the JSON API ----------------------------------------------------------------------

def ratio(part: int, whole: int) -> float:
    """part / whole, 0 for an empty whole: an empty training never divides by zero."""
    return part / whole if whole > 0 else 0.0


@dataclass(frozen=True)
class Breakdown:
    """Registered (confirmed) and attended for one category, gender, kecamatan or
    kabupaten. name None: not filled in (gender: the code "L" or "P")."""

    name: str | None
    registered: int
    present: int

    @property
    def rate(self) -> float:
        return ratio(self.present, self.registered)


@dataclass(frozen=True)
class DayCount:
    day: date
    expected: int
    present: int
    excused: int = 0  # away with izin or sakit: not present, counted apart

    @property
    def rate(self) -> float:
        return ratio(self.present, self.expected)


@dataclass(frozen=True)
class BatchFigures:
    id: int
    name: str
    start_date: date
    end_date: date
    venue: str | None
    capacity: int
    registered: int
    days: list[DayCount]
    attended: int  # present on at least one day
    complete: int  # present on every day of the batch

    @property
    def expected_days(self) -> int:
        return self.registered * len(self.days)

    @property
    def present_days(self) -> int:
        return sum(d.present for d in self.days)

    @property
    def rate(self) -> float:
        return ratio(self.present_days, self.expected_days)


@dataclass(frozen=True)
class AgendaLine:
    date: date
    start_time: time
    end_time: time
    title: str
    kind: str
    jpl: int
    speakers: list[str]  # "Dr. Siti Rahma, M.Kes. (BKKBN Sumbar)"


@dataclass(frozen=True)
class BatchAgenda:
    batch: str
    lines: list[AgendaLine]

    @property
    def total_jpl(self) -> int:
        # A break is never a training hour, whatever was typed into it.
        return sum(line.jpl for line in self.lines if line.kind != "break")


@dataclass(frozen=True)
class SpeakerLine:
    name: str
    institution: str | None
    sessions: int
    jpl: int
    batches: list[str]


@dataclass(frozen=True)
class Signer:
    """The signature block: place and date, and who signs (the head of office). Blank
    name: a line to sign and write on; blank place or no date: the report's own."""

    name: str = ""
    nip: str = ""
    position: str = ""  # default: "Kepala" + the organization
    place: str = ""  # "Padang", printed before the date
    signed_on: date | None = None
    saved: bool = False  # set by the committee (else every value is a default)


@dataclass(frozen=True)
class ActivityReport:
    training_id: int
    organization: str
    organization_city: str | None
    logo_png: bytes | None
    title: str
    kind: str
    start_date: date
    end_date: date
    timezone: str
    checkin_mode: str
    venues: list[str]
    confirmed: int
    waitlisted: int
    cancelled: int
    batches: list[BatchFigures]
    days: list[DayCount]  # every calendar day of any batch, all batches together
    by_category: list[Breakdown]
    by_gender: list[Breakdown]
    by_district: list[Breakdown]
    by_regency: list[Breakdown]
    agenda: list[BatchAgenda]
    speakers: list[SpeakerLine]
    certificates_issued: int  # every certificate row, revoked ones included
    certificates_revoked: int
    place: str  # for the signature block (signer.place)
    report_date: date  # the signature block's date (signer.signed_on)
    unassigned: int = 0  # confirmed without a batch (cannot be expected on any day)
    # The signature block as the committee set it, with the defaults filled in.
    signer: Signer = field(default_factory=Signer)
    # Pre-test and post-test results (issue 15); None: no answered test, no section.
    learning: LearningFigures | None = None
    # What the committee writes, the evaluation summary and the photos (issue 15).
    texts: ReportTexts = field(default_factory=ReportTexts)
    evaluation: EvaluationFigures | None = None
    photos: list[ReportPhotoItem] = field(default_factory=list)
    # Invited guests, the committee and the narasumber's attendance (issue 16).
    people: GuestFigures = field(default_factory=GuestFigures)

    @property
    def attended(self) -> int:
        return sum(b.attended for b in self.batches)

    @property
    def complete(self) -> int:
        return sum(b.complete for b in self.batches)

    @property
    def expected_days(self) -> int:
        return sum(b.expected_days for b in self.batches)

    @property
    def present_days(self) -> int:
        return sum(b.present_days for b in self.batches)

    @property
    def rate(self) -> float:
        return ratio(self.present_days, self.expected_days)

    @property
    def certificates_valid(self) -> int:
        return self.certificates_issued - self.certificates_revoked

    @property
    def total_jpl(self) -> int:
        """The most JPL any batch offers (batches repeat one programme)."""
        return max((a.total_jpl for a in self.agenda), default=0)

    def in_every_batch(self, speaker: SpeakerLine) -> bool:
        """Teaches in every batch that has sessions (and there are several): printed as
        "All batches" rather than the list of four angkatan."""
        teaching = {a.batch for a in self.agenda if a.lines}
        return len(teaching) > 1 and set(speaker.batches) >= teaching



# --- fonts -------------------------------------------------------------------------------

_FONT, _BOLD, _ITALIC = SANS, SANS_BOLD, SANS_ITALIC

# --- page and styles ---------------------------------------------------------------------

_PAGE_W, _PAGE_H = A4
_MARGIN = 2 * cm
_PAD = 6  # platypus frames pad 6 pt inside their margins
_W = _PAGE_W - 2 * _MARGIN  # 17 cm of content
_REGISTERED = colors.HexColor("#b7c6d8")
_PRESENT = colors.HexColor("#1f6f5c")
_DAY_COLORS = ("#1f6f5c", "#3b8fd0", "#d08a1f", "#8a5fbf", "#c2455b", "#5f7f2f")
# A horizontal chart longer than this many rows continues in a second drawing: a
# drawing cannot split across pages, and 60 kecamatan in one would not fit on one.
_CHART_ROWS = 36


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base: dict[str, Any] = {"fontName": _FONT, "fontSize": 9, "leading": 11.5,
                            "textColor": _INK}
    return ParagraphStyle(name, **{**base, **kw})


_ST_ORG = _style("org", fontName=_BOLD, fontSize=11, leading=14, alignment=TA_CENTER)
_ST_CITY = _style("city", fontSize=9, leading=12, alignment=TA_CENTER)
_ST_TITLE = _style("title", fontName=_BOLD, fontSize=15, leading=19, alignment=TA_CENTER,
                   spaceBefore=8)
_ST_TRAINING = _style("training", fontName=_BOLD, fontSize=12, leading=15,
                      alignment=TA_CENTER, spaceBefore=2)
_ST_META = _style("meta", fontSize=9.5, leading=12.5, alignment=TA_CENTER)
_ST_H2 = _style("h2", fontName=_BOLD, fontSize=11, leading=14, spaceBefore=12, spaceAfter=5)
_ST_H3 = _style("h3", fontName=_BOLD, fontSize=9.5, leading=12, spaceBefore=8, spaceAfter=3)
_ST_CELL = _style("cell", fontSize=8.5, leading=10.5)
_ST_NUM = _style("num", fontSize=8.5, leading=10.5, alignment=TA_RIGHT)
_ST_HEAD = _style("head", fontName=_BOLD, fontSize=8.5, leading=10.5)
_ST_HEAD_NUM = _style("headnum", fontName=_BOLD, fontSize=8.5, leading=10.5,
                      alignment=TA_RIGHT)
_ST_NOTE = _style("note", fontName=_ITALIC, fontSize=8.5, leading=11,
                  textColor=colors.HexColor("#444444"))
_ST_SIGN = _style("sign", fontSize=10, leading=13, alignment=TA_CENTER)
_ST_SIGN_NAME = _style("signname", fontName=_BOLD, fontSize=10, leading=13,
                       alignment=TA_CENTER)


def _p(text: str, style: ParagraphStyle = _ST_CELL) -> Paragraph:
    """User text as a Paragraph: escaped, since Paragraph reads mini-HTML."""
    return Paragraph(escape(text), style)


def _n(value: int) -> Paragraph:
    return Paragraph(fmt_number(value), _ST_NUM)


def _table(rows: list[list[Any]], widths: Sequence[float], total_rows: int = 0,
           extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    return grid_table(rows, widths, total_rows, extra)


# --- charts ------------------------------------------------------------------------------


def _bars(rows: Sequence[Breakdown], label: dict[str | None, str]) -> list[Drawing]:
    """Registered and attended as horizontal bars, the first row on top; long lists
    continue in further drawings."""
    spec = PairedBars(width=_W, label_w=4.6 * cm, whole=_REGISTERED, part=_PRESENT,
                      whole_label=_("Registered"), part_label=_("Attended"), number=fmt_number)
    top = max((r.registered for r in rows), default=0)
    return [paired_bars(spec, [(label.get(r.name, r.name or ""), r.registered, r.present)
                               for r in rows[start:start + _CHART_ROWS]], top)
            for start in range(0, len(rows), _CHART_ROWS)]


def _day_chart(report: ActivityReport) -> Drawing | None:
    """Attendance rate of each batch, a bar per day (Day 1, Day 2...)."""
    batches = [b for b in report.batches if b.registered]
    if not batches:
        return None
    n_days = max(len(b.days) for b in batches)
    height = 6.2 * cm
    drawing = Drawing(_W, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 32, 34
    chart.width, chart.height = _W - 40, height - 34 - 30
    data: list[list[float | None]] = []
    for i in range(n_days):
        # Rounded down like the tables' percentages, so both print the same figure.
        data.append([int(1000 * b.days[i].rate + 1e-9) / 10 if i < len(b.days) else None
                     for b in batches])
    chart.data = data
    chart.categoryAxis.categoryNames = [
        clip(b.name, _FONT, 7.5, chart.width / len(batches) - 4) for b in batches]
    chart.categoryAxis.labels.fontName = _FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -4
    if len(batches) > 6:
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.valueAxis.labels.fontName = _FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.valueAxis.visibleGrid = 1
    chart.barLabelFormat = lambda v: fmt_percent(v / 100) if v is not None else ""
    chart.barLabels.fontName = _FONT
    chart.barLabels.fontSize = 6
    chart.barLabels.boxAnchor = "s"
    chart.barLabels.dy = 2
    chart.bars.strokeColor = None
    for i in range(n_days):
        chart.bars[i].fillColor = colors.HexColor(_DAY_COLORS[i % len(_DAY_COLORS)])
    chart.groupSpacing = 10
    drawing.add(chart)
    drawing.add(legend([(colors.HexColor(_DAY_COLORS[i % len(_DAY_COLORS)]),
                         _("Day {n}", n=i + 1)) for i in range(n_days)], 32, height - 2))
    return drawing


# --- sections ----------------------------------------------------------------------------


def _header(report: ActivityReport) -> list[Flowable]:
    city = _p(report.organization_city, _ST_CITY) if report.organization_city else None
    lines = letterhead(_p(report.organization.upper(), _ST_ORG), city, report.logo_png, _W)
    kind = _(KIND_LABELS[report.kind]) if report.kind in KIND_LABELS else report.kind
    tz = TIMEZONES.get(report.timezone, report.timezone)
    out: list[Flowable] = [
        *lines,
        _p(_("ACTIVITY REPORT"), _ST_TITLE),
        _p(report.title, _ST_TRAINING),
        _p(f"{kind} · {fmt_range(report.start_date, report.end_date)} ({tz})", _ST_META),
    ]
    if report.venues:
        out.append(_p(_("Venue: {venue}", venue="; ".join(report.venues)), _ST_META))
    out.append(Spacer(1, 4))
    return out


def _summary(report: ActivityReport) -> list[Flowable]:
    rate = fmt_percent(report.rate)
    rows: list[tuple[str, str]] = [
        (_("Organizer"), report.organization),
        (_("Batches"), fmt_number(len(report.batches))),
        (_("Participants registered (confirmed)"), fmt_number(report.confirmed)),
        (_("On the waiting list"), fmt_number(report.waitlisted)),
        (_("Cancelled"), fmt_number(report.cancelled)),
        (_("Attended at least one day"), fmt_number(report.attended)),
        (_("Attended every day of their batch"), fmt_number(report.complete)),
        (_("Attendance rate (person-days)"),
         f"{rate} ({fmt_number(report.present_days)} / {fmt_number(report.expected_days)})"),
        (_("Total JPL per batch"), fmt_number(report.total_jpl)),
        (_("Narasumber"), fmt_number(len(report.speakers))),
        (_("Certificates issued"), fmt_number(report.certificates_issued)),
    ]
    table = Table([[_p(k, _ST_HEAD), _p(v)] for k, v in rows],
                  colWidths=[7.5 * cm, _W - 7.5 * cm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
        ("BACKGROUND", (0, 0), (0, -1), _TOTAL_BG),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]))
    out: list[Flowable] = [_p(_("A. Summary"), _ST_H2), table]
    if report.unassigned:
        out.append(Spacer(1, 3))
        out.append(_p(_("{n} confirmed participants have no batch yet and are not counted "
                        "in the attendance.", n=fmt_number(report.unassigned)), _ST_NOTE))
    return out


def _attendance(report: ActivityReport) -> list[Flowable]:
    out: list[Flowable] = [CondPageBreak(6 * cm),
                           _p(_("B. Attendance per batch and day"), _ST_H2)]
    if not report.batches:
        return [*out, _p(_("This training has no batches yet."), _ST_NOTE)]
    head = [_p(_("Batch"), _ST_HEAD), _p(_("Day"), _ST_HEAD),
            _p(_("Registered"), _ST_HEAD_NUM), _p(_("Present"), _ST_HEAD_NUM),
            _p(_("Rate"), _ST_HEAD_NUM)]
    rows: list[list[Any]] = [head]
    extra: list[tuple[Any, ...]] = []
    for b in report.batches:
        first = len(rows)
        for i, d in enumerate(b.days, start=1):
            rows.append([_p(b.name) if i == 1 else "",
                         _p(f"{_('Day {n}', n=i)} · {fmt_date(d.day, weekday=True)}"
                            + (f" · {_('{n} excused (izin/sakit)', n=d.excused)}"
                               if d.excused else "")),
                         _n(d.expected), _n(d.present), _p(fmt_percent(d.rate), _ST_NUM)])
        rows.append([_p(_("{batch}: attended / every day", batch=b.name), _ST_HEAD), "",
                     _n(b.registered),
                     _p(f"{fmt_number(b.attended)} / {fmt_number(b.complete)}", _ST_NUM),
                     _p(fmt_percent(b.rate), _ST_NUM)])
        last = len(rows) - 1
        extra += [("SPAN", (0, last), (1, last)), ("BACKGROUND", (0, last), (-1, last), _TOTAL_BG),
                  ("NOSPLIT", (0, first), (-1, last))]
        if last - 1 > first:
            extra.append(("SPAN", (0, first), (0, last - 1)))
            extra.append(("VALIGN", (0, first), (0, last - 1), "TOP"))
    rows.append([_p(_("Total"), _ST_HEAD), "", _n(report.expected_days),
                 _n(report.present_days), _p(fmt_percent(report.rate), _ST_NUM)])
    extra.append(("SPAN", (0, len(rows) - 1), (1, len(rows) - 1)))
    out.append(_table(rows, [3.0 * cm, 6.8 * cm, 2.2 * cm, 2.5 * cm, 2.5 * cm], 1, extra))
    out.append(Spacer(1, 3))
    out.append(_p(_("Total row: person-days (registered × days of their batch)."), _ST_NOTE))
    if len(report.days) > 1 and len(report.batches) > 1:
        rows = [[_p(_("Date"), _ST_HEAD), _p(_("Registered"), _ST_HEAD_NUM),
                 _p(_("Present"), _ST_HEAD_NUM), _p(_("Rate"), _ST_HEAD_NUM)]]
        rows += [[_p(fmt_date(d.day, weekday=True)), _n(d.expected), _n(d.present),
                  _p(fmt_percent(d.rate), _ST_NUM)] for d in report.days]
        out += [_p(_("All batches together, per date"), _ST_H3),
                _table(rows, [8.7 * cm, 2.9 * cm, 2.9 * cm, 2.5 * cm])]
    chart = _day_chart(report)
    if chart is not None:
        out += [Spacer(1, 6), KeepTogether([_p(_("Attendance rate per batch and day"), _ST_H3),
                                            chart])]
    return out


def _breakdown(title: str, rows: list[Breakdown], blank: str,
               names: dict[str | None, str] | None = None) -> list[Flowable]:
    label: dict[str | None, str] = {None: blank, **(names or {})}
    head = [_p(title, _ST_HEAD), _p(_("Registered"), _ST_HEAD_NUM),
            _p(_("Attended"), _ST_HEAD_NUM), _p(_("Rate"), _ST_HEAD_NUM)]
    body = [[_p(label.get(r.name, r.name or "")), _n(r.registered), _n(r.present),
             _p(fmt_percent(r.rate), _ST_NUM)] for r in rows]
    registered = sum(r.registered for r in rows)
    present = sum(r.present for r in rows)
    total = [_p(_("Total"), _ST_HEAD), _n(registered), _n(present),
             _p(fmt_percent(present / registered if registered else 0.0), _ST_NUM)]
    table = _table([head, *body, total], [8.7 * cm, 2.9 * cm, 2.9 * cm, 2.5 * cm], 1)
    charts = _bars(rows, label)
    if not charts:
        return [table]
    # A short table stays on the page of its chart.
    first: list[Flowable] = [KeepTogether([table, Spacer(1, 6), charts[0]])] \
        if len(rows) <= 12 else [table, Spacer(1, 6), charts[0]]
    return [*first, *(c for chart in charts[1:] for c in (Spacer(1, 4), chart))]


def _breakdowns(report: ActivityReport) -> list[Flowable]:
    out: list[Flowable] = [CondPageBreak(8 * cm),
                           _p(_("C. Participants by category, gender and region"), _ST_H2)]
    if not report.confirmed:
        return [*out, _p(_("No participant is confirmed yet."), _ST_NOTE)]
    out.append(_p(_("Attended: present on at least one day of their batch."), _ST_NOTE))
    genders: dict[str | None, str] = {k: _(v) for k, v in GENDER_LABELS.items()}
    for number, (title, rows, blank, names) in enumerate((
            (_("Category"), report.by_category, _("No category"), None),
            (_("Gender"), report.by_gender, _("Not filled in"), genders),
            (_("Kecamatan"), report.by_district, _("Not filled in"), None),
            (_("Kabupaten/kota"), report.by_regency, _("Not filled in"), None)), start=1):
        out += [CondPageBreak(5 * cm), _p(f"C.{number}. {title}", _ST_H3),
                *_breakdown(title, rows, blank, names)]
    return out


def _agenda_table(agenda: BatchAgenda) -> Table:
    """The batch's sessions under a row per day, and the JPL total."""
    head = [_p(_("Time"), _ST_HEAD), _p(_("Session"), _ST_HEAD),
            _p(_("Narasumber"), _ST_HEAD), _p("JPL", _ST_HEAD_NUM)]
    rows: list[list[Any]] = [head]
    extra: list[tuple[Any, ...]] = []
    days = sorted({line.date for line in agenda.lines})
    previous: date | None = None
    for line in agenda.lines:
        if line.date != previous:
            n = days.index(line.date) + 1
            rows.append([_p(f"{_('Day {n}', n=n)} · {fmt_date(line.date, weekday=True)}",
                            _ST_HEAD), "", "", ""])
            day_row = len(rows) - 1
            # The day's heading never ends a page alone: it keeps its first session.
            extra += [("SPAN", (0, day_row), (-1, day_row)),
                      ("BACKGROUND", (0, day_row), (-1, day_row), _TOTAL_BG),
                      ("NOSPLIT", (0, day_row), (-1, day_row + 1))]
            previous = line.date
        rows.append([_p(f"{fmt_time(line.start_time)}–{fmt_time(line.end_time)}"),
                     _p(line.title),
                     Paragraph("<br/>".join(escape(s) for s in line.speakers), _ST_CELL),
                     _p("–" if line.kind == "break" or not line.jpl else str(line.jpl),
                        _ST_NUM)])
    rows.append([_p(_("Total JPL"), _ST_HEAD), "", "", _n(agenda.total_jpl)])
    extra.append(("SPAN", (0, -1), (2, -1)))
    return _table(rows, [2.3 * cm, 7.2 * cm, 6.4 * cm, 1.1 * cm], 1, extra)


def _agenda(report: ActivityReport) -> list[Flowable]:
    out: list[Flowable] = [CondPageBreak(6 * cm), _p(_("D. Agenda and narasumber"), _ST_H2)]
    if not any(a.lines for a in report.agenda):
        return [*out, _p(_("No sessions have been planned."), _ST_NOTE)]
    for agenda in report.agenda:
        out += [CondPageBreak(4 * cm), _p(agenda.batch, _ST_H3)]
        out.append(_agenda_table(agenda) if agenda.lines
                   else _p(_("No sessions have been planned."), _ST_NOTE))
    if report.speakers:
        rows: list[list[Any]] = [[_p(_("No."), _ST_HEAD), _p(_("Narasumber"), _ST_HEAD),
                                  _p(_("Institution"), _ST_HEAD), _p(_("Batches"), _ST_HEAD),
                                  _p(_("Sessions"), _ST_HEAD_NUM), _p("JPL", _ST_HEAD_NUM)]]
        rows += [[_p(str(i), _ST_NUM), _p(s.name), _p(s.institution or "–"),
                  _p(_("All batches") if report.in_every_batch(s) else ", ".join(s.batches)),
                  _n(s.sessions), _n(s.jpl)]
                 for i, s in enumerate(report.speakers, start=1)]
        out += [CondPageBreak(4 * cm), _p(_("Narasumber"), _ST_H3),
                _table(rows, [1.0 * cm, 5.6 * cm, 4.6 * cm, 2.8 * cm, 1.5 * cm, 1.5 * cm])]
    return out


def _guest_rows(people: GuestFigures, lines: list[GuestLine], committee: bool
                ) -> list[list[Any]]:
    every, none = _("Every day"), "–"
    if committee:
        rows: list[list[Any]] = [[_p(_("No."), _ST_HEAD), _p(_("Role"), _ST_HEAD),
                                  _p(_("Name"), _ST_HEAD), _p(_("Position"), _ST_HEAD),
                                  _p(_("Days present"), _ST_HEAD)]]
        rows += [[_p(str(i), _ST_NUM), _p(g.role or "–"), _p(g.name),
                  _p(" · ".join(x for x in (g.position, g.institution) if x) or "–"),
                  _p(people.days_label(g, every, none))]
                 for i, g in enumerate(lines, start=1)]
        return rows
    rows = [[_p(_("No."), _ST_HEAD), _p(_("Name"), _ST_HEAD), _p(_("Position"), _ST_HEAD),
             _p(_("Institution"), _ST_HEAD), _p(_("Days present"), _ST_HEAD)]]
    rows += [[_p(str(i), _ST_NUM), _p(g.name), _p(g.position or "–"),
              _p(g.institution or "–"), _p(people.days_label(g, every, none))]
             for i, g in enumerate(lines, start=1)]
    return rows


def _guests(report: ActivityReport) -> list[Flowable]:
    """Under B: the invited guests and the committee, with the days each was present."""
    people, out = report.people, []
    if people.guests:
        out += [CondPageBreak(4 * cm), _p(_("Invited guests"), _ST_H3),
                _table(_guest_rows(people, people.guests, False),
                       [1.0 * cm, 5.0 * cm, 4.0 * cm, 4.2 * cm, 2.8 * cm])]
    if people.committee:
        out += [CondPageBreak(4 * cm), _p(_("Committee"), _ST_H3),
                _table(_guest_rows(people, people.committee, True),
                       [1.0 * cm, 3.0 * cm, 5.0 * cm, 5.2 * cm, 2.8 * cm])]
    return out


def _speaker_presence(report: ActivityReport) -> list[Flowable]:
    """Under D: each session's narasumber, present or not (what the SPJ pays)."""
    lines = report.people.speakers
    if not lines:
        return []
    label = {True: _("Present"), False: _("Absent"), None: _("Not recorded")}
    rows: list[list[Any]] = [[_p(_("Date"), _ST_HEAD), _p(_("Batch"), _ST_HEAD),
                              _p(_("Session"), _ST_HEAD), _p(_("Narasumber"), _ST_HEAD),
                              _p("JPL", _ST_HEAD_NUM), _p(_("Attendance"), _ST_HEAD)]]
    rows += [[_p(f"{fmt_date(s.date)} {fmt_time(s.start_time)}"), _p(s.batch), _p(s.session),
              _p(s.speaker), _p(str(s.jpl) if s.jpl else "–", _ST_NUM),
              _p(label[s.present])] for s in lines]
    present = sum(1 for s in lines if s.present)
    return [CondPageBreak(4 * cm), _p(_("Narasumber attendance"), _ST_H3),
            _table(rows, [2.7 * cm, 2.2 * cm, 4.5 * cm, 4.1 * cm, 1.0 * cm, 2.5 * cm]),
            Spacer(1, 3),
            _p(_("Present in {n} of {total} sessions.", n=present, total=len(lines)),
               _ST_NOTE)]


def _certificates(report: ActivityReport) -> list[Flowable]:
    rows = [[_p(_("Certificates issued"), _ST_HEAD), _n(report.certificates_issued)],
            [_p(_("Revoked"), _ST_HEAD), _n(report.certificates_revoked)],
            [_p(_("Valid"), _ST_HEAD), _n(report.certificates_valid)]]
    table = Table(rows, colWidths=[6.5 * cm, 2.5 * cm], hAlign="LEFT")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, _GRID),
                               ("BACKGROUND", (0, 0), (0, -1), _TOTAL_BG),
                               ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]))
    return [KeepTogether([_p(_("E. Certificates"), _ST_H2), table])]


def _signature(report: ActivityReport, signer: Signer) -> Flowable:
    where = signer.place or report.place
    place = f"{where}, " if where else ""
    position = signer.position or _("Head of {organization}", organization=report.organization)
    name = signer.name or "(" + "." * 48 + ")"
    when = signer.signed_on or report.report_date
    block: list[Flowable] = [_p(f"{place}{fmt_date(when)}", _ST_SIGN),
                             _p(position, _ST_SIGN), Spacer(1, 2.1 * cm),
                             _p(name, _ST_SIGN_NAME if signer.name else _ST_SIGN)]
    block.append(_p(f"NIP. {signer.nip}" if signer.nip else "NIP. " + "." * 36, _ST_SIGN))
    table = Table([["", block]], colWidths=[_W - 8.5 * cm, 8.5 * cm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 18), table])


def render_activity_report_pdf(report: ActivityReport, signer: Signer | None = None) -> bytes:
    """The activity report as A4 portrait PDF bytes (equal input, equal bytes)."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=_MARGIN - _PAD, rightMargin=_MARGIN - _PAD,
        topMargin=1.6 * cm - _PAD, bottomMargin=_MARGIN - _PAD,
        title=f"{_('Activity report')} – {report.title}", author=report.organization,
        creator="Bimtek", invariant=1)
    story = [*_header(report), *opening_section(report.texts), *_summary(report),
             *_attendance(report), *_guests(report),
             *_breakdowns(report), *_agenda(report), *_speaker_presence(report),
             *_certificates(report),
             *learning_section(report.learning, _W, _("F. Learning results")),
             *evaluation_section(report.evaluation, _W, _("G. Evaluation results")),
             *photos_section(report.photos, _W, _("H. Photos of the activity")),
             *closing_section(report.texts, _("I. Conclusions and follow-up")),
             _signature(report, signer or report.signer)]
    maker = functools.partial(
        NumberedCanvas, left=f"{_('Activity report')} · {report.title}",
        page_fmt=_("Page {page} of {total}"), font=_FONT, size=7.5, margin=_MARGIN)
    doc.build(story, canvasmaker=maker)
    return buf.getvalue()
