"""Programmes (trainings that belong together: stages, then the coaching after them),
the audit of merged people, and the pairs the committee found to be two people."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field, timestamp_field


class Program(SQLModel, table=True):
    """A programme of an organization: "Bimtek Pengelola Kampung KB Kota Pontianak 2018",
    its stages (Tahap 1, Tahap 2) and the monthly coaching after them are its trainings,
    in order of Training.program_stage."""

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    title: str = Field(max_length=300)
    start_date: date
    end_date: date
    description: str | None = Field(default=None, max_length=2000)
    created_at: datetime = created_at_field()


class PersonMerge(SQLModel, table=True):
    """The record of two people found to be one: `merged_id`'s registrations moved to
    `kept_id`, and the merged row deleted (its id is kept here, not referenced)."""

    __tablename__ = "person_merge"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    kept_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    merged_id: int
    # What identified the merged row, for the audit (the NIK's last 4 digits only).
    merged_name: str = Field(max_length=200)
    merged_nik_tail: str | None = Field(default=None, max_length=4)
    registrations_moved: int = Field(default=0)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


class DistinctPeople(SQLModel, table=True):
    """Two people of an organization the committee marked as not the same person: the
    pair no longer shows among the likely duplicates. `first_id` is the lower id. Undoing
    keeps the row, with who undid it and when (a later dismissal takes the row again);
    deleting either person (a merge) deletes the row."""

    __tablename__ = "distinct_people"
    __table_args__ = (UniqueConstraint("first_id", "second_id"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    first_id: int = Field(foreign_key="participant.id", ondelete="CASCADE")
    second_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    undone_by_id: int | None = Field(default=None, foreign_key="user.id",
                                     ondelete="SET NULL")
    undone_at: datetime | None = timestamp_field()
