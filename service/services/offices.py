"""Setting up new offices (organizations), for superusers.

A superuser sees every office by its name, city and how many accounts and trainings it
has: counts only, nothing personal. It creates an office with its first admin, who gets
a one-time link to choose their own password (no password travels by chat). Otherwise a
superuser is an ordinary account of its own office: it is no admin of the offices it
set up, and sees none of their data.
"""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from service.errors import Conflict, FieldError, NotFound
from service.i18n import N_
from service.models import AuthToken, Organization, Training, User
from service.models.base import as_utc, pk
from service.schemas.accounts import OfficeCreate
from service.services import auth, password_reset
from service.services.password_reset import SETUP_HASH_PREFIX, WELCOME, PasswordLink
from service.services.scanner_logins import EMAIL_DOMAIN


@dataclass(frozen=True)
class Office:
    """An office as the superuser's list shows it."""

    id: int
    name: str
    city: str | None
    users: int  # active accounts, door logins left out (they come and go per training)
    trainings: int
    created_at: datetime
    # Its first admin has not chosen a password yet.
    awaiting_admin: bool
    # The newest open setup link's expiry, while one is open.
    link_expires_at: datetime | None
    # "province": a BKKBN Perwakilan, which reads the aggregates offices share with it.
    kind: str = "office"


def _awaiting_admin(db: Session, org_id: int) -> User | None:
    """The office's admin who has no password yet (made here, link not used), if any."""
    return db.exec(select(User).where(User.organization_id == org_id, User.role == "admin",
                                      col(User.is_active),
                                      col(User.password_hash).startswith(SETUP_HASH_PREFIX))
                   .order_by(col(User.id))).first()


def list_offices(db: Session) -> list[Office]:
    """Every office, by name, with its counts: four queries whatever their number."""
    orgs = db.exec(select(Organization).order_by(func.lower(Organization.name))).all()
    users = dict(db.exec(
        select(User.organization_id, func.count(col(User.id)))
        .where(col(User.is_active), col(User.email).not_like(f"%.{EMAIL_DOMAIN}"))
        .group_by(col(User.organization_id))).all())
    trainings = dict(db.exec(select(Training.organization_id, func.count(col(Training.id)))
                             .group_by(col(Training.organization_id))).all())
    waiting = dict(db.exec(
        select(User.organization_id, func.max(AuthToken.expires_at))
        .select_from(User)
        .outerjoin(AuthToken, (col(AuthToken.user_id) == User.id)
                   & (col(AuthToken.kind) == WELCOME) & col(AuthToken.revoked_at).is_(None))
        .where(User.role == "admin", col(User.is_active),
               col(User.password_hash).startswith(SETUP_HASH_PREFIX))
        .group_by(col(User.organization_id))).all())
    now = datetime.now(UTC)

    def open_until(org_id: int) -> datetime | None:
        expires = waiting.get(org_id)
        return as_utc(expires) if expires is not None and as_utc(expires) > now else None

    return [Office(id=pk(o), name=o.name, city=o.city, users=users.get(pk(o), 0),
                   trainings=trainings.get(pk(o), 0), created_at=as_utc(o.created_at),
                   awaiting_admin=pk(o) in waiting, link_expires_at=open_until(pk(o)),
                   kind=o.kind)
            for o in orgs]


def create_office(db: Session, data: OfficeCreate) -> PasswordLink:
    """A new office and its first admin, with the admin's one-time setup link."""
    name = " ".join(data.name.split())
    taken = db.exec(select(Organization.name)
                    .where(func.lower(Organization.name) == name.lower())).first()
    if taken is not None:
        raise FieldError("name", N_("An office named {name} already exists."),
                         code="duplicate", name=taken)
    email = auth.normalize_email(data.admin_email)
    if db.exec(select(User.id).where(User.email == email)).first() is not None:
        raise FieldError("admin_email", N_("An account with this email already exists."),
                         code="email_taken")
    org = Organization(name=name, city=data.city)
    db.add(org)
    db.flush()
    admin = User(organization_id=pk(org), email=email, name=data.admin_name, role="admin",
                 # Never an argon2 hash: no password opens it until the link sets one.
                 password_hash=SETUP_HASH_PREFIX + secrets.token_hex(16))
    db.add(admin)
    db.flush()
    return password_reset.issue_link(db, admin, WELCOME)


def get_office(db: Session, org_id: int) -> Organization:
    org = db.get(Organization, org_id)
    if org is None:
        raise NotFound(N_("Office not found."))
    return org


def new_welcome_link(db: Session, org: Organization) -> PasswordLink:
    """A fresh setup link for the office's first admin, while they have not chosen a
    password (their earlier link stops working). Afterwards the office's own admins make
    reset links on /users; a superuser is not one of them."""
    admin = _awaiting_admin(db, pk(org))
    if admin is None:
        raise Conflict(N_("This office's admin has already chosen a password. A forgotten "
                          "password is reset by an admin of the office on its Users page, "
                          "or by email from the login page."), code="office_set_up")
    return password_reset.issue_link(db, admin, WELCOME)
