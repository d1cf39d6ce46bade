"""Bearer tokens for API clients."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request

from service.db import DB, AsideDB
from service.models import User
from service.routers.deps import api_user, client_address
from service.schemas.accounts import PasswordChange
from service.services import auth, login_throttle
from service.settings import get_settings

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/token", responses={429: {"description": "too many failed logins"}})
def create_token(request: Request, db: DB, aside: AsideDB,
                 username: Annotated[str, Form(max_length=254)],
                 password: Annotated[str, Form(max_length=1024)]) -> dict[str, str]:
    """Exchange an email and password for a bearer token (429 login_locked after too many
    failures for the account or from the address)."""
    address = client_address(request)
    # Counted in its own transaction, before the password is checked: refused and failed
    # attempts count too.
    try:
        login_throttle.attempt(aside, username, address)
    finally:
        aside.commit()
    user = auth.authenticate(db, username, password)
    login_throttle.succeeded(db, username, address)
    raw, _ = auth.issue_token(db, user, "api", get_settings().api_token_days)
    return {"access_token": raw, "token_type": "bearer"}


@router.post("/password", status_code=204,
             responses={422: {"description": "wrong current password, or a weak new one"}})
def change_password(request: Request, data: PasswordChange, db: DB,
                    user: Annotated[User, Depends(api_user)]) -> None:
    """Change the password of the token's user (the current one is required); the user's
    other tokens and sessions stop working."""
    address = client_address(request)
    # Guesses of the current password count like failed logins. Committed at once, in
    # the request's session (a second one would wait for the write lock this one holds
    # on SQLite): a wrong password below fails the request but keeps its count.
    login_throttle.attempt(db, user.email, address)
    db.commit()
    auth.verify_current_password(user, data.current_password)
    login_throttle.succeeded(db, user.email, address)
    db.commit()
    raw = request.headers["authorization"].partition(" ")[2].strip()
    found = auth.resolve_token(db, raw, "api")
    auth.set_password(db, user, data.new_password, keep=found[1] if found else None)


@router.delete("/token", status_code=204)
def revoke_token(request: Request, db: DB, user: Annotated[User, Depends(api_user)]) -> None:
    """Revoke the bearer token this request carries."""
    raw = request.headers["authorization"].partition(" ")[2].strip()
    found = auth.resolve_token(db, raw, "api")
    if found:
        auth.revoke_token(db, found[1])


@router.get("/me")
def me(user: Annotated[User, Depends(api_user)]) -> dict[str, object]:
    """Who the token belongs to."""
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role,
            "organization_id": user.organization_id}
