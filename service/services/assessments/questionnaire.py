"""A training's own evaluation questionnaire (an assessment of kind "evaluation"): questions
with choices and no answer key, opened to batches like a test, answered once per person
from the ticket, and kept ANONYMOUSLY exactly like the standard evaluation forms
(services/evaluations/answers.py): the answer sheet is an evaluation_response with a random
id, no registration and no time; a receipt (registration, "assessment:<id>") written in
the same transaction turns a second answer away with a 409.

Results: per item a share per choice, and a mean where the choices are a numeric scale
("1".."5"); per batch the count and the mean; the comments in the order of the responses'
random ids. Below MIN_SHOWN answers only the counts are given, as for the standard forms.
"""

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.errors import DomainError, FieldError
from service.i18n import N_
from service.models import (
    Assessment,
    AssessmentBatch,
    AssessmentQuestion,
    EvaluationReceipt,
    EvaluationResponse,
    Registration,
)
from service.models.base import pk
from service.services.assessments import bank, windows
from service.services.evaluations.answers import AlreadyEvaluated
from service.services.evaluations.results import MIN_SHOWN
from service.services.trainings import list_batches

FORM_KEY = "assessment"
# A question without choices written on the page gets this scale.
DEFAULT_SCALE = ["1", "2", "3", "4", "5"]


class EvaluationClosed(DomainError):
    code, status, message = "assessment_closed", 409, N_(
        "This evaluation is not open for your batch. Wait until the committee opens it.")


def scope(assessment_id: int) -> str:
    return f"assessment:{assessment_id}"


def numeric(choices: Sequence[str]) -> bool:
    """Choices that are whole numbers ("1".."5", "0".."10"): a scale, with a mean."""
    return bool(choices) and all(c.strip().lstrip("-").isdigit() for c in choices)


def done(db: Session, assessment_id: int, registration_id: int) -> bool:
    return db.get(EvaluationReceipt, (registration_id, scope(assessment_id))) is not None


def answered_count(db: Session, assessment_id: int) -> int:
    return int(db.exec(select(func.count()).select_from(EvaluationReceipt)
                       .where(EvaluationReceipt.scope == scope(assessment_id))).one())


def _sheet(questions: Sequence[AssessmentQuestion], answers: Sequence[int | None]
           ) -> dict[str, int]:
    """Every question answered with one of its choices: {position: index}."""
    if len(answers) != len(questions):
        raise FieldError("answers", "Give one answer per question: {n} expected, {got} sent.",
                         code="answers_count", n=len(questions), got=len(answers))
    missing = [q.position for q, a in zip(questions, answers, strict=True) if a is None]
    if missing:
        raise FieldError("answers", "Answer every question ({n} left).", n=len(missing))
    out: dict[str, int] = {}
    for q, a in zip(questions, answers, strict=True):
        assert a is not None
        if not 0 <= a < len(q.choices):
            raise FieldError("answers", "Question {n} has no choice {choice}.",
                             code="answer_invalid", n=q.position, choice=a + 1)
        out[str(q.position)] = a
    return out


def submit(db: Session, reg: Registration, assessment: Assessment,
           answers: Sequence[int | None], comment: str | None) -> None:
    """Keep one anonymous answer sheet while the questionnaire is open to the holder's
    batch; 409 `already_evaluated` for a second one (also two at once)."""
    if reg.batch_id is None or not windows.is_open(db, pk(assessment), reg.batch_id):
        if done(db, pk(assessment), pk(reg)):
            raise AlreadyEvaluated()
        raise EvaluationClosed()
    if done(db, pk(assessment), pk(reg)):
        raise AlreadyEvaluated()
    sheet = _sheet(bank.questions(db, pk(assessment)), answers)
    try:
        # The receipt first, in a savepoint: its key settles a race between two phones.
        with db.begin_nested():
            db.add(EvaluationReceipt(registration_id=pk(reg), scope=scope(pk(assessment)),
                                     training_id=assessment.training_id))
    except IntegrityError:
        raise AlreadyEvaluated() from None
    db.add(EvaluationResponse(id=uuid.uuid4().hex, training_id=assessment.training_id,
                              form_key=FORM_KEY, scale=0, answers=sheet,
                              comment=comment or None, assessment_id=pk(assessment),
                              batch_id=reg.batch_id))
    db.flush()


