"""Shapes for rosters and the narasumber's private roster links."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel

from service.schemas.common import Id

# How a roster shows NIK: the last 4 digits, or whole (admins only).
NikMode = Literal["masked", "full"]
# How a daftar hadir lists people: one list, or one section per region (the training's
# kecamatan or kabupaten/kota), each numbered from 1.
SheetGrouping = Literal["none", "region"]


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
    # Their latest link when it has run out: POST roster-links again reissues it.
    expired_link_id: int | None = None
    expired_at: datetime | None = None
