"""The organization's accounts, managed by its admins."""

from sqlmodel import Session, col, select

from service.errors import Conflict, FieldError, NotFound
from service.models import AuthToken, Organization, Training, User
from service.models.base import utcnow
from service.schemas.accounts import UserCreate
from service.services import login_throttle
from service.services.auth import create_user, forget_principals


def list_users(db: Session, org_id: int) -> list[User]:
    return list(db.exec(select(User).where(User.organization_id == org_id)
                        .order_by(col(User.is_active).desc(), col(User.name))).all())


def get_user(db: Session, org_id: int, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None or user.organization_id != org_id:
        raise NotFound("User not found.")
    return user


def add_user(db: Session, org_id: int, data: UserCreate) -> User:
    org = db.get(Organization, org_id)
    if org is None:
        raise NotFound()
    training_id = data.training_id if data.role == "scanner" else None
    if training_id is not None:
        training = db.get(Training, training_id)
        if training is None or training.organization_id != org_id:
            raise FieldError("training_id", "Choose a training from the list.")
    user = create_user(db, email=data.email, password=data.password, name=data.name,
                       role=data.role, organization=org)
    user.training_id = training_id
    db.add(user)
    db.flush()
    return user


def training_titles(db: Session, org_id: int) -> dict[int, str]:
    """Titles of the organization's trainings, to name the one a scanner is limited to."""
    return {t.id or 0: t.title for t in db.exec(
        select(Training).where(Training.organization_id == org_id)
        .order_by(col(Training.start_date).desc(), col(Training.id).desc())).all()}


def set_active(db: Session, actor: User, user: User, active: bool) -> User:
    """Deactivate (or re-activate) an account; its sessions and tokens stop working at once."""
    if user.id == actor.id and not active:
        raise Conflict("You cannot deactivate your own account.", code="self_deactivate")
    user.is_active = active
    db.add(user)
    if not active:
        for token in db.exec(select(AuthToken).where(AuthToken.user_id == user.id,
                                                     col(AuthToken.revoked_at).is_(None))):
            token.revoked_at = utcnow()
            db.add(token)
    db.flush()
    forget_principals(db)
    return user


def set_role(db: Session, actor: User, user: User, role: str) -> User:
    if user.id == actor.id and role != "admin":
        raise FieldError("role", "You cannot remove your own admin role.", code="self_demote")
    user.role = role
    if role != "scanner":
        # Only door scanners are limited to one training.
        user.training_id = None
    db.add(user)
    db.flush()
    forget_principals(db)
    return user


def locked_user_ids(db: Session, org_id: int) -> set[int]:
    """The organization's accounts locked out by failed logins (services/login_throttle)."""
    accounts = {u.email: u.id or 0 for u in list_users(db, org_id)}
    return {accounts[e] for e in login_throttle.locked_emails(db, accounts)}


def unlock(db: Session, user: User) -> User:
    """Lift an account's login lockout: its owner may try again at once."""
    login_throttle.unlock(db, user.email)
    db.flush()
    return user
