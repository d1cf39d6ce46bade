"""An organization's register of Kampung KB: the village programme sites and the groups
(poktan) each runs; a participant may belong to one."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field

# The poktan (kelompok kegiatan) a Kampung KB may run.
POKTAN = ("BKB", "BKR", "BKL", "UPPKA", "PIK-R")


class KampungKB(SQLModel, table=True):
    __tablename__ = "kampung_kb"
    # One Kampung KB of a name per kelurahan/desa of an organization.
    __table_args__ = (UniqueConstraint("organization_id", "name", "village"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    name: str = Field(max_length=200)
    village: str = Field(max_length=120)  # kelurahan/desa
    district: str = Field(max_length=120)  # kecamatan
    year_formed: int | None = Field(default=None)
    # The poktan it runs, as POKTAN names joined by ",": "BKB,BKR,PIK-R".
    poktan: str = Field(default="", max_length=60)
    created_at: datetime = created_at_field()
