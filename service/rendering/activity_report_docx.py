"""The activity report as a Word document (DOCX) the office can still edit: the same
sections as the PDF, as real headings, paragraphs and Word tables, the photos embedded
two by two with their captions, and the signature block.

Pure: the `ActivityReport` the PDF reads in, DOCX bytes out. Words go through gettext,
so the document speaks the request's language (Indonesian by default).
"""

from __future__ import annotations

import io

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from service.i18n import gettext as _
from service.i18n.formats import fmt_date, fmt_number, fmt_percent, fmt_range, fmt_time
from service.models.participants import GENDER_LABELS
from service.models.trainings import KIND_LABELS, TIMEZONES
from service.rendering.activity_report_pdf import ActivityReport, Breakdown, Signer
from service.rendering.learning_pdf import LearningFigures, LearningRow
from service.rendering.office_docx import a4_document, grid_table, letterhead
from service.rendering.report_sections import (
    EvaluationFigures,
    EvaluationMean,
    ReportPhotoItem,
    fmt_mean,
    paragraphs,
)

_PHOTO_W = 7.6  # cm: two photos side by side


def _text(doc: DocxDocument, text: str) -> None:
    parts = paragraphs(text)
    if not parts:
        doc.add_paragraph(_("Not written yet.")).runs[0].italic = True
    for part in parts:
        doc.add_paragraph(part)


