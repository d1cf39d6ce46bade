"""Pages: a meeting's minutes, written during the meeting (autosaved, several members at
once), its follow-up actions, and the earlier meetings' actions carried over to it."""

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from service.db import DB
from service.errors import DomainError
from service.i18n.formats import fmt_time
from service.models import Training
from service.models.base import as_utc
from service.rendering.minutes_docx import render_minutes_docx
from service.rendering.minutes_pdf import render_minutes_pdf
from service.routers import files
from service.routers.deps import PagePlanner, PageTraining
from service.routers.pages.forms import SubmittedForm, errors_by_field, parse, submit
from service.routers.pages.rendering import render
from service.schemas.actions import ActionCreate, ActionPatch
from service.schemas.minutes import MinutesSave
from service.services import training_clock, units
from service.services.actions import core
from service.services.minutes import document, editing

router = APIRouter(include_in_schema=False)

STATUS_CHOICES = ("open", "in_progress", "done", "dropped")


def _context(db: DB, training: Training, day: date | None = None,
             **extra: Any) -> dict[str, Any]:
    view = core.meeting_in_view(db, training, day)
    return {"training": training, "crumb_training": training,
            "m": editing.current(db, training), "day": view,
            "days": core.meeting_days(db, training),
            "actions": core.meeting_actions(db, training, view),
            "carried": core.carried_over(db, training, view),
            "units": units.list_units(db, training.organization_id),
            "status_labels": document.STATUS_LABELS, "statuses": STATUS_CHOICES,
            "revisions": editing.revisions(db, training, 5),
            "action_errors": {}, "values": {},
            "local_hm": lambda moment: _local_hm(training, moment), **extra}


def _local_hm(training: Training, moment: datetime | None) -> str:
    """A stored moment as the meeting's local time of day ("14.32")."""
    if moment is None:
        return ""
    return fmt_time(training_clock.local(training, as_utc(moment)).time())


@router.get("/trainings/{training_id}/minutes")
def minutes_page(request: Request, training: PageTraining, db: DB,
                 day: date | None = None) -> Response:
    """The minutes page: heading, text, decisions, and the follow-up actions."""
    return render(request, "minutes/page.html", _context(db, training, day))


@router.get("/trainings/{training_id}/minutes/state")
def minutes_state(training: PageTraining, db: DB) -> JSONResponse:
    """The newest version, for a page left idle (it shows what others wrote)."""
    return _json(editing.current(db, training))


@router.put("/trainings/{training_id}/minutes")
def autosave(training: PageTraining, data: MinutesSave, db: DB, user: PagePlanner
             ) -> JSONResponse:
    """The page's autosave (JSON, like the API's PUT): merged when another member saved
    first; the answer carries the version to send next."""
    return _json(editing.save(db, training, data, user))


def _json(state: editing.MinutesState) -> JSONResponse:
    return JSONResponse({
        "version": state.version, "text": state.text, "merged": state.merged,
        "conflict": state.conflict, "updated_by": state.updated_by,
        "heading": {name: getattr(state, name) for name in editing.HEADING_FIELDS},
        "decisions": [{"id": d.id, "text": d.text} for d in state.decisions]})


def _actions_block(request: Request, db: DB, training: Training, day: date | None,
                   exc: DomainError | None = None, values: dict[str, Any] | None = None,
                   ) -> Response:
    ctx = _context(db, training, day, values=values or {},
                   action_errors=errors_by_field(exc) if exc else {})
    return render(request, "minutes/page.html", ctx, exc.status if exc else 200,
                  block="actions")


@router.post("/trainings/{training_id}/minutes/actions")
def add_action(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
               user: PagePlanner) -> Response:
    """Add a follow-up action agreed at the meeting."""
    data = form.values()
    day = _day(data.get("meeting_on"))
    return submit(db, lambda: core.create_action(db, training, parse(ActionCreate, data), user),
                  lambda _a: _actions_block(request, db, training, day),
                  lambda exc: _actions_block(request, db, training, day, exc, data))


@router.post("/trainings/{training_id}/minutes/actions/{action_id}/status")
def action_status(request: Request, training: PageTraining, action_id: int,
                  form: SubmittedForm, db: DB, user: PagePlanner) -> Response:
    """Update an action's status during the meeting (its own or a carried-over one)."""
    data = form.values()
    day = _day(data.pop("day", None))

    def work() -> object:
        action = core.get_action(db, training.organization_id, action_id)
        patch = parse(ActionPatch, data)
        return core.set_status(db, action, patch.status, patch.note, user.name, user.id)

    return submit(db, work, lambda _a: _actions_block(request, db, training, day),
                  lambda exc: _actions_block(request, db, training, day, exc))


def _day(raw: object) -> date | None:
    try:
        return date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


@router.get("/trainings/{training_id}/minutes.pdf")
def minutes_pdf(training: PageTraining, db: DB) -> Response:
    doc = document.build(db, training)
    return files.pdf(render_minutes_pdf(doc), document.filename(doc, "pdf"), attachment=True)


@router.get("/trainings/{training_id}/minutes.docx")
def minutes_docx(training: PageTraining, db: DB) -> Response:
    doc = document.build(db, training)
    return files.docx(render_minutes_docx(doc), document.filename(doc, "docx"))
