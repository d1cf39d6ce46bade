"""The days a batch meets: every day from start to end (a 3-day workshop), or the
dates it lists (a year of monthly coaching: 12 days over 12 months).

Everything that asks "which days" or "does it meet on this day" (attendance, the
daftar hadir, certificate eligibility, the report, the door's manifest, reminders)
asks here, so the two shapes are one.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from service.errors import FieldError
from service.i18n import ngettext
from service.i18n.formats import fmt_date, fmt_range
from service.models import Batch
from service.schemas.planning import MAX_MEETINGS


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def days_of(batch: Batch) -> list[date]:
    """The batch's meeting days, in order."""
    if batch.meeting_dates:
        return [date.fromisoformat(d) for d in batch.meeting_dates]
    return days_between(batch.start_date, batch.end_date)


def meets_on(batch: Batch, day: date) -> bool:
    if not batch.start_date <= day <= batch.end_date:
        return False
    return batch.meeting_dates is None or day.isoformat() in batch.meeting_dates


def check_meeting(batch: Batch, day: date, field: str, code: str) -> None:
    """Refuse a day within the batch's first and last that is not one of its meetings
    (a session, a day's own place: only on a day it meets)."""
    if batch.start_date <= day <= batch.end_date and not meets_on(batch, day):
        raise FieldError(field, "{batch} does not meet on {day}: choose one of its meeting "
                         "days.", code=code, batch=batch.name, day=fmt_date(day))


def every_day(batch: Batch) -> bool:
    """Whether it meets every day from its first to its last."""
    return batch.meeting_dates is None


def normalized(days: Iterable[date]) -> list[date]:
    """Sorted, each once; at least one and at most MAX_MEETINGS."""
    out = sorted(set(days))
    if not out:
        raise FieldError("dates", "Give at least one meeting date.", code="no_dates")
    if len(out) > MAX_MEETINGS:
        raise FieldError("dates", "A batch can meet on at most {n} dates.",
                         code="too_many_dates", n=MAX_MEETINGS)
    return out


def set_days(batch: Batch, days: Iterable[date]) -> None:
    """Give the batch these meeting days (normalized): start and end become the first
    and last; the list is stored only when some day in between is left out."""
    listed = normalized(days)
    batch.start_date, batch.end_date = listed[0], listed[-1]
    contiguous = len(listed) == (listed[-1] - listed[0]).days + 1
    batch.meeting_dates = None if contiguous else [d.isoformat() for d in listed]


def runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days grouped: [(first, last), ...] (a 3-day workshop is one run; 12
    monthly meetings are 12)."""
    out: list[tuple[date, date]] = []
    for d in days:
        if out and d - out[-1][1] == timedelta(days=1):
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def label(batch: Batch) -> str:
    """How a list names its dates: "12–14 September 2018", or "12 meetings, 9 January –
    11 December 2018" when it does not meet every day."""
    span = fmt_range(batch.start_date, batch.end_date)
    if every_day(batch):
        return span
    n = len(batch.meeting_dates or [])
    return ngettext("{n} meeting, {span}", "{n} meetings, {span}", n, span=span)
