"""A meeting's minutes (notulen): the text several committee members write at once, each
saved version of it, and the decisions marked as such.

Every save is kept as a revision with its version number, so a save made on an older
version can be merged into the newest (services/minutes/merge.py) instead of replacing
what another member wrote in between.
"""

from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field

TEXT_MAX = 100_000  # characters: a long meeting's minutes, far below a column's limit
DECISION_MAX = 2000
MAX_DECISIONS = 100


class Minutes(SQLModel, table=True):
    """The minutes of one training (a meeting): its newest text and version, who chaired
    and who took the notes, where and when."""

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", unique=True, ondelete="CASCADE")
    text: str = Field(default="", sa_type=Text)
    # The newest revision's number (0: nothing saved yet). Saves lock this row.
    version: int = Field(default=0)
    chair_name: str = Field(default="", max_length=200)  # pimpinan rapat
    chair_nip: str = Field(default="", max_length=40)
    chair_position: str = Field(default="", max_length=200)
    note_taker_name: str = Field(default="", max_length=200)  # notulis
    note_taker_nip: str = Field(default="", max_length=40)
    place: str = Field(default="", max_length=200)
    held_on: date | None = Field(default=None)
    updated_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    updated_at: datetime = created_at_field()


class MinutesRevision(SQLModel, table=True):
    """One saved version. `own_text` is what the editor sent when it had to be merged
    (the result, `text`, also holds what others wrote): the editor's next save, typed on
    top of their own text, is diffed against it."""

    __tablename__ = "minutes_revision"
    __table_args__ = (UniqueConstraint("minutes_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    minutes_id: int = Field(foreign_key="minutes.id", ondelete="CASCADE")
    version: int
    text: str = Field(default="", sa_type=Text)
    own_text: str | None = Field(default=None, sa_type=Text)
    base_version: int | None = Field(default=None)
    merged: bool = Field(default=False)
    conflict: bool = Field(default=False)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    user_name: str = Field(default="", max_length=200)
    created_at: datetime = created_at_field()


class MinutesDecision(SQLModel, table=True):
    """A decision of the meeting (keputusan), in order. `since_version` is the version
    that added it: a save based on an older version never removes a decision it did not
    know about."""

    __tablename__ = "minutes_decision"
    __table_args__ = (Index("ix_minutes_decision_minutes_position", "minutes_id",
                            "position"),)

    id: int | None = Field(default=None, primary_key=True)
    minutes_id: int = Field(foreign_key="minutes.id", ondelete="CASCADE")
    position: int = Field(default=0)
    text: str = Field(max_length=DECISION_MAX)
    since_version: int = Field(default=0)
    created_at: datetime = created_at_field()
