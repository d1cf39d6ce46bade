"""Erasure of a person's data under UU PDP No. 27/2022: the requests (who asked, who
recorded, who approved, when, how many fields), and the people the retention setting
has listed for erasure (the grace period before they go).

Neither table holds the erased data itself: a request keeps the participant's id, the
names of the fields erased and their count, never their values."""

from datetime import date, datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field, timestamp_field

# pending -> approved (the data is erased at once) | refused
ERASURE_STATUSES = ("pending", "approved", "refused")
# "request": the person asked; "retention": the organization's retention setting.
ERASURE_SOURCES = ("request", "retention")


class ErasureRequest(SQLModel, table=True):
    __tablename__ = "erasure_request"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    # The person (a merge that deletes the row keeps the request, without the link).
    participant_id: int | None = Field(default=None, foreign_key="participant.id",
                                       index=True, ondelete="SET NULL")
    source: str = Field(default="request", max_length=10)
    # Who asked and how, as the committee wrote it ("yang bersangkutan lewat WhatsApp,
    # 3 Des"); cleared of the person's own name and numbers when the data is erased.
    requested_by_text: str = Field(max_length=300)
    reason: str = Field(default="", sa_type=Text)
    status: str = Field(default="pending", max_length=10)
    recorded_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    recorded_at: datetime = created_at_field()
    decided_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    # Who decided when no user did ("retensi otomatis"), or the deciding user's name.
    decided_by_text: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = timestamp_field()
    decision_note: str | None = Field(default=None, max_length=500)
    # The label the erased person is shown under ("Data dihapus (UU PDP) · PDP-7K3QX2").
    pseudonym: str | None = Field(default=None, max_length=20, unique=True)
    # Which fields were erased (their names, comma separated) and how many values.
    fields: str = Field(default="", max_length=500)
    fields_count: int = Field(default=0)
    # Copies cleared elsewhere: messages, certificates, marks and decisions, uploads.
    copies_count: int = Field(default=0)


class RetentionListing(SQLModel, table=True):
    """A person the retention setting will erase: listed first, erased by the worker no
    earlier than `listed_at` plus the grace period; a person who drops out of the
    candidates (a newer training, the setting turned off) loses the row."""

    __tablename__ = "retention_listing"
    __table_args__ = (UniqueConstraint("organization_id", "participant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    last_training_id: int | None = Field(default=None, foreign_key="training.id",
                                         ondelete="SET NULL")
    last_training_end: date
    listed_at: datetime = created_at_field()
