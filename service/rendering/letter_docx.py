"""A letter (surat dinas) as a Word document (DOCX) the office can still edit: the same
parts as the PDF (kop surat with its double rule, Nomor / Sifat / Lampiran / Hal, the
addressee, the body, the signature at the right), as Word paragraphs and tables. Pure: a
`LetterDoc` in, DOCX bytes out."""

from __future__ import annotations

import contextlib
import io
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from PIL import Image

from service.rendering.letter_types import (
    Block,
    Details,
    Grid,
    Kop,
    LetterDoc,
    Link,
    Signature,
    Text,
)
from service.rendering.office_docx import a4_document
from service.rendering.qr import qr_png

_LEFT, _RIGHT = 2.5, 2.0
_W = 21.0 - _LEFT - _RIGHT
_INDENT = 1.25
_SIZE = 11


def _tight(p: Paragraph, after: float = 0) -> Paragraph:
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.space_before = Pt(0)
    return p


def _para(container: Any, text: str = "", *, bold: bool = False, underline: bool = False,
          size: float | None = None, align: Any = None, after: float = 0) -> Paragraph:
    p = _tight(container.add_paragraph(), after)
    if text:
        run = p.add_run(text)
        run.bold, run.underline = bold, underline
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    return p


def _first(cell: _Cell, text: str = "", **kw: Any) -> Paragraph:
    """Write into the cell's own first paragraph (a new cell holds an empty one)."""
    p = _tight(cell.paragraphs[0])
    if text:
        run = p.add_run(text)
        run.bold = kw.get("bold", False)
        if kw.get("size"):
            run.font.size = Pt(kw["size"])
    if kw.get("align") is not None:
        p.alignment = kw["align"]
    return p


