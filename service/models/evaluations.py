"""Evaluations of narasumber and of the event: the organization's standard forms, the
anonymous responses, and the receipts that allow one response per person and form.

Anonymity rests on the split: a response row holds the answers and no registration,
no timestamp and no ordered id; a receipt row says who has answered what, and nothing
they answered. Both are written in one transaction, so the receipt's primary key turns
a second answer away (409) while no column joins a response to a person.
"""

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models.base import created_at_field

# narasumber: one per session (kind material/field_visit with a narasumber); event: one
# per training (venue, food, organisation, materials).
EVALUATION_FORM_KEYS = ("narasumber", "event")
EVALUATION_SCALES = (4, 5)
EVALUATED_SESSION_KINDS = ("material", "field_visit")


class EvaluationForm(SQLModel, table=True):
    """An organization's own version of a standard form (absent: the default form)."""

    __tablename__ = "evaluation_form"
    __table_args__ = (UniqueConstraint("organization_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", ondelete="CASCADE")
    key: str = Field(max_length=12)
    title: str = Field(max_length=200)
    scale: int = Field(default=5)
    # [{"key": "mastery", "text": "..."}]: keys stay when a text is reworded, so answers
    # given before an edit still count for their item.
    items: list[dict[str, str]] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = created_at_field()
    updated_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")


class EvaluationResponse(SQLModel, table=True):
    """One anonymous answer sheet.

    The key is a random UUID and SQLite keeps the table WITHOUT ROWID, so neither the
    ids nor the storage order tell in which order sheets came in (an ordered id could be
    lined up with the receipts' order). No creation time, for the same reason."""

    __tablename__ = "evaluation_response"
    __table_args__ = {"sqlite_with_rowid": False}

    id: str = Field(primary_key=True, max_length=32)
    training_id: int = Field(foreign_key="training.id", index=True, ondelete="CASCADE")
    form_key: str = Field(max_length=12)
    # The evaluated session (form "narasumber"); None for the event.
    session_id: int | None = Field(default=None, foreign_key="agenda_session.id",
                                   index=True, ondelete="CASCADE")
    # The form's scale when answered: a later change of scale does not rescale answers.
    scale: int
    answers: dict[str, int] = Field(sa_column=Column(JSON, nullable=False))
    comment: str | None = Field(default=None, max_length=1000)
    # A training's own questionnaire (assessment of kind "evaluation", form_key
    # "assessment"): answers are {question position: chosen index}, and the batch lets the
    # results be split per batch (shown only from MIN_SHOWN answers, like a session's).
    assessment_id: int | None = Field(default=None, foreign_key="assessment.id", index=True,
                                      ondelete="CASCADE")
    batch_id: int | None = Field(default=None, foreign_key="batch.id", ondelete="CASCADE")


class EvaluationReceipt(SQLModel, table=True):
    """That a registration has answered a form (never what, never when)."""

    __tablename__ = "evaluation_receipt"
    __table_args__ = {"sqlite_with_rowid": False}

    registration_id: int = Field(foreign_key="registration.id", primary_key=True,
                                 ondelete="CASCADE")
    # "event" or "session:<id>": the primary key refuses a second answer, race or not.
    scope: str = Field(primary_key=True, max_length=24)
    training_id: int = Field(foreign_key="training.id", index=True, ondelete="CASCADE")
    session_id: int | None = Field(default=None, foreign_key="agenda_session.id",
                                   index=True, ondelete="CASCADE")


class EvaluationCode(SQLModel, table=True):
    """The short random code of a session's projector QR (/e/{code}): the URL names no
    row id, so nobody walks the sessions of other trainings."""

    __tablename__ = "evaluation_code"

    session_id: int = Field(foreign_key="agenda_session.id", primary_key=True,
                            ondelete="CASCADE")
    code: str = Field(max_length=16, unique=True)
