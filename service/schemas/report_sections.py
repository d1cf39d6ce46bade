"""Shapes of the activity report's texts and photos in the API."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

from service.models.report_sections import TEXT_MAX
from service.schemas.common import MultiLine, SingleLine, _blank_to_none

Text = Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=TEXT_MAX),
                 MultiLine]
Caption = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300), SingleLine]


class ReportTextsUpdate(BaseModel):
    """A blank or missing text takes its default again (background and objectives) or
    prints as not written (conclusions, RTL)."""

    model_config = ConfigDict(extra="forbid")

    background: Text = None
    objectives: Text = None
    conclusions: Text = None
    follow_up: Text = None


class ReportTextsRead(BaseModel):
    background: str
    objectives: str
    conclusions: str
    follow_up: str
    saved: bool
    default_background: str
    default_objectives: str


class PhotoUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    caption: Caption | None = None
    session_id: Annotated[int | None, BeforeValidator(_blank_to_none)] = None
    position: int | None = None


class PhotoRead(BaseModel):
    id: int
    caption: str
    taken_on: date
    session_id: int | None
    width: int
    height: int
    position: int
    uploaded_at: datetime
    url: str
    thumbnail_url: str
