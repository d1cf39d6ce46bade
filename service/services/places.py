"""Places per day and per session: a batch day held away from the batch's venue (a field
visit to a Kampung KB on day 3), and a session with a place of its own.

Where something happens, most specific first: the session's own place, its day's place,
the batch's venue, the training's venue.
"""

from datetime import date

from sqlmodel import Session, col, select

from service.errors import FieldError
from service.i18n.formats import fmt_date
from service.models import BatchDay, Venue
from service.models.base import pk
from service.models.trainings import Batch
from service.services.meeting_days import check_meeting
from service.services.venues import resolve_venue


def day_places(db: Session, batch_ids: list[int]) -> dict[int, dict[date, Venue]]:
    """batch id -> day -> the day's own place, for the days that have one: one query."""
    out: dict[int, dict[date, Venue]] = {}
    if not batch_ids:
        return out
    rows = db.exec(select(BatchDay, Venue).join(Venue, col(Venue.id) == BatchDay.venue_id)
                   .where(col(BatchDay.batch_id).in_(batch_ids))).all()
    for row, venue in rows:
        out.setdefault(row.batch_id, {})[row.day] = venue
    return out


def venues_by_id(db: Session, venue_ids: set[int]) -> dict[int, Venue]:
    if not venue_ids:
        return {}
    return {pk(v): v for v in db.exec(select(Venue).where(col(Venue.id).in_(venue_ids)))}


def set_day_place(db: Session, org_id: int, batch: Batch, day: date,
                  venue_id: int | None = None, venue: str | None = None) -> Venue | None:
    """Give a day of the batch its own place (an organization's venue by id, or by name,
    created when new); neither clears it, so the day is at the batch's venue again."""
    check_meeting(batch, day, "day", "day_outside_batch")
    if not batch.start_date <= day <= batch.end_date:
        raise FieldError("day", "{batch} runs from {first} to {last}: choose one of its days.",
                         code="day_outside_batch", batch=batch.name,
                         first=fmt_date(batch.start_date), last=fmt_date(batch.end_date))
    chosen = resolve_venue(db, org_id, venue_id, venue)
    row = db.exec(select(BatchDay).where(BatchDay.batch_id == batch.id,
                                         BatchDay.day == day)).first()
    if chosen is None:
        if row is not None:
            db.delete(row)
            db.flush()
        return None
    row = row or BatchDay(batch_id=pk(batch), day=day, venue_id=chosen)
    row.venue_id = chosen
    db.add(row)
    db.flush()
    return db.get(Venue, chosen)
