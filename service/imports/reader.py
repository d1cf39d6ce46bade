"""Reading an uploaded participant list (.xlsx or .csv) into header and rows of strings.

Everything a stranger's file can do wrong is refused before or while parsing, as an
`ImportRefused`: too big, not a spreadsheet, a zip bomb, too many rows, nothing in it,
damaged, too heavy to read (cells, CPU seconds: `Budget`). No other exception escapes
`read_table`, whatever the bytes are.

The header row is found first and handed to the caller's check, which may refuse the
file (a missing name column) before any row under it is parsed. Offices put a title block
above it (the event, the office, a date, merged cells, empty rows), so the header is the
row among the first few that names fields best (`header_rank`), or the row the committee
picked; a row numbering the columns "1 2 3 4 5" under it is skipped.
"""

import csv
import io
import itertools
import math
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePath

from service.i18n import N_
from service.imports.budget import MAX_CELLS, MAX_SECONDS, Budget
from service.imports.columns import header_rank
from service.imports.errors import (
    EmptyFile,
    FileTooLarge,
    HeaderRowNotFound,
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
_SNIFF_LINES = 200  # lines read to find the delimiter; never the whole file

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF_MAGIC = b"%PDF"
_UTF8_BOM = b"\xef\xbb\xbf"
# ASCII "unit separator": never typed, so a one-column CSV is never split.
_NEVER_IN_TEXT = "\x1f"
# A CSV's rows are charged to the budget in groups (a clock read per row would cost more).
_CHARGE_EVERY_ROWS = 500
# The header row is looked for among this many non-empty rows: a title block is a handful.
HEADER_SEARCH_ROWS = 30
# A whole number this long in a numeric cell may be a NIK, NIP or phone that Excel
# stored as a number: its position is kept so the check can say what Excel did to it.
_LONG_NUMBER = 10**8


@dataclass
class Table:
    headers: list[str]
    # (row number as Excel shows it, one string per header)
    rows: list[tuple[int, list[str]]]
    # The header's row number as Excel shows it.
    header_row: int = 1
    # The first non-empty rows (number, cells), to let the committee pick the header.
    leading: list[tuple[int, list[str]]] = field(default_factory=list)
    # (row number, column index) of long whole numbers that were numeric cells.
    numeric: set[tuple[int, int]] = field(default_factory=set)
    # A row numbering the columns ("1 2 3 4 5") under the header, skipped.
    numbering_row: int | None = None


HeaderCheck = Callable[[list[str]], object]
# How much a row looks like the header: the highest wins, the earliest among equals.
HeaderRank = Callable[[list[str]], tuple[int, int, int]]


def read_table(content: bytes, filename: str, *, max_bytes: int, max_rows: int,
               check_header: HeaderCheck | None = None, max_cells: int = MAX_CELLS,
               max_seconds: float = MAX_SECONDS, header_row: int | None = None,
               rank_header: HeaderRank = header_rank) -> Table:
    """Read the first sheet of an .xlsx, or a .csv, refusing anything unsafe or unreadable.

    The header is the row numbered `header_row` when given, else the best by `rank_header`
    among the first HEADER_SEARCH_ROWS non-empty rows. `check_header` gets the header cells
    as soon as they are read, and refuses the file by raising an ImportRefused; at most
    `max_cells` cells and `max_seconds` of CPU are spent."""
    find = _HeaderFinder(rank_header, header_row)
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
                "first sheet, with the column names in its first row."), check_header, find)
        return _build_table(_csv_rows(content, budget, rank_header), max_rows,
                            EmptyFile.message, check_header, find)
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

def _csv_rows(content: bytes, budget: Budget, rank_header: HeaderRank = header_rank
              ) -> Iterator[tuple[int, Sequence[object]]]:
    text = _decode(content)
    reader = csv.reader(io.StringIO(text, newline=""),
                        delimiter=_sniff_delimiter(text, rank_header))
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


def _sniff_delimiter(text: str, rank_header: HeaderRank = header_rank) -> str:
    """Comma, or semicolon where Excel's list separator is one (Indonesian locale settings).

    Counted on the first non-empty line outside quotes: the header, or the title Excel
    wrote with the row's empty cells after it ("DAFTAR PESERTA;;;;;"). A first line with
    neither is one column, so nothing may split its cells ("Nur, S.Pd." written by a
    semicolon Excel is one name, not "Nur" and a stray cell), unless it is a title typed
    without them and a later line, split, is plainly a header row.
    """
    lines = [line for line in itertools.islice(io.StringIO(text), _SNIFF_LINES)
             if line.strip()]
    if not lines:
        return ","
    commas, semicolons = _delimiters(lines[0])
    if commas or semicolons:
        return ";" if semicolons > commas else ","
    for line in lines[1:HEADER_SEARCH_ROWS]:
        commas, semicolons = _delimiters(line)
        delimiter = ";" if semicolons > commas else ","
        if (commas or semicolons) and rank_header(next(csv.reader([line], delimiter=delimiter),
                                                       []))[1:] >= (1, 2):
            return delimiter
    return _NEVER_IN_TEXT


def _delimiters(line: str) -> tuple[int, int]:
    """Commas and semicolons outside quotes."""
    unquoted = line.split('"')[::2]
    return (sum(part.count(",") for part in unquoted),
            sum(part.count(";") for part in unquoted))


