"""Accepting a unit's delegates into the training: each becomes a registration of the
training with the unit set, placed in a batch the usual way (the first with a free seat,
else the waitlist: registrations.register), and the delegate keeps its registration's id.

The person is the office's own when the NIP (or NIK, or phone and name) matches someone it
knows, as imports match people; a person already registered in the training keeps that
registration, now marked as the unit's delegate. Under the unit's row lock, so accepting
twice (two clicks, two committee members) does nothing more the second time.
"""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from service.models import Nominee, OrgUnit, Registration, Training, TrainingUnit
from service.models.base import pk
from service.services import registrations
from service.services.nominations import nominees, units

SOURCE = "nomination"


def _raw(nominee: Nominee, unit: OrgUnit) -> dict[str, object]:
    """The delegate as a registration's fields; the unit names where they come from."""
    raw: dict[str, object] = {
        "name": nominee.name, "nip": nominee.nip or None, "position": nominee.position or None,
        "phone": nominee.phone or None, "email": nominee.email or None,
        "institution": unit.name}
    if unit.kind == "kabupaten_kota":
        raw["regency"] = unit.name
    elif unit.kind == "kecamatan":
        raw["district"] = unit.name
    return raw


def _existing(db: Session, training: Training, nominee: Nominee,
              unit: OrgUnit) -> Registration | None:
    """The registration in this training of the person the delegate is, if any."""
    fields = registrations.clean_or_raise(_raw(nominee, unit))
    person = registrations.find_participant(db, training.organization_id, fields)
    if person is None:
        return None
    return db.exec(select(Registration).where(
        Registration.training_id == training.id, Registration.participant_id == pk(person),
        Registration.status != "cancelled")).first()


def accept_one(db: Session, training: Training, tu: TrainingUnit, nominee: Nominee,
               unit: OrgUnit) -> Registration:
    registration = _existing(db, training, nominee, unit)
    if registration is None:
        registration = registrations.register(db, training, _raw(nominee, unit),
                                              source=SOURCE)
    if registration.unit_id is None or registration.unit_id != tu.unit_id:
        registration.unit_id = tu.unit_id
        db.add(registration)
    nominee.registration_id = pk(registration)
    db.add(nominee)
    db.flush()
    return registration


def accept(db: Session, training: Training, tu: TrainingUnit,
           nominee_ids: Sequence[int] | None = None) -> int:
    """Accept the unit's delegates not yet accepted (all, or those of `nominee_ids`; an id
    of another unit is not found); how many were accepted now."""
    locked = nominees.lock(db, tu)
    if nominee_ids is not None:
        for nominee_id in nominee_ids:
            nominees.get(db, locked, nominee_id)  # 404 for another unit's
    query = select(Nominee).where(Nominee.training_unit_id == locked.id,
                                  col(Nominee.registration_id).is_(None))
    if nominee_ids is not None:
        query = query.where(col(Nominee.id).in_(list(nominee_ids)))
    pending = list(db.exec(query.order_by(col(Nominee.id))
                           .execution_options(populate_existing=True)).all())
    unit = units.org_unit(db, locked)
    for nominee in pending:
        accept_one(db, training, locked, nominee, unit)
    return len(pending)
