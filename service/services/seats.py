"""Seats in batches and places in category quotas, taken and given back atomically.

Every change is one `UPDATE ... WHERE count < limit`: the database decides who gets
the last seat when many registrations arrive at once, never a read-then-write here.
"""

from sqlalchemy import and_, or_, update
from sqlmodel import Session, col

from service.models import Batch, TrainingCategory


def take_seats(db: Session, batch_id: int, n: int = 1) -> bool:
    """Take n seats in a batch if they are all free; False when it is too full."""
    result = db.execute(update(Batch)
                        .where(col(Batch.id) == batch_id,
                               col(Batch.confirmed_count) + n <= col(Batch.capacity))
                        .values(confirmed_count=col(Batch.confirmed_count) + n)
                        .execution_options(synchronize_session=False))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def free_seats(db: Session, batch_id: int, n: int = 1) -> None:
    db.execute(update(Batch).where(col(Batch.id) == batch_id)
               .values(confirmed_count=col(Batch.confirmed_count) - n)
               .execution_options(synchronize_session=False))


def take_quota(db: Session, category_id: int, n: int = 1) -> bool:
    """Count n more registrations in a category, if its quota (when set) allows."""
    result = db.execute(update(TrainingCategory)
                        .where(col(TrainingCategory.id) == category_id,
                               or_(col(TrainingCategory.quota).is_(None),
                                   and_(col(TrainingCategory.taken) + n
                                        <= col(TrainingCategory.quota))))
                        .values(taken=col(TrainingCategory.taken) + n)
                        .execution_options(synchronize_session=False))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def free_quota(db: Session, category_id: int, n: int = 1) -> None:
    db.execute(update(TrainingCategory).where(col(TrainingCategory.id) == category_id)
               .values(taken=col(TrainingCategory.taken) - n)
               .execution_options(synchronize_session=False))
