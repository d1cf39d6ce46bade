"""Each unit's delegates at a meeting: how many it sent (confirmed registrations linked
to the unit) and how many are present, on one day or on any day of the meeting."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from service.errors import FieldError
from service.i18n import N_
from service.models import Batch, OrgUnit, Participant, Registration, Training
from service.services import presence, units
from service.services.meeting_days import days_of


@dataclass(frozen=True)
class UnitCount:
    unit_id: int | None  # None: the delegates linked to no unit
    name: str
    kind: str
    expected: int
    present: int


def unit_attendance(db: Session, training: Training, day: date | None = None
                    ) -> list[UnitCount]:
    """Present and expected per unit (by name; delegates of no unit last). `day` None:
    present on at least one of their batch's days."""
    rows = db.exec(select(Registration.id, Registration.unit_id, Batch)
                   .join(Batch, col(Batch.id) == Registration.batch_id)
                   .where(Registration.training_id == training.id,
                          Registration.status == "confirmed")).all()
    found = presence.load(db, training)
    tally: dict[int | None, list[int]] = {}
    for rid, unit_id, batch in rows:
        days = days_of(batch) if day is None else [day]
        here = bool(found.days_present(rid or 0, days))
        counts = tally.setdefault(unit_id, [0, 0])
        counts[0] += 1
        counts[1] += int(here)
    named = {u.id: u for u in db.exec(select(OrgUnit).where(
        col(OrgUnit.id).in_([u for u in tally if u is not None]))).all()}
    out = [UnitCount(uid, u.name, u.kind, *tally[uid])
           for uid, u in sorted(named.items(), key=lambda kv: kv[1].name.casefold())]
    if None in tally:
        out.append(UnitCount(None, "", "", *tally[None]))
    return out


def set_unit(db: Session, registration: Registration, training: Training,
             unit_id: int | None, name: str | None) -> Registration:
    """Link a registration to a unit of the training's organization (typed: created), or
    unlink it when neither is given."""
    unit = units.resolve_unit(db, training.organization_id, unit_id, name)
    registration.unit_id = unit.id if unit else None
    db.add(registration)
    db.flush()
    return registration


def check_unit_filter(db: Session, org_id: int, unit_id: int | None) -> int | None:
    """A list's unit filter: one of the organization's units, else refused."""
    if unit_id is None:
        return None
    unit = db.get(OrgUnit, unit_id)
    if unit is None or unit.organization_id != org_id:
        raise FieldError("unit_id", N_("Choose a unit from the register."),
                         code="invalid_unit")
    return unit_id


def training_units(db: Session, training: Training) -> list[OrgUnit]:
    """The units the training's registrations are linked to, by name (the list's filter)."""
    return list(db.exec(select(OrgUnit).distinct()
                        .join(Registration, col(Registration.unit_id) == OrgUnit.id)
                        .where(Registration.training_id == training.id)
                        .order_by(col(OrgUnit.name))).all())


def set_unit_named(db: Session, registration: Registration, training: Training,
                   name: str) -> Registration:
    """The registration form's unit box: a register unit's name (a new name adds it);
    empty unlinks."""
    clean = " ".join(name.split())
    if len(clean) > 200:
        raise FieldError("unit", N_("The name is too long (at most 200 characters)."),
                         code="too_long")
    return set_unit(db, registration, training, None, clean or None)


def unit_name(db: Session, registration: Registration) -> str:
    unit = db.get(OrgUnit, registration.unit_id) if registration.unit_id else None
    return unit.name if unit else ""


def unit_names(db: Session, training: Training) -> list[str]:
    return [u.name for u in units.list_units(db, training.organization_id)]


def link_by_institution(db: Session, training: Training) -> int:
    """Link the training's registrations without a unit to the register's unit whose name
    their institution (the import's Instansi/OPD column) is, case and spacing aside;
    returns how many were linked."""
    by_name = {" ".join(u.name.split()).casefold(): u.id
               for u in units.list_units(db, training.organization_id)}
    linked = 0
    for reg, institution in db.exec(
            select(Registration, Participant.institution)
            .join(Participant, col(Participant.id) == Registration.participant_id)
            .where(Registration.training_id == training.id,
                   col(Registration.unit_id).is_(None))).all():
        unit_id = by_name.get(" ".join((institution or "").split()).casefold())
        if unit_id is not None:
            reg.unit_id = unit_id
            db.add(reg)
            linked += 1
    db.flush()
    return linked
