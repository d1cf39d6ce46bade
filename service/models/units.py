"""An organization's units: the OPD, kecamatan, kabupaten/kota and Kampung KB that send
delegates, present at a meeting and own follow-up actions.

One register per organization, so that a unit named at January's Pokja meeting is the
same unit whose actions are checked in February (and, later, the one that nominates
delegates to a training).
"""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field

# What a unit is. "other" covers a Koramil, a Polsek, a PKK or a university.
UNIT_KINDS = ("opd", "kecamatan", "kabupaten_kota", "kampung_kb", "other")


class OrgUnit(SQLModel, table=True):
    __tablename__ = "org_unit"
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True,
                                 ondelete="CASCADE")
    name: str = Field(max_length=200)
    kind: str = Field(default="opd", max_length=20)
    # The unit's focal point (contact person): who gets its private links and reminders.
    focal_name: str = Field(default="", max_length=200)
    focal_phone: str = Field(default="", max_length=20)  # +62..., like participants'
    focal_email: str = Field(default="", max_length=254)
    created_at: datetime = created_at_field()
