"""The pass rule's effect on certificates: with a rule on the post-test, those who reached
it are "dinyatakan LULUS"; everyone else who attended still gets a certificate, with the
plain wording. Without a rule every certificate keeps the template's wording."""

from sqlmodel import Session, select

from service.models import AssessmentResponse, Training
from service.models.base import pk
from service.services.assessments import bank

PASSED_WORDING = "telah mengikuti dan dinyatakan LULUS"
ATTENDED_WORDING = "telah mengikuti"


def passed_registrations(db: Session, training: Training) -> set[int] | None:
    """Registrations whose post-test reached the rule; None when there is no rule."""
    post = bank.latest(db, pk(training), "posttest")
    if post is None or post.pass_score is None:
        return None
    return set(db.exec(select(AssessmentResponse.registration_id).where(
        AssessmentResponse.assessment_id == pk(post),
        AssessmentResponse.score >= post.pass_score)).all())


def wording_for(passed: set[int] | None, registration_id: int) -> str | None:
    """The certificate's wording for this person under the rule; None: the template's."""
    if passed is None:
        return None
    return PASSED_WORDING if registration_id in passed else ATTENDED_WORDING
