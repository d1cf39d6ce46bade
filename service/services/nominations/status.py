"""The fill of a training's units, as the committee's page and the API show it: named
against the quota, accepted, surat tugas received, open or closed; and the totals."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from service.models import Nominee, OrgUnit, Training, TrainingUnit
from service.models.base import as_utc, utcnow
from service.services.nominations import nominees, units


@dataclass(frozen=True)
class UnitFill:
    training_unit: TrainingUnit
    unit: OrgUnit
    named: int
    accepted: int
    open: bool

    @property
    def surat_tugas(self) -> bool:
        return self.training_unit.surat_tugas_at is not None

    @property
    def lagging(self) -> bool:
        """Fewer names than its quota: whom the committee follows up."""
        return self.named < self.training_unit.quota

    @property
    def percent(self) -> int:
        quota = max(self.training_unit.quota, 1)
        return min(100, round(100 * self.named / quota))


@dataclass(frozen=True)
class Totals:
    units: int
    named: int
    quota: int
    accepted: int
    surat_tugas: int
    lagging: int


def fill(db: Session, training: Training, now: datetime | None = None
         ) -> tuple[list[UnitFill], Totals]:
    """Every unit of the training with its counts (one query for all of them)."""
    moment = as_utc(now or utcnow())
    pairs = units.list_units(db, training)
    counts: dict[int, tuple[int, int]] = {}
    if pairs:
        accepted = func.sum(case((col(Nominee.registration_id).is_not(None), 1), else_=0))
        for tu_id, named, took in db.exec(
                select(Nominee.training_unit_id, func.count(), accepted)
                .where(col(Nominee.training_unit_id).in_([tu.id for tu, _u in pairs]))
                .group_by(col(Nominee.training_unit_id))).all():
            counts[tu_id] = (int(named), int(took or 0))
    rows = [UnitFill(tu, unit, *counts.get(tu.id or 0, (0, 0)),
                     open=nominees.is_open(tu, moment)) for tu, unit in pairs]
    totals = Totals(units=len(rows), named=sum(r.named for r in rows),
                    quota=sum(r.training_unit.quota for r in rows),
                    accepted=sum(r.accepted for r in rows),
                    surat_tugas=sum(1 for r in rows if r.surat_tugas),
                    lagging=sum(1 for r in rows if r.lagging))
    return rows, totals


def one(db: Session, tu: TrainingUnit, now: datetime | None = None) -> UnitFill:
    """One unit's fill (its page)."""
    named = nominees.named_count(db, tu)
    return UnitFill(tu, units.org_unit(db, tu), named, units.accepted_count(db, tu),
                    open=nominees.is_open(tu, now))
