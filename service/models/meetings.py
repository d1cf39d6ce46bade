"""A meeting's presenters: each unit (an OPD, a kecamatan, a Kampung KB) that presents,
who speaks for it, on what, when, and the presentation they bring.

The presentation is kept in the database like report photos (one place for every piece
of state: a backup holds it, and any app process behind the proxy serves it); lists
load the rows without their bytes (services/meetings/presenters.py defers them).
"""

from datetime import date, datetime, time

from sqlalchemy import Index, LargeBinary
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field, timestamp_field


class MeetingPresenter(SQLModel, table=True):
    __tablename__ = "meeting_presenter"
    __table_args__ = (Index("ix_meeting_presenter_training_day", "training_id", "day",
                            "start_time"),)

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", ondelete="CASCADE")
    # The batch whose meeting day the slot lies in.
    batch_id: int = Field(foreign_key="batch.id", index=True, ondelete="CASCADE")
    # A unit in use is never deleted (services/units.delete_unit refuses).
    unit_id: int = Field(foreign_key="org_unit.id", index=True)
    name: str = Field(max_length=200)
    position: str = Field(default="", max_length=200)  # jabatan, e.g. "Kepala Bidang KB"
    topic: str = Field(max_length=300)
    day: date
    start_time: time
    end_time: time
    sort_order: int = Field(default=0)
    # The presentation: PDF, PPTX, PPT or ODP, recognised by its content.
    file_name: str = Field(default="", max_length=200)
    file_type: str = Field(default="", max_length=10)
    file_size: int = Field(default=0)
    file_data: bytes | None = Field(default=None, sa_type=LargeBinary)
    file_uploaded_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
