"""Reading an uploaded participant list (.xlsx or .csv) into header and rows of strings.

Everything a stranger's file can do wrong is refused before or while parsing, as an
`ImportRefused`: too big, not a spreadsheet, a zip bomb, too many rows, nothing in it,
damaged, too heavy to read (cells, CPU seconds: `Budget`). No other exception escapes
`read_table`, whatever the bytes are.

The header row is found first and handed to the caller's check, which may refuse the
file (a missing name column) before any row under it is parsed.
"""

import csv
import io
import math
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePath

from service.i18n import N_
from service.imports.budget import MAX_CELLS, MAX_SECONDS, Budget
from service.imports.errors import (
    EmptyFile,
    FileTooLarge,
    ImportRefused,
    SuspiciousArchive,
    TooManyRows,
    UnreadableFile,
    UnsupportedFile,
)
from service.imports.xlsx_sax import iter_first_sheet

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Deflate reaches a few hundred to one on tiny, repetitive parts (an empty styles.xml),
# which is harmless; the ratio only matters once a member could unpack to a lot.
RATIO_CHECK_FROM_BYTES = 1024 * 1024
# No participant list is this wide; reading no further keeps a cell placed at column
# XFD from making every row 16,384 cells long.
MAX_COLUMNS = 200
EXCEL_MAX_ROWS = 1_048_576
_SNIFF_CHARS = 8192

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF_MAGIC = b"%PDF"
_UTF8_BOM = b"\xef\xbb\xbf"
# ASCII "unit separator": never typed, so a one-column CSV is never split.
_NEVER_IN_TEXT = "\x1f"
# A CSV's rows are charged to the budget in groups (a clock read per row would cost more).
_CHARGE_EVERY_ROWS = 500


@dataclass
class Table:
    headers: list[str]
    # (row number as Excel shows it, one string per header)
    rows: list[tuple[int, list[str]]]


HeaderCheck = Callable[[list[str]], object]


def read_table(content: bytes, filename: str, *, max_bytes: int, max_rows: int,
               check_header: HeaderCheck | None = None, max_cells: int = MAX_CELLS,
               max_seconds: float = MAX_SECONDS) -> Table:
    """Read the first sheet of an .xlsx, or a .csv, refusing anything unsafe or unreadable.

    `check_header` gets the header cells as soon as they are read, and refuses the file by
    raising an ImportRefused; at most `max_cells` cells and `max_seconds` of CPU are spent."""
    if len(content) > max_bytes:
        raise FileTooLarge(len(content), max_bytes)
    if not content:
        raise EmptyFile()
    kind = _file_kind(content, filename)
    budget = Budget(max_cells, max_seconds)
    try:
        if kind == "xlsx":
            _check_archive(content)
            # The list may well sit on a later tab; say which one is read.
            return _build_table(_xlsx_rows(content, budget), max_rows, N_(
                "The first sheet of this workbook is empty. Put the participant list on the "
                "first sheet, with the column names in its first row."), check_header)
        return _build_table(_csv_rows(content, budget), max_rows, EmptyFile.message,
                            check_header)
    except ImportRefused:
        raise
    except Exception as exc:  # noqa: BLE001
        # openpyxl, zipfile, the XML parser and the csv module each raise their own kinds
        # of error (and KeyError, ValueError, OverflowError...) on damaged input; to the
        # committee they all mean the same thing.
        raise UnreadableFile() from exc


# --- what kind of file ------------------------------------------------------------------

def _file_kind(content: bytes, filename: str) -> str:
    """"xlsx" or "csv", when the name and the bytes agree; else UnsupportedFile."""
    suffix = PurePath(filename or "").suffix.casefold()
    head = content[:8]
    if head.startswith(_OLE_MAGIC):
        raise UnsupportedFile(N_("This is an old Excel 97-2003 (.xls) file. Open it in Excel, "
                                 "choose File > Save As > Excel Workbook (.xlsx), and upload "
                                 "the new file."))
    if head.startswith(_PDF_MAGIC):
        raise UnsupportedFile(N_("This is a PDF, not a spreadsheet. Upload the participant "
                                 "list as an Excel (.xlsx) or CSV file."))
    if suffix == ".xlsx" and head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if suffix == ".csv" and not head.startswith(_ZIP_MAGIC) and _looks_like_text(content):
        return "csv"
    raise UnsupportedFile()


def _looks_like_text(content: bytes) -> bool:
    """A CSV has no NUL bytes and hardly any control characters; a binary file has many."""
    sample = content[:_SNIFF_CHARS]
    if b"\x00" in sample:
        return False
    controls = sum(1 for b in sample if b < 0x20 and b not in (0x09, 0x0A, 0x0D))
    return controls <= len(sample) // 100


# --- xlsx -------------------------------------------------------------------------------

