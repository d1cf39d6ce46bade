"""Page: the office's export (admins only): prepare it, wait, download it."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.rendering.org_export_sheets import lists_xlsx
from service.routers.deps import PageAdmin
from service.routers.files import archive_file
from service.routers.pages.forms import SubmittedForm, render_form, submit
from service.routers.pages.rendering import redirect
from service.routers.pages.users import fmt_moment
from service.services.org_export import jobs

router = APIRouter(include_in_schema=False)


def _page(request: Request, db: DB, admin: PageAdmin,
          exc: DomainError | None = None) -> Response:
    items = jobs.list_jobs(admin.organization_id)
    context: dict[str, Any] = {
        "jobs": items[:10], "moment": fmt_moment,
        "running": any(j.status == "running" for j in items),
        "downloads": jobs.downloads_with_accounts(db, admin.organization_id)[:10]}
    if request.headers.get("hx-request") and exc is None:
        from service.routers.pages.rendering import render

        return render(request, "org_export/page.html", {**context, "errors": {}},
                      block="jobs")
    return render_form(request, "org_export/page.html", context, exc)


@router.get("/export")
def export_page(request: Request, db: DB, admin: PageAdmin) -> Response:
    """The office's exports: being prepared, ready to download, or failed."""
    return _page(request, db, admin)


@router.post("/export")
def start_export(request: Request, form: SubmittedForm, db: DB, admin: PageAdmin) -> Response:
    """Start preparing the office's export in the background."""
    return submit(db, lambda: jobs.start(admin.organization_id, lists_xlsx),
                  lambda _job: redirect(request, "/export"),
                  lambda exc: _page(request, db, admin, exc))


@router.get("/export/{export_id}/download")
def download_export(export_id: str, admin: PageAdmin) -> Response:
    """The finished archive; who downloaded it and when is logged."""
    path = jobs.archive_path(admin.organization_id, export_id)
    jobs.log_download(admin.organization_id, admin.id or 0, export_id)
    return archive_file(path, f"bimtek-ekspor-{export_id[:8]}.zip")
