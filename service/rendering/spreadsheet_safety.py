"""Cells a spreadsheet would run as a formula, made inert (CSV/formula injection).

Excel, LibreOffice and Google Sheets treat a cell that starts with = + - @, a tab or
a carriage return as a formula (`=cmd|' /C calc'!A0`, `@SUM(1)`); a participant can
type such a name on the public registration form. Following OWASP's CSV injection
guidance, such a cell is prefixed with a single quote, which every spreadsheet shows
as plain text and never evaluates.

Characters a sheet cannot hold (XML 1.0 has no control characters but tab and line
breaks, no lone surrogates, no U+FFFE/U+FFFF) are dropped: openpyxl refuses the whole
workbook over one of them (IllegalCharacterError), and rows stored before input refused
them must still download. C1 controls and DEL go too: invisible, and never meant.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NOT_IN_A_SHEET = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def sheet_text(value: str) -> str:
    """The text without the characters a spreadsheet cannot hold."""
    return _NOT_IN_A_SHEET.sub("", value)


def neutralise(value: str) -> str:
    """The text as it should be written to a CSV or XLSX cell."""
    value = sheet_text(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def is_live_formula(value: object) -> bool:
    """What a test asks of every written cell: would a spreadsheet run it?"""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)
