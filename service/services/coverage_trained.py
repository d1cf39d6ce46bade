"""Who was trained, for coverage: the cadres of some trainings of an office who were present
on at least one day of their batch, counted per Kampung KB and poktan group, without
loading everyone's attendance (a province's biggest office holds 50,000 registrations in
five years: coverage.py's note has the definitions).

The answer is presence.load's, the one answer for who was present, written in SQL where
that can be done exactly: a confirmed registration was present on a day of its batch (a
meeting day, for a batch that lists them) when

- the newest committee mark of that day (the whole day: slot 0) says present, or
- the door checked them in that day (per session: at any session) and no committee mark
  of that day says otherwise.

In a training checked in per session, a whole-day mark and the marks of single sessions
weigh against each other (presence.Presence): the people with such a registration are
counted in Python, through presence.load itself.

Queries: the trainings' category names and the counts; when trainings checked in per
session are among them, also who has marks there, those people's registrations, their
batches, and presence.load's three. However many trainings, people or Kampung KB.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    String,
    and_,
    case,
    cast,
    distinct,
    exists,
    func,
    literal,
    null,
    or_,
)
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from service.models import (
    AttendanceMark,
    Batch,
    CheckIn,
    Participant,
    Registration,
    Training,
    TrainingCategory,
)
from service.models.base import pk
from service.services import presence
from service.services.meeting_days import days_of

GroupOf = Callable[[str | None], str]
# The people counted by presence.load, and their marked registrations, are named in the
# queries as a list (the planner starts from it) up to this many, else by the query that
# found them (SQLite takes at most 32,766 parameters).
_LISTED = 5000


@dataclass
class Trained:
    counts: dict[int, dict[str, int]]  # Kampung KB id -> poktan group -> cadres trained
    unlinked: int  # trained cadres linked to no Kampung KB


def _scope(query: Any, ids: list[int]) -> Any:
    """The trainings' confirmed registrations that have a batch."""
    return (query.select_from(Registration)
            .join(Batch, col(Batch.id) == Registration.batch_id)
            .join(Training, col(Training.id) == Registration.training_id)
            .where(col(Registration.training_id).in_(ids),
                   col(Registration.status) == "confirmed"))


def _with_people(query: Any) -> Any:
    return (query.join(Participant, col(Participant.id) == Registration.participant_id)
            .outerjoin(TrainingCategory, col(TrainingCategory.id) == Registration.category_id))


def _meets(db: Session, day: Any) -> Any:
    """The batch meets on `day`: one of its days, and one it lists when it lists them
    (Batch.meeting_dates: a JSON list of ISO dates, so its text holds '"2019-03-05"')."""
    iso = (func.to_char(day, "YYYY-MM-DD") if db.get_bind().dialect.name == "postgresql"
           else cast(day, String))
    listed = cast(col(Batch.meeting_dates), String).contains(
        literal('"').concat(iso).concat('"'))
    return and_(day >= Batch.start_date, day <= Batch.end_date,
                or_(col(Batch.meeting_dates).is_(None), listed))


def _marked() -> Any:
    """Any committee mark for the registration in its batch."""
    return exists().where(col(AttendanceMark.registration_id) == Registration.id,
                          col(AttendanceMark.batch_id) == Registration.batch_id
                          ).correlate_except(AttendanceMark)


def _by_rule() -> Any:
    """Left to presence.load: a registration with committee marks in a training checked in
    per session."""
    return and_(col(Training.checkin_mode) == "session", _marked())


def _attended(db: Session, ids: list[int]) -> Any:
    """Present on a day of the batch (the module's note), for a registration of the
    trainings `ids`; exact except in a training checked in per session that has committee
    marks."""
    door_slot = or_(and_(col(Training.checkin_mode) == "session", col(CheckIn.slot) != 0),
                    and_(col(Training.checkin_mode) != "session", col(CheckIn.slot) == 0))
    door = (col(CheckIn.registration_id) == Registration.id, door_slot,
            _meets(db, col(CheckIn.day)))
    # Each EXISTS names the one table it reads: the rest comes from the enclosing queries,
    # however deep (SQLAlchemy correlates only one level by itself).
    day_marked = exists().where(col(AttendanceMark.registration_id) == Registration.id,
                                col(AttendanceMark.batch_id) == Registration.batch_id,
                                col(AttendanceMark.day) == CheckIn.day,
                                col(AttendanceMark.slot) == 0).correlate_except(AttendanceMark)
    scanned = exists().where(*door, ~day_marked).correlate_except(CheckIn)
    # Most registrations have no committee mark: one look-up in a set the database builds
    # once (the marks in these trainings' batches), then the door alone decides: a probe
    # fewer for each of 50,000 registrations.
    batches = select(Batch.id).where(col(Batch.training_id).in_(ids))
    marked = (select(AttendanceMark.registration_id)
              .where(col(AttendanceMark.slot) == 0, col(AttendanceMark.batch_id).in_(batches))
              .correlate(None))
    unmarked_scanned = and_(col(Registration.id).not_in(marked),
                            exists().where(*door).correlate_except(CheckIn))
    newer = aliased(AttendanceMark)
    marked_present = exists().where(
        col(AttendanceMark.registration_id) == Registration.id,
        col(AttendanceMark.batch_id) == Registration.batch_id,
        col(AttendanceMark.slot) == 0, col(AttendanceMark.status) == presence.PRESENT,
        _meets(db, col(AttendanceMark.day)),
        ~exists().where(col(newer.registration_id) == AttendanceMark.registration_id,
                        col(newer.batch_id) == AttendanceMark.batch_id,
                        col(newer.day) == AttendanceMark.day, col(newer.slot) == 0,
                        col(newer.id) > AttendanceMark.id).correlate_except(newer)
    ).correlate_except(AttendanceMark)
    return or_(unmarked_scanned,
               and_(col(Registration.id).in_(marked), or_(scanned, marked_present)))


