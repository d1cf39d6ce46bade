"""What a training's nominations hold of people beyond its participants: the delegates a
unit named whom the committee never accepted (name, NIP, jabatan, phone, email as the
focal point typed them) and each unit's surat tugas, a letter that names its delegates
with their NIPs and cannot be redacted.

The participants' own data goes person by person (scrub.py, also for the surat tugas
naming them); these papers belong to no participant, so the retention setting removes
them by the training (retention.run): for trainings that ended before the cutoff, no
sooner than GRACE_DAYS after they passed it and after the setting took its value, as
people are erased GRACE_DAYS after they are listed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from service.models import Nominee, Training, TrainingUnit


@dataclass(frozen=True)
class Papers:
    nominees: int  # named and never accepted
    letters: int  # units whose surat tugas is on file


def _units_of(org_id: int, ended_before: date) -> SelectOfScalar[Any]:
    """The ids of the units invited to the organization's trainings that ended before."""
    return (select(TrainingUnit.id)
            .join(Training, col(Training.id) == TrainingUnit.training_id)
            .where(Training.organization_id == org_id, col(Training.end_date) < ended_before))


def count(db: Session, org_id: int, ended_before: date) -> Papers:
    """What removing the papers of trainings that ended before `ended_before` removes."""
    units = _units_of(org_id, ended_before)
    nominees = db.exec(select(func.count()).select_from(Nominee).where(
        col(Nominee.training_unit_id).in_(units),
        col(Nominee.registration_id).is_(None))).one()
    letters = db.exec(select(func.count()).select_from(TrainingUnit).where(
        col(TrainingUnit.id).in_(units), col(TrainingUnit.surat_tugas_at).is_not(None))).one()
    return Papers(int(nominees), int(letters))


def due_before(cutoff: date, grace_days: int) -> date:
    """Trainings that ended before this day have had their papers announced long enough."""
    return cutoff - timedelta(days=grace_days)


def remove(db: Session, org_id: int, ended_before: date) -> Papers:
    """Delete the unaccepted delegates and the surat tugas of the organization's
    trainings that ended before `ended_before`; flushes. Accepted delegates stay: they
    are participants, erased with the person."""
    units = _units_of(org_id, ended_before)
    gone = db.execute(delete(Nominee).where(
        col(Nominee.training_unit_id).in_(units), col(Nominee.registration_id).is_(None))
        .execution_options(synchronize_session=False))
    return Papers(int(gone.rowcount or 0),  # type: ignore[attr-defined]
                  clear_letters(db, units))


def clear_letters(db: Session, units: Sequence[int] | SelectOfScalar[Any]) -> int:
    """Remove the surat tugas of `units` (ids, or a query of them); how many there were."""
    cleared = db.execute(update(TrainingUnit).where(
        col(TrainingUnit.id).in_(units), col(TrainingUnit.surat_tugas_at).is_not(None))
        .values(surat_tugas=None, surat_tugas_type="", surat_tugas_name="",
                surat_tugas_at=None)
        .execution_options(synchronize_session=False))
    db.flush()
    return int(cleared.rowcount or 0)  # type: ignore[attr-defined]
