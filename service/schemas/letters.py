"""Shapes of letters in the API: an office's letter settings and the letters issued for
a training."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from service.models.letters import MAX_HEADER_LINES
from service.schemas.common import MAX_ID, SingleLine

LetterKind = Literal["invitation", "speaker_request", "committee_assignment"]
LetterFormat = Literal["docx", "pdf"]


HeaderLine = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200),
                       SingleLine]
Line120 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120), SingleLine]
Line200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), SingleLine]
Code = Annotated[str, StringConstraints(strip_whitespace=True, max_length=30), SingleLine]
Nip = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40), SingleLine]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class LetterKindSetting(BaseModel):
    """A kind's numbering: the pattern ({seq} once; {code}, {year}, {month},
    {roman_month}, {day}) and the classification code {code} prints."""

    model_config = ConfigDict(extra="forbid")

    pattern: Line120
    code: Code = ""


class LetterSettingsIn(BaseModel):
    """The kop surat's lines (top to bottom, at most five), the place letters are dated
    at, the default signatory (NIP: 18 digits) and each kind's numbering. A kind left
    out keeps its numbering."""

    model_config = ConfigDict(extra="forbid")

    header_lines: Annotated[list[HeaderLine], Field(max_length=MAX_HEADER_LINES)]
    place: Line120
    signatory_name: Line200
    signatory_nip: Nip = ""
    signatory_position: Line200
    contact: Line200 = ""
    kinds: dict[LetterKind, LetterKindSetting] = {}


class LetterSettingsRead(BaseModel):
    # False until an admin saved them: letters cannot be issued before.
    configured: bool
    header_lines: list[str]
    place: str
    signatory_name: str
    signatory_nip: str
    signatory_position: str
    contact: str
    has_logo: bool
    kinds: dict[str, LetterKindSetting]
    # The number the next letter of each kind would get today (nothing is reserved).
    next_numbers: dict[str, str]
    updated_at: datetime | None


class LetterIssue(BaseModel):
    """Issue letters of one kind: to the units (`unit_ids`, invitations) or narasumber
    (`speaker_ids`) named, or to every recipient of the kind when none are named.
    A recipient who already holds a letter of this kind keeps it (it is answered with
    `existing: true`, no number is used) unless `new_number` is true: then a new letter
    with a new number replaces it. `unit_ids` are ids of the office's units register
    (GET /api/units) invited to the training; ids of the other kind are ignored."""

    model_config = ConfigDict(extra="forbid")

    kind: LetterKind
    unit_ids: Annotated[list[Id] | None, Field(max_length=500)] = None
    speaker_ids: Annotated[list[Id] | None, Field(max_length=500)] = None
    letter_date: date | None = None
    new_number: bool = False


class IssuedLetterRead(BaseModel):
    id: int
    kind: str
    number: str
    recipient: str
    letter_date: date
    issued_at: datetime
    unit_id: int | None = None
    speaker_id: int | None = None
    replaced: bool = False
    # In the answer to an issue: the recipient already held this letter.
    existing: bool = False


class IssuedLetters(BaseModel):
    items: list[IssuedLetterRead]
