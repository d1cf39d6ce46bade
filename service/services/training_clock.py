"""A training's own clock: moments on the wall clock where it happens (WIB, WITA or
WIT), today there, and the batch and day a door or attendance page opens on."""

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from service.models import Batch, Training
from service.models.base import as_utc, utcnow
from service.services.meeting_days import days_of, meets_on


def local(training: Training, moment: datetime) -> datetime:
    """A stored moment (naive means UTC) as an aware time in the training's zone."""
    return as_utc(moment).astimezone(ZoneInfo(training.timezone))


def today(training: Training, now: datetime | None = None) -> date:
    """Today where the training happens."""
    return local(training, now or utcnow()).date()


def default_batch(batches: Sequence[Batch], day: date) -> Batch | None:
    """The batch meeting on `day`, else the next to start, else the first."""
    if not batches:
        return None
    running = [b for b in batches if meets_on(b, day)]
    upcoming = sorted((b for b in batches if b.start_date > day), key=lambda b: b.start_date)
    return (running or upcoming or list(batches))[0]


def default_day(batch: Batch, day: date) -> date:
    """`day` when the batch meets then, else its next meeting, else its first."""
    if meets_on(batch, day):
        return day
    days = days_of(batch)
    return next((d for d in days if d > day), days[0])
