"""Narasumber (speakers) and the sessions of a batch's timetable."""

from datetime import date, datetime, time

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from service.i18n import N_
from service.models.base import created_at_field

SESSION_KINDS = ("opening", "material", "field_visit", "break", "closing")
SESSION_KIND_LABELS = {"opening": N_("Opening"), "material": N_("Material"),
                       "field_visit": N_("Field visit"), "break": N_("Break"),
                       "closing": N_("Closing")}


class Speaker(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    name: str = Field(max_length=200)
    # Academic or honorific title as written, e.g. "Dr. dr." or "S.Pd., M.Si."
    title: str | None = Field(default=None, max_length=120)
    position: str | None = Field(default=None, max_length=200)
    institution: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=30)
    email: str | None = Field(default=None, max_length=254)
    # What the SPJ needs to pay them (personal data: only admins and the treasurer see
    # these, through /speakers/{id}/finance; lists mask them, logs never carry them).
    nip: str | None = Field(default=None, max_length=18)
    golongan: str | None = Field(default=None, max_length=3)  # I..IV; None: non-ASN
    npwp: str | None = Field(default=None, max_length=16)
    bank_name: str | None = Field(default=None, max_length=100)
    bank_account: str | None = Field(default=None, max_length=30)
    account_holder: str | None = Field(default=None, max_length=200)
    # One of the rate table's narasumber classes, by name ("Eselon III ke bawah").
    honorarium_class: str | None = Field(default=None, max_length=100)
    created_at: datetime = created_at_field()


class AgendaSession(SQLModel, table=True):
    """One agenda item of a batch day. (Named so it never shadows a DB Session.)"""

    __tablename__ = "agenda_session"
    __table_args__ = (Index("ix_agenda_session_date_start", "date", "start_time"),)

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="batch.id", index=True, ondelete="CASCADE")
    date: date
    start_time: time
    end_time: time
    title: str = Field(max_length=300)
    kind: str = Field(default="material", max_length=20)
    jpl: int = Field(default=0)
    room_id: int | None = Field(default=None, foreign_key="room.id", index=True)
    # A session held away from its day's place (a field visit): None keeps the day's.
    venue_id: int | None = Field(default=None, foreign_key="venue.id", index=True)
    description: str | None = Field(default=None, max_length=2000)
    created_at: datetime = created_at_field()

    @property
    def counted_jpl(self) -> int:
        """The session's JPL as totals count it: a break is never a training hour,
        whatever was typed into it."""
        return 0 if self.kind == "break" else max(self.jpl, 0)


class SessionSpeaker(SQLModel, table=True):
    __tablename__ = "session_speaker"

    session_id: int = Field(foreign_key="agenda_session.id", primary_key=True, ondelete="CASCADE")
    speaker_id: int = Field(foreign_key="speaker.id", primary_key=True, index=True)
    role: str = Field(default="narasumber", max_length=20)
