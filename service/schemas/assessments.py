"""Shapes of pre-tests and post-tests: the questions in, the answers in, the results out.

The contract's `kind` also names "evaluation"; evaluation forms are anonymous and belong
to another family (services/evaluations), so this endpoint's Literal leaves it out and a
request for it answers 422 here."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from service.schemas.common import Name, SingleLine

MAX_QUESTIONS = 100
MAX_CHOICES = 6

QuestionText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                max_length=1000), SingleLine]
ChoiceText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                              max_length=300), SingleLine]
# The right choice: its index (0 = a), its letter ("b") or its text ("Benar").
AnswerKey = int | Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
PassScore = Annotated[int | None, Field(ge=0, le=100)]


class QuestionIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: QuestionText
    choices: Annotated[list[ChoiceText], Field(min_length=2, max_length=MAX_CHOICES)]
    answer: AnswerKey | None = None


class AssessmentCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    kind: Literal["pretest", "posttest"]
    title: Name
    questions: Annotated[list[QuestionIn], Field(min_length=1, max_length=MAX_QUESTIONS)]
    # Post-test only: the score (0-100) that passes; chooses the certificate's wording.
    pass_score: PassScore = None


class AnswersIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # One per question in order: the chosen index (0 = a), or null for a blank.
    answers: Annotated[list[Annotated[int, Field(ge=0, le=MAX_CHOICES - 1)] | None],
                       Field(max_length=MAX_QUESTIONS)]


class PassRuleIn(BaseModel):
    pass_score: PassScore = None


class Created(BaseModel):
    id: int


class Scored(BaseModel):
    score: int | None = None
    correct: int | None = None
    total: int | None = None


class GroupRead(BaseModel):
    id: int | None
    name: str
    responses: int
    mean: float | None


class QuestionRead(BaseModel):
    position: int
    text: str
    choices: list[str]
    answer: int
    answered: int
    share_right: float | None


class PersonScore(BaseModel):
    registration_id: int
    name: str
    batch: str
    category: str
    score: int
    correct: int
    source: str


class ResultsRead(BaseModel):
    id: int
    kind: str
    title: str
    responses: int
    mean: float | None
    distribution: list[int]  # counts per ten points: 0-9, 10-19, ..., 90-100
    by_batch: list[GroupRead]
    by_category: list[GroupRead]
    questions: list[QuestionRead]
    people: list[PersonScore]


class LearningGroup(BaseModel):
    id: int | None
    name: str
    pretest_mean: float | None
    posttest_mean: float | None
    gain: float | None
    passed: int | None


class LearningPerson(BaseModel):
    registration_id: int
    name: str
    batch: str
    pretest: int | None
    posttest: int | None
    gain: int | None
    passed: bool | None


class LearningRead(BaseModel):
    pretest_id: int | None
    posttest_id: int | None
    pretest_mean: float | None
    posttest_mean: float | None
    # The mean of each person's post minus pre score, over those who took both.
    gain: float | None
    pass_score: int | None
    passed: int | None  # how many reached pass_score on the post-test; None without a rule
    by_batch: list[LearningGroup]
    by_category: list[LearningGroup]
    people: list[LearningPerson]
