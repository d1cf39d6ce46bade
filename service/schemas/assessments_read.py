"""The results' JSON, built from what the services computed."""

from service.models import Assessment, AssessmentQuestion
from service.schemas.assessments import (
    AssessmentRead,
    BatchRead,
    GroupRead,
    ItemRead,
    LearningGroup,
    LearningPerson,
    LearningRead,
    PersonScore,
    QuestionnaireRead,
    QuestionOut,
    QuestionRead,
    ResultsRead,
)
from service.services.assessments import questionnaire
from service.services.assessments.learning import Learning, Summary
from service.services.assessments.results import Results


def results_read(r: Results) -> ResultsRead:
    return ResultsRead(
        id=r.assessment.id or 0, kind=r.assessment.kind, title=r.assessment.title,
        responses=len(r.sheets), mean=r.mean, distribution=r.distribution,
        by_batch=[GroupRead(id=g.id, name=g.name, responses=g.responses, mean=g.mean)
                  for g in r.by_batch],
        by_category=[GroupRead(id=g.id, name=g.name, responses=g.responses, mean=g.mean)
                     for g in r.by_category],
        questions=[QuestionRead(position=q.question.position, text=q.question.text,
                                choices=list(q.question.choices), answer=q.question.answer,
                                answered=q.answered, share_right=q.share_right)
                   for q in r.questions],
        people=[PersonScore(registration_id=s.registration_id, name=s.name, batch=s.batch,
                            category=s.category, score=s.score, correct=s.correct,
                            source=s.source) for s in r.sheets])


def _group(s: Summary) -> LearningGroup:
    return LearningGroup(id=s.id, name=s.name, pretest_mean=s.pretest_mean,
                         posttest_mean=s.posttest_mean, gain=s.gain, passed=s.passed)


def learning_read(x: Learning) -> LearningRead:
    return LearningRead(
        pretest_id=x.pretest.id if x.pretest else None,
        posttest_id=x.posttest.id if x.posttest else None,
        pretest_mean=x.overall.pretest_mean, posttest_mean=x.overall.posttest_mean,
        gain=x.overall.gain, pass_score=x.pass_score, passed=x.overall.passed,
        by_batch=[_group(s) for s in x.by_batch], by_category=[_group(s) for s in x.by_category],
        people=[LearningPerson(registration_id=p.registration_id, name=p.name, batch=p.batch,
                               pretest=p.pretest, posttest=p.posttest, gain=p.gain,
                               passed=p.passed) for p in x.people])


def questionnaire_read(r: questionnaire.Results) -> QuestionnaireRead:
    """No respondent id anywhere: counts, means, shares and comments."""
    return QuestionnaireRead(
        id=r.assessment.id or 0, kind="evaluation", title=r.assessment.title,
        responses=r.responses, expected=r.expected, shown=r.shown,
        min_responses=questionnaire.MIN_SHOWN, mean=r.mean,
        by_batch=[BatchRead(id=b.id, name=b.name, expected=b.expected,
                            responses=b.responses, mean=b.mean) for b in r.by_batch],
        questions=[ItemRead(position=i.question.position, text=i.question.text,
                            choices=list(i.question.choices), numeric=i.numeric,
                            mean=i.mean, counts=i.counts, shares=i.shares)
                   for i in r.items],
        comments=r.comments)


def assessment_read(a: Assessment, questions: list[AssessmentQuestion],
                    answered: int) -> AssessmentRead:
    return AssessmentRead(
        id=a.id or 0, kind=a.kind, title=a.title, pass_score=a.pass_score,
        answered=answered,
        questions=[QuestionOut(position=q.position, text=q.text, choices=list(q.choices),
                               answer=q.answer) for q in questions])
