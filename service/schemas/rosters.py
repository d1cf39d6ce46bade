"""Shapes for rosters and the narasumber's private roster links."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel

from service.schemas.common import Id

# How a roster shows NIK: the last 4 digits, or whole (admins only).
NikMode = Literal["masked", "full"]


class RosterLinkCreate(BaseModel):
    speaker_id: Id


class RosterLinkCreated(BaseModel):
    id: int
    speaker_id: int
    url: str  # shown once: only its hash is stored
    expires_at: datetime


class RosterLinkSession(BaseModel):
    id: int
    batch_id: int
    batch: str
    date: date
    title: str


class RosterLinkSpeaker(BaseModel):
    speaker_id: int
    name: str
    institution: str | None
    sessions: list[RosterLinkSession]
    link_id: int | None
    link_expires_at: datetime | None
