"""The people at a training who are not its participants: invited guests (the officials
who open it: the Kadis, the camat, the Koramil, the Polsek) and the committee (panitia).
Each has their own attendance, daftar hadir and list in the report."""

from datetime import date, datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field

EVENT_PERSON_KINDS = ("guest", "committee")


class EventPerson(SQLModel, table=True):
    __tablename__ = "event_person"

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", index=True, ondelete="CASCADE")
    kind: str = Field(default="guest", max_length=10)  # EVENT_PERSON_KINDS
    name: str = Field(max_length=200)
    nip: str = Field(default="", max_length=18)
    position: str = Field(default="", max_length=200)  # jabatan: "Kepala Dinas", "Camat"
    institution: str = Field(default="", max_length=200)
    # A committee member's place in the committee: "Ketua", "Sekretaris", "Anggota".
    committee_role: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=20)
    email: str = Field(default="", max_length=254)
    # The secret in the person's QR card, scanned at the door like a ticket.
    token: str = Field(max_length=64, unique=True)
    sort_order: int = Field(default=0)
    created_at: datetime = created_at_field()


class EventPersonAttendance(SQLModel, table=True):
    """One row per (person, day): present or not, scanned or ticked, by whom."""

    __tablename__ = "event_person_attendance"

    person_id: int = Field(foreign_key="event_person.id", primary_key=True, ondelete="CASCADE")
    day: date = Field(primary_key=True)
    present: bool = Field(default=True)
    via: str = Field(default="tick", max_length=10)  # "tick" or "scan"
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    recorded_at: datetime = created_at_field()


class EventPersonScan(SQLModel, table=True):
    """A card scan the door sent with its nonce (offline scans are sent again until the
    server answers): the same nonce a second time changes nothing."""

    __tablename__ = "event_person_scan"

    nonce: str = Field(primary_key=True, max_length=64)
    person_id: int = Field(foreign_key="event_person.id", index=True, ondelete="CASCADE")
    day: date
    scanned_at: datetime = Field(sa_type=DateTime(timezone=True))
    recorded_at: datetime = created_at_field()
