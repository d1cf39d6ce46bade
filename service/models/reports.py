"""What the committee sets for a training's activity report: its signature block."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from service.models.base import created_at_field


class ReportSignature(SQLModel, table=True):
    """The place, date and signer printed at the foot of a training's activity report.

    Absent (or a blank field): the report's defaults, the venue's city and the
    training's last day (services/report_signature.py)."""

    __tablename__ = "report_signature"

    training_id: int = Field(foreign_key="training.id", primary_key=True, ondelete="CASCADE")
    place: str = Field(default="", max_length=120)
    signed_on: date | None = Field(default=None)
    signer_name: str = Field(default="", max_length=200)
    signer_position: str = Field(default="", max_length=200)
    signer_nip: str = Field(default="", max_length=40)
    updated_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    updated_at: datetime = created_at_field()
