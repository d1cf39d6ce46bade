"""The SPJ (surat pertanggungjawaban): an organization's rate table per year, and the
signers of a training's daftar nominatif.

The rate table is one validated JSON document per (organization, year)
(schemas/spj.py RateTableIn says its shape): the treasurer edits it as a whole, and each
year's table stays as it was when that year's trainings were paid.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field


class RateTable(SQLModel, table=True):
    __tablename__ = "rate_table"
    __table_args__ = (UniqueConstraint("organization_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True,
                                 ondelete="CASCADE")
    year: int
    # Amounts in whole rupiah (int), percentages as strings ("5", "2.5").
    document: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON,
                                                                            nullable=False))
    updated_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    updated_at: datetime = created_at_field()


class SpjSigners(SQLModel, table=True):
    """Who signs a training's daftar nominatif: the PPTK (pejabat pelaksana teknis
    kegiatan) and the treasurer; the place and the purpose printed on each receipt."""

    __tablename__ = "spj_signers"

    training_id: int = Field(foreign_key="training.id", primary_key=True, ondelete="CASCADE")
    pptk_name: str = Field(default="", max_length=200)
    pptk_nip: str = Field(default="", max_length=18)
    treasurer_name: str = Field(default="", max_length=200)
    treasurer_nip: str = Field(default="", max_length=18)
    place: str = Field(default="", max_length=120)
    updated_at: datetime = created_at_field()
