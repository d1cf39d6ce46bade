"""Pairs the committee marked as two people ("not the same person"): likely duplicates
(people.duplicates) that are not, so they stop being offered for a merge.

A mark is kept with who made it and when; undoing it keeps the row with who undid it and
when, so the list of likely duplicates shows the pair again and the audit keeps both
steps (marking the pair again takes the same row). A merge deletes the merged person and,
with it (ON DELETE CASCADE, and `forget` for the session), every mark naming them: the
person they were marked apart from may be the next merge's candidate, and the committee
decides again."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.errors import FieldError, NotFound
from service.i18n import N_
from service.models import DistinctPeople, Participant, User
from service.models.base import as_utc, pk, utcnow
from service.services.people.identity import get_person


class SamePersonTwice(FieldError):
    def __init__(self) -> None:
        super().__init__("other_id", N_("Choose two different people."), code="distinct_same")


class NotMarked(NotFound):
    code, message = "distinct_not_found", N_(
        "These two people are not marked as different people.")


@dataclass(frozen=True)
class Mark:
    """A marked pair as the duplicates page lists it."""

    first: Participant  # the lower id
    second: Participant
    by: str | None  # who marked them (None: an account since removed)
    at: datetime


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _people(db: Session, org_id: int, a_id: int, b_id: int) -> tuple[int, int]:
    # Each of the organization (another's is not found, never forbidden), then distinct.
    get_person(db, org_id, a_id)
    get_person(db, org_id, b_id)
    if a_id == b_id:
        raise SamePersonTwice()
    return _ordered(a_id, b_id)


def _row(db: Session, first: int, second: int) -> DistinctPeople | None:
    return db.exec(select(DistinctPeople).where(DistinctPeople.first_id == first,
                                                DistinctPeople.second_id == second)).first()


def _as_mark(db: Session, row: DistinctPeople) -> Mark:
    user = db.get(User, row.user_id) if row.user_id is not None else None
    first, second = db.get(Participant, row.first_id), db.get(Participant, row.second_id)
    assert first is not None and second is not None  # checked by _people
    return Mark(first, second, user.name if user else None, as_utc(row.created_at))


def mark(db: Session, org_id: int, a_id: int, b_id: int, user_id: int | None) -> Mark:
    """Mark two people of the organization as not the same person. Marking a marked pair
    again changes nothing; marking an undone one takes it again, by this user, now."""
    first, second = _people(db, org_id, a_id, b_id)
    for attempt in range(2):
        row = _row(db, first, second)
        if row is not None and row.undone_at is None:
            return _as_mark(db, row)
        if row is None:
            row = DistinctPeople(organization_id=org_id, first_id=first, second_id=second)
        row.user_id, row.created_at = user_id, utcnow()
        row.undone_by_id = row.undone_at = None
        try:
            with db.begin_nested():
                db.add(row)
                db.flush()
            return _as_mark(db, row)
        except IntegrityError:
            # Two committee members marked the pair at once: the other's mark stands.
            if attempt:
                raise
    raise AssertionError("unreachable")


def undo(db: Session, org_id: int, a_id: int, b_id: int, user_id: int | None
         ) -> DistinctPeople:
    """Take the mark back: the pair is a likely duplicate again (when it still looks
    like one). 404 distinct_not_found when the pair is not marked."""
    first, second = _people(db, org_id, a_id, b_id)
    row = _row(db, first, second)
    if row is None or row.undone_at is not None:
        raise NotMarked()
    row.undone_by_id, row.undone_at = user_id, utcnow()
    db.add(row)
    db.flush()
    return row


def marked_pairs(db: Session, org_id: int) -> set[tuple[int, int]]:
    """(lower id, higher id) of every pair the organization has marked (and not undone)."""
    return {(int(a), int(b)) for a, b in db.exec(
        select(DistinctPeople.first_id, DistinctPeople.second_id)
        .where(DistinctPeople.organization_id == org_id,
               col(DistinctPeople.undone_at).is_(None))).all()}


def marks(db: Session, org_id: int) -> list[Mark]:
    """The organization's marked pairs, newest first, with their people and who marked
    them: two queries."""
    rows = list(db.exec(select(DistinctPeople, User)
                        .outerjoin(User, col(User.id) == DistinctPeople.user_id)
                        .where(DistinctPeople.organization_id == org_id,
                               col(DistinctPeople.undone_at).is_(None))
                        .order_by(col(DistinctPeople.created_at).desc(),
                                  col(DistinctPeople.id).desc())).all())
    ids = {i for row, _user in rows for i in (row.first_id, row.second_id)}
    people = {pk(p): p for p in db.exec(select(Participant)
                                         .where(col(Participant.id).in_(ids)))} if ids else {}
    return [Mark(people[row.first_id], people[row.second_id],
                 user.name if user else None, as_utc(row.created_at))
            for row, user in rows if row.first_id in people and row.second_id in people]


def forget(db: Session, person_id: int) -> None:
    """Delete every mark naming the person (a merge is deleting them); the database does
    the same by its cascade, this keeps the session's own view in step."""
    db.execute(delete(DistinctPeople)
               .where(or_(col(DistinctPeople.first_id) == person_id,
                          col(DistinctPeople.second_id) == person_id))
               .execution_options(synchronize_session=False))
