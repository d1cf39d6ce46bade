"""One answer sheet per person and test, scored on arrival: from the participant's phone
(by the ticket's secret, while the committee has the test open to their batch), or keyed
in by the committee from paper (paper.py). The unique (test, registration) row settles a
second submission, however it arrives: 409."""

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from service.errors import Conflict, DomainError, FieldError, NotFound
from service.i18n import N_
from service.models import Assessment, AssessmentQuestion, AssessmentResponse, Registration
from service.models.base import pk
from service.services.assessments import bank, questionnaire, windows


class AlreadyAnswered(Conflict):
    code, message = "already_answered", N_("This test was already answered; the first "
                                           "answers count.")


class AssessmentClosed(DomainError):
    code, status, message = "assessment_closed", 409, N_(
        "This test is not open for your batch. Wait until the committee opens it.")


class NotConfirmed(DomainError):
    code, status, message = "not_confirmed", 403, N_(
        "Only confirmed participants can answer this test.")


def score(questions: Sequence[AssessmentQuestion], answers: Sequence[int | None]
          ) -> tuple[int, int]:
    """(right answers, score 0-100 rounded half up)."""
    right = sum(1 for q, a in zip(questions, answers, strict=True) if a == q.answer)
    return right, (200 * right + len(questions)) // (2 * len(questions)) if questions else 0


def check_answers(questions: Sequence[AssessmentQuestion], answers: Sequence[int | None]
                  ) -> None:
    if len(answers) != len(questions):
        raise FieldError("answers", "Give one answer per question: {n} expected, {got} sent.",
                         code="answers_count", n=len(questions), got=len(answers))
    for q, a in zip(questions, answers, strict=True):
        if a is not None and not 0 <= a < len(q.choices):
            raise FieldError("answers", "Question {n} has no choice {choice}.",
                             code="answer_invalid", n=q.position,
                             choice=bank.LETTERS[a] if a < len(bank.LETTERS) else a + 1)


def record(db: Session, assessment: Assessment, registration_id: int,
           answers: Sequence[int | None], source: str,
           questions: Sequence[AssessmentQuestion] | None = None) -> AssessmentResponse:
    qs = questions if questions is not None else bank.questions(db, pk(assessment))
    check_answers(qs, answers)
    right, value = score(qs, answers)
    row = AssessmentResponse(assessment_id=pk(assessment), registration_id=registration_id,
                             answers=list(answers), correct=right, score=value,
                             source=source)
    try:
        with db.begin_nested():
            db.add(row)
            db.flush()
    except IntegrityError:
        raise AlreadyAnswered() from None
    return row


def registration_by_token(db: Session, token: str) -> Registration:
    reg = db.exec(select(Registration).where(Registration.ticket_token == token)).first()
    if reg is None:
        raise NotFound("This ticket does not exist. Check the link you received.")
    return reg


def assessment_for_ticket(db: Session, reg: Registration, assessment_id: int) -> Assessment:
    """The test if it belongs to the ticket's training (else not found, as for a stranger)."""
    found = db.get(Assessment, assessment_id)
    if found is None or found.training_id != reg.training_id:
        raise NotFound("This test does not exist.", code="assessment_not_found")
    return found


def answered(db: Session, assessment_id: int, registration_id: int
             ) -> AssessmentResponse | None:
    return db.exec(select(AssessmentResponse).where(
        AssessmentResponse.assessment_id == assessment_id,
        AssessmentResponse.registration_id == registration_id)).first()


def submit_by_ticket(db: Session, token: str, assessment_id: int,
                     answers: Sequence[int | None], comment: str | None = None
                     ) -> AssessmentResponse | None:
    return submit(db, registration_by_token(db, token), assessment_id, answers, comment)


def submit(db: Session, reg: Registration, assessment_id: int,
           answers: Sequence[int | None], comment: str | None = None
           ) -> AssessmentResponse | None:
    """The ticket holder's answers, while the test is open to their batch. An evaluation
    questionnaire's are kept anonymously (questionnaire.py): nothing to return then."""
    assessment = assessment_for_ticket(db, reg, assessment_id)
    if reg.status != "confirmed":
        raise NotConfirmed()
    if assessment.kind == "evaluation":
        questionnaire.submit(db, reg, assessment, answers, comment)
        return None
    if not windows.is_open(db, pk(assessment), reg.batch_id):
        # The same answers a second time after closing are still the same sheet.
        if answered(db, pk(assessment), pk(reg)) is not None:
            raise AlreadyAnswered()
        raise AssessmentClosed()
    return record(db, assessment, pk(reg), answers, "phone")