def _check_archive(content: bytes) -> None:
    """Look at the zip's directory before openpyxl unpacks anything.

    The sizes in the directory can be trusted as a bound: zipfile stops reading a member
    at its declared size (and then fails its CRC check), so a member that lies about its
    size cannot unpack to more than it declared.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            names = {info.filename for info in members}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        # Starts like a zip but its directory is missing: a truncated upload.
        raise UnreadableFile() from None
    if "xl/workbook.xml" not in names:
        # A .docx, .ods or any other zip renamed to .xlsx.
        raise UnsupportedFile()
    total = 0
    for info in members:
        total += info.file_size
        if total > MAX_UNPACKED_BYTES or _ratio_too_high(info):
            raise SuspiciousArchive()


def _ratio_too_high(info: zipfile.ZipInfo) -> bool:
    if info.file_size < RATIO_CHECK_FROM_BYTES:
        return False
    return info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)


def _xlsx_rows(content: bytes, budget: Budget) -> Iterator[tuple[int, Sequence[object]]]:
    """Raw cell values of the first worksheet, numbered as Excel numbers its rows.

    The first tab, not the active one: a committee member may save the template while
    looking at its "Petunjuk" (instructions) tab."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for number, row in iter_first_sheet(archive, MAX_COLUMNS, budget):
            if number > EXCEL_MAX_ROWS:
                raise UnreadableFile()
            yield number, row


def cell_text(value: object) -> str:
    """A cell's value as the text a person typed or sees.

    A NIK or phone number typed into Excel without a leading apostrophe is stored as a
    number (1371015203850001, or 1.37101520385E+15 once Excel has rounded it), so whole
    numbers come back as their digits, without ".0" and without an exponent.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _float_text(value: float) -> str:
    if not math.isfinite(value):
        return ""
    if value.is_integer():
        return str(int(value))
    # repr is the shortest exact form; Decimal spells out exponents (1e-05 -> 0.00001).
    return format(Decimal(repr(value)), "f")


# --- csv --------------------------------------------------------------------------------

def _csv_rows(content: bytes, budget: Budget) -> Iterator[tuple[int, Sequence[object]]]:
    text = _decode(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    # Excel counts records, not lines: a quoted cell with a line break stays on one row.
    cells = 0
    for number, row in enumerate(reader, start=1):
        cells += len(row) or 1
        if number % _CHARGE_EVERY_ROWS == 0:
            budget.charge(cells)
            cells = 0
        yield number, row


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which Excel in Indonesia writes."""
    if content.startswith(_UTF8_BOM):
        return content[len(_UTF8_BOM):].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252")


def _sniff_delimiter(text: str) -> str:
    """Comma, or semicolon where Excel's list separator is one (Indonesian locale settings).

    Counted on the first non-empty line, the header, outside quotes. A header with
    neither has one column, so nothing may split its cells: "Nur, S.Pd." written by a
    semicolon Excel is one name, not "Nur" and a stray cell.
    """
    for line in io.StringIO(text):
        if line.strip():
            unquoted = line.split('"')[::2]
            commas = sum(part.count(",") for part in unquoted)
            semicolons = sum(part.count(";") for part in unquoted)
            if commas == semicolons == 0:
                return _NEVER_IN_TEXT
            return ";" if semicolons > commas else ","
    return ","


# --- shared -----------------------------------------------------------------------------

def _header_row(rows: Iterator[tuple[int, Sequence[object]]]) -> list[str] | None:
    """The header cells, read from `rows` up to the header row and no further: the first
    non-empty row. None when every row is empty. (Where to look for the header is decided
    here and only here.)"""
    for _number, values in rows:
        headers = _header_cells(values)
        if headers is not None:
            return headers
    return None


def _build_table(rows: Iterable[tuple[int, Sequence[object]]], max_rows: int,
                 empty_message: str, check_header: HeaderCheck | None = None) -> Table:
    """Header (see _header_row), checked before anything else is read; data = later
    non-empty rows, at most max_rows of them."""
    rows = iter(rows)
    headers = _header_row(rows)
    if headers is None:
        raise EmptyFile(empty_message)
    if check_header is not None:
        check_header(headers)
    data: list[tuple[int, list[str]]] = []
    for number, values in rows:
        # Only cells under a header are read: others cannot be imported, and converting
        # openpyxl's padding for every row would cost more than the rest of the read.
        cells = [cell_text(v) for v in values[:len(headers)]]
        if _is_empty(cells):
            continue
        if len(data) >= max_rows:
            # Stop at the first row over the limit rather than read the rest.
            raise TooManyRows(max_rows)
        cells.extend([""] * (len(headers) - len(cells)))
        data.append((number, cells))
    if not data:
        raise EmptyFile(N_("The file has a header row but no participant rows below it."))
    return Table(headers=headers, rows=data)


def _is_empty(cells: Sequence[str]) -> bool:
    return all(not c.strip() for c in cells)


def _header_cells(values: Sequence[object]) -> list[str] | None:
    """The stripped header texts without trailing blanks; None for a blank row."""
    headers = [cell_text(v).strip() for v in values]
    # Trailing blank header cells are formatting, not columns.
    while headers and not headers[-1]:
        headers.pop()
    return headers or None
