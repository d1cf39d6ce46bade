"""Bearer tokens for API clients."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request

from service.db import DB
from service.models import User
from service.routers.deps import api_user
from service.services import auth
from service.settings import get_settings

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/token")
def create_token(db: DB, username: Annotated[str, Form(max_length=254)],
                 password: Annotated[str, Form(max_length=1024)]) -> dict[str, str]:
    """Exchange an email and password for a bearer token."""
    user = auth.authenticate(db, username, password)
    raw, _ = auth.issue_token(db, user, "api", get_settings().api_token_days)
    return {"access_token": raw, "token_type": "bearer"}


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