# --- results ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemResult:
    question: AssessmentQuestion
    numeric: bool
    mean: float | None
    counts: list[int]  # per choice; [] while held back

    @property
    def shares(self) -> list[float]:
        total = sum(self.counts)
        return [round(n / total, 3) if total else 0.0 for n in self.counts]


@dataclass(frozen=True)
class BatchResult:
    id: int
    name: str
    expected: int
    responses: int
    mean: float | None


@dataclass(frozen=True)
class Results:
    assessment: Assessment
    responses: int
    expected: int
    shown: bool
    mean: float | None  # over every answer to a numeric item
    items: list[ItemResult]
    by_batch: list[BatchResult]
    comments: list[str]

    @property
    def percent(self) -> int:
        return round(100 * min(self.responses / self.expected, 1.0)) if self.expected else 0


def _values(questions: Sequence[AssessmentQuestion], rows: Sequence[EvaluationResponse]
            ) -> list[float]:
    out: list[float] = []
    for q in questions:
        if numeric(q.choices):
            for r in rows:
                a = r.answers.get(str(q.position))
                if isinstance(a, int) and 0 <= a < len(q.choices):
                    out.append(float(q.choices[a]))
    return out


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _expected(db: Session, assessment: Assessment) -> dict[int, int]:
    """Confirmed participants per batch the questionnaire was opened to."""
    opened = select(AssessmentBatch.batch_id).where(
        AssessmentBatch.assessment_id == pk(assessment))
    rows = db.exec(select(Registration.batch_id, func.count())
                   .where(Registration.training_id == assessment.training_id,
                          Registration.status == "confirmed",
                          col(Registration.batch_id).in_(opened))
                   .group_by(col(Registration.batch_id))).all()
    return {int(b): int(n) for b, n in rows if b is not None}


def results(db: Session, assessment: Assessment) -> Results:
    qs = bank.questions(db, pk(assessment))
    rows = sorted(db.exec(select(EvaluationResponse).where(
        EvaluationResponse.assessment_id == pk(assessment))).all(), key=lambda r: r.id)
    shown = len(rows) >= MIN_SHOWN
    items = []
    for q in qs:
        picked = Counter(r.answers.get(str(q.position)) for r in rows)
        counts = [picked.get(i, 0) for i in range(len(q.choices))]
        is_numeric = numeric(q.choices)
        items.append(ItemResult(q, is_numeric, _mean(_values([q], rows))
                                if shown and is_numeric else None,
                                counts if shown else []))
    expected = _expected(db, assessment)
    per_batch: dict[int | None, list[EvaluationResponse]] = {}
    for r in rows:
        per_batch.setdefault(r.batch_id, []).append(r)
    by_batch = []
    for b in list_batches(db, assessment.training_id):
        mine = per_batch.get(pk(b), [])
        if pk(b) not in expected and not mine:
            continue
        by_batch.append(BatchResult(pk(b), b.name, expected.get(pk(b), 0), len(mine),
                                    _mean(_values(qs, mine)) if len(mine) >= MIN_SHOWN
                                    else None))
    return Results(assessment, len(rows), sum(expected.values()), shown,
                   _mean(_values(qs, rows)) if shown else None, items, by_batch,
                   [r.comment for r in rows if r.comment] if shown else [])


def training_results(db: Session, training_id: int) -> list[Results]:
    """Every questionnaire of the training with its results, oldest first."""
    found = db.exec(select(Assessment).where(Assessment.training_id == training_id,
                                             Assessment.kind == "evaluation")
                    .order_by(col(Assessment.id))).all()
    return [results(db, a) for a in found]
