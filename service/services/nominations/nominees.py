"""The delegates a unit names through its link: up to its quota, until its deadline.

Both limits are decided by the database: adding takes a lock on the unit's training_unit
row (FOR UPDATE on PostgreSQL; SQLite's writers are IMMEDIATE and so one at a time) and
counts under it, so two focal points' phones racing for the last seat cannot both get
it. A delegate once accepted by the committee is no longer the unit's to edit or remove.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import defer
from sqlmodel import Session, col, func, select

from service.errors import Conflict, NotFound
from service.i18n import N_
from service.models import Nominee, TrainingUnit
from service.models.base import as_utc, pk, utcnow
from service.services.registrations import clean_or_raise

FIELDS = ("name", "nip", "position", "phone", "email")


class NominationClosed(Conflict):
    code, message = "nomination_closed", N_(
        "The deadline for names has passed: ask the committee if a change is still needed.")


class QuotaFull(Conflict):
    code, message = "nomination_quota_full", N_(
        "The quota of {quota} names is full: remove a name before adding another.")


class NomineeNotFound(NotFound):
    code, message = "nominee_not_found", N_("This delegate is not on your unit's list.")


class NomineeAccepted(Conflict):
    code, message = "nominee_accepted", N_(
        "The committee has already accepted this delegate: ask the committee for changes.")


@dataclass(frozen=True)
class NomineeIn:
    name: str
    nip: str
    position: str
    phone: str
    email: str


def clean(raw: Mapping[str, object]) -> NomineeIn:
    """A delegate's fields checked like a participant's (name required; a NIP of 18
    digits; the phone in +62 form; an email that looks like one); 422 otherwise."""
    fields = clean_or_raise({k: raw.get(k) for k in FIELDS})
    return NomineeIn(name=fields.name, nip=fields.nip or "", position=fields.position or "",
                     phone=fields.phone or "", email=fields.email or "")


def is_open(tu: TrainingUnit, now: datetime | None = None) -> bool:
    """Names are taken until the deadline (none: until the committee sets one)."""
    return tu.deadline is None or as_utc(now or utcnow()) <= as_utc(tu.deadline)


def lock(db: Session, tu: TrainingUnit) -> TrainingUnit:
    """The unit's row, locked until the commit, read afresh (a quota changed meanwhile)."""
    return db.exec(select(TrainingUnit).where(TrainingUnit.id == tu.id)
                   .options(defer(TrainingUnit.surat_tugas))  # type: ignore[arg-type]
                   .with_for_update().execution_options(populate_existing=True)).one()


def named_count(db: Session, tu: TrainingUnit) -> int:
    return int(db.exec(select(func.count()).select_from(Nominee)
                       .where(Nominee.training_unit_id == tu.id)).one())


def list_nominees(db: Session, tu: TrainingUnit) -> list[Nominee]:
    return list(db.exec(select(Nominee).where(Nominee.training_unit_id == tu.id)
                        .order_by(col(Nominee.id))).all())


def get(db: Session, tu: TrainingUnit, nominee_id: int) -> Nominee:
    """One of the unit's delegates; another unit's (whoever guesses its id) is not found."""
    nominee = db.get(Nominee, nominee_id)
    if nominee is None or nominee.training_unit_id != tu.id:
        raise NomineeNotFound()
    return nominee


def _check_open(tu: TrainingUnit, now: datetime | None) -> None:
    if not is_open(tu, now):
        raise NominationClosed()


def add(db: Session, tu: TrainingUnit, raw: Mapping[str, object], *, via_link: bool = True,
        now: datetime | None = None) -> Nominee:
    """Name a delegate; 409 nomination_closed after the deadline, nomination_quota_full
    when the quota is reached."""
    data = clean(raw)
    locked = lock(db, tu)
    _check_open(locked, now)
    if named_count(db, locked) >= locked.quota:
        raise QuotaFull(params={"quota": locked.quota})
    nominee = Nominee(training_unit_id=pk(locked), name=data.name, nip=data.nip,
                      position=data.position, phone=data.phone, email=data.email,
                      via_link=via_link, created_at=as_utc(now or utcnow()))
    db.add(nominee)
    db.flush()
    return nominee


def _editable(db: Session, tu: TrainingUnit, nominee_id: int,
              now: datetime | None) -> Nominee:
    locked = lock(db, tu)
    nominee = get(db, locked, nominee_id)
    _check_open(locked, now)
    if nominee.registration_id is not None:
        raise NomineeAccepted()
    return nominee


def update(db: Session, tu: TrainingUnit, nominee_id: int, raw: Mapping[str, object], *,
           now: datetime | None = None) -> Nominee:
    """Correct a delegate not yet accepted, before the deadline."""
    data = clean(raw)
    nominee = _editable(db, tu, nominee_id, now)
    nominee.name, nominee.nip, nominee.position = data.name, data.nip, data.position
    nominee.phone, nominee.email = data.phone, data.email
    db.add(nominee)
    db.flush()
    return nominee


def remove(db: Session, tu: TrainingUnit, nominee_id: int, *,
           now: datetime | None = None) -> None:
    """Take a delegate not yet accepted off the list, before the deadline."""
    nominee = _editable(db, tu, nominee_id, now)
    db.delete(nominee)
    db.flush()
