"""Page: the offices (organizations) and setting up a new one (superusers only)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.i18n import gettext
from service.routers.deps import PageSuperuser
from service.routers.pages.forms import SubmittedForm, errors_by_field, parse, render_form, submit
from service.routers.pages.rendering import render
from service.routers.pages.users import fmt_moment, link_box
from service.schemas.accounts import OfficeCreate
from service.services import offices
from service.services.org_export import upload
from service.services.password_reset import PasswordLink
from service.settings import get_settings

router = APIRouter(include_in_schema=False)


def _context(request: Request, db: DB, fresh: PasswordLink | None,
             office: str) -> dict[str, Any]:
    link = link_box(request, fresh, gettext("Setup link for {name}, admin of {office}",
                                            name=fresh.user.name, office=office)) \
        if fresh else None
    return {"offices": offices.list_offices(db), "moment": fmt_moment, "link": link,
            "values": {}, "errors": {}, "import_values": {}, "import_errors": {},
            "imported": None,
            "import_max_mb": get_settings().max_import_archive_bytes // 1048576}


def _page(request: Request, db: DB, values: dict[str, Any] | None = None,
          exc: DomainError | None = None, fresh: PasswordLink | None = None,
          office: str = "") -> Response:
    return render_form(request, "offices/list.html", {
        **_context(request, db, fresh, office), "values": values or {}}, exc)


def _imported(request: Request, db: DB, done: upload.OfficeImport) -> Response:
    counts = done.imported.counts
    shown = [(gettext(label), counts.get(table, 0)) for table, label in upload.SUMMARY]
    rest = done.rows - sum(counts.get(table, 0) for table, _ in upload.SUMMARY)
    return render(request, "offices/list.html", {
        **_context(request, db, done.link, done.imported.name),
        "imported": done.imported, "summary": shown, "other_rows": rest,
        "total_rows": done.rows})


def _import_refused(request: Request, db: DB, name: str, exc: DomainError) -> Response:
    return render(request, "offices/list.html", {
        **_context(request, db, None, ""), "import_values": {"name": name},
        "import_errors": errors_by_field(exc)}, exc.status)


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


@router.post("/offices/import")
def import_office(request: Request, form: SubmittedForm, db: DB,
                  _superuser: PageSuperuser) -> Response:
    """An office's export archive from another installation, imported as a new office in
    one transaction (the upload waits in a temporary file; this runs in a worker thread)."""
    archive = form.file("archive")
    name = " ".join(form.get("name").split())
    return submit(db, lambda: upload.import_upload(db, archive.file if archive else None,
                                                   archive.size if archive else None, name),
                  lambda done: _imported(request, db, done),
                  lambda exc: _import_refused(request, db, name, exc))
