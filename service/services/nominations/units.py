"""A training's units: which kabupaten/kota, OPD or kecamatan send delegates, how many
each (the quota) and until when (the deadline). A unit comes from the office's register
(services/units.py): given by id, or by name (found there, or added when new)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, col, func, select

from service.errors import Conflict, FieldError, NotFound
from service.i18n import N_
from service.i18n import gettext as _
from service.i18n.formats import fmt_date, fmt_time
from service.models import NominationLink, Nominee, OrgUnit, Training, TrainingUnit
from service.models.base import pk
from service.models.trainings import TIMEZONES
from service.services import training_clock
from service.services import units as register

QUOTA_MAX = 10_000
# What a unit invited to a training may be (the register knows Kampung KB and others too).
NOMINATING_KINDS = ("kabupaten_kota", "opd", "kecamatan")


class TrainingUnitNotFound(NotFound):
    code, message = "training_unit_not_found", N_("This unit is not invited to the training.")


class UnitAlreadyInvited(Conflict):
    code, message = "training_unit_exists", N_("{name} is already invited to this training.")


class UnitHasAccepted(Conflict):
    code, message = "training_unit_in_use", N_(
        "Delegates of {name} were already accepted into the training: the unit cannot be "
        "removed.")


def check_quota(quota: int) -> int:
    if not 1 <= quota <= QUOTA_MAX:
        raise FieldError("quota", N_("The quota is a number from 1 to {max}."),
                         code="invalid_quota", max=QUOTA_MAX)
    return quota


def deadline_moment(training: Training, value: date | datetime | None) -> datetime | None:
    """A typed deadline as a stored moment: a date means the end of that day where the
    training is held (23.59 WIB); a datetime keeps its offset (naive: the training's
    wall clock)."""
    zone = ZoneInfo(training.timezone)
    if value is None:
        return None
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=zone)
        return aware.astimezone(ZoneInfo("UTC"))
    return datetime.combine(value, time(23, 59, 59), tzinfo=zone).astimezone(ZoneInfo("UTC"))


def get_training_unit(db: Session, org_id: int, training_unit_id: int
                      ) -> tuple[TrainingUnit, Training]:
    """The training unit of one of the organization's trainings; another's is not found."""
    row = db.exec(select(TrainingUnit, Training)
                  .join(Training, col(Training.id) == TrainingUnit.training_id)
                  .where(TrainingUnit.id == training_unit_id,
                         Training.organization_id == org_id)
                  .options(defer(TrainingUnit.surat_tugas))).first()  # type: ignore[arg-type]
    if row is None:
        raise TrainingUnitNotFound()
    return row[0], row[1]


def org_unit(db: Session, tu: TrainingUnit) -> OrgUnit:
    unit = db.get(OrgUnit, tu.unit_id)
    if unit is None:  # the foreign key keeps it
        raise TrainingUnitNotFound()
    return unit


def list_units(db: Session, training: Training) -> list[tuple[TrainingUnit, OrgUnit]]:
    """The training's units by name, without their surat tugas' bytes."""
    rows = db.exec(select(TrainingUnit, OrgUnit)
                   .join(OrgUnit, col(OrgUnit.id) == TrainingUnit.unit_id)
                   .where(TrainingUnit.training_id == training.id)
                   .options(defer(TrainingUnit.surat_tugas))  # type: ignore[arg-type]
                   .order_by(col(OrgUnit.name))).all()
    return [(tu, unit) for tu, unit in rows]


def add_unit(db: Session, training: Training, *, quota: int,
             deadline: date | datetime | None = None, unit_id: int | None = None,
             name: str | None = None, kind: str = "kabupaten_kota") -> TrainingUnit:
    """Invite a unit (by `unit_id`, or by `name`: found in the register or added to it);
    a unit invited twice is refused (409)."""
    check_quota(quota)
    if kind not in NOMINATING_KINDS:
        raise FieldError("kind", N_("Choose what kind of unit this is."), code="invalid")
    if unit_id is None and not (name and name.strip()):
        raise FieldError("name", N_("Enter the unit's name or choose one from the list."),
                         code="required")
    unit = register.resolve_unit(db, training.organization_id, unit_id, name) \
        if unit_id is not None else register.find_or_create_unit(
            db, training.organization_id, name or "", kind)
    assert unit is not None
    tu = TrainingUnit(training_id=pk(training), unit_id=pk(unit), quota=quota,
                      deadline=deadline_moment(training, deadline))
    try:
        with db.begin_nested():
            db.add(tu)
            db.flush()
    except IntegrityError:
        raise UnitAlreadyInvited(params={"name": unit.name}) from None
    return tu


def update_unit(db: Session, training: Training, tu: TrainingUnit, *,
                quota: int | None = None, deadline: date | datetime | None = None,
                clear_deadline: bool = False) -> TrainingUnit:
    """A new quota and/or deadline (`clear_deadline`: none)."""
    if quota is not None:
        tu.quota = check_quota(quota)
    if deadline is not None:
        tu.deadline = deadline_moment(training, deadline)
    elif clear_deadline:
        tu.deadline = None
    db.add(tu)
    db.flush()
    return tu


def accepted_count(db: Session, tu: TrainingUnit) -> int:
    return int(db.exec(select(func.count()).select_from(Nominee)
                       .where(Nominee.training_unit_id == tu.id,
                              col(Nominee.registration_id).is_not(None))).one())


def remove_unit(db: Session, tu: TrainingUnit) -> None:
    """Stop inviting a unit (its links and delegates go with it); refused (409) once one
    of its delegates was accepted into the training."""
    if accepted_count(db, tu):
        raise UnitHasAccepted(params={"name": org_unit(db, tu).name})
    # Explicitly, so a database that does not cascade (SQLite without its pragma) agrees.
    db.execute(delete(Nominee).where(col(Nominee.training_unit_id) == tu.id))
    db.execute(delete(NominationLink).where(col(NominationLink.training_unit_id) == tu.id))
    db.delete(tu)
    db.flush()


def deadline_text(training: Training, deadline: datetime | None) -> str:
    """"Jumat, 5 Agustus 2022 pukul 23.59 WIB" in the reader's language; "" for none."""
    if deadline is None:
        return ""
    local = training_clock.local(training, deadline)
    return _("{date} at {time} {zone}", date=fmt_date(local.date(), weekday=True),
             time=fmt_time(local.time()), zone=TIMEZONES.get(training.timezone, ""))
