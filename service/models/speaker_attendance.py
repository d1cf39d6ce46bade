"""Whether a narasumber was there for a session they teach: ticked by the committee or by
the narasumber through their own link. The SPJ pays honorarium only for the JP of the
sessions a narasumber was present for (services/spj), so this is its evidence."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from service.models.base import created_at_field


class SpeakerAttendance(SQLModel, table=True):
    """One row per (session, speaker): the latest word on their presence. No row: not
    recorded yet (the SPJ counts it as not present and says so)."""

    __tablename__ = "speaker_attendance"

    session_id: int = Field(foreign_key="agenda_session.id", primary_key=True,
                            ondelete="CASCADE")
    speaker_id: int = Field(foreign_key="speaker.id", primary_key=True, index=True,
                            ondelete="CASCADE")
    present: bool = Field(default=True)
    # Who said so: a committee user, or the narasumber's own link (user_id None).
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    via_link: bool = Field(default=False)
    recorded_at: datetime = created_at_field()
