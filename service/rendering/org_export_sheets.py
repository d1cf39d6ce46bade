"""An organization's export as a workbook the office opens in Excel: one worksheet per
list (people, registrations, attendance per day, certificates, messages).

Pure: the lists in, XLSX bytes out; every text cell neutralised.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from service.rendering.spreadsheet_safety import neutralise, sheet_text

SheetCell = str | int | float | date | datetime | None


@dataclass(frozen=True)
class ListSheet:
    name: str  # worksheet name (at most 31 characters)
    headers: tuple[str, ...]
    rows: Sequence[Sequence[SheetCell]]


def _value(value: SheetCell) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel holds no time zones: UTC, as labelled
    return value


def _name(name: str) -> str:
    return ("".join(ch for ch in sheet_text(name) if ch not in "[]:*?/\\").strip("'")
            or "Sheet")[:31]


def lists_xlsx(title: str, sheets: Sequence[ListSheet]) -> bytes:
    """One worksheet per list: a title line, a bold frozen header, one row per item."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="D9D9D9")
    for sheet in sheets:
        ws = wb.create_sheet(_name(sheet.name))
        for i, header in enumerate(sheet.headers, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(header) + 6))
        ws.freeze_panes = "A3"
        heading = WriteOnlyCell(ws, value=neutralise(title))
        heading.font = Font(bold=True, size=13)
        ws.append([heading])
        cells = []
        for header in sheet.headers:
            cell = WriteOnlyCell(ws, value=neutralise(header))
            cell.font, cell.fill = bold, fill
            cells.append(cell)
        ws.append(cells)
        for row in sheet.rows:
            ws.append([_value(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
