"""Shapes of a training's guests, committee and narasumber attendance in the API."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, StringConstraints

from service.schemas.common import OptEmail, OptName, OptPhone, SingleLine, _blank_to_none

PersonKind = Literal["guest", "committee"]
OptRole = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), SingleLine] | None,
    BeforeValidator(_blank_to_none),
]
OptNip = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=30), SingleLine] | None,
    BeforeValidator(_blank_to_none),
]
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                              max_length=200), SingleLine]


class PersonCreate(BaseModel):
    """A guest (`kind` "guest") or a committee member ("committee", with its
    `committee_role`: Penanggung jawab, Ketua, Sekretaris, Bendahara, Anggota...)."""

    model_config = ConfigDict(extra="forbid")

    kind: PersonKind = "guest"
    name: PersonName
    position: OptName = None
    institution: OptName = None
    nip: OptNip = None
    committee_role: OptRole = None
    phone: OptPhone = None
    email: OptEmail = None


class PersonPatch(BaseModel):
    """Only the fields sent change; `sort_order` moves the person in their list."""

    model_config = ConfigDict(extra="forbid")

    name: PersonName | None = None
    position: OptName = None
    institution: OptName = None
    nip: OptNip = None
    committee_role: OptRole = None
    phone: OptPhone = None
    email: OptEmail = None
    sort_order: int | None = None


class PersonCreated(BaseModel):
    id: int


class PersonRead(BaseModel):
    id: int
    kind: str
    name: str
    position: str
    institution: str
    committee_role: str
    # Masked (last 4 digits) for everyone but admins.
    nip: str | None
    phone: str | None
    sort_order: int
    days_present: list[date]


class PeopleList(BaseModel):
    guests: list[PersonRead]
    committee: list[PersonRead]


class Presence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    present: bool


class PersonAttendanceRead(BaseModel):
    person_id: int
    day: date
    present: bool
    via: str
    recorded_at: datetime


class AttendanceGrid(BaseModel):
    days: list[date]
    items: list[PersonAttendanceRead]


class GuestCheckin(BaseModel):
    """The QR text of a guest's or committee member's card (its URL ends in /g/<token>).
    A scan kept offline also says when it was made (`scanned_at`, with its offset: the
    attendance day is that moment's day where the training happens) and its `nonce` (sent
    again, it changes nothing)."""

    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                           max_length=500), SingleLine]
    scanned_at: AwareDatetime | None = None
    nonce: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                                            pattern=r"^[A-Za-z0-9._:\-]+$")] | None = None


class GuestCheckinRead(BaseModel):
    status: Literal["checked_in", "already_checked_in"]
    person_id: int
    name: str
    kind: str
    day: date
    first_at: datetime | None = None


class SpeakerAttendanceRead(BaseModel):
    session_id: int
    speaker_id: int
    present: bool
    via_link: bool
    recorded_by: str | None
    recorded_at: datetime


class SpeakerSessionRead(BaseModel):
    session_id: int
    batch_id: int
    batch: str
    date: date
    start_time: str
    end_time: str
    title: str
    jpl: int
    speaker_id: int
    speaker: str
    # None: not recorded yet.
    present: bool | None
    via_link: bool
    recorded_by: str | None
    recorded_at: datetime | None


class SpeakerAttendanceList(BaseModel):
    items: list[SpeakerSessionRead]
