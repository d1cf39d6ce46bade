"""Province offices (BKKBN Perwakilan) and the offices that share their aggregates with
them: counts, coverage and JPL only, never a person's data."""

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field

OFFICE, PROVINCE = "office", "province"
ORGANIZATION_KINDS = (OFFICE, PROVINCE)


class ProvinceShare(SQLModel, table=True):
    """An office's consent that a province office reads its aggregates. Only the office's
    own admin makes or ends it; withdrawing deletes the row, and the province sees
    nothing of the office from then on."""

    __tablename__ = "province_share"
    __table_args__ = (UniqueConstraint("province_id", "office_id"),
                      CheckConstraint("province_id <> office_id", name="not_itself"))

    id: int | None = Field(default=None, primary_key=True)
    province_id: int = Field(foreign_key="organization.id", ondelete="CASCADE")
    office_id: int = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    # The office's admin who agreed (kept for the office's own record; never shown to
    # the province).
    agreed_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    agreed_at: datetime = created_at_field()
