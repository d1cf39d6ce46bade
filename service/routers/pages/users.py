"""Page: the organization's accounts (admins only)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.routers.deps import PageAdmin
from service.routers.pages.forms import SubmittedForm, parse, render_form, submit
from service.routers.pages.rendering import redirect
from service.schemas.accounts import UserCreate
from service.services import users
from service.services.scanner_logins import is_door_login

router = APIRouter(include_in_schema=False)


def _page(request: Request, db: DB, admin: PageAdmin, values: dict[str, Any] | None = None,
          exc: DomainError | None = None) -> Response:
    return render_form(request, "users/list.html", {
        "accounts": users.list_users(db, admin.organization_id),
        "locked": users.locked_user_ids(db, admin.organization_id),
        "trainings": users.training_titles(db, admin.organization_id),
        "is_door_login": is_door_login,
        "values": values or {"role": "committee"}}, exc)


@router.get("/users")
def users_page(request: Request, db: DB, admin: PageAdmin) -> Response:
    return _page(request, db, admin)


@router.post("/users")
def add_user(request: Request, form: SubmittedForm, db: DB, admin: PageAdmin) -> Response:
    data = form.values()

    def refused(exc: DomainError) -> Response:
        # The form comes back without the password it was sent with.
        return _page(request, db, admin, {k: v for k, v in data.items() if k != "password"},
                     exc)

    return submit(db, lambda: users.add_user(db, admin.organization_id, parse(UserCreate, data)),
                  lambda _user: redirect(request, "/users"), refused)


@router.post("/users/{user_id}/active")
def toggle_active(request: Request, user_id: int, form: SubmittedForm, db: DB,
                  admin: PageAdmin) -> Response:
    user = users.get_user(db, admin.organization_id, user_id)
    users.set_active(db, admin, user, form.get("active") == "1")
    return redirect(request, "/users")


@router.post("/users/{user_id}/unlock")
def unlock_user(request: Request, user_id: int, form: SubmittedForm, db: DB,
                admin: PageAdmin) -> Response:
    """Lift an account's lockout after too many failed logins."""
    return submit(db, lambda: users.unlock(db, users.get_user(db, admin.organization_id,
                                                                user_id)),
                  lambda _user: redirect(request, "/users"),
                  lambda exc: _page(request, db, admin, exc=exc))
