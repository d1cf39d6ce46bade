"""Shapes of a meeting's minutes (notulen) in the API and the minutes page's autosave."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from service.models.minutes import DECISION_MAX, MAX_DECISIONS, TEXT_MAX
from service.schemas.common import MAX_ID, MultiLine, SingleLine, _blank_to_none

MinutesText = Annotated[str, StringConstraints(max_length=TEXT_MAX), MultiLine]
DecisionText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=DECISION_MAX),
                         MultiLine]
Line = Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=200),
                 SingleLine]
Nip = Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=40), SingleLine]


class DecisionIn(BaseModel):
    """A decision: `id` of one already saved (its text edited), or none for a new one."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[int | None, Field(ge=1, le=MAX_ID), BeforeValidator(_blank_to_none)] = None
    text: DecisionText


class MinutesSave(BaseModel):
    """The editor's whole text and decisions, and the version they started from. A
    decision may be given as its text alone. A missing heading field is left as it is."""

    model_config = ConfigDict(extra="forbid")

    text: MinutesText
    decisions: Annotated[list[DecisionIn | DecisionText], Field(max_length=MAX_DECISIONS)] = []
    base_version: Annotated[int | None, Field(ge=0, le=MAX_ID)] = None
    # The editor's text grew from what they sent at base_version, not from the merged
    # text the server answered (they kept typing while that save was on its way).
    based_on_own: bool = False
    chair_name: Line = None
    chair_nip: Nip = None
    chair_position: Line = None
    note_taker_name: Line = None
    note_taker_nip: Nip = None
    place: Line = None
    held_on: Annotated[date | None, BeforeValidator(_blank_to_none)] = None


class DecisionRead(BaseModel):
    id: int
    number: int
    text: str


class MinutesRead(BaseModel):
    version: int
    text: str
    decisions: list[DecisionRead]
    # The text answered is not the one sent: others' words were merged in.
    merged: bool = False
    # A part of the editor's text could not be placed and sits under a marked heading.
    conflict: bool = False
    chair_name: str
    chair_nip: str
    chair_position: str
    note_taker_name: str
    note_taker_nip: str
    place: str
    held_on: date | None
    updated_at: datetime | None
    updated_by: str
