"""Shared column helpers."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored moment as an aware datetime: SQLite hands them back naive, and every
    moment is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def created_at_field() -> datetime:
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False)


def timestamp_field() -> datetime | None:
    return Field(default=None, sa_type=DateTime(timezone=True), nullable=True)


# Named constraints, so later migrations (SQLite batch mode included) can drop or alter them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def pk(row: SQLModel) -> int:
    """The primary key of a flushed row (SQLModel types it Optional until then)."""
    value = getattr(row, "id", None)
    if value is None:
        raise RuntimeError(f"{type(row).__name__} has no id yet: flush it first")
    return int(value)
