"""Page: the organization's accounts (admins only)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.routers.deps import PageAdmin
from service.routers.pages.forms import form_data, parse, render_form
from service.routers.pages.rendering import redirect
from service.schemas.accounts import UserCreate
from service.services import users
from service.services.scanner_logins import is_door_login

router = APIRouter(include_in_schema=False)


def _page(request: Request, db: DB, admin: PageAdmin, values: dict[str, Any] | None = None,
          exc: DomainError | None = None) -> Response:
    return render_form(request, "users/list.html", {
        "accounts": users.list_users(db, admin.organization_id),
        "trainings": users.training_titles(db, admin.organization_id),
        "is_door_login": is_door_login,
        "values": values or {"role": "committee"}}, exc)


@router.get("/users")
def users_page(request: Request, db: DB, admin: PageAdmin) -> Response:
    return _page(request, db, admin)


@router.post("/users")
async def add_user(request: Request, db: DB, admin: PageAdmin) -> Response:
    data = await form_data(request)
    try:
        users.add_user(db, admin.organization_id, parse(UserCreate, data))
    except DomainError as exc:
        db.rollback()
        data.pop("password", None)
        return _page(request, db, admin, data, exc)
    return redirect(request, "/users")


@router.post("/users/{user_id}/active")
async def toggle_active(request: Request, user_id: int, db: DB, admin: PageAdmin) -> Response:
    data = await form_data(request)
    user = users.get_user(db, admin.organization_id, user_id)
    users.set_active(db, admin, user, data.get("active") == "1")
    return redirect(request, "/users")
