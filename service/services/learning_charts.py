"""The learning results' charts of the activity report (page and PDF): how the pre-test
and post-test scores of each batch spread over bands of ten points, and each person's
gain from one to the other. Built on assessments/learning (the newest pre-test and
post-test of the training)."""

from dataclasses import dataclass, replace

from sqlmodel import Session

from service.models import Training
from service.rendering.learning_pdf import BatchDistribution, LearningFigures, PersonGain
from service.services.assessments import learning
from service.services.assessments import report as assessment_report

# Bands of ten points: 0-9, 10-19, ..., 90-100 (a full score counts in the top band).
BANDS = tuple(f"{lo}–{lo + 9 if lo < 90 else 100}" for lo in range(0, 100, 10))


def band(score: int) -> int:
    return min(max(score, 0) // 10, 9)


@dataclass(frozen=True)
class Charts:
    distributions: list[BatchDistribution]
    people: list[PersonGain]  # by batch and name

    @property
    def top(self) -> int:
        """The largest count of any band of any batch: every batch's bars share it."""
        return max((n for d in self.distributions for n in (*d.pre, *d.post)), default=0)

    @property
    def max_gain(self) -> int:
        return max((abs(p.gain) for p in self.people if p.gain is not None), default=0)


def charts(x: learning.Learning) -> Charts:
    by_batch: dict[str, tuple[list[int], list[int]]] = {}
    for p in x.people:
        pre, post = by_batch.setdefault(p.batch or "—", ([0] * 10, [0] * 10))
        if p.pretest is not None:
            pre[band(p.pretest)] += 1
        if p.posttest is not None:
            post[band(p.posttest)] += 1
    # By batch and name (learning's order), as the office's list of scores reads.
    people = [PersonGain(p.name, p.batch or "—", p.pretest, p.posttest) for p in x.people]
    return Charts([BatchDistribution(name, pre, post)
                   for name, (pre, post) in sorted(by_batch.items())], people)


def training_charts(db: Session, training: Training) -> Charts:
    return charts(learning.learning(db, training))


def figures(db: Session, training: Training) -> LearningFigures | None:
    """The report PDF's learning section with its charts (None: no answered test)."""
    found = assessment_report.figures(db, training)
    if found is None:
        return None
    c = training_charts(db, training)
    return replace(found, distributions=c.distributions, people=c.people)
