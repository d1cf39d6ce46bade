"""Who shares with whom: the superuser marks an organization as a province office (BKKBN
Perwakilan); an office's own admin agrees to share its aggregates with a province office,
and may withdraw. A province never adds an office itself, and sees nothing of an office
that does not share (404, as if it were not there)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.errors import Conflict, DomainError, FieldError, NotFound
from service.i18n import N_
from service.models import Organization, ProvinceShare, User
from service.models.base import as_utc, pk
from service.models.province import OFFICE, ORGANIZATION_KINDS, PROVINCE


class NotProvince(DomainError):
    code, status, message = "not_province", 403, N_(
        "Only a province office (BKKBN Perwakilan) sees the aggregates of the offices that "
        "share them. Ask the person who set up your office to mark it as a province office.")


class OfficeNotShared(NotFound):
    code, message = "office_not_shared", N_(
        "This office does not share its aggregates with your province office.")


class ProvinceNotFound(NotFound):
    code, message = "province_not_found", N_("Province office not found.")


class NotShared(NotFound):
    code, message = "not_shared", N_(
        "Your office does not share its aggregates with this province office.")


def kind_of(db: Session, org_id: int) -> str:
    return db.exec(select(Organization.kind).where(Organization.id == org_id)).first() or OFFICE


def is_province(db: Session, org_id: int) -> bool:
    return kind_of(db, org_id) == PROVINCE


def require_province(db: Session, org_id: int) -> Organization:
    """The user's organization when it is a province office; NotProvince (403) otherwise."""
    org = db.get(Organization, org_id)
    if org is None or org.kind != PROVINCE:
        raise NotProvince()
    return org


@dataclass(frozen=True)
class Share:
    """A sharing office as the province sees it: no one's name, not who agreed."""

    office: Organization
    since: datetime


def shares_of(db: Session, province_id: int) -> list[Share]:
    """The offices sharing with the province, by name (one query)."""
    rows = db.exec(select(Organization, ProvinceShare.agreed_at)
                   .join(ProvinceShare, col(ProvinceShare.office_id) == Organization.id)
                   .where(ProvinceShare.province_id == province_id)
                   .order_by(func.lower(Organization.name))).all()
    return [Share(org, as_utc(at)) for org, at in rows]


def shared_office(db: Session, province_id: int, office_id: int) -> Share:
    """One office sharing with the province; OfficeNotShared (404) for any other, so a
    province learns nothing of an office that has not agreed (not even that it exists)."""
    row = db.exec(select(Organization, ProvinceShare.agreed_at)
                  .join(ProvinceShare, col(ProvinceShare.office_id) == Organization.id)
                  .where(ProvinceShare.province_id == province_id,
                         ProvinceShare.office_id == office_id)).first()
    if row is None:
        raise OfficeNotShared()
    return Share(row[0], as_utc(row[1]))


# --- the office's side ------------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    """A province office an office may share with, and whether (since when, agreed by
    whom: the office's own colleague) it does."""

    province_id: int
    name: str
    city: str | None
    shared: bool
    agreed_at: datetime | None
    agreed_by: str | None


def choices(db: Session, office_id: int) -> list[Choice]:
    """Every province office but the office itself, by name, with its sharing state."""
    rows = db.exec(select(Organization, ProvinceShare.agreed_at, User.name)
                   .outerjoin(ProvinceShare, (col(ProvinceShare.province_id) == Organization.id)
                              & (col(ProvinceShare.office_id) == office_id))
                   .outerjoin(User, col(User.id) == ProvinceShare.agreed_by)
                   .where(Organization.kind == PROVINCE, col(Organization.id) != office_id)
                   .order_by(func.lower(Organization.name))).all()
    return [Choice(pk(org), org.name, org.city, at is not None,
                   as_utc(at) if at is not None else None, by)
            for org, at, by in rows]


def share(db: Session, office_id: int, province_id: int, by: User) -> ProvinceShare:
    """The office shares its aggregates with the province office (once: asked again, the
    agreement already there is kept, with its date)."""
    if is_province(db, office_id):
        raise Conflict(N_("A province office does not share its aggregates with another "
                          "province office."), code="province_cannot_share")
    province = db.get(Organization, province_id) if 0 < province_id < 2**63 else None
    if province is None or province.kind != PROVINCE:
        raise ProvinceNotFound()
    found = _share_row(db, office_id, province_id)
    if found is not None:
        return found
    row = ProvinceShare(province_id=province_id, office_id=office_id, agreed_by=pk(by))
    db.add(row)
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError:
        # A second click (another tab) agreed at the same moment: one agreement stays.
        found = _share_row(db, office_id, province_id)
        if found is None:
            raise
        return found
    return row


def _share_row(db: Session, office_id: int, province_id: int) -> ProvinceShare | None:
    return db.exec(select(ProvinceShare).where(ProvinceShare.office_id == office_id,
                                               ProvinceShare.province_id == province_id)).first()


def withdraw(db: Session, office_id: int, province_id: int) -> None:
    """The office stops sharing with the province office (NotShared when it did not)."""
    row = _share_row(db, office_id, province_id) if 0 < province_id < 2**63 else None
    if row is None:
        raise NotShared()
    db.delete(row)
    db.flush()


# --- the superuser's side -----------------------------------------------------------------

def set_kind(db: Session, org: Organization, kind: str) -> Organization:
    """Mark an organization as a province office or an ordinary one. Agreements that no
    longer fit end with it: a province shares with no one, and an office is shared with
    by no one."""
    if kind not in ORGANIZATION_KINDS:
        raise FieldError("kind", N_("Choose one of: {expected}."), code="invalid_kind",
                         expected=", ".join(ORGANIZATION_KINDS))
    if kind != org.kind:
        gone = ProvinceShare.office_id if kind == PROVINCE else ProvinceShare.province_id
        db.execute(delete(ProvinceShare).where(col(gone) == pk(org)))
        org.kind = kind
        db.add(org)
        db.flush()
    return org
