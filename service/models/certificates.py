"""Certificates: numbered per organization, verifiable by an unguessable code; the
template a training prints them with, and the committee's eligibility decisions."""

from datetime import date, datetime

from sqlalchemy import Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field, timestamp_field

ORIENTATIONS = ("landscape", "portrait")
# all_days: present on every day of the batch (the default); days: at least
# min_percent of the batch days; jpl: at least min_percent of the batch's JPL.
ELIGIBILITY_RULES = ("all_days", "days", "jpl")
DECISIONS = ("include", "exclude", "auto")
DEFAULT_PATTERN = "{seq:03}/SERT/{roman_month}/{year}"


class Certificate(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organization_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    training_id: int = Field(foreign_key="training.id", index=True)
    registration_id: int = Field(foreign_key="registration.id", unique=True)
    # The name as it was printed at issue time: a later edit of the participant does
    # not silently change a certificate already handed out.
    name: str = Field(max_length=200)
    number: str = Field(max_length=120)
    verification_code: str = Field(max_length=64, unique=True)
    issued_at: datetime = created_at_field()
    issued_by: int | None = Field(default=None, foreign_key="user.id")
    revoked_at: datetime | None = timestamp_field()
    revoked_by: int | None = Field(default=None, foreign_key="user.id")
    revoke_reason: str | None = Field(default=None, max_length=500)
    link_sent_at: datetime | None = timestamp_field()


class Counter(SQLModel, table=True):
    """A named sequence per organization (certificate numbers), bumped atomically
    so two issuings at once never reuse a number."""

    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    name: str = Field(max_length=60)
    value: int = Field(default=0)


class CertificateTemplate(SQLModel, table=True):
    """How a training's certificates look, who signs them and who gets one."""

    __tablename__ = "certificate_template"

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", unique=True, ondelete="CASCADE")
    orientation: str = Field(default="landscape", max_length=10)
    # Validated PNG/JPEG bytes (size and pixel count checked before decoding).
    background: bytes | None = Field(default=None, sa_type=LargeBinary)
    background_name: str | None = Field(default=None, max_length=255)
    title: str = Field(default="SERTIFIKAT", max_length=120)
    given_to: str = Field(default="diberikan kepada", max_length=200)
    wording: str = Field(default="sebagai peserta", max_length=1000)
    place: str = Field(default="", max_length=120)
    issue_date: date | None = Field(default=None)
    numbering_pattern: str = Field(default=DEFAULT_PATTERN, max_length=120)
    rule: str = Field(default="all_days", max_length=10)
    min_percent: int = Field(default=100)
    show_qr: bool = Field(default=True)
    # The "Kategori ... — Angkatan ..." line under the training's title; some offices
    # print neither (one category, one batch).
    show_category_batch: bool = Field(default=True)
    # The signatory (position 0-2) the place and date stand above; None: the last one,
    # as Indonesian letters sign. Past the last signatory it is the last one.
    place_date_signatory: int | None = Field(default=None)
    updated_at: datetime = created_at_field()
    updated_by: int | None = Field(default=None, foreign_key="user.id")


class CertificateSignatory(SQLModel, table=True):
    """One of up to three people who sign a training's certificates."""

    __tablename__ = "certificate_signatory"
    __table_args__ = (UniqueConstraint("template_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="certificate_template.id", index=True,
                             ondelete="CASCADE")
    position: int = Field(default=0)  # 0, 1, 2: left to right
    name: str = Field(max_length=200)
    title: str = Field(default="", max_length=200)  # "Kepala Dinas ..."
    nip: str = Field(default="", max_length=40)
    signature: bytes | None = Field(default=None, sa_type=LargeBinary)


class CertificateDecision(SQLModel, table=True):
    """The committee including or excluding someone by hand, with a reason. Rows are
    only added, never changed: the newest per registration counts, the rest is the
    audit trail (who decided what, when, and why)."""

    __tablename__ = "certificate_decision"
    __table_args__ = (Index("ix_certificate_decision_training", "training_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", ondelete="CASCADE")
    registration_id: int = Field(foreign_key="registration.id", index=True,
                                 ondelete="CASCADE")
    decision: str = Field(max_length=10)  # include | exclude | auto (back to the rule)
    reason: str = Field(max_length=500)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
