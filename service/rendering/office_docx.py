"""What an office's Word documents (DOCX) share: an A4 page in Arial, the letterhead
(logo, the office's name and city, centred), and a bordered table with a bold header row.
Used by the activity report and the minutes."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import Table


def a4_document(title: str, author: str, side_margin_cm: float) -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(side_margin_cm)
    section.top_margin = section.bottom_margin = Cm(2)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10.5)
    # Word's document properties hold at most 255 characters (a long title and a dash).
    doc.core_properties.title = title[:255]
    doc.core_properties.author = author[:255]
    return doc


def letterhead(doc: DocxDocument, logo_png: bytes | None, organization: str,
               city: str | None) -> None:
    if logo_png:
        doc.add_picture(io.BytesIO(logo_png), height=Cm(2))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, bold, size in ((organization.upper(), True, 12), (city or "", False, 10)):
        if text:
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(text)
            run.bold, run.font.size = bold, Pt(size)


def grid_table(doc: DocxDocument, head: Sequence[str], rows: Sequence[Sequence[str]],
               widths: Sequence[float] | None = None, numeric_from: int = 99) -> Table:
    """A bordered Word table with a bold header row; columns from `numeric_from` on are
    right-aligned; an empty paragraph after it."""
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for i, text in enumerate(head):
        cell = table.rows[0].cells[i]
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        cells = table.add_row().cells
        for i, text in enumerate(values):
            cells[i].text = text
            if i >= numeric_from:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if widths:
        for row in table.rows:
            for i, w in enumerate(widths):
                row.cells[i].width = Cm(w)
    doc.add_paragraph()
    return table
