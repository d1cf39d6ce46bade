"""Certificates: numbered per organization, verifiable by an unguessable code."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field, timestamp_field


class Certificate(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organization_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    registration_id: int = Field(foreign_key="registration.id", unique=True)
    number: str = Field(max_length=120)
    verification_code: str = Field(max_length=64, unique=True)
    issued_at: datetime = created_at_field()
    issued_by: int | None = Field(default=None, foreign_key="user.id")
    revoked_at: datetime | None = timestamp_field()
    revoke_reason: str | None = Field(default=None, max_length=500)


class Counter(SQLModel, table=True):
    """A named sequence per organization (certificate numbers), bumped atomically
    so two issuings at once never reuse a number."""

    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    name: str = Field(max_length=60)
    value: int = Field(default=0)
