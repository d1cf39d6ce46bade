"""Page: the organization's accounts (admins only)."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from service.db import DB
from service.errors import DomainError
from service.i18n import gettext
from service.i18n.formats import fmt_date, fmt_time
from service.models.base import as_utc
from service.rendering.qr import qr_svg
from service.routers.deps import PageAdmin
from service.routers.pages.forms import SubmittedForm, parse, render_form, submit
from service.routers.pages.rendering import redirect, render
from service.routers.urls import public_base
from service.schemas.accounts import UserCreate
from service.services import password_reset, users
from service.services.password_reset import PasswordLink
from service.services.scanner_logins import is_door_login

router = APIRouter(include_in_schema=False)


def fmt_moment(value: datetime) -> str:
    """A moment as a wall clock in WIB, e.g. "4 Desember 2026 08.15 WIB" (an account has
    no time zone of its own; most offices keep WIB)."""
    local = as_utc(value).astimezone(ZoneInfo("Asia/Jakarta"))
    return f"{fmt_date(local.date())} {fmt_time(local.time())} WIB"


def link_box(request: Request, link: PasswordLink, heading: str) -> dict[str, Any]:
    """What account/_one_time_link.html shows of a link just made (once)."""
    url = public_base(request) + link.path
    return {"fresh": link, "fresh_url": url, "heading": heading,
            "qr": Markup(qr_svg(url)),  # noqa: S704 (generated SVG)
            "expires": fmt_moment(link.expires_at)}


def _page(request: Request, db: DB, admin: PageAdmin, values: dict[str, Any] | None = None,
          exc: DomainError | None = None, fresh: PasswordLink | None = None,
          link_exc: DomainError | None = None) -> Response:
    context: dict[str, Any] = {
        "accounts": users.list_users(db, admin.organization_id),
        "locked": users.locked_user_ids(db, admin.organization_id),
        "trainings": users.training_titles(db, admin.organization_id),
        "is_door_login": is_door_login,
        "link": link_box(request, fresh, gettext("Password reset link for {name}",
                                                 name=fresh.user.name)) if fresh else None,
        "link_error": link_exc.text() if link_exc else None,
        "values": values or {"role": "committee"}}
    if link_exc is not None:
        # A refused reset link: said above the list, not in the form to add a user.
        return render(request, "users/list.html", {**context, "errors": {}}, link_exc.status)
    return render_form(request, "users/list.html", context, exc)


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


@router.post("/users/{user_id}/reset-link")
def reset_link(request: Request, user_id: int, form: SubmittedForm, db: DB,
               admin: PageAdmin) -> Response:
    """A one-time link (and QR) with which the user chooses a new password: shown once."""
    target = users.get_user(db, admin.organization_id, user_id)
    return submit(db, lambda: password_reset.issue_link(db, target),
                  lambda link: _page(request, db, admin, fresh=link),
                  lambda exc: _page(request, db, admin, link_exc=exc))
