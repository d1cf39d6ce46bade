"""The minutes of a meeting as a Word document (DOCX) the office can still edit: the PDF's
sections as headings, paragraphs and Word tables, and the two signatures side by side.
Pure: the `MinutesDoc` the PDF reads in, DOCX bytes out."""

from __future__ import annotations

import io

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from service.i18n import gettext as _
from service.i18n.formats import fmt_date
from service.rendering.minutes_pdf import ActionLine, MinutesDoc, Signatory
from service.rendering.office_docx import a4_document, grid_table, letterhead


def _note(doc: DocxDocument, text: str) -> None:
    doc.add_paragraph().add_run(text).italic = True


def _header(doc: DocxDocument, d: MinutesDoc) -> None:
    letterhead(doc, d.logo_png, d.organization, d.organization_city)
    doc.add_heading(_("MINUTES OF THE MEETING"), level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(d.title).bold = True
    for label, value in ((_("Day, date"), fmt_date(d.held_on, weekday=True)),
                         (_("Venue"), d.place or "-"), (_("Chair"), d.chair.name or "-"),
                         (_("Note-taker"), d.note_taker.name or "-"),
                         (_("Attendance"), _("{n} present", n=d.present_count))):
        line = doc.add_paragraph()
        line.paragraph_format.space_after = Pt(0)
        line.add_run(f"{label}\t: ").bold = True
        line.add_run(value)


def _actions(doc: DocxDocument, lines: list[ActionLine], with_meeting: bool) -> None:
    rows = [(str(i), a.title + (f" ({a.meeting})" if with_meeting and a.meeting else "")
             + (f" — {a.note}" if a.note else ""), a.unit or "-", a.owner or "-",
             fmt_date(a.due), a.status) for i, a in enumerate(lines, start=1)]
    grid_table(doc, (_("No."), _("Action"), _("Unit"), _("Person"), _("Due"), _("Status")),
           rows, (1.0, 6.0, 3.2, 2.8, 2.5, 2.0))


def _signatures(doc: DocxDocument, d: MinutesDoc) -> None:
    doc.add_paragraph()
    place = f"{d.place}, " if d.place else ""
    table = doc.add_table(rows=2, cols=2)
    table.rows[0].cells[1].text = f"{place}{fmt_date(d.held_on)}"
    for cell, s in ((table.rows[1].cells[0], d.note_taker), (table.rows[1].cells[1], d.chair)):
        _signature_cell(cell, s)
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _signature_cell(cell: object, s: Signatory) -> None:
    lines = [s.role, s.position, "", "", "", s.name or "(" + "." * 40 + ")",
             f"NIP. {s.nip}" if s.nip else ""]
    first = cell.paragraphs[0]  # type: ignore[attr-defined]
    first.text = lines[0]
    for n, line in enumerate(lines[1:], start=1):
        run = cell.add_paragraph().add_run(line)  # type: ignore[attr-defined]
        run.bold = n == 5 and bool(s.name)


def render_minutes_docx(d: MinutesDoc) -> bytes:
    """The minutes as DOCX bytes: A4, the PDF's sections, editable in Word."""
    doc = a4_document(f"{_('Minutes')} – {d.title}", d.organization, 2.2)
    _header(doc, d)
    letters = iter("ABCDEFG")
    doc.add_heading(_("{n}. Attendance", n=next(letters)), level=1)
    if d.attendance:
        rows: list[tuple[str, str, str]] = []
        number = 0
        for group in d.attendance:
            rows.append(("", f"{group.name} ({len(group.people)})", ""))
            for person in group.people:
                number += 1
                rows.append((str(number), person.name, person.detail))
        grid_table(doc, (_("No."), _("Name"), _("Position")), rows, (1.2, 7.5, 7.8))
    else:
        _note(doc, _("No attendance was recorded."))
    if d.presenters:
        doc.add_heading(_("{n}. Presentations", n=next(letters)), level=1)
        grid_table(doc, (_("Time"), _("Unit"), _("Presenter"), _("Topic")),
               [(p.when, p.unit, p.name, p.topic) for p in d.presenters], (3.0, 4.2, 4.2, 5.1))
    doc.add_heading(_("{n}. Discussion", n=next(letters)), level=1)
    parts = [p.strip("\n") for p in d.text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    if not parts:
        _note(doc, _("Nothing was written."))
    for part in parts:
        doc.add_paragraph(part)
    doc.add_heading(_("{n}. Decisions", n=next(letters)), level=1)
    if not d.decisions:
        _note(doc, _("No decisions were recorded."))
    for text in d.decisions:
        doc.add_paragraph(text, style="List Number")
    doc.add_heading(_("{n}. Follow-up actions", n=next(letters)), level=1)
    if d.actions:
        _actions(doc, d.actions, False)
    else:
        _note(doc, _("No follow-up actions were agreed."))
    if d.carried:
        doc.add_paragraph().add_run(_("Follow-up of earlier meetings still open")).bold = True
        _actions(doc, d.carried, True)
    _signatures(doc, d)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
