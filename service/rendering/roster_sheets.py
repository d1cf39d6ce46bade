"""A roster (or any list of people) as CSV and XLSX bytes, every text cell neutralised.

Pure: a `Sheet` built by the caller in, bytes out. CSV is UTF-8 with a BOM, so Excel
on a committee laptop shows "Nur'aini" and "Ṣalihah" right instead of mojibake.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from service.rendering.spreadsheet_safety import neutralise, sheet_text

Cell = str | int | None


@dataclass(frozen=True)
class Column:
    label: str
    # Relative width in the PDF, and about the characters shown in XLSX.
    width: float = 10
    align: str = "left"  # "left" | "center" | "right"


@dataclass(frozen=True)
class Sheet:
    """A titled table: what a roster PDF, XLSX and CSV all print."""

    title: str  # e.g. "DAFTAR PESERTA"
    organization: str
    heading: tuple[str, ...]  # lines under the title: training, batch, dates, venue
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[Cell]]
    sheet_name: str = "Peserta"
    note: str | None = None  # a line under the table (e.g. what ✓ means)
    page_label: str = "Halaman {page} dari {total}"
    footer: str = ""  # left of the page number in the PDF


def _text(value: Cell) -> str | int:
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    return neutralise(value)


def roster_csv(sheet: Sheet) -> bytes:
    """Header row then one row per person; no title lines, so it re-imports cleanly."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise(c.label) for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_text(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _sheet_name(name: str) -> str:
    # Excel forbids []:*?/\ in sheet names and cuts them at 31 characters.
    cleaned = "".join(ch for ch in sheet_text(name)
                      if ch not in "[]:*?/\\").strip("'") or "Sheet"
    return cleaned[:31]


def roster_xlsx(sheet: Sheet) -> bytes:
    """A workbook with the title lines, a bold frozen header and one row per person."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_name(sheet.sheet_name))
    for i, col in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(4.0, col.width * 1.2)
    title_lines = 2 + len(sheet.heading)
    ws.freeze_panes = f"A{title_lines + 2}"
    bold = Font(bold=True)
    for text, font in ((sheet.title, Font(bold=True, size=13)), (sheet.organization, bold),
                       *((line, None) for line in sheet.heading)):
        cell = WriteOnlyCell(ws, value=neutralise(text))
        if font is not None:
            cell.font = font
        ws.append([cell])
    ws.append([])
    fill = PatternFill("solid", fgColor="D9D9D9")
    header = []
    for col in sheet.columns:
        cell = WriteOnlyCell(ws, value=neutralise(col.label))
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    ws.append(header)
    centred = Alignment(horizontal="center")
    centre_cols = {i for i, c in enumerate(sheet.columns) if c.align == "center"}
    for row in sheet.rows:
        out: list[object] = []
        for i, value in enumerate(row):
            if i in centre_cols:
                cell = WriteOnlyCell(ws, value=_text(value))
                cell.alignment = centred
                out.append(cell)
            else:
                out.append(_text(value))
        ws.append(out)
    if sheet.note:
        ws.append([])
        ws.append([neutralise(sheet.note)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
