"""What an organization told Bimtek about its spreadsheets, to be offered again."""

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field


class ImportLayout(SQLModel, table=True):
    """One sheet layout of an organization (its header row, normalised and hashed: see
    imports.columns.signature) and what the committee chose for it: the field of each
    column, and what each unfamiliar category spelling means. The next upload of the same
    layout starts from these choices, and finds its header row under any title block."""

    __tablename__ = "import_layout"
    __table_args__ = (UniqueConstraint("organization_id", "signature"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", ondelete="CASCADE")
    signature: str = Field(max_length=64)
    # JSON: one field name per column of the header row, "" for a column left out.
    columns: str = Field(sa_type=Text)
    # JSON: casefolded category spelling -> the category it was taken as, or "+" (new).
    categories: str = Field(default="{}", sa_type=Text)
    updated_at: datetime = created_at_field()
