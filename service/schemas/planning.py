"""Shapes for planning a training: trainings, categories, batches, sessions, speakers, venues."""

from datetime import date, time
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from service.schemas.common import (
    Name,
    OptEmail,
    OptInt,
    OptName,
    OptPhone,
    OptShort,
    OptText,
    Short,
    Title,
    _blank_to_none,
)

Kind = Literal["pelatihan", "bimtek", "workshop", "pembinaan", "pertemuan"]
SessionKind = Literal["opening", "material", "field_visit", "break", "closing"]
TimeZone = Literal["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]
# "day": one check-in per day of the batch; "session": each session's start opens its own.
CheckinMode = Literal["day", "session"]
_TZ_ALIASES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


def _blank_to_zero(v: object) -> object:
    return 0 if _blank_to_none(v) is None else v


def _tz_alias(v: object) -> object:
    v = _blank_to_none(v)
    return _TZ_ALIASES.get(v.strip().upper(), v) if isinstance(v, str) else v


class Input(BaseModel):
    model_config = ConfigDict(extra="ignore")


class CategoryIn(Input):
    name: Short
    quota: Annotated[int | None, Field(ge=1, le=100_000), BeforeValidator(_blank_to_none)] = None


class TrainingCreate(Input):
    title: Title
    kind: Kind
    start_date: date
    end_date: date
    timezone: Annotated[TimeZone, BeforeValidator(_tz_alias)] = "Asia/Jakarta"
    venue: OptName = None
    venue_id: OptInt = None
    description: OptText = None
    categories: list[CategoryIn] = Field(default_factory=list, max_length=50)
    checkin_mode: CheckinMode = "day"


class TrainingUpdate(TrainingCreate):
    pass


class BatchCreate(Input):
    name: Short
    start_date: date
    end_date: date
    capacity: Annotated[int, Field(ge=1, le=100_000)]
    venue: OptName = None
    venue_id: OptInt = None


class SessionCreate(Input):
    title: Title
    date: date
    start_time: time
    end_time: time
    kind: SessionKind = "material"
    jpl: Annotated[int, Field(ge=0, le=24), BeforeValidator(_blank_to_zero)] = 0
    room: OptShort = None
    room_id: OptInt = None
    speaker_ids: list[int] = Field(default_factory=list, max_length=20)
    description: OptText = None


class CopyAgenda(Input):
    target_batch_id: int
    replace: bool = False


class SpeakerCreate(Input):
    name: Name
    title: OptShort = None
    position: OptName = None
    institution: OptName = None
    phone: OptPhone = None
    email: OptEmail = None


class VenueCreate(Input):
    name: Name
    address: OptText = None
    city: OptShort = None
    rooms: list[Short] = Field(default_factory=list, max_length=100)


class RoomCreate(Input):
    name: Short
    capacity: Annotated[int | None, Field(ge=1, le=100_000), BeforeValidator(_blank_to_none)] = None


# Responses

class CategoryRead(BaseModel):
    id: int
    name: str
    quota: int | None


class BatchRead(BaseModel):
    id: int
    training_id: int
    name: str
    start_date: date
    end_date: date
    days: list[date]
    capacity: int
    confirmed: int
    venue_id: int | None
    venue: str | None
    total_jpl: int


class TrainingRead(BaseModel):
    id: int
    title: str
    kind: str
    start_date: date
    end_date: date
    timezone: str
    timezone_label: str
    venue_id: int | None
    venue: str | None
    description: str | None
    checkin_mode: str
    categories: list[CategoryRead]
    batches: list[BatchRead]


class SpeakerRead(BaseModel):
    id: int
    name: str
    title: str | None
    position: str | None
    institution: str | None
    phone: str | None
    email: str | None


class SessionRead(BaseModel):
    id: int
    batch_id: int
    title: str
    date: date
    start_time: time
    end_time: time
    kind: str
    jpl: int
    room_id: int | None
    room: str | None
    description: str | None
    speaker_ids: list[int]
    speakers: list[SpeakerRead]


class RoomRead(BaseModel):
    id: int
    name: str
    capacity: int | None


class VenueRead(BaseModel):
    id: int
    name: str
    address: str | None
    city: str | None
    rooms: list[RoomRead]
