"""Streaming the first worksheet of an .xlsx as rows of raw values, with defusedxml's SAX.

openpyxl builds an object per cell through its descriptor machinery and, with
defusedxml, parses with the pure-Python ElementTree front end: 2.7 s for a 10,000-row
list here. A participant list needs none of that: this reads the cells' text straight
from the XML in about a fifth of the time. defusedxml's parser refuses DTDs, entity
declarations and external references, so a hostile file cannot expand or fetch
anything.

Numbers come back as float (or int), booleans as bool, text as str, and numbers in a
date format as date or datetime (read from the styles part, as Excel shows them).

The shared strings are parsed only as far as the cells read so far need them, so the
header row is known, and can be refused, before the rest of a large file is parsed; every
cell and string parsed is charged to the upload's `Budget`.
"""

import posixpath
import re
import zipfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime, timedelta
from typing import IO, Any
from xml.sax.handler import ContentHandler

import defusedxml.ElementTree as SafeTree
from defusedxml import sax as safe_sax

from service.imports.budget import Budget

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CHUNK = 64 * 1024
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)$")
# Excel's built-in number formats that show a date or a time.
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
# Quoted text, [colours] and escaped characters do not make a format a date.
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_EPOCH = datetime(1899, 12, 30)  # Excel's day 0, counting its phantom 29 February 1900

Row = tuple[int, list[object]]


def _member(archive: zipfile.ZipFile, base: str, target: str) -> str:
    """A relationship target as a path inside the archive ("/xl/x.xml" or "x.xml")."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def _first_sheet_and_strings(archive: zipfile.ZipFile) -> tuple[str, str | None]:
    workbook = SafeTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = workbook.find(f"{{{MAIN}}}sheets/{{{MAIN}}}sheet")
    if sheet is None:
        raise ValueError("workbook without sheets")
    rel_id = sheet.get(f"{{{REL}}}id")
    rels = SafeTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    sheet_path, strings_path = None, None
    for rel in rels.iter(f"{{{PKG_REL}}}Relationship"):
        target = _member(archive, "xl", rel.get("Target", ""))
        if rel.get("Id") == rel_id:
            sheet_path = target
        if rel.get("Type", "").endswith("/sharedStrings"):
            strings_path = target
    if sheet_path is None:
        raise ValueError("first sheet not found")
    return sheet_path, strings_path


def _date_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell styles (the c/@s attribute) whose number format is a date."""
    if "xl/styles.xml" not in archive.namelist():
        return frozenset()
    styles = SafeTree.fromstring(archive.read("xl/styles.xml"))
    custom = {}
    for fmt in styles.iter(f"{{{MAIN}}}numFmt"):
        code = _FORMAT_NOISE.sub("", fmt.get("formatCode", "")).lower()
        custom[int(fmt.get("numFmtId", "0"))] = any(ch in code for ch in "dmyhs")
    xfs = styles.find(f"{{{MAIN}}}cellXfs")
    found = set()
    for index, xf in enumerate(xfs if xfs is not None else []):
        fmt_id = int(xf.get("numFmtId", "0"))
        if fmt_id in _DATE_FORMAT_IDS or custom.get(fmt_id):
            found.add(index)
    return frozenset(found)


def _excel_date(serial: float) -> date | datetime:
    moment = _EPOCH + timedelta(days=serial)
    return moment.date() if serial == int(serial) else moment


