"""A training's tests and their questions: entered on a page, sent as JSON, or imported
from a spreadsheet (sheets.py); a post-test may reuse the pre-test's questions."""

import secrets
from collections.abc import Sequence

from sqlmodel import Session, col, select

from service.errors import FieldError, NotFound
from service.models import Assessment, AssessmentQuestion, Training
from service.models.base import pk
from service.schemas.assessments import AssessmentCreate, QuestionIn

LETTERS = "abcdef"
# A true/false question's choices as the paper sheet prints them.
TRUE_FALSE = ("Benar", "Salah")


def answer_index(question: QuestionIn, where: str) -> int:
    """The right choice's index from an index, a letter or the choice's text."""
    raw = question.answer
    if raw is None or raw == "":
        raise FieldError(where, "Mark the right answer of this question.",
                         code="answer_missing")
    if isinstance(raw, int):
        index = raw
    else:
        text = raw.strip().casefold()
        texts = [c.casefold() for c in question.choices]
        if text in texts:
            index = texts.index(text)
        elif len(text) == 1 and text in LETTERS:
            index = LETTERS.index(text)
        elif text.isdigit():
            index = int(text) - 1  # "1" as offices number choices on paper
        else:
            index = -1
    if not 0 <= index < len(question.choices):
        raise FieldError(where, "The right answer is not one of the choices.",
                         code="answer_invalid")
    return index


def answer_keys(kind: str, qs: Sequence[QuestionIn]) -> list[int | None]:
    """Each question's right index; an evaluation has none (a key sent is ignored)."""
    if kind == "evaluation":
        return [None] * len(qs)
    return [answer_index(q, f"questions.{i}.answer") for i, q in enumerate(qs)]


def create_assessment(db: Session, training: Training, data: AssessmentCreate
                      ) -> Assessment:
    keys = answer_keys(data.kind, data.questions)
    if data.pass_score is not None and data.kind != "posttest":
        raise FieldError("pass_score", "A pass score belongs to a post-test.",
                         code="pass_score_not_posttest")
    assessment = Assessment(training_id=pk(training), kind=data.kind, title=data.title,
                            public_code=secrets.token_urlsafe(12),
                            pass_score=data.pass_score)
    db.add(assessment)
    db.flush()
    add_questions(db, assessment, [(q.text, list(q.choices), k)
                                   for q, k in zip(data.questions, keys, strict=True)])
    return assessment


def add_questions(db: Session, assessment: Assessment,
                  rows: Sequence[tuple[str, list[str], int | None]]) -> None:
    for position, (text, choices, key) in enumerate(rows, start=1):
        db.add(AssessmentQuestion(assessment_id=pk(assessment), position=position, text=text,
                                  choices=choices, answer=key))
    db.flush()


def copy_questions(db: Session, source: Assessment
                   ) -> list[tuple[str, list[str], int | None]]:
    """The source test's questions, for a post-test that asks the same (the common
    design: the gain then measures the same items)."""
    return [(q.text, list(q.choices), q.answer) for q in questions(db, pk(source))]


def get_assessment(db: Session, training: Training, assessment_id: int) -> Assessment:
    """The training's test; another training's (or office's) is simply not found."""
    found = db.get(Assessment, assessment_id)
    if found is None or found.training_id != training.id:
        raise NotFound("This test does not exist.", code="assessment_not_found")
    return found


def by_code(db: Session, code: str) -> Assessment:
    found = db.exec(select(Assessment).where(Assessment.public_code == code)).first()
    if found is None:
        raise NotFound("This test does not exist.", code="assessment_not_found")
    return found


def list_assessments(db: Session, training: Training) -> list[Assessment]:
    return list(db.exec(select(Assessment).where(Assessment.training_id == pk(training))
                        .order_by(col(Assessment.kind).desc(), col(Assessment.id))).all())


def questions(db: Session, assessment_id: int) -> list[AssessmentQuestion]:
    return list(db.exec(select(AssessmentQuestion)
                        .where(AssessmentQuestion.assessment_id == assessment_id)
                        .order_by(col(AssessmentQuestion.position))).all())


def set_pass_score(db: Session, assessment: Assessment, score: int | None) -> Assessment:
    if score is not None and assessment.kind != "posttest":
        raise FieldError("pass_score", "A pass score belongs to a post-test.",
                         code="pass_score_not_posttest")
    assessment.pass_score = score
    db.add(assessment)
    db.flush()
    return assessment


def latest(db: Session, training_id: int, kind: str) -> Assessment | None:
    """The training's newest test of a kind: the one its learning results count."""
    return db.exec(select(Assessment).where(Assessment.training_id == training_id,
                                            Assessment.kind == kind)
                   .order_by(col(Assessment.id).desc())).first()
