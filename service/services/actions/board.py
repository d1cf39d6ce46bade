"""The action board's figures: an office's follow-up actions counted by unit and status
(open, in progress, overdue, done, dropped), for one programme or all of them."""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from service.models import FollowUpAction, OrgUnit, Program, Training
from service.models.actions import OPEN_STATUSES
from service.services.actions import core


@dataclass
class UnitCounts:
    unit_id: int | None
    name: str
    open: int = 0
    in_progress: int = 0
    overdue: int = 0
    done: int = 0
    dropped: int = 0

    @property
    def total(self) -> int:
        return self.open + self.in_progress + self.done + self.dropped

    @property
    def done_share(self) -> float:
        live = self.total - self.dropped
        return self.done / live if live else 0.0


@dataclass
class Board:
    units: list[UnitCounts]
    totals: UnitCounts
    programs: list[Program] = field(default_factory=list)
    today: date | None = None

    @property
    def widest(self) -> int:
        return max((u.total for u in self.units), default=0)


def board(db: Session, org_id: int, program_id: int | None = None,
          unit_id: int | None = None, today: date | None = None) -> Board:
    today = today or core.office_today()
    query = (select(col(FollowUpAction.unit_id), col(OrgUnit.name),
                    col(FollowUpAction.status), col(FollowUpAction.due_date))
             .join(Training, col(Training.id) == FollowUpAction.training_id)
             .outerjoin(OrgUnit, col(OrgUnit.id) == FollowUpAction.unit_id)
             .where(FollowUpAction.organization_id == org_id))
    if program_id is not None:
        query = query.where(Training.program_id == program_id)
    if unit_id is not None:
        query = query.where(FollowUpAction.unit_id == unit_id)
    by_unit: dict[int | None, UnitCounts] = {}
    totals = UnitCounts(None, "")
    for uid, name, status, due in db.exec(query).all():
        counts = by_unit.setdefault(uid, UnitCounts(uid, name or ""))
        for c in (counts, totals):
            setattr(c, status, getattr(c, status) + 1)
            if status in OPEN_STATUSES and due < today:
                c.overdue += 1
    units = sorted(by_unit.values(), key=lambda u: (u.unit_id is None, -u.overdue,
                                                    u.name.lower()))
    programs = list(db.exec(select(Program).where(Program.organization_id == org_id)
                            .order_by(col(Program.start_date).desc())).all())
    return Board(units, totals, programs, today)
