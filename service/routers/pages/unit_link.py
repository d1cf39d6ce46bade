"""The page behind a unit's private link (/u/{token}): the unit's follow-up actions from
every meeting of the organization, where its focal point sets the status, writes a note
and uploads the evidence. No account; another unit's action is not found."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.models import Organization
from service.routers import files
from service.routers.pages.forms import SubmittedForm, submit
from service.routers.pages.rendering import redirect, render
from service.services.actions import core, evidence, links
from service.services.minutes import document

router = APIRouter(include_in_schema=False)


def _page(request: Request, db: DB, token: str, error: DomainError | None = None,
          saved: int | None = None) -> Response:
    _link, unit = links.resolve(db, token)
    rows, _total = core.list_actions(db, unit.organization_id,
                                     core.Filters(unit_id=unit.id), per_page=200)
    org = db.get(Organization, unit.organization_id)
    open_rows = [r for r in rows if r.action.status in core.OPEN_STATUSES]
    closed = [r for r in rows if r.action.status not in core.OPEN_STATUSES]
    response = render(request, "public/unit_link.html", {
        "unit": unit, "org": org, "open_rows": open_rows, "closed": closed, "token": token,
        "status_labels": document.STATUS_LABELS, "statuses": core.ACTION_STATUSES,
        "error": error.text() if error else "", "error_id": getattr(error, "action_id", None),
        "saved": saved}, error.status if error else 200)
    response.headers.update(files.PRIVATE)
    return response


@router.get("/u/{token}")
def unit_page(request: Request, token: str, db: DB, saved: int | None = None) -> Response:
    """A unit's actions, for its focal point."""
    return _page(request, db, token, saved=saved)


@router.post("/u/{token}/actions/{action_id}")
def unit_update(request: Request, token: str, action_id: int, form: SubmittedForm,
                db: DB) -> Response:
    """Set an action's status and note, and upload its evidence (a photo or a PDF)."""
    upload = form.file("file")

    def work() -> None:
        _link, unit = links.resolve(db, token)
        action = links.unit_action(db, unit, action_id)
        who = unit.focal_name or unit.name
        status = form.get("status") or action.status
        core.set_status(db, action, status, form.get("note"), who, via_link=True)
        if upload is not None:
            evidence.attach(db, action, evidence.read_upload(upload.file),
                            upload.filename or "", who, via_link=True)

    return submit(db, work,
                  lambda _r: redirect(request, f"/u/{token}?saved={action_id}#a{action_id}"),
                  lambda exc: _page(request, db, token, error=exc))


@router.get("/u/{token}/actions/{action_id}/evidence")
def unit_evidence(token: str, action_id: int, db: DB) -> Response:
    _link, unit = links.resolve(db, token)
    row = evidence.get(db, links.unit_action(db, unit, action_id))
    return files.file_response(row.data, evidence.MEDIA[row.file_type], row.file_name,
                               attachment=row.file_type == "pdf", fallback="bukti")
