"""Shapes of nominations by unit in the API: a training's units, their fill and their
delegates."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from service.schemas.common import Id, OptInt, OptName, _blank_to_none

Quota = Annotated[int, Field(ge=1, le=10_000)]


def _day_or_moment(v: object) -> object:
    """A bare "YYYY-MM-DD" is a day (pydantic would read it as midnight of that day)."""
    v = _blank_to_none(v)
    if isinstance(v, str) and len(v.strip()) == 10:
        try:
            return date.fromisoformat(v.strip())
        except ValueError:
            return v
    return v


# A date (the end of that day where the training is held) or a datetime with its offset.
Deadline = Annotated[date | datetime | None, BeforeValidator(_day_or_moment)]
UnitKind = Literal["kabupaten_kota", "opd", "kecamatan"]


class TrainingUnitCreate(BaseModel):
    """`name` of the unit (found in the units register, or added to it as `kind`), or
    `unit_id` one of the register's units."""

    model_config = ConfigDict(extra="forbid")

    name: OptName = None
    unit_id: OptInt = None
    kind: UnitKind = "kabupaten_kota"
    quota: Quota
    deadline: Deadline = None


class TrainingUnitPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quota: Quota | None = None
    deadline: Deadline = None


class TrainingUnitCreated(BaseModel):
    id: int
    link: str


class LinkRead(BaseModel):
    link: str
    expires_at: datetime


class TrainingUnitRead(BaseModel):
    id: int
    unit_id: int
    name: str
    kind: str
    quota: int
    named: int
    accepted: int
    deadline: datetime | None
    surat_tugas: bool
    open: bool


class UnitTotals(BaseModel):
    units: int
    named: int
    quota: int
    accepted: int
    surat_tugas: int
    lagging: int


class TrainingUnitList(BaseModel):
    items: list[TrainingUnitRead]
    totals: UnitTotals


class NomineeRead(BaseModel):
    id: int
    name: str
    nip: str
    position: str
    phone: str
    email: str
    accepted: bool
    registration_id: int | None
    via_link: bool
    created_at: datetime


class NomineeList(BaseModel):
    items: list[NomineeRead]


class AcceptRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nominee_ids: list[Id] | None = Field(default=None, max_length=10_000)


class Accepted(BaseModel):
    accepted: int


class RemindRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Literal["whatsapp", "email", "both"] = "both"


class RemindersQueued(BaseModel):
    queued: int