def _header(doc: DocxDocument, r: ActivityReport) -> None:
    letterhead(doc, r.logo_png, r.organization, r.organization_city)
    title = doc.add_heading(_("ACTIVITY REPORT"), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    kind = _(KIND_LABELS[r.kind]) if r.kind in KIND_LABELS else r.kind
    tz = TIMEZONES.get(r.timezone, r.timezone)
    for text in (r.title, f"{kind} · {fmt_range(r.start_date, r.end_date)} ({tz})",
                 _("Venue: {venue}", venue="; ".join(r.venues)) if r.venues else ""):
        if text:
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(text).bold = text == r.title


def _summary(doc: DocxDocument, r: ActivityReport) -> None:
    doc.add_heading(_("A. Summary"), level=1)
    rows = [
        (_("Organizer"), r.organization),
        (_("Batches"), fmt_number(len(r.batches))),
        (_("Participants registered (confirmed)"), fmt_number(r.confirmed)),
        (_("On the waiting list"), fmt_number(r.waitlisted)),
        (_("Cancelled"), fmt_number(r.cancelled)),
        (_("Attended at least one day"), fmt_number(r.attended)),
        (_("Attended every day of their batch"), fmt_number(r.complete)),
        (_("Attendance rate (person-days)"),
         f"{fmt_percent(r.rate)} ({fmt_number(r.present_days)} / "
         f"{fmt_number(r.expected_days)})"),
        (_("Total JPL per batch"), fmt_number(r.total_jpl)),
        (_("Narasumber"), fmt_number(len(r.speakers))),
        (_("Certificates issued"), fmt_number(r.certificates_issued)),
    ]
    grid_table(doc, [_("Item"), _("Value")], rows, [8, 8])


def _attendance(doc: DocxDocument, r: ActivityReport) -> None:
    doc.add_heading(_("B. Attendance per batch and day"), level=1)
    if not r.batches:
        doc.add_paragraph(_("This training has no batches yet."))
        return
    rows: list[list[str]] = []
    for b in r.batches:
        for i, d in enumerate(b.days, start=1):
            rows.append([b.name, f"{_('Day {n}', n=i)} · {fmt_date(d.day, weekday=True)}",
                         fmt_number(d.expected), fmt_number(d.present), fmt_percent(d.rate)])
        rows.append([b.name, _("{batch}: attended / every day", batch=b.name),
                     fmt_number(b.registered),
                     f"{fmt_number(b.attended)} / {fmt_number(b.complete)}",
                     fmt_percent(b.rate)])
    rows.append([_("Total"), "", fmt_number(r.expected_days), fmt_number(r.present_days),
                 fmt_percent(r.rate)])
    grid_table(doc, [_("Batch"), _("Day"), _("Registered"), _("Present"), _("Rate")], rows,
           [3, 6.5, 2.2, 2.2, 2.1], numeric_from=2)


def _breakdowns(doc: DocxDocument, r: ActivityReport) -> None:
    doc.add_heading(_("C. Participants by category, gender and region"), level=1)
    if not r.confirmed:
        doc.add_paragraph(_("No participant is confirmed yet."))
        return
    genders: dict[str | None, str] = {k: _(v) for k, v in GENDER_LABELS.items()}
    parts: tuple[tuple[str, list[Breakdown], str, dict[str | None, str]], ...] = (
        (_("Category"), r.by_category, _("No category"), {}),
        (_("Gender"), r.by_gender, _("Not filled in"), genders),
        (_("Kecamatan"), r.by_district, _("Not filled in"), {}),
        (_("Kabupaten/kota"), r.by_regency, _("Not filled in"), {}))
    for number, (title, rows, blank, names) in enumerate(parts, start=1):
        doc.add_heading(f"C.{number}. {title}", level=2)
        label: dict[str | None, str] = {None: blank, **names}
        grid_table(doc, [title, _("Registered"), _("Attended"), _("Rate")],
               [[label.get(b.name, b.name or ""), fmt_number(b.registered),
                 fmt_number(b.present), fmt_percent(b.rate)] for b in rows],
               [8.5, 2.5, 2.5, 2.5], numeric_from=1)


def _agenda(doc: DocxDocument, r: ActivityReport) -> None:
    doc.add_heading(_("D. Agenda and narasumber"), level=1)
    if not any(a.lines for a in r.agenda):
        doc.add_paragraph(_("No sessions have been planned."))
        return
    for agenda in r.agenda:
        doc.add_heading(agenda.batch, level=2)
        rows = [[fmt_date(line.date), f"{fmt_time(line.start_time)}–{fmt_time(line.end_time)}",
                 line.title, "; ".join(line.speakers),
                 "–" if line.kind == "break" or not line.jpl else str(line.jpl)]
                for line in agenda.lines]
        rows.append([_("Total JPL"), "", "", "", str(agenda.total_jpl)])
        grid_table(doc, [_("Date"), _("Time"), _("Session"), _("Narasumber"), "JPL"], rows,
               [2.6, 2.2, 5.2, 5, 1], numeric_from=4)
    if r.speakers:
        doc.add_heading(_("Narasumber"), level=2)
        grid_table(doc, [_("No."), _("Narasumber"), _("Institution"), _("Batches"), _("Sessions"),
                     "JPL"],
               [[str(i), s.name, s.institution or "–",
                 _("All batches") if r.in_every_batch(s) else ", ".join(s.batches),
                 fmt_number(s.sessions), fmt_number(s.jpl)]
                for i, s in enumerate(r.speakers, start=1)],
               [1, 5, 4.2, 3, 1.6, 1.2], numeric_from=4)


def _guests(doc: DocxDocument, r: ActivityReport) -> None:
    """Under B: the invited guests and the committee, with the days each was present."""
    people, every = r.people, _("Every day")
    if people.guests:
        doc.add_heading(_("Invited guests"), level=2)
        grid_table(doc, [_("No."), _("Name"), _("Position"), _("Institution"),
                         _("Days present")],
                   [[str(i), g.name, g.position or "–", g.institution or "–",
                     people.days_label(g, every, "–")]
                    for i, g in enumerate(people.guests, start=1)],
                   [1, 5, 4, 4.2, 2.8], numeric_from=5)
    if people.committee:
        doc.add_heading(_("Committee"), level=2)
        grid_table(doc, [_("No."), _("Role"), _("Name"), _("Position"), _("Days present")],
                   [[str(i), g.role or "–", g.name,
                     " · ".join(x for x in (g.position, g.institution) if x) or "–",
                     people.days_label(g, every, "–")]
                    for i, g in enumerate(people.committee, start=1)],
                   [1, 3, 5, 5.2, 2.8], numeric_from=5)


def _speaker_presence(doc: DocxDocument, r: ActivityReport) -> None:
    """Under D: each session's narasumber, present or not."""
    lines = r.people.speakers
    if not lines:
        return
    label = {True: _("Present"), False: _("Absent"), None: _("Not recorded")}
    doc.add_heading(_("Narasumber attendance"), level=2)
    grid_table(doc, [_("Date"), _("Batch"), _("Session"), _("Narasumber"), "JPL",
                     _("Attendance")],
               [[f"{fmt_date(s.date)} {fmt_time(s.start_time)}", s.batch, s.session,
                 s.speaker, str(s.jpl) if s.jpl else "–", label[s.present]] for s in lines],
               [2.9, 2.4, 4.6, 4.2, 1, 1.9])
    present = sum(1 for s in lines if s.present)
    doc.add_paragraph(_("Present in {n} of {total} sessions.", n=present, total=len(lines)))


def _certificates(doc: DocxDocument, r: ActivityReport) -> None:
    doc.add_heading(_("E. Certificates"), level=1)
    grid_table(doc, [_("Item"), _("Value")],
           [[_("Certificates issued"), fmt_number(r.certificates_issued)],
            [_("Revoked"), fmt_number(r.certificates_revoked)],
            [_("Valid"), fmt_number(r.certificates_valid)]], [8, 4], numeric_from=1)


def _score(value: float | None, signed: bool = False) -> str:
    text = "—" if value is None else (f"{value:+.1f}" if signed else f"{value:.1f}")
    return text.replace(".", ",")


def _learning(doc: DocxDocument, f: LearningFigures | None) -> None:
    if f is None:
        return
    doc.add_heading(_("F. Learning results"), level=1)
    rule = f.pass_score is not None
    rows = [[_("Answer sheets"), f"{f.pretest_sheets} / {f.posttest_sheets}"],
            [_("Pre-test mean"), _score(f.overall.pretest)],
            [_("Post-test mean"), _score(f.overall.posttest)],
            [_("Mean gain per person"), _score(f.overall.gain, True)]]
    if rule:
        rows.append([_("Passed (post-test ≥ {n})", n=f.pass_score), str(f.overall.passed or 0)])
    grid_table(doc, [_("Item"), _("Value")], rows, [8, 4], numeric_from=1)

    def table(title: str, first: str, lines: list[LearningRow]) -> None:
        if not lines:
            return
        doc.add_heading(title, level=2)
        head = [first, _("Pre-test"), _("Post-test"), _("Gain")] + ([_("Passed")] if rule
                                                                     else [])
        grid_table(doc, head, [[x.name, _score(x.pretest), _score(x.posttest),
                            _score(x.gain, True)] + ([str(x.passed or 0)] if rule else [])
                           for x in lines], numeric_from=1)

    table(_("Per batch"), _("Batch"), f.by_batch)
    table(_("Per category"), _("Category"), f.by_category)
    if f.hardest:
        doc.add_heading(_("Hardest questions"), level=2)
        grid_table(doc, [_("Hardest questions"), _("Right")],
               [[f"{q.position}. {q.text}", fmt_percent(q.share_right)] for q in f.hardest],
               [13, 3], numeric_from=1)


def _means(doc: DocxDocument, items: list[EvaluationMean]) -> None:
    grid_table(doc, [_("Item"), _("Mean")], [[i.text, fmt_mean(i.mean)] for i in items],
           [13, 3], numeric_from=1)


def _evaluation(doc: DocxDocument, f: EvaluationFigures | None) -> None:
    if f is None or f.empty:
        return
    doc.add_heading(_("G. Evaluation results"), level=1)
    doc.add_paragraph(_("Scale 1–{scale}; results of a form with fewer than {n} answers are "
                        "not shown.", scale=f.scale, n=f.min_shown)).runs[0].italic = True
    if f.event is not None and f.event.responses:
        doc.add_heading(_("Evaluation of the event ({n} answers)", n=f.event.responses),
                        level=2)
        if f.event.shown:
            _means(doc, f.event.items)
        else:
            doc.add_paragraph(_("Too few answers to show."))
    if f.sessions:
        doc.add_heading(_("Evaluation of the sessions and narasumber"), level=2)
        grid_table(doc, [_("Session"), _("Narasumber"), _("Answers"), _("Mean")],
               [[s.title, s.detail, f"{s.responses} / {s.expected}",
                 fmt_mean(s.mean) if s.shown else "—"] for s in f.sessions],
               [6, 6, 2, 2], numeric_from=2)
        if f.session_items:
            doc.add_heading(_("Per item, over every session shown"), level=2)
            _means(doc, f.session_items)


def _photos(doc: DocxDocument, photos: list[ReportPhotoItem]) -> None:
    if not photos:
        return
    doc.add_heading(_("H. Photos of the activity"), level=1)
    table = doc.add_table(rows=(len(photos) + 1) // 2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for n, photo in enumerate(photos):
        cell = table.rows[n // 2].cells[n % 2]
        # At most as tall as wide, as in the PDF.
        width = min(_PHOTO_W, _PHOTO_W * 0.75 * photo.width / photo.height)
        first = cell.paragraphs[0]
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        first.add_run().add_picture(io.BytesIO(photo.jpeg), width=Cm(width))
        caption = cell.add_paragraph()
        caption.add_run(photo.caption)
        when = caption.add_run("\n" + fmt_date(photo.taken_on)
                               + (f" · {photo.session}" if photo.session else ""))
        when.font.size = Pt(8)
        when.italic = True
    doc.add_paragraph()


def _closing(doc: DocxDocument, r: ActivityReport) -> None:
    doc.add_heading(_("I. Conclusions and follow-up"), level=1)
    doc.add_heading(_("Conclusions"), level=2)
    _text(doc, r.texts.conclusions)
    doc.add_heading(_("Follow-up plan (RTL)"), level=2)
    _text(doc, r.texts.follow_up)


def _signature(doc: DocxDocument, r: ActivityReport, signer: Signer) -> None:
    where = signer.place or r.place
    lines = [f"{where + ', ' if where else ''}{fmt_date(signer.signed_on or r.report_date)}",
             signer.position or _("Head of {organization}", organization=r.organization),
             "", "", "",
             signer.name or "(" + "." * 48 + ")",
             f"NIP. {signer.nip}" if signer.nip else "NIP. " + "." * 36]
    doc.add_paragraph()
    for n, line in enumerate(lines):
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(8.5)
        p.paragraph_format.space_after = Pt(0)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        run.bold = n == 5 and bool(signer.name)


def render_activity_report_docx(report: ActivityReport, signer: Signer | None = None) -> bytes:
    """The activity report as DOCX bytes: A4, the PDF's sections, editable in Word."""
    doc = a4_document(f"{_('Activity report')} – {report.title}", report.organization, 2.5)
    _header(doc, report)
    doc.add_heading(_("Background"), level=1)
    _text(doc, report.texts.background)
    doc.add_heading(_("Objectives"), level=1)
    _text(doc, report.texts.objectives)
    _summary(doc, report)
    _attendance(doc, report)
    _guests(doc, report)
    _breakdowns(doc, report)
    _agenda(doc, report)
    _speaker_presence(doc, report)
    _certificates(doc, report)
    _learning(doc, report.learning)
    _evaluation(doc, report.evaluation)
    _photos(doc, report.photos)
    _closing(doc, report)
    _signature(doc, report, signer or report.signer)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
