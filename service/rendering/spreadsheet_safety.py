"""Cells a spreadsheet would run as a formula, made inert (CSV/formula injection).

Excel, LibreOffice and Google Sheets treat a cell that starts with = + - @, a tab or
a carriage return as a formula (`=cmd|' /C calc'!A0`, `@SUM(1)`); a participant can
type such a name on the public registration form. Following OWASP's CSV injection
guidance, such a cell is prefixed with a single quote, which every spreadsheet shows
as plain text and never evaluates.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """The text as it should be written to a CSV or XLSX cell."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def is_live_formula(value: object) -> bool:
    """What a test asks of every written cell: would a spreadsheet run it?"""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)
