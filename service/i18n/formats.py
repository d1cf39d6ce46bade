"""Dates and times as Indonesian offices write them (12 September 2018, 08.00), or in English."""

from datetime import date, time

from service.i18n import get_locale

MONTHS = {
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}
WEEKDAYS = {
    "id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}


def fmt_date(d: date | None, weekday: bool = False) -> str:
    if d is None:
        return ""
    loc = get_locale()
    text = f"{d.day} {MONTHS[loc][d.month - 1]} {d.year}"
    return f"{WEEKDAYS[loc][d.weekday()]}, {text}" if weekday else text


def fmt_range(start: date, end: date) -> str:
    """12–13 September 2018; 30 September – 1 Oktober 2018."""
    loc = get_locale()
    if start == end:
        return fmt_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {MONTHS[loc][end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[loc][start.month - 1]} – {fmt_date(end)}"
    return f"{fmt_date(start)} – {fmt_date(end)}"


def fmt_time(t: time | None) -> str:
    # Indonesian writes 08.00; English 08:00.
    if t is None:
        return ""
    return t.strftime("%H.%M" if get_locale() == "id" else "%H:%M")


def fmt_number(n: int) -> str:
    """1.234 in Indonesian, 1,234 in English."""
    text = f"{n:,}"
    return text.replace(",", ".") if get_locale() == "id" else text


def percent_tenths(share: float) -> int:
    """A share (0..1) in tenths of a percent, rounded half up (799 of 842 is 949, i.e.
    94.9%), except at the ends: short of everyone never reads 100% (841 of 842 is 99.9%,
    not 100.0%) and someone never reads 0% (1 of 2,500 is 0.1%); a committee reads "100%"
    as "everyone came"."""
    tenths = int(share * 1000 + 0.5 + 1e-9)
    if share < 1 and tenths >= 1000:
        return 999
    if share > 0 and tenths <= 0:
        return 1
    return max(tenths, 0)


def fmt_share(share: float) -> str:
    """A share (0..1) as a percent figure with one decimal, without the sign: 94,9 in
    Indonesian, 94.9 in English (for texts that put the % themselves)."""
    tenths = percent_tenths(share)
    text = f"{tenths // 10}.{tenths % 10}"
    return text.replace(".", ",") if get_locale() == "id" else text


def fmt_percent(share: float) -> str:
    """A share (0..1) as a percent, the one way every rate shows (pages, big screen,
    report PDF, certificates review): 94,9% in Indonesian, 94.9% in English."""
    return fmt_share(share) + "%"


def fmt_phone(e164: str | None) -> str | None:
    """+6281234567890 as people write it, 0812 3456 7890: also a text no spreadsheet
    turns into a number (losing the 0) or a formula (the +). Other numbers as stored."""
    if not e164 or not e164.startswith("+62"):
        return e164
    digits = "0" + e164[3:]
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))
