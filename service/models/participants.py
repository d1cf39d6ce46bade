"""Persons (reusable across trainings) and their registrations in one training."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from service.i18n import N_
from service.i18n.names import sort_key
from service.models.base import created_at_field, timestamp_field

REGISTRATION_STATUSES = ("confirmed", "waitlisted", "cancelled")
# Participant.gender as the registration form and imports store it, in display order.
GENDER_LABELS = {"L": N_("Male"), "P": N_("Female")}


def _backwards(column: str) -> Callable[[Any], str | None]:
    """A Core insert's default for a reversed column (imports insert people in bulk,
    past the mapper events below)."""
    def default(context: Any) -> str | None:
        value = context.get_current_parameters().get(column)
        return value[::-1] if value else None
    return default


def _prefix_index(column: str) -> Index:
    """An office's people by a reversed number: "ends with these digits" (people.search)
    is a prefix of it. PostgreSQL answers LIKE 'prefix%' from an index only with the
    pattern operator class (whatever the database's collation)."""
    return Index(f"ix_participant_org_{column}", "organization_id", column,
                 postgresql_ops={column: "text_pattern_ops"})


class Participant(SQLModel, table=True):
    # A person is deduplicated by NIK within an organization where a NIK is given.
    __table_args__ = (
        UniqueConstraint("organization_id", "nik"),
        # People's search: by name within an office, and by the tail of a NIK or phone.
        Index("ix_participant_org_sort_name", "organization_id", "sort_name"),
        _prefix_index("nik_reversed"),
        _prefix_index("phone_reversed"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    nik: str | None = Field(default=None, max_length=16)
    name: str = Field(max_length=200)
    gender: str | None = Field(default=None, max_length=1)
    birth_date: date | None = Field(default=None)
    phone: str | None = Field(default=None, max_length=20, index=True)
    email: str | None = Field(default=None, max_length=254)
    institution: str | None = Field(default=None, max_length=200)
    position: str | None = Field(default=None, max_length=200)  # jabatan
    rank: str | None = Field(default=None, max_length=60)  # pangkat/golongan
    # A civil servant's 18-digit NIP (officials at provincial events give it, not a NIK).
    nip: str | None = Field(default=None, max_length=18, index=True)
    village: str | None = Field(default=None, max_length=120)
    district: str | None = Field(default=None, max_length=120)
    regency: str | None = Field(default=None, max_length=120)
    province: str | None = Field(default=None, max_length=120)
    kampung_kb: str | None = Field(default=None, max_length=200)
    # The organization's Kampung KB that `kampung_kb` names, once matched (register).
    kampung_kb_id: int | None = Field(default=None, foreign_key="kampung_kb.id", index=True,
                                      ondelete="SET NULL")
    # The name as lists are ordered: front titles ("dr.", "Hj.") left out
    # (i18n/names.sort_key); kept in step with `name` by a mapper event.
    sort_name: str = Field(default="", max_length=240)
    # `nik` and `phone` written backwards, kept in step like sort_name: the search for the
    # last 4-6 digits is then a prefix an index finds, not a scan of the whole office.
    nik_reversed: str | None = Field(default=None, max_length=16,
                                     sa_column_kwargs={"default": _backwards("nik")})
    phone_reversed: str | None = Field(default=None, max_length=20,
                                       sa_column_kwargs={"default": _backwards("phone")})
    created_at: datetime = created_at_field()


@event.listens_for(Participant, "before_insert")
@event.listens_for(Participant, "before_update")
def _keep_sort_name(_mapper: object, _connection: object, person: Participant) -> None:
    person.sort_name = sort_key(person.name)
    person.nik_reversed = person.nik[::-1] if person.nik else None
    person.phone_reversed = person.phone[::-1] if person.phone else None


class Registration(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("training_id", "participant_id"),
        # Same phone and same name is the same person even without a NIK; the
        # database settles two such registrations arriving at once.
        UniqueConstraint("training_id", "contact_key"),
        Index("ix_registration_batch_status", "batch_id", "status"),
        Index("ix_registration_training_status", "training_id", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", index=True, ondelete="CASCADE")
    participant_id: int = Field(foreign_key="participant.id", index=True)
    batch_id: int | None = Field(default=None, foreign_key="batch.id")
    preferred_batch_id: int | None = Field(default=None, foreign_key="batch.id")
    category_id: int | None = Field(default=None, foreign_key="trainingcategory.id")
    # The unit (OPD, kecamatan...) this person is a delegate of at this training.
    unit_id: int | None = Field(default=None, foreign_key="org_unit.id", index=True,
                                ondelete="SET NULL")
    status: str = Field(default="waitlisted", max_length=12)
    # The secret in the ticket URL: at least 128 random bits.
    ticket_token: str = Field(max_length=64, unique=True)
    # "phone|casefolded name", or None without a phone.
    contact_key: str | None = Field(default=None, max_length=240)
    source: str = Field(default="manual", max_length=12)
    created_at: datetime = created_at_field()
    cancelled_at: datetime | None = timestamp_field()
    ticket_emailed_at: datetime | None = timestamp_field()
