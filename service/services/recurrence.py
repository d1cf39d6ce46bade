"""Meeting dates from a rule, as a committee says it: "every month on the second
Tuesday, 12 times", "every week on Thursday until 30 June", "every month on the 15th".

RFC 5545 recurrence by dateutil.rrule (a month without a 31st, a fifth Thursday, a
leap year: its rules, not ours)."""

from datetime import date, datetime
from itertools import islice

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from service.errors import FieldError
from service.schemas.planning import MAX_MEETINGS, RecurrenceIn

# monthly_weekday: the nth weekday of each month (nth -1: the last); monthly_day: the
# same day of each month (a month too short for it is skipped, as a calendar does);
# weekly / biweekly: that weekday every week / every other week.
FREQUENCIES = ("monthly_weekday", "monthly_day", "weekly", "biweekly")


def dates(rule: RecurrenceIn) -> list[date]:
    """The dates the rule gives from its start, at most MAX_MEETINGS; a clear error for a
    rule that gives none or too many."""
    if rule.frequency not in FREQUENCIES:
        raise FieldError("frequency", "Choose how often the batch meets.", code="invalid_rule")
    if rule.count is None and rule.until is None:
        raise FieldError("count", "Say how many times, or until which date.",
                         code="invalid_rule")
    if rule.until is not None and rule.until < rule.start:
        raise FieldError("until", "The last date is before the first.", code="invalid_rule")
    if rule.count is not None and not 1 <= rule.count <= MAX_MEETINGS:
        raise FieldError("count", "A batch can meet on at most {n} dates.",
                         code="too_many_dates", n=MAX_MEETINGS)
    by: dict[str, object] = {}
    if rule.frequency == "monthly_weekday":
        if rule.nth not in (1, 2, 3, 4, -1) or not 0 <= rule.weekday <= 6:
            raise FieldError("nth", "Choose which weekday of the month.", code="invalid_rule")
        by = {"freq": MONTHLY, "byweekday": weekday(rule.weekday)(rule.nth)}
    elif rule.frequency == "monthly_day":
        if not 1 <= rule.monthday <= 31:
            raise FieldError("monthday", "Choose a day of the month from 1 to 31.",
                             code="invalid_rule")
        by = {"freq": MONTHLY, "bymonthday": rule.monthday}
    else:
        if not 0 <= rule.weekday <= 6:
            raise FieldError("weekday", "Choose a weekday.", code="invalid_rule")
        by = {"freq": WEEKLY, "byweekday": rule.weekday,
              "interval": 2 if rule.frequency == "biweekly" else 1}
    # A count, else the last date; one more than allowed is read (lazily: an "until"
    # decades away costs nothing), to tell "too many" from "just enough".
    start = datetime.combine(rule.start, datetime.min.time())
    if rule.count is not None:
        recurring = rrule(dtstart=start, count=rule.count, **by)  # type: ignore[arg-type]
    else:
        assert rule.until is not None
        recurring = rrule(dtstart=start, until=datetime.combine(rule.until, datetime.min.time()),
                          **by)  # type: ignore[arg-type]
    found = [d.date() for d in islice(recurring, MAX_MEETINGS + 1)]
    if not found:
        raise FieldError("until", "The rule gives no date before the last date.",
                         code="no_dates")
    if len(found) > MAX_MEETINGS:
        raise FieldError("until", "A batch can meet on at most {n} dates.",
                         code="too_many_dates", n=MAX_MEETINGS)
    return found