# --- shared -----------------------------------------------------------------------------

Rows = Iterator[tuple[int, Sequence[object]]]


@dataclass
class _HeaderFinder:
    """Where the header row is (decided here and only here): the row the committee picked,
    else the first row that plainly is one (a name column and another known header, or a
    layout mapped before), else the row among the first HEADER_SEARCH_ROWS non-empty ones
    that ranks highest. When no row names two fields, the first row about as wide as the
    widest (four fifths): a title has a cell or two, the header at least as many as the
    data under it.
    Reading stops at the header, so the caller's check still comes before the rows."""

    rank: HeaderRank
    chosen: int | None = None

    def find(self, rows: Rows) -> tuple[int, list[str], list[tuple[int, list[str]]],
                                          list[tuple[int, Sequence[object]]]]:
        """(header's row number, its cells, the rows up to it, the rows read after it).

        Reads at most HEADER_SEARCH_ROWS non-empty rows; raises EmptyFile when every row
        is empty and HeaderRowNotFound for a chosen row that is empty or further down.
        """
        seen: list[tuple[int, Sequence[object], list[str]]] = []
        for number, values in rows:
            cells = _header_cells(values)
            if cells is None:
                continue
            seen.append((number, values, cells))
            if len(seen) >= HEADER_SEARCH_ROWS:
                break
            if self.chosen is not None:
                if number >= self.chosen:
                    break
            elif self._plain(cells):
                break
        if not seen:
            raise EmptyFile()
        at = self._pick(seen)
        leading = [(number, cells) for number, _values, cells in seen[:at + 1]]
        return seen[at][0], seen[at][2], leading, [(n, v) for n, v, _ in seen[at + 1:]]

    def _plain(self, cells: list[str]) -> bool:
        known, has_name, matches = self.rank(cells)[:3]
        return bool(known) or (bool(has_name) and matches >= 2)

    def _pick(self, seen: list[tuple[int, Sequence[object], list[str]]]) -> int:
        if self.chosen is not None:
            for at, (number, _values, _cells) in enumerate(seen):
                if number == self.chosen:
                    return at
            raise HeaderRowNotFound(self.chosen, HEADER_SEARCH_ROWS)
        ranks = [self.rank(cells) for _n, _v, cells in seen]
        best = max(ranks)
        # One known word proves little: a data cell may read "Kampung KB" too.
        if best[0] or best[1] or best[2] >= 2:
            return ranks.index(best)
        widths = [sum(1 for c in cells if c) for _n, _v, cells in seen]
        return next(at for at, w in enumerate(widths) if 5 * w >= 4 * max(widths))


def _build_table(rows: Iterable[tuple[int, Sequence[object]]], max_rows: int,
                 empty_message: str, check_header: HeaderCheck | None = None,
                 find: _HeaderFinder | None = None) -> Table:
    """Header (see _HeaderFinder), checked before anything else is read; data = later
    non-empty rows, at most max_rows of them; rows above the header are never data."""
    rows = iter(rows)
    try:
        header_row, headers, leading, after = (find or _HeaderFinder(header_rank)).find(rows)
    except EmptyFile:
        raise EmptyFile(empty_message) from None
    if check_header is not None:
        check_header(headers)
    table = Table(headers=headers, rows=[], header_row=header_row, leading=leading)
    width = len(headers)
    first = True
    for number, values in itertools.chain(after, rows):
        # Only cells under a header are read: others cannot be imported, and converting
        # openpyxl's padding for every row would cost more than the rest of the read.
        cells = [cell_text(v) for v in values[:width]]
        if _is_empty(cells):
            continue
        if first and _is_numbering(cells):
            table.numbering_row = number
            first = False
            continue
        first = False
        if len(table.rows) >= max_rows:
            # Stop at the first row over the limit rather than read the rest.
            raise TooManyRows(max_rows)
        cells.extend([""] * (width - len(cells)))
        table.rows.append((number, cells))
        for index, value in enumerate(values[:width]):
            if (isinstance(value, int | float) and not isinstance(value, bool)
                    and abs(value) >= _LONG_NUMBER):
                table.numeric.add((number, index))
    if not table.rows:
        raise EmptyFile(N_("The file has a header row but no participant rows below it."))
    # The rows a committee may pick the header from: those above it and the first below.
    table.leading += table.rows[:max(0, HEADER_SEARCH_ROWS - len(leading))]
    return table


def _is_numbering(cells: Sequence[str]) -> bool:
    """A row that numbers the columns under the header, as government sheets do:
    "1 2 3 4 5" or "(1) (2) (3)", empty cells (merged ones) allowed between."""
    numbers = [c.strip().strip("().[] ") for c in cells if c.strip()]
    return (len(numbers) >= 2 and all(n.isascii() and n.isdigit() for n in numbers)
            and [int(n) for n in numbers] == list(range(1, len(numbers) + 1)))


def _is_empty(cells: Sequence[str]) -> bool:
    return all(not c.strip() for c in cells)


def _header_cells(values: Sequence[object]) -> list[str] | None:
    """The stripped header texts without trailing blanks; None for a blank row."""
    headers = [cell_text(v).strip() for v in values]
    # Trailing blank header cells are formatting, not columns.
    while headers and not headers[-1]:
        headers.pop()
    return headers or None
