"""Check-ins (one per registration and day, or per session) and every raw scan."""

from datetime import date, datetime

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field


class CheckIn(SQLModel, table=True):
    __tablename__ = "checkin"
    # slot is 0 for a whole day, else the session id: one unique key serves both modes
    # (a NULL session id would not be unique in PostgreSQL).
    __table_args__ = (UniqueConstraint("registration_id", "day", "slot"),)

    id: int | None = Field(default=None, primary_key=True)
    registration_id: int = Field(foreign_key="registration.id", index=True, ondelete="CASCADE")
    day: date = Field(index=True)
    slot: int = Field(default=0)
    session_id: int | None = Field(default=None, foreign_key="agenda_session.id")
    scanned_at: datetime = Field(sa_type=DateTime(timezone=True))
    recorded_at: datetime = created_at_field()
    device_id: str | None = Field(default=None, max_length=64)
    method: str = Field(default="qr", max_length=10)
    nonce: str | None = Field(default=None, max_length=64, unique=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")


class Scan(SQLModel, table=True):
    """Every scan a device reports, kept even when it duplicates a check-in, so that
    offline devices' conflicts can be shown to the committee."""

    id: int | None = Field(default=None, primary_key=True)
    registration_id: int | None = Field(default=None, foreign_key="registration.id", index=True)
    nonce: str = Field(max_length=64, unique=True)
    device_id: str | None = Field(default=None, max_length=64)
    scanned_at: datetime = Field(sa_type=DateTime(timezone=True))
    recorded_at: datetime = created_at_field()
    result: str = Field(max_length=30)
    checkin_id: int | None = Field(default=None, foreign_key="checkin.id")
    flagged: bool = Field(default=False)
