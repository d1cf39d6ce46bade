"""Changing and deleting a test or an evaluation questionnaire. While nobody has answered,
everything may change; once someone has, only the title and the pass rule (a new question
or a new key would silently rescore sheets already handed in), and it is not deleted
(the answers would go with it)."""

from collections.abc import Sequence

from sqlmodel import Session, col, delete, select

from service.errors import Conflict
from service.i18n import N_
from service.models import Assessment, AssessmentBatch, AssessmentQuestion, AssessmentResponse
from service.models.base import pk
from service.schemas.assessments import AssessmentUpdate
from service.services.assessments import bank, questionnaire


class AlreadyAnsweredNoEdit(Conflict):
    code, message = "assessment_answered", N_(
        "Somebody has already answered this, so its questions and answer key can no longer "
        "change (only its title and pass score).")


class AlreadyAnsweredNoDelete(Conflict):
    code, message = "assessment_answered", N_(
        "Somebody has already answered this, so it cannot be deleted: the answers would be "
        "lost.")


def answered(db: Session, assessment: Assessment) -> int:
    """How many have answered (sheets, or for an evaluation its receipts)."""
    if assessment.kind == "evaluation":
        return questionnaire.answered_count(db, pk(assessment))
    return len(db.exec(select(AssessmentResponse.id).where(
        AssessmentResponse.assessment_id == pk(assessment))).all())


def _same(current: Sequence[AssessmentQuestion],
          rows: Sequence[tuple[str, list[str], int | None]]) -> bool:
    return [(q.text, list(q.choices), q.answer) for q in current] == list(rows)


def update(db: Session, assessment: Assessment, data: AssessmentUpdate) -> Assessment:
    """The new title, pass rule and (while nobody answered) questions."""
    if data.questions is not None:
        keys = bank.answer_keys(assessment.kind, data.questions)
        rows = [(q.text, list(q.choices), k) for q, k in zip(data.questions, keys, strict=True)]
        current = bank.questions(db, pk(assessment))
        if not _same(current, rows):
            if answered(db, assessment):
                raise AlreadyAnsweredNoEdit()
            db.exec(delete(AssessmentQuestion).where(
                col(AssessmentQuestion.assessment_id) == pk(assessment)))
            db.flush()
            bank.add_questions(db, assessment, rows)
    if data.pass_score is not None or data.clear_pass_score:
        bank.set_pass_score(db, assessment, data.pass_score)
    if data.title is not None:
        assessment.title = data.title
    db.add(assessment)
    db.flush()
    return assessment


def remove(db: Session, assessment: Assessment) -> None:
    """Delete a test nobody has answered, with its questions and its batches."""
    if answered(db, assessment):
        raise AlreadyAnsweredNoDelete()
    for table in (AssessmentQuestion, AssessmentBatch):
        db.exec(delete(table).where(col(table.assessment_id) == pk(assessment)))
    db.delete(assessment)
    db.flush()
