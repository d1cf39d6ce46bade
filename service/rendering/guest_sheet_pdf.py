"""The daftar hadir of a training's invited guests or of its committee: one sheet per
training day, in one PDF (printed for the paper days, signed at the table by the door).

Each sheet is drawn as a participant's daftar hadir is (attendance_sheet_pdf: kop with
the logo and the training, numbered rows, alternating signature boxes, the committee's
signature), so the office's files look alike; its page numbers count within its day.

Pure: `AttendanceSheet`s in, PDF bytes out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from service.rendering.attendance_sheet_pdf import AttendanceSheet, SignRow, draw_sheet

__all__ = ["AttendanceSheet", "SignRow", "render_guest_sheets_pdf"]


def render_guest_sheets_pdf(sheets: Sequence[AttendanceSheet], *, title: str) -> bytes:
    """A4 portrait PDF bytes, the sheets one after the other; deterministic."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(title)
    c.setCreator("Bimtek")
    if sheets:
        c.setAuthor(sheets[0].organization)
        for doc in sheets:
            draw_sheet(c, doc)
    else:
        c.showPage()
    c.save()
    return buf.getvalue()
