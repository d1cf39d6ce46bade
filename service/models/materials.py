"""The slides of a session (materi), uploaded by its narasumber through their private
link or by the committee, and handed to participants on their ticket page once the
session has started. Stored in the database like report photos."""

from datetime import datetime

from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field


class SessionMaterial(SQLModel, table=True):
    __tablename__ = "session_material"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="agenda_session.id", index=True, ondelete="CASCADE")
    # Kept with the row so a training's materials list without joining the agenda.
    training_id: int = Field(foreign_key="training.id", index=True, ondelete="CASCADE")
    # Who uploaded: the narasumber through their link, or a committee member.
    speaker_id: int | None = Field(default=None, foreign_key="speaker.id",
                                   ondelete="SET NULL")
    uploaded_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    title: str = Field(max_length=200)
    file_name: str = Field(max_length=200)
    file_type: str = Field(max_length=10)
    file_size: int
    data: bytes = Field(sa_type=LargeBinary)
    created_at: datetime = created_at_field()
