"""An organization's units (OPD, kecamatan, kabupaten/kota, Kampung KB): the register
that meetings, presenters and follow-up actions name."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.errors import Conflict, FieldError, NotFound
from service.i18n import N_
from service.models import MeetingPresenter, Registration
from service.models.units import UNIT_KINDS, OrgUnit
from service.services.participant_fields import FieldProblem, normalize_phone


def list_units(db: Session, org_id: int) -> list[OrgUnit]:
    return list(db.exec(select(OrgUnit).where(OrgUnit.organization_id == org_id)
                        .order_by(col(OrgUnit.name))).all())


def get_unit(db: Session, org_id: int, unit_id: int) -> OrgUnit:
    unit = db.get(OrgUnit, unit_id)
    if unit is None or unit.organization_id != org_id:
        raise NotFound("Unit not found.")
    return unit


def find_unit(db: Session, org_id: int, name: str) -> OrgUnit | None:
    return db.exec(select(OrgUnit).where(OrgUnit.organization_id == org_id,
                                         OrgUnit.name == " ".join(name.split()))).first()


def find_or_create_unit(db: Session, org_id: int, name: str, kind: str = "opd") -> OrgUnit:
    """The unit of this name (spaces tidied), created when new."""
    unit = find_unit(db, org_id, name)
    if unit is None:
        unit = create_unit(db, org_id, name, kind)
    return unit


def resolve_unit(db: Session, org_id: int, unit_id: int | None, name: str | None
                 ) -> OrgUnit | None:
    """A unit given by id (checked to be ours) or by name (created when new)."""
    if unit_id is not None:
        return get_unit(db, org_id, unit_id)
    if name and name.strip():
        return find_or_create_unit(db, org_id, name)
    return None


def _check(name: str, kind: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise FieldError("name", "Enter the unit's name.", code="required")
    if len(clean) > 200:
        raise FieldError("name", "The name is too long (at most 200 characters).",
                         code="too_long")
    if kind not in UNIT_KINDS:
        raise FieldError("kind", "Choose what kind of unit this is.", code="invalid")
    return clean


def _phone(raw: str) -> str:
    if not raw.strip():
        return ""
    try:
        return normalize_phone(raw)
    except FieldProblem as problem:
        raise FieldError("focal_phone", problem.message, code="invalid",
                         **problem.params) from None


def create_unit(db: Session, org_id: int, name: str, kind: str = "opd", *,
                focal_name: str = "", focal_phone: str = "", focal_email: str = ""
                ) -> OrgUnit:
    clean = _check(name, kind)
    if find_unit(db, org_id, clean) is not None:
        raise FieldError("name", "A unit with this name already exists.", code="duplicate")
    unit = OrgUnit(organization_id=org_id, name=clean, kind=kind,
                   focal_name=" ".join(focal_name.split())[:200],
                   focal_phone=_phone(focal_phone),
                   focal_email=focal_email.strip()[:254])
    db.add(unit)
    db.flush()
    return unit


def update_unit(db: Session, unit: OrgUnit, name: str, kind: str, *, focal_name: str = "",
                focal_phone: str = "", focal_email: str = "") -> OrgUnit:
    clean = _check(name, kind)
    other = find_unit(db, unit.organization_id, clean)
    if other is not None and other.id != unit.id:
        raise FieldError("name", "A unit with this name already exists.", code="duplicate")
    unit.name, unit.kind = clean, kind
    unit.focal_name = " ".join(focal_name.split())[:200]
    unit.focal_phone = _phone(focal_phone)
    unit.focal_email = focal_email.strip()[:254]
    db.add(unit)
    db.flush()
    return unit


# --- added for meetings: what uses a unit, deleting one, its phone as a list shows it ---

class UnitInUse(Conflict):
    code, message = "unit_in_use", N_(
        "This unit is still named by presenters, delegates or actions: it cannot be deleted.")


def units_in_use(db: Session, org_id: int) -> set[int]:
    """The organization's units that presenters or delegates name."""
    used: set[int] = set()
    for model in (MeetingPresenter, Registration):
        used.update(u for u in db.exec(
            select(model.unit_id).distinct()
            .join(OrgUnit, col(OrgUnit.id) == model.unit_id)
            .where(OrgUnit.organization_id == org_id)).all() if u is not None)
    return used


def delete_unit(db: Session, unit: OrgUnit) -> None:
    """Delete a unit nothing names; one in use is refused (409) and kept."""
    if unit.id in units_in_use(db, unit.organization_id):
        raise UnitInUse()
    try:
        # Another table (follow-up actions) may name it too: its foreign key refuses.
        with db.begin_nested():
            db.delete(unit)
            db.flush()
    except IntegrityError:
        raise UnitInUse() from None


def shown_phone(unit: OrgUnit, admin: bool) -> str:
    """The focal point's phone: whole for an admin, its last 4 digits for others."""
    if admin or not unit.focal_phone:
        return unit.focal_phone
    return f"{'•' * 8}{unit.focal_phone[-4:]}"
