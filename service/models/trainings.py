"""A training, the participant categories it expects, and its batches (angkatan)."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.i18n import N_
from service.models.base import created_at_field

KINDS = ("pelatihan", "bimtek", "workshop", "pembinaan", "pertemuan")
KIND_LABELS = {"pelatihan": N_("Training (pelatihan)"), "bimtek": N_("Technical guidance (bimtek)"),
               "workshop": N_("Workshop"), "pembinaan": N_("Coaching (pembinaan)"),
               "pertemuan": N_("Meeting (pertemuan)")}
# WIB, WITA, WIT: Indonesia spans three time zones.
TIMEZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
REGION_LEVELS = {"district": N_("Kecamatan (district)"),
                 "regency": N_("Kabupaten/kota (regency or city)")}


class Training(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    title: str = Field(max_length=300)
    kind: str = Field(max_length=20)
    start_date: date
    end_date: date
    timezone: str = Field(default="Asia/Jakarta", max_length=40)
    venue_id: int | None = Field(default=None, foreign_key="venue.id")
    description: str | None = Field(default=None, max_length=5000)
    # Which region a list shows and groups by: "district" (kecamatan) for a city's
    # cadres, "regency" (kabupaten/kota) for a provincial event's officials.
    region_level: str = Field(default="district", max_length=10)
    # "day": one check-in per batch day; "session": each session takes attendance.
    checkin_mode: str = Field(default="day", max_length=10)
    # Self-registration window (public page), used by the participants capability.
    registration_opens_at: datetime | None = Field(default=None)
    registration_closes_at: datetime | None = Field(default=None)
    # The public self-registration link is /daftar/{public_code}; None until enabled.
    public_code: str | None = Field(default=None, max_length=32, unique=True)
    # Whether self-registering participants may pick their batch.
    registration_batch_choice: bool = Field(default=False)
    # The programme it belongs to, and its place there (1: the first stage).
    program_id: int | None = Field(default=None, foreign_key="program.id", index=True,
                                   ondelete="SET NULL")
    program_stage: int | None = Field(default=None)
    # Ed25519 key pair that signs ticket QR codes; the private half never leaves the server.
    ticket_private_key: bytes | None = Field(default=None)
    ticket_public_key: bytes | None = Field(default=None)
    created_at: datetime = created_at_field()


class TrainingCategory(SQLModel, table=True):
    """A category of participant the training expects (Kader BKB, PKB, ...), optional quota."""

    __table_args__ = (UniqueConstraint("training_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    quota: int | None = Field(default=None)
    # Registrations (not cancelled) in this category, kept by an atomic UPDATE
    # ... WHERE taken < quota, like Batch.confirmed_count.
    taken: int = Field(default=0)
    position: int = Field(default=0)


class Batch(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("training_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    start_date: date
    end_date: date
    capacity: int
    venue_id: int | None = Field(default=None, foreign_key="venue.id")
    # The days it meets when they are not every day from start_date to end_date (a year
    # of monthly coaching): ISO dates, sorted and unique, the first and last being
    # start_date and end_date. NULL (never a JSON null): every day of the range.
    # services/meeting_days.py reads it.
    meeting_dates: list[str] | None = Field(default=None,
                                            sa_column=Column(JSON(none_as_null=True)))
    # Kept by an atomic UPDATE ... WHERE confirmed_count < capacity, so capacity
    # holds under concurrent registrations.
    confirmed_count: int = Field(default=0)
    position: int = Field(default=0)
    created_at: datetime = created_at_field()
