"""Where a batch day happens when it is not the batch's own venue (a field visit on
day 3 to a Kampung KB). A session's own place is AgendaSession.venue_id."""

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class BatchDay(SQLModel, table=True):
    __tablename__ = "batch_day"
    __table_args__ = (UniqueConstraint("batch_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="batch.id", index=True, ondelete="CASCADE")
    day: date
    # A row exists only for a day with a place of its own; without one the day is at the
    # batch's venue (else the training's).
    venue_id: int = Field(foreign_key="venue.id", index=True)
