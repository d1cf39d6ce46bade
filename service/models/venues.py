"""Venues (a hotel, a balai desa) and their rooms."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field


class Venue(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    name: str = Field(max_length=200)
    address: str | None = Field(default=None, max_length=500)
    city: str | None = Field(default=None, max_length=120)
    created_at: datetime = created_at_field()


class Room(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("venue_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    venue_id: int = Field(foreign_key="venue.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    capacity: int | None = Field(default=None)
