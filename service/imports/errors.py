"""Why an uploaded participant list is refused as a whole (before any row is looked at).

Each refusal is an `ImportRefused` with its own machine code and HTTP status, and a
message a committee member can act on ("The file is 14.2 MB; the limit is 10 MB.").
"""

import math
from dataclasses import dataclass
from typing import Any

from service.errors import DomainError
from service.i18n import N_, gettext

_MB = 1024 * 1024


class ImportRefused(DomainError):
    code, status, message = "import_refused", 422, N_("This file cannot be imported.")


class FileTooLarge(ImportRefused):
    code, status = "file_too_large", 413

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(N_("The file is {size}; the limit is {limit}."),
                         params={"size": format_size(size, round_up=True),
                                 "limit": format_size(limit)})


class TooManyRows(ImportRefused):
    code, status = "too_many_rows", 413

    def __init__(self, limit: int) -> None:
        super().__init__(N_("The file has more than {limit} participant rows; "
                            "split it into smaller files."), params={"limit": limit})


class UnsupportedFile(ImportRefused):
    code, status = "unsupported_file", 415
    message = N_("This is not an Excel (.xlsx) or CSV file. In Excel, use "
                 "File > Save As > Excel Workbook (.xlsx) or CSV, then upload that file.")


class SuspiciousArchive(ImportRefused):
    code, status = "suspicious_archive", 422
    message = N_("This .xlsx file unpacks to far more data than a participant list holds, "
                 "so it was not opened. Save the list again from Excel and upload the new file.")


class EmptyFile(ImportRefused):
    code, status = "empty_file", 422
    message = N_("The file is empty.")


class UnreadableFile(ImportRefused):
    code, status = "unreadable_file", 422
    message = N_("The file is damaged or incomplete and cannot be read. Open it in Excel, "
                 "save it again and upload the new file.")


class ColumnProblem(ImportRefused):
    """The header row does not say which column holds what (missing name, a field twice)."""

    code, status = "column_problem", 422

    def __init__(self, message: str, *, code: str, **params: Any) -> None:
        super().__init__(message, code=code, params=params)


def format_size(size: int, *, round_up: bool = False) -> str:
    """Bytes as a person reads them: "14.2 MB", "10 MB", "850 KB".

    The file's own size rounds up so that a file just over the limit never reads
    as equal to it ("10.1 MB; the limit is 10 MB", not "10 MB; the limit is 10 MB").
    """
    if size >= _MB:
        tenths = size * 10 / _MB
        value = (math.ceil(tenths) if round_up else round(tenths)) / 10
        unit = "MB"
    else:
        value = math.ceil(size / 1024) if round_up else round(size / 1024)
        unit = "KB"
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {unit}"


class TooManyCells(ImportRefused):
    code, status = "too_many_cells", 413

    def __init__(self, limit: int) -> None:
        super().__init__(N_("The file holds more than {limit} cells, far more than a "
                            "participant list. Delete the rows, columns and sheets it does "
                            "not need, or split the list, and upload it again."),
                         params={"limit": f"{limit:,}".replace(",", ".")})


class ReadTooLong(ImportRefused):
    code, status = "read_too_long", 413

    def __init__(self, seconds: float) -> None:
        super().__init__(N_("Reading this file took more than {seconds} seconds, far longer "
                            "than a participant list needs, so it was stopped. Save only the "
                            "participant list, without other sheets or formatting, and "
                            "upload it again."), params={"seconds": f"{seconds:g}"})


class HeaderRowNotFound(ImportRefused):
    code, status = "header_row_not_found", 422

    def __init__(self, row: int, limit: int) -> None:
        super().__init__(N_("Row {row} is empty or lies below the first {limit} filled rows, "
                            "so it cannot be the row with the column names. Choose another "
                            "row."), params={"row": row, "limit": limit})


@dataclass(frozen=True)
class SheetRowError:
    """A wrong row of a sheet that is not a participant list (a Kampung KB register, a
    question bank): its number as Excel shows it and why, as a message id."""

    row: int
    message: str
    params: dict[str, Any]

    def text(self) -> str:
        return gettext(self.message, **self.params)


class SheetRowsRefused(ImportRefused):
    """Some rows are wrong: nothing was imported; every wrong row is listed."""

    status = 422
    message = N_("Nothing was imported: {count} rows need correcting first.")

    def __init__(self, rows: list[SheetRowError]) -> None:
        super().__init__(params={"count": len({r.row for r in rows})})
        self.rows = rows

    def payload(self) -> dict[str, Any]:
        return {**super().payload(),
                "errors": [{"row": r.row, "message": r.text()} for r in self.rows]}
