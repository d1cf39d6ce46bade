"""Shapes of pre-tests, post-tests and a training's own evaluation questionnaire: the
questions in, the answers in, the results out.

Kind "evaluation" is a questionnaire without an answer key: its answers are kept
anonymously like the standard evaluation forms' (services/assessments/questionnaire.py),
and its results are means per item and shares per choice, never a person."""

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

    kind: Literal["pretest", "posttest", "evaluation"]
    title: Name
    questions: Annotated[list[QuestionIn], Field(min_length=1, max_length=MAX_QUESTIONS)]
    # Post-test only: the score (0-100) that passes; chooses the certificate's wording.
    pass_score: PassScore = None


class AnswersIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # One per question in order: the chosen index (0 = a), or null for a blank.
    answers: Annotated[list[Annotated[int, Field(ge=0, le=MAX_CHOICES - 1)] | None],
                       Field(max_length=MAX_QUESTIONS)]
    # An evaluation's free comment (ignored on a pre-test or post-test).
    comment: Annotated[str | None, StringConstraints(strip_whitespace=True,
                                                     max_length=1000)] = None


class AssessmentUpdate(BaseModel):
    """What may change: the title and the pass rule always; the questions only while
    nobody has answered (else 409 assessment_answered)."""

    model_config = ConfigDict(extra="ignore")

    title: Name | None = None
    questions: Annotated[list[QuestionIn] | None,
                         Field(min_length=1, max_length=MAX_QUESTIONS)] = None
    pass_score: PassScore = None
    # pass_score: null removes the rule only when this is sent true (a PATCH without
    # pass_score leaves it alone).
    clear_pass_score: bool = False


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
    answer: int | None
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


# --- a training's own evaluation questionnaire: anonymous results --------------------------

class ItemRead(BaseModel):
    position: int
    text: str
    choices: list[str]
    # A numeric scale ("1".."5"): the mean of the chosen numbers; else None.
    numeric: bool
    mean: float | None
    counts: list[int]  # per choice, in order; empty while results are held back
    shares: list[float]  # per choice, 0-1


class BatchRead(BaseModel):
    id: int
    name: str
    expected: int
    responses: int
    mean: float | None  # over the numeric items; None below the minimum of answers


class QuestionnaireRead(BaseModel):
    """An evaluation's results: counts, means per item, shares per choice and comments;
    no respondent id. Below `min_responses` answers only the counts are given."""

    id: int
    kind: Literal["evaluation"]
    title: str
    responses: int
    expected: int
    shown: bool
    min_responses: int
    mean: float | None
    by_batch: list[BatchRead]
    questions: list[ItemRead]
    comments: list[str]


class QuestionOut(BaseModel):
    position: int
    text: str
    choices: list[str]
    answer: int | None  # None on an evaluation


class AssessmentRead(BaseModel):
    id: int
    kind: str
    title: str
    pass_score: int | None
    # How many have answered: while 0 the questions may still change.
    answered: int
    questions: list[QuestionOut]
