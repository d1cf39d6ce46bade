"""Accounts of the organization (admins only)."""

from fastapi import APIRouter, Request

from service.db import DB
from service.models import User
from service.routers.deps import ApiAdmin
from service.routers.urls import public_base
from service.schemas.accounts import PasswordLinkRead, UserCreate, UserRead, UserUpdate
from service.services import password_reset, users

router = APIRouter(prefix="/api/users", tags=["users"])


def _read(u: User, locked: bool = False) -> UserRead:
    return UserRead(id=u.id or 0, email=u.email, name=u.name, role=u.role, is_active=u.is_active,
                    training_id=u.training_id, locked=locked)


@router.get("")
def list_users(db: DB, admin: ApiAdmin) -> list[UserRead]:
    """Every account of the organization (`locked`: by failed logins)."""
    locked = users.locked_user_ids(db, admin.organization_id)
    return [_read(u, u.id in locked) for u in users.list_users(db, admin.organization_id)]


@router.post("", status_code=201)
def create_user(data: UserCreate, db: DB, admin: ApiAdmin) -> UserRead:
    """Add an admin, committee member or door scanner account."""
    return _read(users.add_user(db, admin.organization_id, data))


@router.patch("/{user_id}")
def update_user(user_id: int, data: UserUpdate, db: DB, admin: ApiAdmin) -> UserRead:
    """Change a role, or deactivate an account (its tokens stop working at once)."""
    user = users.get_user(db, admin.organization_id, user_id)
    if data.role is not None:
        users.set_role(db, admin, user, data.role)
    if data.is_active is not None:
        users.set_active(db, admin, user, data.is_active)
    return _read(user)


@router.post("/{user_id}/unlock")
def unlock_user(user_id: int, db: DB, admin: ApiAdmin) -> UserRead:
    """Lift an account's lockout after too many failed logins."""
    return _read(users.unlock(db, users.get_user(db, admin.organization_id, user_id)))


@router.post("/{user_id}/reset-link", status_code=201)
def reset_link(request: Request, user_id: int, db: DB, admin: ApiAdmin) -> PasswordLinkRead:
    """A one-time link (24 hours) with which the user chooses a new password; earlier
    unused reset links of the user stop working. Only its hash is kept: hand it over now."""
    link = password_reset.issue_link(db, users.get_user(db, admin.organization_id, user_id))
    return PasswordLinkRead(user_id=user_id, url=public_base(request) + link.path,
                            expires_at=link.expires_at)
