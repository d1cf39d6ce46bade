"""Shapes for planning a training: trainings, categories, batches, sessions, speakers, venues."""

from datetime import date, time
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from service.schemas.common import (
    Id,
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

OptDate = Annotated[date | None, BeforeValidator(_blank_to_none)]

if TYPE_CHECKING:  # the services import these shapes: only the type checker goes back
    from service.models import Room, Speaker, Venue
    from service.services.overview import BatchInfo, SessionItem, TrainingOverview

Kind = Literal["pelatihan", "bimtek", "workshop", "pembinaan", "pertemuan"]
SessionKind = Literal["opening", "material", "field_visit", "break", "closing"]
TimeZone = Literal["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]
# "day": one check-in per day of the batch; "session": each session's start opens its own.
CheckinMode = Literal["day", "session"]
# The region a training's lists show and group by: kecamatan, or kabupaten/kota.
RegionLevel = Literal["district", "regency"]
MAX_STAGE = 50  # a programme's stages: numbered 1..MAX_STAGE
MAX_MEETINGS = 366  # a batch's meeting dates: one a day for a (leap) year at most
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
    region_level: RegionLevel = "district"
    # The programme it belongs to (the organization's), and its stage there (1: the
    # first); without a stage number it becomes the programme's next stage. Left out of a
    # PUT: the training stays where it is.
    program_id: OptInt = None
    program_stage: Annotated[int | None, Field(ge=1, le=MAX_STAGE),
                             BeforeValidator(_blank_to_none)] = None


class TrainingUpdate(TrainingCreate):
    pass


class BatchCreate(Input):
    name: Short
    # Every day from start_date to end_date, or exactly the `dates` listed (a year of
    # monthly coaching); the service says which is missing.
    start_date: OptDate = None
    end_date: OptDate = None
    dates: list[date] | None = Field(default=None, max_length=MAX_MEETINGS)
    capacity: Annotated[int, Field(ge=1, le=100_000)]
    venue: OptName = None
    venue_id: OptInt = None


Frequency = Literal["monthly_weekday", "monthly_day", "weekly", "biweekly"]


class RecurrenceIn(Input):
    """A rule for meeting dates: "every month on the second Tuesday, 12 times"."""

    frequency: Frequency = "monthly_weekday"
    start: date
    weekday: Annotated[int, Field(ge=0, le=6)] = 0
    nth: Annotated[int, Field(ge=-1, le=4)] = 1  # 1..4, or -1: the last
    monthday: Annotated[int, Field(ge=1, le=31)] = 1
    count: Annotated[int | None, Field(ge=1, le=MAX_MEETINGS),
                     BeforeValidator(_blank_to_none)] = None
    until: OptDate = None


class BatchLine(Input):
    """One batch of a recurring set: a kecamatan's group and its own place."""

    name: Short
    venue: OptName = None
    capacity: Annotated[int, Field(ge=1, le=100_000)]


class RecurringBatches(Input):
    """Several batches meeting on the same dates from one rule (Pontianak's coaching: six
    kecamatan, twelve monthly meetings each), in one request."""

    rule: RecurrenceIn
    batches: list[BatchLine] = Field(min_length=1, max_length=50)


class MeetingMove(Input):
    day: date
    to: date


class MeetingCancel(Input):
    day: date


class SessionCreate(Input):
    title: Title
    date: date
    start_time: time
    end_time: time
    kind: SessionKind = "material"
    jpl: Annotated[int, Field(ge=0, le=24), BeforeValidator(_blank_to_zero)] = 0
    room: OptShort = None
    room_id: OptInt = None
    # The session's own place (a field visit), by id or by name (created when new).
    venue: OptName = None
    venue_id: OptInt = None
    speaker_ids: list[Id] = Field(default_factory=list, max_length=20)
    description: OptText = None


class DayPlace(Input):
    """A batch day's own place, by id or by name; neither: the batch's venue again."""

    venue: OptName = None
    venue_id: OptInt = None


class CopyAgenda(Input):
    target_batch_id: Id
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


class VenueUpdate(Input):
    """A venue's name, address and city (its rooms are added one by one)."""

    name: Name
    address: OptText = None
    # Printed beside the date of the activity report's signature block ("Padang, ...").
    city: OptShort = None


class RoomCreate(Input):
    name: Short
    capacity: Annotated[int | None, Field(ge=1, le=100_000), BeforeValidator(_blank_to_none)] = None


# Responses

class CategoryRead(BaseModel):
    id: int
    name: str
    quota: int | None


class DayPlaceRead(BaseModel):
    """A day of the batch held away from its venue."""

    date: date
    venue_id: int
    venue: str


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
    places: list[DayPlaceRead] = Field(default_factory=list)


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
    region_level: str
    program_id: int | None = None
    program_stage: int | None = None
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
    venue_id: int | None = None
    venue: str | None = None
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


# --- from the planning services' read models ------------------------------------------

def speaker_read(s: "Speaker") -> SpeakerRead:
    return SpeakerRead.model_validate(s, from_attributes=True)


def session_read(item: "SessionItem") -> SessionRead:
    s = item.session
    return SessionRead(
        id=s.id or 0, batch_id=s.batch_id, title=s.title, date=s.date, start_time=s.start_time,
        end_time=s.end_time, kind=s.kind, jpl=s.jpl, room_id=s.room_id,
        room=item.room.name if item.room else None, venue_id=s.venue_id,
        venue=item.venue.name if item.venue else None, description=s.description,
        speaker_ids=[sp.id or 0 for sp in item.speakers],
        speakers=[speaker_read(sp) for sp in item.speakers])


def batch_read(info: "BatchInfo") -> BatchRead:
    b = info.batch
    return BatchRead(id=b.id or 0, training_id=b.training_id, name=b.name,
                     start_date=b.start_date, end_date=b.end_date, days=info.days,
                     capacity=b.capacity, confirmed=b.confirmed_count, venue_id=b.venue_id,
                     venue=info.venue.name if info.venue else None, total_jpl=info.total_jpl,
                     places=[DayPlaceRead(date=d, venue_id=v.id or 0, venue=v.name)
                             for d, v in sorted(info.day_venues.items())])


def training_read(ov: "TrainingOverview") -> TrainingRead:
    t = ov.training
    return TrainingRead(
        id=t.id or 0, title=t.title, kind=t.kind, start_date=t.start_date, end_date=t.end_date,
        timezone=t.timezone, timezone_label=ov.timezone_label, venue_id=t.venue_id,
        venue=ov.venue.name if ov.venue else None, description=t.description,
        checkin_mode=t.checkin_mode, region_level=t.region_level,
        program_id=t.program_id, program_stage=t.program_stage,
        categories=[CategoryRead(id=c.id or 0, name=c.name, quota=c.quota)
                    for c in ov.categories],
        batches=[batch_read(b) for b in ov.batches])


def venue_read(venue: "Venue", rooms: "list[Room]") -> VenueRead:
    return VenueRead(id=venue.id or 0, name=venue.name, address=venue.address, city=venue.city,
                     rooms=[RoomRead(id=r.id or 0, name=r.name, capacity=r.capacity)
                            for r in rooms])
