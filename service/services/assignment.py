"""Placing a training's waiting registrations into its batches (preview, then apply).

The plan itself is pure (assignment_plan); here it is fed from the database and
written back. Applying locks the training's batch rows first (FOR UPDATE on
PostgreSQL; SQLite writers already hold the database lock), so the seats counted
for the plan are still free when it is written.
"""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from service.errors import Conflict
from service.models import Batch, Participant, Registration, Training, TrainingCategory
from service.models.base import pk
from service.services import regions, seats
from service.services.assignment_plan import (
    BatchState,
    BatchSummary,
    Candidate,
    Plan,
    Strategy,
    label,
    plan_assignment,
    summarize,
)

# A breakdown table's row: the category or kecamatan, its count per batch (in batch
# order) after the assignment, and the total.
MixRow = tuple[str, list[int], int]


def _mix(keys: list[str], counts: list[dict[str, int]]) -> list[MixRow]:
    return [(key, [c.get(key, 0) for c in counts], sum(c.get(key, 0) for c in counts))
            for key in keys]


@dataclass
class AssignmentPreview:
    strategy: Strategy
    batches: list[Batch]
    summaries: list[BatchSummary]
    plan: Plan
    candidates: int

    @property
    def placed(self) -> int:
        return len(self.plan.placements)

    @property
    def waitlisted(self) -> int:
        return len(self.plan.waitlisted)

    def batch(self, batch_id: int) -> Batch:
        return next(b for b in self.batches if b.id == batch_id)

    def categories(self) -> list[str]:
        return sorted({k for s in self.summaries for k in s.by_category}, key=_blank_last)

    def districts(self) -> list[str]:
        return sorted({k for s in self.summaries for k in s.by_district}, key=_blank_last)

    @property
    def confirmed(self) -> int:
        """Confirmed in any batch before this assignment."""
        return sum(s.confirmed_before for s in self.summaries)

    @property
    def room(self) -> int:
        """Seats free in the batches before this assignment."""
        return sum(max(0, s.capacity - s.confirmed_before) for s in self.summaries)

    def mix_by_category(self) -> list[MixRow]:
        return _mix(self.categories(), [s.by_category for s in self.summaries])

    def mix_by_district(self) -> list[MixRow]:
        return _mix(self.districts(), [s.by_district for s in self.summaries])



def _blank_last(value: str) -> tuple[bool, str]:
    return (value == "", value.casefold())


def _load_batches(db: Session, training_id: int, lock: bool) -> list[Batch]:
    query = (select(Batch).where(Batch.training_id == training_id)
             .order_by(col(Batch.position), col(Batch.id)))
    if lock and db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return list(db.exec(query).all())


def _states(db: Session, training: Training, batches: list[Batch]) -> list[BatchState]:
    ids = [pk(b) for b in batches]
    region = regions.column(training)
    districts: dict[int, dict[str, int]] = defaultdict(dict)
    categories: dict[int, dict[str, int]] = defaultdict(dict)
    if ids:
        confirmed = (select(Registration.batch_id, region,
                            TrainingCategory.name, func.count())
                     .join(Participant, col(Participant.id) == Registration.participant_id)
                     .outerjoin(TrainingCategory,
                                col(TrainingCategory.id) == Registration.category_id)
                     .where(col(Registration.batch_id).in_(ids),
                            Registration.status == "confirmed")
                     .group_by(col(Registration.batch_id), region,
                               col(TrainingCategory.name)))
        for batch_id, district, category, n in db.exec(confirmed):
            d, c = districts[batch_id or 0], categories[batch_id or 0]
            d[label(district)] = d.get(label(district), 0) + n
            c[label(category)] = c.get(label(category), 0) + n
    return [BatchState(id=pk(b), position=b.position, capacity=b.capacity,
                       confirmed=b.confirmed_count, districts=districts[pk(b)],
                       categories=categories[pk(b)]) for b in batches]


def _candidates(db: Session, training: Training) -> list[Candidate]:
    # "district" in the plan is the training's region: a kabupaten/kota stays together
    # at a provincial event, a kecamatan at a city's.
    rows = db.exec(select(Registration.id, TrainingCategory.name, regions.column(training),
                          Registration.preferred_batch_id)
                   .join(Participant, col(Participant.id) == Registration.participant_id)
                   .outerjoin(TrainingCategory,
                              col(TrainingCategory.id) == Registration.category_id)
                   .where(Registration.training_id == training.id,
                          Registration.status == "waitlisted")
                   .order_by(col(Registration.id))).all()
    return [Candidate(id=int(i or 0), category=cat, district=dist, preferred_batch_id=pref)
            for i, cat, dist, pref in rows]


def preview(db: Session, training: Training, strategy: Strategy,
            lock: bool = False) -> AssignmentPreview:
    """What an assignment would do, without changing anything."""
    batches = _load_batches(db, pk(training), lock)
    states = _states(db, training, batches)
    candidates = _candidates(db, training)
    plan = plan_assignment(states, candidates, strategy)
    return AssignmentPreview(strategy, batches, summarize(plan, states, candidates), plan,
                             len(candidates))


def apply(db: Session, training: Training, strategy: Strategy) -> AssignmentPreview:
    """Place every waiting registration that fits; the rest stay on the waitlist."""
    result = preview(db, training, strategy, lock=True)
    by_batch: dict[int, list[int]] = defaultdict(list)
    for reg_id, batch_id in result.plan.placements.items():
        by_batch[batch_id].append(reg_id)
    for batch_id, reg_ids in by_batch.items():
        if not seats.take_seats(db, batch_id, len(reg_ids)):
            # Cannot happen while the batches are locked; refuse rather than overfill.
            raise Conflict("The batches changed while assigning. Try again.",
                           code="assignment_conflict")
        changed = 0
        for start in range(0, len(reg_ids), 500):
            changed += db.execute(update(Registration)
                                  .where(col(Registration.id).in_(reg_ids[start:start + 500]),
                                         col(Registration.status) == "waitlisted")
                                  .values(batch_id=batch_id, status="confirmed")
                                  .execution_options(synchronize_session=False)
                                  ).rowcount  # type: ignore[attr-defined]
        if changed != len(reg_ids):
            # Someone was cancelled meanwhile: start over rather than miscount seats.
            raise Conflict("The registrations changed while assigning. Try again.",
                           code="assignment_conflict")
    db.expire_all()
    return result
