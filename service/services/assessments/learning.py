"""What the training taught: pre-test and post-test means, each person's gain from one to
the other, and who passed the post-test's rule, overall, per batch and per category. The
training's newest pre-test and newest post-test are the ones counted."""

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from service.i18n.names import sort_key
from service.models import Assessment, AssessmentResponse, Training
from service.models.base import pk
from service.services.assessments import bank
from service.services.assessments.results import mean, sheets


@dataclass(frozen=True)
class Person:
    registration_id: int
    name: str
    batch_id: int | None
    batch: str
    category_id: int | None
    category: str
    pretest: int | None
    posttest: int | None
    passed: bool | None  # None: no pass rule, or no post-test answered

    @property
    def gain(self) -> int | None:
        if self.pretest is None or self.posttest is None:
            return None
        return self.posttest - self.pretest


@dataclass(frozen=True)
class Summary:
    name: str
    id: int | None
    pretest_mean: float | None
    posttest_mean: float | None
    gain: float | None
    passed: int | None


@dataclass(frozen=True)
class Learning:
    pretest: Assessment | None
    posttest: Assessment | None
    people: list[Person]
    overall: Summary
    by_batch: list[Summary]
    by_category: list[Summary]

    @property
    def pass_score(self) -> int | None:
        return self.posttest.pass_score if self.posttest else None

    @property
    def any(self) -> bool:
        return bool(self.people)


def _summary(name: str, key: int | None, people: list[Person], rule: bool) -> Summary:
    return Summary(name, key,
                   mean(p.pretest for p in people if p.pretest is not None),
                   mean(p.posttest for p in people if p.posttest is not None),
                   mean(g for g in (p.gain for p in people) if g is not None),
                   sum(1 for p in people if p.passed) if rule else None)


def _grouped(people: list[Person], by_batch: bool, rule: bool) -> list[Summary]:
    found: dict[int | None, list[Person]] = defaultdict(list)
    for p in people:
        found[p.batch_id if by_batch else p.category_id].append(p)
    out = [_summary((v[0].batch if by_batch else v[0].category) or "—", key, v, rule)
           for key, v in found.items()]
    return sorted(out, key=lambda s: s.name)


def learning(db: Session, training: Training) -> Learning:
    pre = bank.latest(db, pk(training), "pretest")
    post = bank.latest(db, pk(training), "posttest")
    pre_sheets = {s.registration_id: s for s in (sheets(db, pk(pre)) if pre else [])}
    post_sheets = {s.registration_id: s for s in (sheets(db, pk(post)) if post else [])}
    rule = post.pass_score if post else None
    people = []
    for rid in pre_sheets.keys() | post_sheets.keys():
        before, after = pre_sheets.get(rid), post_sheets.get(rid)
        who = after or before
        assert who is not None  # the id came from one of the two
        people.append(Person(
            rid, who.name, who.batch_id, who.batch, who.category_id, who.category,
            before.score if before else None, after.score if after else None,
            None if rule is None or after is None else after.score >= rule))
    people.sort(key=lambda p: (p.batch, sort_key(p.name)))
    has_rule = rule is not None
    return Learning(pre, post, people, _summary("", None, people, has_rule),
                    _grouped(people, True, has_rule), _grouped(people, False, has_rule))


def scores_by_registration(db: Session, training_id: int
                           ) -> dict[int, tuple[int | None, int | None]]:
    """Each registration's (pre-test, post-test) score, for the roster exports; {} when
    the training has no test."""
    pre = bank.latest(db, training_id, "pretest")
    post = bank.latest(db, training_id, "posttest")
    ids = [pk(a) for a in (pre, post) if a is not None]
    if not ids:
        return {}
    out: dict[int, tuple[int | None, int | None]] = {}
    for rid, aid, score in db.exec(select(AssessmentResponse.registration_id,
                                          AssessmentResponse.assessment_id,
                                          AssessmentResponse.score)
                                   .where(col(AssessmentResponse.assessment_id).in_(ids))):
        before, after = out.get(rid, (None, None))
        out[rid] = (score, after) if pre is not None and aid == pk(pre) else (before, score)
    return out
