"""Page: the offices (organizations) and setting up a new one (superusers only)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.i18n import gettext
from service.routers.deps import PageSuperuser
from service.routers.pages.forms import SubmittedForm, parse, render_form, submit
from service.routers.pages.users import fmt_moment, link_box
from service.schemas.accounts import OfficeCreate
from service.services import offices
from service.services.password_reset import PasswordLink

router = APIRouter(include_in_schema=False)


def _page(request: Request, db: DB, values: dict[str, Any] | None = None,
          exc: DomainError | None = None, fresh: PasswordLink | None = None,
          office: str = "") -> Response:
    link = link_box(request, fresh, gettext("Setup link for {name}, admin of {office}",
                                            name=fresh.user.name, office=office)) \
        if fresh else None
    return render_form(request, "offices/list.html", {
        "offices": offices.list_offices(db), "moment": fmt_moment, "link": link,
        "values": values or {}}, exc)


@router.get("/offices")
def offices_page(request: Request, db: DB, _superuser: PageSuperuser) -> Response:
    """Every office with its counts, and the form to set up a new one."""
    return _page(request, db)


@router.post("/offices")
def add_office(request: Request, form: SubmittedForm, db: DB,
               _superuser: PageSuperuser) -> Response:
    """A new office and its first admin, who gets a one-time link to choose a password."""
    data = form.values()
    return submit(db, lambda: offices.create_office(db, parse(OfficeCreate, data)),
                  lambda link: _page(request, db, fresh=link,
                                     office=" ".join(str(data.get("name", "")).split())),
                  lambda exc: _page(request, db, data, exc))


@router.post("/offices/{organization_id}/welcome-link")
def welcome_link(request: Request, organization_id: int, form: SubmittedForm, db: DB,
                 _superuser: PageSuperuser) -> Response:
    """A new setup link for an office whose first admin has not chosen a password yet."""
    org = offices.get_office(db, organization_id)
    return submit(db, lambda: offices.new_welcome_link(db, org),
                  lambda link: _page(request, db, fresh=link, office=org.name),
                  lambda exc: _page(request, db, exc=exc))
