"""Pre-tests and post-tests of a training: their questions, the batches they are open to,
and each participant's one answer sheet (from a phone or keyed in from paper)."""

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field, timestamp_field

# The standard evaluation forms (anonymous) are another family: service/models/evaluations.
# An "evaluation" here is a training's own questionnaire: its questions have no answer
# key, and its answers are kept anonymously there (evaluation_response/receipt).
ASSESSMENT_KINDS = ("pretest", "posttest", "evaluation")
# Where an answer sheet came from.
RESPONSE_SOURCES = ("phone", "paper", "import")


class Assessment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=12)
    title: str = Field(max_length=200)
    # The projector QR's key: /tes/{public_code}. Random, so the URL names no row id.
    public_code: str = Field(max_length=32, unique=True, index=True)
    # The pass rule, on a post-test: a score (0-100) at least this passes. None: no rule.
    pass_score: int | None = Field(default=None)
    created_at: datetime = created_at_field()


class AssessmentQuestion(SQLModel, table=True):
    __tablename__ = "assessment_question"
    __table_args__ = (UniqueConstraint("assessment_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    position: int  # 1-based, the number printed on the paper sheet
    text: str = Field(max_length=1000)
    # The choices in order (a, b, c, ...); a true/false question has two.
    choices: list[str] = Field(sa_column=Column(JSON, nullable=False))
    # Index into choices of the right one; None on an evaluation's question (no key).
    answer: int | None = Field(default=None)


class AssessmentBatch(SQLModel, table=True):
    """A batch the committee opened the test to (closed_at set: closed again)."""

    __tablename__ = "assessment_batch"
    __table_args__ = (UniqueConstraint("assessment_id", "batch_id"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    batch_id: int = Field(foreign_key="batch.id", ondelete="CASCADE")
    opened_at: datetime = created_at_field()
    closed_at: datetime | None = timestamp_field()


class AssessmentResponse(SQLModel, table=True):
    __tablename__ = "assessment_response"
    # One answer sheet per person and test: the second submission is a 409, settled here.
    __table_args__ = (UniqueConstraint("assessment_id", "registration_id"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    registration_id: int = Field(foreign_key="registration.id", index=True,
                                 ondelete="CASCADE")
    # The chosen index per question in position order; None where left blank.
    answers: list[int | None] = Field(sa_column=Column(JSON, nullable=False))
    correct: int
    score: int  # 0-100, rounded
    source: str = Field(default="phone", max_length=8)
    created_at: datetime = created_at_field()