def _widths(table: Table, widths: list[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for i, w in enumerate(widths):
            row.cells[i].width = Cm(w)


def _kop_sizes(count: int) -> list[tuple[bool, float]]:
    if count == 1:
        return [(True, 15)]
    if count == 2:
        return [(True, 14), (False, 10)]
    return [(True, 13), (True, 14.5), *[(False, 9.5)] * (count - 2)]


def _double_rule(p: Paragraph) -> None:
    """The kop's thick-and-thin rule, as Word draws a paragraph's bottom border."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "thickThinSmallGap"), ("w:sz", "24"), ("w:space", "1"),
                       ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p._p.get_or_add_pPr().append(borders)


def kop(doc: DocxDocument, k: Kop) -> None:
    table = doc.add_table(rows=1, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    logo_cell, text_cell, _blank = table.rows[0].cells
    if k.logo_png:
        # A broken logo must not cost the letter.
        with contextlib.suppress(Exception):
            with Image.open(io.BytesIO(k.logo_png)) as img:
                wide = img.width / max(img.height, 1) > 2.5 / 2.3
            fit = {"width": Cm(2.5)} if wide else {"height": Cm(2.3)}
            _first(logo_cell).add_run().add_picture(io.BytesIO(k.logo_png), **fit)
    for i, (line, (bold, size)) in enumerate(zip(k.lines, _kop_sizes(len(k.lines)),
                                                 strict=True)):
        p = _first(text_cell) if i == 0 else _para(text_cell)
        run = p.add_run(line)
        run.bold, run.font.size = bold, Pt(size)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _widths(table, [2.7, _W - 5.4, 2.7])
    _double_rule(_para(doc, after=10))


def _heading(doc: DocxDocument, d: LetterDoc) -> None:
    if d.title:
        _para(doc, d.title, bold=True, underline=True, size=13,
              align=WD_ALIGN_PARAGRAPH.CENTER)
        _para(doc, f"Nomor: {d.number}", align=WD_ALIGN_PARAGRAPH.CENTER, after=14)
        return
    if d.date_line:
        _para(doc, d.date_line, align=WD_ALIGN_PARAGRAPH.RIGHT, after=4)
    rows = (("Nomor", d.number), ("Sifat", d.nature), ("Lampiran", d.attachment),
            ("Hal", d.subject))
    table = doc.add_table(rows=len(rows), cols=3)
    for row, (label, value) in zip(table.rows, rows, strict=True):
        _first(row.cells[0], label)
        _first(row.cells[1], ":")
        _first(row.cells[2], value)
    _widths(table, [2.3, 0.5, _W * 0.62])
    _para(doc)
    after_di = False
    for line in d.addressee:
        p = _para(doc, line)
        if after_di:
            p.paragraph_format.left_indent = Cm(_INDENT)
        after_di = line.strip().lower() == "di"
    _para(doc)


def _details(doc: DocxDocument, b: Details) -> None:
    table = doc.add_table(rows=len(b.rows), cols=3)
    for row, (label, value) in zip(table.rows, b.rows, strict=True):
        _first(row.cells[0], label).paragraph_format.left_indent = Cm(_INDENT)
        _first(row.cells[1], ":")
        _first(row.cells[2], value)
    _widths(table, [_INDENT + 4.6, 0.5, _W - _INDENT - 5.1])
    _para(doc, after=4)


def _grid(doc: DocxDocument, b: Grid) -> None:
    table = doc.add_table(rows=1, cols=len(b.head))
    table.style = "Table Grid"
    for i, text in enumerate(b.head):
        _first(table.rows[0].cells[i], text, bold=True, size=10,
               align=WD_ALIGN_PARAGRAPH.CENTER)
    for values in b.rows:
        cells = table.add_row().cells
        for i, text in enumerate(values):
            _first(cells[i], text, size=10,
                   align=WD_ALIGN_PARAGRAPH.CENTER if i in b.centered else None)
    scale = min(1.0, _W / sum(b.widths))
    _widths(table, [w * scale for w in b.widths])
    _para(doc, after=4)


def _link(doc: DocxDocument, b: Link) -> None:
    table = doc.add_table(rows=1, cols=2)
    qr_cell, text_cell = table.rows[0].cells
    p = _first(qr_cell)
    p.paragraph_format.left_indent = Cm(_INDENT)
    p.add_run().add_picture(io.BytesIO(qr_png(b.url, box_size=6, border=2)), width=Cm(3))
    _first(text_cell, b.caption)
    _para(text_cell, b.url, bold=True)
    _widths(table, [_INDENT + 3.4, _W - _INDENT - 3.4])
    _para(doc, after=4)


def _body(doc: DocxDocument, blocks: list[Block]) -> None:
    for b in blocks:
        if isinstance(b, Text):
            if b.center:
                _para(doc, b.text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
                continue
            p = _para(doc, b.text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
            if not b.plain:
                p.paragraph_format.first_line_indent = Cm(_INDENT)
        elif isinstance(b, Details):
            _details(doc, b)
        elif isinstance(b, Grid):
            _grid(doc, b)
        elif isinstance(b, Link):
            _link(doc, b)


def _signature(doc: DocxDocument, s: Signature) -> None:
    _para(doc)
    table = doc.add_table(rows=1, cols=2)
    cell = table.rows[0].cells[1]
    lines = [s.place_date] if s.place_date else []
    first = _first(cell, lines[0]) if lines else None
    p = _para(cell, f"{s.position},") if first else _first(cell, f"{s.position},")
    p.paragraph_format.keep_with_next = True
    for _ in range(4):
        _para(cell).paragraph_format.keep_with_next = True
    _para(cell, s.name, bold=True, underline=True).paragraph_format.keep_with_next = True
    if s.nip:
        _para(cell, f"NIP. {s.nip}")
    _widths(table, [_W - 8.0, 8.0])


def _appendix(doc: DocxDocument, d: LetterDoc) -> None:
    """The lampiran on a new page: which letter it belongs to, its title, its blocks."""
    doc.add_page_break()
    rows = (("Lampiran Surat", "", ""), ("Nomor", ":", d.number),
            ("Tanggal", ":", d.date_line.split(", ", 1)[-1]), ("Hal", ":", d.subject))
    table = doc.add_table(rows=len(rows), cols=4)
    for row, values in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells[1:], values, strict=True):
            _first(cell, text, size=9)
    _widths(table, [_W - 9.0, 2.4, 0.4, 6.2])
    _para(doc, after=8)
    _para(doc, d.appendix_title.upper(), bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER,
          after=8)
    _body(doc, d.appendix)


def render_letter_docx(d: LetterDoc) -> bytes:
    """The letter as DOCX bytes: A4, Arial, editable in Word."""
    doc = a4_document(d.document_title, d.kop.lines[1] if len(d.kop.lines) > 1
                      else (d.kop.lines[0] if d.kop.lines else ""), _RIGHT)
    section = doc.sections[0]
    section.left_margin, section.right_margin = Cm(_LEFT), Cm(_RIGHT)
    section.top_margin, section.bottom_margin = Cm(1.3), Cm(2)
    doc.styles["Normal"].font.size = Pt(_SIZE)
    kop(doc, d.kop)
    _heading(doc, d)
    _body(doc, d.body)
    _signature(doc, d.signature)
    if d.copies:
        _para(doc)
        _para(doc, "Tembusan:", size=9)
        for i, c in enumerate(d.copies, start=1):
            _para(doc, f"{i}. {c}", size=9)
    if d.appendix:
        _appendix(doc, d)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
