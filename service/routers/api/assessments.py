"""Pre-tests, post-tests and a training's own evaluation questionnaire: the committee's
questions (created, changed, deleted), batches, paper sheets and results; the
participant's answers by ticket. (The standard evaluation forms: routers/api/evaluations.)"""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Response, UploadFile
from pydantic import BaseModel, Field

from service.db import DB
from service.errors import NotFound
from service.models import Assessment, Registration
from service.routers.deps import ApiTraining
from service.schemas.assessments import (
    AnswersIn,
    AssessmentCreate,
    AssessmentRead,
    AssessmentUpdate,
    Created,
    LearningRead,
    PassRuleIn,
    QuestionnaireRead,
    ResultsRead,
    Scored,
)
from service.schemas.assessments_read import (
    assessment_read,
    learning_read,
    questionnaire_read,
    results_read,
)
from service.services.assessments import (
    answering,
    bank,
    editing,
    learning,
    paper,
    questionnaire,
    results,
    sheets,
    windows,
)

router = APIRouter(prefix="/api", tags=["assessments"])

# The ticket's secret, as tickets.py checks it: anything else is simply not found.
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def api_assessment(assessment_id: int, training: ApiTraining, db: DB) -> Assessment:
    return bank.get_assessment(db, training, assessment_id)


ApiAssessment = Annotated[Assessment, Depends(api_assessment)]


class BatchOpenIn(BaseModel):
    open: bool


class PaperIn(BaseModel):
    batch_id: int = Field(ge=1, le=2**63 - 1)
    # registration id -> the sheet's letters ("abdc-a..."; "-" for a blank)
    lines: Annotated[dict[int, Annotated[str, Field(max_length=400)]], Field(max_length=2000)]


class Saved(BaseModel):
    saved: int


@router.post("/trainings/{training_id}/assessments", status_code=201)
def create(training: ApiTraining, data: AssessmentCreate, db: DB) -> Created:
    """A pre-test or post-test with its questions and answer keys, or an evaluation
    questionnaire (kind "evaluation": no keys; choices "1".."5" are a scale with a mean)."""
    return Created(id=bank.create_assessment(db, training, data).id or 0)


def _read(db: DB, assessment: Assessment) -> AssessmentRead:
    return assessment_read(assessment, bank.questions(db, assessment.id or 0),
                           editing.answered(db, assessment))


@router.get("/trainings/{training_id}/assessments/{assessment_id}")
def get_one(assessment: ApiAssessment, db: DB) -> AssessmentRead:
    """A test or questionnaire with its questions, and how many have answered it."""
    return _read(db, assessment)


@router.patch("/trainings/{training_id}/assessments/{assessment_id}")
def update(assessment: ApiAssessment, data: AssessmentUpdate, db: DB) -> AssessmentRead:
    """Change the title and pass score; the questions and keys only while nobody has
    answered (409 assessment_answered afterwards)."""
    return _read(db, editing.update(db, assessment, data))


@router.delete("/trainings/{training_id}/assessments/{assessment_id}", status_code=204)
def remove(assessment: ApiAssessment, db: DB) -> Response:
    """Delete a test or questionnaire nobody has answered (409 assessment_answered)."""
    editing.remove(db, assessment)
    return Response(status_code=204)


@router.post("/trainings/{training_id}/assessments/import", status_code=201)
def import_questions(training: ApiTraining, db: DB, file: Annotated[UploadFile, File()],
                     kind: Annotated[str, Form(pattern="^(pretest|posttest)$")],
                     title: Annotated[str, Form(min_length=1, max_length=200)]) -> Created:
    """A test whose questions come from an .xlsx or .csv (Pertanyaan, A, B, C ..., Jawaban);
    every row or none (422 question_rows_invalid lists the bad rows)."""
    rows = sheets.read_sheet(file.file.read(), file.filename or "")
    made = bank.create_assessment(db, training, AssessmentCreate.model_validate({
        "kind": kind, "title": title,
        "questions": [{"text": t, "choices": c, "answer": k} for t, c, k in rows]}))
    return Created(id=made.id or 0)


@router.put("/trainings/{training_id}/assessments/{assessment_id}/batches/{batch_id}")
def open_batch(assessment: ApiAssessment, batch_id: int, data: BatchOpenIn,
               db: DB) -> BatchOpenIn:
    """Open the test to a batch's phones, or close it."""
    windows.set_open(db, assessment, batch_id, data.open)
    return data


@router.put("/trainings/{training_id}/assessments/{assessment_id}/pass-rule")
def pass_rule(assessment: ApiAssessment, data: PassRuleIn, db: DB) -> PassRuleIn:
    """The post-test score (0-100) that passes; null removes the rule."""
    bank.set_pass_score(db, assessment, data.pass_score)
    return data


@router.post("/trainings/{training_id}/assessments/{assessment_id}/paper")
def paper_answers(assessment: ApiAssessment, data: PaperIn, db: DB) -> Saved:
    """Paper answer sheets of one batch, keyed in as letters; all lines or none."""
    return Saved(saved=paper.save_grid(db, assessment, data.batch_id, data.lines))


@router.post("/trainings/{training_id}/assessments/{assessment_id}/paper/import")
def paper_import(assessment: ApiAssessment, db: DB,
                 file: Annotated[UploadFile, File()]) -> Saved:
    """Paper answer sheets from a spreadsheet (Nama, and Jawaban or columns 1..N)."""
    return Saved(saved=paper.import_sheet(db, assessment, file.file.read(),
                                          file.filename or ""))


@router.get("/trainings/{training_id}/assessments/{assessment_id}/results")
def get_results(assessment: ApiAssessment, db: DB) -> ResultsRead | QuestionnaireRead:
    """A test: scores per person, mean and spread per batch and category, share right per
    question. An evaluation: counts, means per item, shares per choice, per batch and the
    comments; no respondent ids, and only counts below the minimum of answers."""
    if assessment.kind == "evaluation":
        return questionnaire_read(questionnaire.results(db, assessment))
    return results_read(results.results(db, assessment))


@router.get("/trainings/{training_id}/learning")
def get_learning(training: ApiTraining, db: DB) -> LearningRead:
    """Pre- and post-test means, the gain per person and overall, and who passed."""
    return learning_read(learning.learning(db, training))


def ticket_registration(ticket_token: str, db: DB) -> Registration:
    # A dependency, so an unknown ticket is a 404 before the body is even looked at.
    if not 16 <= len(ticket_token) <= 64 or not _TOKEN_CHARS.issuperset(ticket_token):
        raise NotFound("This ticket does not exist. Check the link you received.")
    return answering.registration_by_token(db, ticket_token)


@router.post("/tickets/{ticket_token}/assessments/{assessment_id}", status_code=201)
def answer(reg: Annotated[Registration, Depends(ticket_registration)], assessment_id: int,
           data: AnswersIn, db: DB) -> Scored:
    """A participant's answers from their phone, by their ticket's secret; 409 the second
    time (already_answered; already_evaluated for an evaluation, which is kept without
    who gave it and returns no score) or while it is closed to their batch."""
    row = answering.submit(db, reg, assessment_id, data.answers, data.comment)
    if row is None:
        return Scored()
    return Scored(score=row.score, correct=row.correct, total=len(row.answers))
