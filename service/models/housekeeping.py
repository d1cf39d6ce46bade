"""Small tables the service keeps for itself: rate-limit counters, shared secrets, uploads."""

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, Text
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field


class RateLimit(SQLModel, table=True):
    """One counter per key and fixed window; stored in the database so every app process
    counts together."""

    key: str = Field(primary_key=True, max_length=200)
    window_start: datetime = Field(sa_type=DateTime(timezone=True), index=True)
    count: int = Field(default=0)


class AppSecret(SQLModel, table=True):
    """A secret generated once and shared by all processes (e.g. the form-signing key)."""

    name: str = Field(primary_key=True, max_length=60)
    value: str = Field(max_length=200)


class UsedFormStamp(SQLModel, table=True):
    """A self-registration form stamp that made a registration: its nonce is the key, so
    of two posts of one stamp only one can commit (one stamp, one registration). Rows
    older than a stamp may live are of no use and get deleted now and then."""

    __tablename__ = "used_form_stamp"

    nonce: str = Field(primary_key=True, max_length=32)
    used_at: datetime = Field(sa_type=DateTime(timezone=True), index=True)


class ImportUpload(SQLModel, table=True):
    """A spreadsheet kept between its preview and the committee's confirmation."""

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id")
    token: str = Field(max_length=64, unique=True)
    filename: str = Field(max_length=255)
    content: bytes = Field(sa_type=LargeBinary)
    created_at: datetime = created_at_field()
    # JSON: the committee's corrections to the file's cells, {"row:column": "text"}, made
    # on the preview page and applied on every check until the import.
    corrections: str = Field(default="{}", sa_type=Text)
