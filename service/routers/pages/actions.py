"""Pages: the action board (an office's follow-up actions by unit, with a chart and a
filter), reminders of the overdue ones, and the units' private links."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.routers import files
from service.routers.deps import PagePlanner
from service.routers.pages.forms import SubmittedForm, submit
from service.routers.pages.rendering import render
from service.routers.urls import public_base
from service.services import units
from service.services.actions import board, core, evidence, links, reminders
from service.services.minutes import document

router = APIRouter(include_in_schema=False)


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 18 else None


def _context(db: DB, org_id: int, q: dict[str, str], **extra: Any) -> dict[str, Any]:
    program_id, unit_id = _int(q.get("program_id")), _int(q.get("unit_id"))
    status = q.get("status") if q.get("status") in core.ACTION_STATUSES else None
    overdue = q.get("overdue") in ("1", "true", "on")
    page = _int(q.get("page")) or 1
    rows, total = core.list_actions(db, org_id, core.Filters(status, program_id, overdue,
                                                             unit_id), page)
    return {"b": board.board(db, org_id, program_id, unit_id), "rows": rows, "total": total,
            "page": page, "pages": max(1, -(-total // core.PER_PAGE)),
            "units": units.list_units(db, org_id), "q": q, "program_id": program_id,
            "unit_id": unit_id, "status": status, "overdue": overdue,
            "status_labels": document.STATUS_LABELS, "statuses": core.ACTION_STATUSES,
            "setting": reminders.setting(db, org_id), "queued": None, "new_link": None,
            "error": "", **extra}


@router.get("/actions")
def action_board(request: Request, db: DB, user: PagePlanner) -> Response:
    """The action board: open, overdue and done actions by unit, with a chart."""
    ctx = _context(db, user.organization_id, dict(request.query_params))
    return render(request, "actions/board.html", ctx, block="board")


@router.post("/actions/remind")
def remind(request: Request, form: SubmittedForm, db: DB, user: PagePlanner) -> Response:
    """Queue today's reminders to the units whose actions are overdue."""
    program_id = _int(form.get("program_id"))
    return submit(db, lambda: reminders.queue_overdue(
        db, user.organization_id, public_base(request), user=user, program_id=program_id),
        lambda n: _page(request, db, user.organization_id, message=n),
        lambda exc: _page(request, db, user.organization_id, error=exc))


@router.post("/actions/settings")
def save_setting(request: Request, form: SubmittedForm, db: DB, user: PagePlanner) -> Response:
    """Turn the worker's daily reminders of overdue actions on or off."""
    return submit(db, lambda: reminders.save_setting(
        db, user.organization_id, form.get("daily_reminders") == "on",
        _int(form.get("hour")) or 8, form.get("channel", "both"), public_base(request)),
        lambda _s: _page(request, db, user.organization_id, message=-1),
        lambda exc: _page(request, db, user.organization_id, error=exc))


@router.post("/actions/units/{unit_id}/link")
def issue_link(request: Request, unit_id: int, db: DB, user: PagePlanner) -> Response:
    """A new private link for the unit's focal point (the old ones stop working)."""
    def work() -> str:
        raw, _link = links.issue(db, units.get_unit(db, user.organization_id, unit_id), user)
        return links.url(public_base(request), raw)

    return submit(db, work, lambda link: _page(request, db, user.organization_id,
                                               new_link=link),
                  lambda exc: _page(request, db, user.organization_id, error=exc))


@router.post("/actions/units/{unit_id}/link/revoke")
def revoke_link(request: Request, unit_id: int, db: DB, user: PagePlanner) -> Response:
    """Stop every link of the unit."""
    return submit(db, lambda: links.revoke(db, units.get_unit(db, user.organization_id,
                                                              unit_id)),
                  lambda _n: _page(request, db, user.organization_id, message=-2),
                  lambda exc: _page(request, db, user.organization_id, error=exc))


@router.get("/actions/{action_id}/evidence")
def action_evidence(action_id: int, db: DB, user: PagePlanner) -> Response:
    row = evidence.get(db, core.get_action(db, user.organization_id, action_id))
    return files.file_response(row.data, evidence.MEDIA[row.file_type], row.file_name,
                               attachment=row.file_type == "pdf", fallback="bukti")


def _page(request: Request, db: DB, org_id: int, message: int | None = None,
          error: DomainError | None = None, new_link: str | None = None) -> Response:
    ctx = _context(db, org_id, {}, queued=message, new_link=new_link,
                   error=error.text() if error else "")
    return render(request, "actions/board.html", ctx, error.status if error else 200)
