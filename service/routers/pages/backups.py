"""Page: the installation's backups (superusers only): the last success and failure, the
archives kept, "Backup now", a download, and how to restore."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from service.db import DB, get_engine
from service.errors import DomainError
from service.models.base import utcnow
from service.routers import files
from service.routers.deps import PageSuperuser
from service.routers.pages.forms import SubmittedForm, render_form, submit
from service.routers.pages.users import fmt_moment
from service.services.backups import runs
from service.settings import get_settings

router = APIRouter(include_in_schema=False)
POLL_SECONDS = 3


def _page(request: Request, db: DB, exc: DomainError | None = None) -> Response:
    settings = get_settings()
    status = runs.status(db, settings, utcnow())
    return render_form(request, "backups/page.html", {
        "s": status, "moment": fmt_moment, "poll": POLL_SECONDS,
        "started": request.query_params.get("started") == "1",
        "database_kind": "sqlite" if settings.database_url.startswith("sqlite")
        else "postgresql"}, exc)


@router.get("/backups")
def backups_page(request: Request, db: DB, _superuser: PageSuperuser) -> Response:
    """The backups: last success and failure, the archives kept, restore instructions."""
    return _page(request, db)


@router.post("/backups/now")
def backup_now(request: Request, _form: SubmittedForm, db: DB,
               _superuser: PageSuperuser) -> Response:
    """Take a backup now, in a thread of its own; the page follows its progress."""
    def started(run_id: int | None) -> Response:
        if run_id is not None:
            runs.start_in_thread(get_engine(), get_settings(), run_id)
        return RedirectResponse("/backups?started=1", status_code=303)

    return submit(db, lambda: runs.request_now(db, utcnow()).id, started,
                  lambda exc: _page(request, db, exc))


@router.get("/backups/files/{name}")
def download(name: str, _superuser: PageSuperuser) -> Response:
    """One kept archive, as a file."""
    return files.archive_file(runs.archive_path(get_settings(), name), name)
