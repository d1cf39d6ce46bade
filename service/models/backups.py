"""Backups of the whole installation: one row per run, scheduled or asked for."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime
from sqlmodel import Field, SQLModel

BACKUP_STATUSES = ("running", "ok", "failed")


class BackupRun(SQLModel, table=True):
    """One backup, from its start to its outcome. `slot` is unique: of two workers that
    reach the same scheduled slot only one can insert it, so only one takes the backup."""

    __tablename__ = "backup_run"

    id: int | None = Field(default=None, primary_key=True)
    # "auto:<hours>h:<slot number>" for a scheduled one, "now:<moment>:<random>" otherwise.
    slot: str = Field(max_length=80, unique=True)
    kind: str = Field(max_length=20)  # scheduled | manual | command
    status: str = Field(default="running", max_length=20)
    started_at: datetime = Field(sa_type=DateTime(timezone=True), index=True)
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    path: str = Field(default="", max_length=1000)
    size: int | None = Field(default=None, sa_type=BigInteger)
    # What went wrong, in words that hold no personal data (an exception's class and the
    # step, never a row's values).
    error: str = Field(default="", max_length=500)
