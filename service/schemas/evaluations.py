"""Shapes for evaluations: the organization's standard forms and one answer sheet."""

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from service.schemas.common import MAX_ID, MultiLine, SingleLine, _blank_to_none

ItemText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=300), SingleLine]
ItemKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,24}$")]
Comment = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), MultiLine] | None,
    BeforeValidator(_blank_to_none),
]


def _digits_to_int(value: object) -> object:
    # A page's select sends "4"; unlike an int field, a Literal of numbers takes no text.
    return int(value) if isinstance(value, str) and value.strip().isdigit() else value


class FormItemIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # Absent: a new item (it gets a key); present: the item it was, reworded.
    key: ItemKey | None = None
    text: ItemText


class FormUpdate(BaseModel):
    """An organization's version of a standard form (PUT replaces it whole)."""

    model_config = ConfigDict(extra="ignore")

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=200), SingleLine]
    scale: Annotated[Literal[4, 5], BeforeValidator(_digits_to_int)] = 5
    items: Annotated[list[FormItemIn], Field(min_length=1, max_length=12)]


class AnswerIn(BaseModel):
    """One answer sheet: a score per item of the form (1..scale) and an optional comment.
    `session_id` names the session a narasumber form is about."""

    model_config = ConfigDict(extra="ignore")

    session_id: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None
    # Checked against the form in the service (which items, which scale); a default, so
    # a wrong ticket is a 404 before the body is judged.
    answers: dict[str, int] = Field(default_factory=dict, max_length=12)
    comment: Comment = None


# Responses: counts, means and comments only; never a registration, a name or a time.

class FormItemOut(BaseModel):
    key: str
    text: str


class FormOut(BaseModel):
    key: str
    title: str
    scale: int
    items: list[FormItemOut]
    customized: bool


class ItemResultOut(BaseModel):
    key: str
    text: str
    mean: float | None
    # distribution[n - 1]: how many gave the score n; empty while results are held back.
    distribution: list[int]


class ResultOut(BaseModel):
    responses: int
    # False while fewer than `min_responses` answered: only the count is given.
    shown: bool
    min_responses: int
    mean: float | None
    items: list[ItemResultOut]
    comments: list[str]


class SpeakerOut(BaseModel):
    id: int
    name: str


class SessionEvaluationOut(BaseModel):
    session_id: int
    batch_id: int
    batch: str
    title: str
    date: str
    start_time: str
    end_time: str
    speakers: list[SpeakerOut]
    expected: int
    answered: int
    rate: float
    results: ResultOut | None


class EventEvaluationOut(BaseModel):
    expected: int
    answered: int
    rate: float
    results: ResultOut | None


class TrainingEvaluationsOut(BaseModel):
    training_id: int
    forms: list[FormOut]
    sessions: list[SessionEvaluationOut]
    event: EventEvaluationOut


class HolderTargetOut(BaseModel):
    form_key: str
    session_id: int | None
    title: str | None
    date: str | None
    speakers: list[str]
    open: bool
    done: bool


class HolderEvaluationsOut(BaseModel):
    forms: list[FormOut]
    targets: list[HolderTargetOut]


class AnswerReceived(BaseModel):
    status: Literal["received"] = "received"
    form_key: str
    session_id: int | None
