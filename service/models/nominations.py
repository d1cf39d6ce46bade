"""Nominations by unit: the kabupaten/kota, OPD or kecamatan invited to send delegates to a
training, each up to a quota and by a deadline, through its focal point's private link."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field, timestamp_field


class TrainingUnit(SQLModel, table=True):
    """One unit invited to one training (a unit of the office's register, models/units.py)."""

    __tablename__ = "training_unit"
    __table_args__ = (UniqueConstraint("training_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", index=True, ondelete="CASCADE")
    unit_id: int = Field(foreign_key="org_unit.id", index=True)
    quota: int = Field(default=1)
    # The last moment names are taken (stored in UTC; a date typed by the committee means
    # the end of that day in the training's time zone).
    deadline: datetime | None = timestamp_field()
    # The unit's surat tugas for its delegates: a PDF or an image, checked like uploads.
    surat_tugas: bytes | None = Field(default=None)
    surat_tugas_type: str = Field(default="", max_length=60)
    surat_tugas_name: str = Field(default="", max_length=200)
    surat_tugas_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()


class NominationLink(SQLModel, table=True):
    """A focal point's private link (/nominasi/{token}): only the SHA-256 is stored, it
    expires, and the committee can revoke it (like services/actions/links.py)."""

    __tablename__ = "nomination_link"

    id: int | None = Field(default=None, primary_key=True)
    training_unit_id: int = Field(foreign_key="training_unit.id", index=True,
                                  ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    expires_at: datetime = created_at_field()
    revoked_at: datetime | None = timestamp_field()


class Nominee(SQLModel, table=True):
    """A delegate named by a unit; accepted by the committee into a registration."""

    __tablename__ = "nominee"

    id: int | None = Field(default=None, primary_key=True)
    training_unit_id: int = Field(foreign_key="training_unit.id", index=True,
                                  ondelete="CASCADE")
    name: str = Field(max_length=200)
    nip: str = Field(default="", max_length=18)
    position: str = Field(default="", max_length=200)  # jabatan
    phone: str = Field(default="", max_length=20)  # +62..., like participants'
    email: str = Field(default="", max_length=254)
    # Set when the committee accepts the delegate into the training.
    registration_id: int | None = Field(default=None, foreign_key="registration.id",
                                        index=True, ondelete="SET NULL")
    via_link: bool = Field(default=True)
    created_at: datetime = created_at_field()
