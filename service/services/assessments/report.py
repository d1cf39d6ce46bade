"""The learning results as the activity report PDF draws them."""

from sqlmodel import Session

from service.models import Training
from service.rendering.learning_pdf import HardQuestion, LearningFigures, LearningRow
from service.services.assessments import learning, results
from service.services.assessments.learning import Summary


def _row(s: Summary) -> LearningRow:
    return LearningRow(s.name, s.pretest_mean, s.posttest_mean, s.gain, s.passed)


def figures(db: Session, training: Training) -> LearningFigures | None:
    """None for a training without an answered test: the report leaves the section out."""
    x = learning.learning(db, training)
    if not x.any:
        return None
    hardest_of = x.posttest or x.pretest
    hardest = results.results(db, hardest_of).hardest if hardest_of else []
    return LearningFigures(
        overall=_row(x.overall),
        pretest_sheets=sum(1 for p in x.people if p.pretest is not None),
        posttest_sheets=sum(1 for p in x.people if p.posttest is not None),
        pass_score=x.pass_score, by_batch=[_row(s) for s in x.by_batch],
        by_category=[_row(s) for s in x.by_category],
        hardest=[HardQuestion(q.question.position, q.question.text, q.share_right or 0.0)
                 for q in hardest])
