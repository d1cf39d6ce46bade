"""What the committee writes into a training's activity report (background, objectives,
conclusions, follow-up) and the photos of its sessions."""

from datetime import date, datetime

from sqlalchemy import Index, LargeBinary, Text
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field

# A report prints a handful of photos per day; a bound keeps a training's rows (and its
# DOCX) from growing without end when a phone uploads a whole gallery.
MAX_PHOTOS = 40
TEXT_MAX = 20_000  # characters per text: several pages, far below a column's limit


class ReportText(SQLModel, table=True):
    """The report's own text. Absent (or a blank field): the defaults of
    services/report_texts.py (the training's description, objectives from its title)."""

    __tablename__ = "report_text"

    training_id: int = Field(foreign_key="training.id", primary_key=True, ondelete="CASCADE")
    background: str = Field(default="", sa_type=Text)
    objectives: str = Field(default="", sa_type=Text)
    conclusions: str = Field(default="", sa_type=Text)
    follow_up: str = Field(default="", sa_type=Text)  # rencana tindak lanjut (RTL)
    updated_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    updated_at: datetime = created_at_field()


class ReportPhoto(SQLModel, table=True):
    """One photo of the training, stored re-encoded (upright, resized, without EXIF: a
    phone's GPS position never leaves in a report) with its thumbnail."""

    __tablename__ = "report_photo"
    __table_args__ = (Index("ix_report_photo_training_position", "training_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", ondelete="CASCADE")
    session_id: int | None = Field(default=None, foreign_key="agenda_session.id",
                                   ondelete="SET NULL")
    caption: str = Field(default="", max_length=300)
    taken_on: date  # EXIF DateTimeOriginal, else the day of the upload
    image: bytes = Field(sa_type=LargeBinary)  # JPEG, long side at most 1600 px
    thumbnail: bytes = Field(sa_type=LargeBinary)  # JPEG, long side at most 400 px
    width: int
    height: int
    position: int = Field(default=0)
    uploaded_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    uploaded_at: datetime = created_at_field()
