"""Merging two rows that are one person: every registration of the other moves to the
one kept, the kept row gains what only the other knew (a NIK, a phone), the other row is
deleted, and a PersonMerge row records it (who, when, the merged name and the NIK's last
4 digits only).

Both registered in one training cannot be merged: which of the two registrations (each
with its own ticket, check-ins, perhaps a certificate) should go is the committee's
call. The merge then changes nothing and names the training."""

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from service.errors import Conflict, FieldError
from service.i18n import N_
from service.models import Participant, PersonMerge, Registration, Training
from service.models.base import pk
from service.services import kampung_kb
from service.services.people import distinct
from service.services.people.identity import get_person
from service.services.registrations import PARTICIPANT_FIELDS


class SameTraining(Conflict):
    code, message = "merge_conflict", N_(
        "Both are registered in {training}: cancel one of the two registrations there "
        "first, or keep them as two people.")


class SamePerson(FieldError):
    def __init__(self) -> None:
        super().__init__("other_id", N_("Choose another person: a person cannot be merged "
                                        "with themselves."), code="merge_same")


def shared_trainings(db: Session, kept: Participant, other: Participant) -> list[str]:
    """Titles of the trainings both are registered in (any status)."""
    theirs = aliased(Registration)
    return list(db.exec(
        select(Training.title)
        .join(Registration, col(Registration.training_id) == Training.id)
        .join(theirs, col(theirs.training_id) == Training.id)
        .where(Registration.participant_id == pk(kept),
               theirs.participant_id == pk(other))
        .order_by(col(Training.start_date), col(Training.id))).all())


def _lock(db: Session, ids: list[int]) -> None:
    # Two merges of one pair at once: the second waits, then finds the row gone.
    # (SQLite's write transactions begin IMMEDIATE: one writer at a time anyway.)
    if db.get_bind().dialect.name == "postgresql":
        db.exec(select(Participant.id).where(col(Participant.id).in_(sorted(ids)))
                .order_by(col(Participant.id)).with_for_update()).all()


def merge(db: Session, org_id: int, kept_id: int, other_id: int,
          user_id: int | None) -> PersonMerge:
    """Merge person `other_id` into `kept_id` (both of the organization)."""
    kept = get_person(db, org_id, kept_id)
    other = get_person(db, org_id, other_id)
    if kept_id == other_id:
        raise SamePerson()
    _lock(db, [kept_id, other_id])
    both = shared_trainings(db, kept, other)
    if both:
        raise SameTraining(params={"training": "; ".join(both)})
    entry = PersonMerge(organization_id=org_id, kept_id=kept_id, merged_id=other_id,
                        merged_name=other.name,
                        merged_nik_tail=other.nik[-4:] if other.nik else None,
                        user_id=user_id)
    gained = {name: getattr(other, name) for name in PARTICIPANT_FIELDS
              if getattr(other, name) not in (None, "")
              and getattr(kept, name) in (None, "")}
    # The Kampung KB text, when it comes from the other, brings its link (perhaps mapped
    # by hand on /kampung-kb/unmatched).
    gained_link = other.kampung_kb_id if "kampung_kb" in gained else kept.kampung_kb_id
    try:
        with db.begin_nested():
            moved = db.execute(update(Registration)
                               .where(col(Registration.participant_id) == other_id)
                               .values(participant_id=kept_id)
                               .execution_options(synchronize_session="fetch"))
            entry.registrations_moved = int(moved.rowcount or 0)  # type: ignore[attr-defined]
            # The history goes with the person: earlier merges into the other now
            # belong to the one kept (kept_id cascades: they would be deleted with it).
            db.execute(update(PersonMerge).where(col(PersonMerge.kept_id) == other_id)
                       .values(kept_id=kept_id).execution_options(synchronize_session=False))
            db.add(entry)
            # Marks of the other as "not the same person" as someone go with it.
            distinct.forget(db, other_id)
            db.delete(other)
            db.flush()
            # After the delete: the NIK is unique within the organization.
            for name, value in gained.items():
                setattr(kept, name, value)
            kept.kampung_kb_id = gained_link
            kampung_kb.link_person(db, kept)
            db.add(kept)
            db.flush()
    except IntegrityError:
        # One of them was registered in a shared training meanwhile.
        raise SameTraining(params={"training": "; ".join(shared_trainings(db, kept, other))
                                   or "?"}) from None
    return entry
