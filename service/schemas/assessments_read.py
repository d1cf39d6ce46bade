"""The results' JSON, built from what the services computed."""

from service.schemas.assessments import (
    GroupRead,
    LearningGroup,
    LearningPerson,
    LearningRead,
    PersonScore,
    QuestionRead,
    ResultsRead,
)
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