def trained(db: Session, org_id: int, trainings: list[Training], group_of: GroupOf
            ) -> Trained:
    """Cadres present on a day of their batch in any of `trainings` (the office's), each
    counted once per poktan group (`group_of` a category name) and Kampung KB."""
    if not trainings:
        return Trained({}, 0)
    ids = [pk(t) for t in trainings]
    names = db.exec(select(TrainingCategory.name).distinct()
                    .where(col(TrainingCategory.training_id).in_(ids))).all()
    group = (case({n: group_of(n) for n in names}, value=col(TrainingCategory.name),
                  else_=literal(group_of(None))) if names else literal(group_of(None))
             ).label("poktan_group")
    # Each trained person once per group first, then their Kampung KB: a person's row is
    # read once, not once per training.
    people = (_scope(select(col(Registration.participant_id).label("person_id"), group), ids)
              .outerjoin(TrainingCategory, col(TrainingCategory.id) == Registration.category_id)
              .where(_attended(db, ids)))
    ruled: Any = []  # the people counted by presence.load instead
    per_session = [pk(t) for t in trainings if t.checkin_mode == "session"]
    if per_session:
        found = _scope(select(Registration.participant_id).distinct(), per_session
                       ).where(_marked())
        listed = sorted(db.exec(found).all())
        ruled = listed if len(listed) <= _LISTED else found.correlate(None)
    some_ruled = not isinstance(ruled, list) or bool(ruled)
    if some_ruled:
        people = people.where(col(Registration.participant_id).not_in(ruled))
    pairs = people.group_by(col(Registration.participant_id), group).subquery()
    kkb = col(Participant.kampung_kb_id)
    # Per Kampung KB and group; the unlinked (no Kampung KB) in one row whatever their
    # groups, each person once.
    group_of_linked = case((kkb.is_(None), null()), else_=pairs.c.poktan_group)
    # A training's people are its office's (people are per office): saying so lets the
    # database read that office's people, not the province's.
    query = (select(kkb, group_of_linked, func.count(distinct(pairs.c.person_id)))
             .join_from(pairs, Participant, col(Participant.id) == pairs.c.person_id)
             .where(col(Participant.organization_id) == org_id)
             .group_by(kkb, group_of_linked))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    unlinked: set[int] = set()
    unlinked_count = 0
    for kkb_id, poktan, n in db.exec(query).all():
        if kkb_id is None:
            unlinked_count = n
        else:
            counts[kkb_id][poktan] += n
    if some_ruled:
        for person, kkb_id, poktan in _by_presence(db, trainings, ids, group, ruled):
            if kkb_id is None:
                unlinked.add(person)
            else:
                counts[kkb_id][poktan] += 1
    return Trained({k: dict(v) for k, v in counts.items()}, unlinked_count + len(unlinked))


def _by_presence(db: Session, trainings: list[Training], ids: list[int], group: Any,
                 people: Any) -> set[tuple[int, int | None, str]]:
    """(person, Kampung KB, group) trained, for `people` (those with a marked
    registration in a training checked in per session), by presence.load."""
    rule = _by_rule()
    rows = db.exec(_with_people(_scope(
        select(Registration.id, Registration.batch_id,  # type: ignore[call-overload]
               Participant.id, Participant.kampung_kb_id, group, rule, _attended(db, ids)),
        ids))
        .where(col(Registration.participant_id).in_(people))).all()
    ruled = {bid for _r, bid, _p, _k, _g, by_rule, _a in rows if by_rule}
    if not ruled:
        return set()
    batches = {pk(b): b for b in db.exec(select(Batch).where(col(Batch.id).in_(sorted(ruled))))}
    per_session = next(t for t in trainings if t.checkin_mode == "session")
    marked = [rid for rid, _b, _p, _k, _g, by_rule, _a in rows if by_rule]
    only = (marked if len(marked) <= _LISTED
            else _scope(select(Registration.id), ids).where(rule).correlate(None))
    seen = presence.load(db, per_session, list(batches.values()), only=only)
    found: set[tuple[int, int | None, str]] = set()
    for rid, bid, person, kkb_id, poktan, by_rule, attended in rows:
        if (seen.days_present(rid, days_of(batches[bid])) if by_rule else attended):
            found.add((person, kkb_id, poktan))
    return found
