"""What one test shows: each person's score, the mean and the spread per batch and
category, and the share of right answers per question (the hardest first on the page).
Numbers are computed here; pages and the PDF only lay them out."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from service.i18n.names import sort_key
from service.models import (
    Assessment,
    AssessmentQuestion,
    AssessmentResponse,
    Batch,
    Participant,
    Registration,
    TrainingCategory,
)
from service.models.base import pk
from service.services.assessments import bank


@dataclass(frozen=True)
class Sheet:
    """One person's answer sheet with who they are."""

    registration_id: int
    name: str
    batch_id: int | None
    batch: str
    category_id: int | None
    category: str
    score: int
    correct: int
    source: str
    answers: list[int | None]


@dataclass(frozen=True)
class Group:
    id: int | None
    name: str
    responses: int
    mean: float | None


@dataclass(frozen=True)
class QuestionStat:
    question: AssessmentQuestion
    answered: int
    right: int

    @property
    def share_right(self) -> float | None:
        return round(self.right / self.answered, 3) if self.answered else None


@dataclass(frozen=True)
class Results:
    assessment: Assessment
    sheets: list[Sheet]
    mean: float | None
    distribution: list[int]  # ten bands: 0-9 ... 90-100
    by_batch: list[Group]
    by_category: list[Group]
    questions: list[QuestionStat]

    @property
    def hardest(self) -> list[QuestionStat]:
        answered = [q for q in self.questions if q.share_right is not None]
        return sorted(answered, key=lambda q: (q.share_right, q.question.position))[:5]


def mean(values: Iterable[float]) -> float | None:
    seq = list(values)
    return round(sum(seq) / len(seq), 1) if seq else None


def sheets(db: Session, assessment_id: int) -> list[Sheet]:
    rows = db.exec(
        select(AssessmentResponse, Registration, col(Participant.name),  # type: ignore[call-overload]
               col(Batch.name), col(TrainingCategory.name))
        .join(Registration, col(Registration.id) == AssessmentResponse.registration_id)
        .join(Participant, col(Participant.id) == Registration.participant_id)
        .outerjoin(Batch, col(Batch.id) == Registration.batch_id)
        .outerjoin(TrainingCategory, col(TrainingCategory.id) == Registration.category_id)
        .where(AssessmentResponse.assessment_id == assessment_id)).all()
    out = [Sheet(pk(reg), name, reg.batch_id, batch or "", reg.category_id, category or "",
                 resp.score, resp.correct, resp.source, list(resp.answers))
           for resp, reg, name, batch, category in rows]
    return sorted(out, key=lambda s: (s.batch, sort_key(s.name)))


def distribution(scores: Iterable[int]) -> list[int]:
    bands = [0] * 10
    for s in scores:
        bands[min(s // 10, 9)] += 1
    return bands


def groups(items: list[Sheet], by_batch: bool) -> list[Group]:
    found: dict[int | None, list[Sheet]] = defaultdict(list)
    for s in items:
        found[s.batch_id if by_batch else s.category_id].append(s)
    out = [Group(key, (v[0].batch if by_batch else v[0].category) or "—", len(v),
                 mean(s.score for s in v)) for key, v in found.items()]
    return sorted(out, key=lambda g: g.name)


def results(db: Session, assessment: Assessment) -> Results:
    qs = bank.questions(db, pk(assessment))
    items = sheets(db, pk(assessment))
    stats = []
    for i, q in enumerate(qs):
        # A blank counts as not right: the share is of everyone who handed in a sheet.
        right = sum(1 for s in items if i < len(s.answers) and s.answers[i] == q.answer)
        stats.append(QuestionStat(q, len(items), right))
    return Results(assessment, items, mean(s.score for s in items),
                   distribution(s.score for s in items), groups(items, True),
                   groups(items, False), stats)