class _Strings(ContentHandler):
    """The shared strings table: the text runs of each <si>, phonetic guides left out."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[str] = []
        self.count = 0  # strings started, for the budget
        self._parts: list[str] = []
        self._in_text = False
        self._phonetic = 0

    def startElementNS(self, name: tuple[str | None, str], qname: str | None,
                       attrs: Any) -> None:  # AttributesNSImpl: keys are (ns, name)
        local = name[1]
        if local == "si":
            self.count += 1
            self._parts = []
        elif local == "rPh":
            self._phonetic += 1
        elif local == "t" and not self._phonetic:
            self._in_text = True

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        local = name[1]
        if local == "si":
            self.values.append("".join(self._parts))
        elif local == "rPh":
            self._phonetic -= 1
        elif local == "t":
            self._in_text = False

    def characters(self, content: str) -> None:
        if self._in_text:
            self._parts.append(content)


class _Sheet(ContentHandler):
    """Collects finished rows; the caller drains them between fed chunks."""

    def __init__(self, strings: "_LazyStrings", max_columns: int,
                 date_styles: frozenset[int]) -> None:
        super().__init__()
        self.strings, self.max_columns = strings, max_columns
        self.count = 0  # cells started, for the budget
        self.date_styles = date_styles
        self._style = 0
        self.done: list[Row] = []
        self._row: list[object] = []
        self._number = 0
        self._column = 0
        self._type = "n"
        self._text: list[str] = []
        self._collect = False

    def startElementNS(self, name: tuple[str | None, str], qname: str | None,
                       attrs: Any) -> None:  # AttributesNSImpl: keys are (ns, name)
        local = name[1]
        if local == "c":
            self.count += 1
            ref = attrs.get((None, "r"))
            match = _CELL_REF.match(ref) if ref else None
            self._column = _column_index(match.group(1)) if match else len(self._row)
            self._type = attrs.get((None, "t"), "n")
            style = attrs.get((None, "s"))
            self._style = int(style) if style and style.isdigit() else 0
            self._text = []
        elif local in ("v", "t"):
            self._collect = True
        elif local == "row":
            number = attrs.get((None, "r"))
            self._number = int(number) if number and number.isdigit() else self._number + 1
            self._row = []

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        local = name[1]
        if local in ("v", "t"):
            self._collect = False
        elif local == "c":
            if self._column < self.max_columns:
                self._row.extend([None] * (self._column - len(self._row)))
                self._row.append(self._value("".join(self._text)))
        elif local == "row":
            self.done.append((self._number, self._row))

    def characters(self, content: str) -> None:
        if self._collect:
            self._text.append(content)

    def _value(self, text: str) -> object:
        kind = self._type
        if kind == "s":
            return self.strings[int(text)] if text else ""
        if kind in ("inlineStr", "str"):
            return text
        if kind == "b":
            return text.strip() == "1"
        if kind == "e" or not text:
            return None
        try:
            number = float(text)
        except ValueError:
            # A cell that says it is a number but holds text: keep what it says.
            return text
        if self._style in self.date_styles and 0 <= number < 2_958_466:
            return _excel_date(number)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _feed(handler: _Strings | _Sheet, stream: IO[bytes], budget: Budget) -> Iterator[None]:
    """Parse `stream` chunk by chunk, pausing after each so rows can be taken early, and
    charging what each chunk held to the budget."""
    parser = safe_sax.make_parser()
    parser.setFeature("http://xml.org/sax/features/namespaces", True)
    parser.setContentHandler(handler)
    charged = 0
    while chunk := stream.read(CHUNK):
        parser.feed(chunk)
        budget.charge(handler.count - charged)
        charged = handler.count
        yield
    parser.close()
    yield


class _LazyStrings:
    """The shared strings table, parsed only as far as the cells read so far need it."""

    def __init__(self, stream: IO[bytes] | None, budget: Budget) -> None:
        self._handler = _Strings()
        self._feeding = _feed(self._handler, stream, budget) if stream else None

    def __getitem__(self, index: int) -> str:
        values = self._handler.values
        while index >= len(values) and self._feeding is not None:
            if next(self._feeding, StopIteration) is StopIteration:
                self._feeding = None
        return values[index]  # IndexError for a damaged file: the reader refuses it


def iter_first_sheet(archive: zipfile.ZipFile, max_columns: int,
                     budget: Budget | None = None) -> Iterator[Row]:
    """(row number as Excel shows it, raw cell values) of the workbook's first sheet."""
    budget = budget or Budget()
    sheet_path, strings_path = _first_sheet_and_strings(archive)
    strings_part: AbstractContextManager[IO[bytes] | None] = (
        archive.open(strings_path) if strings_path and strings_path in archive.namelist()
        else nullcontext(None))
    # Both parts open at once: zipfile reads each member through its own position.
    with strings_part as strings_stream, archive.open(sheet_path) as stream:
        strings = _LazyStrings(strings_stream, budget)
        sheet = _Sheet(strings, max_columns, _date_styles(archive))
        for _ in _feed(sheet, stream, budget):
            yield from sheet.done
            sheet.done.clear()
