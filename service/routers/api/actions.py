"""Follow-up actions (rencana tindak lanjut): made at a meeting, listed across the office,
their status, evidence and reminders, and the units' private links."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from service.db import DB
from service.models import FollowUpAction, OrgUnit
from service.routers import files
from service.routers.deps import ApiPlanner, ApiTraining
from service.routers.urls import public_base
from service.schemas.actions import (
    ActionCreate,
    ActionCreated,
    ActionDetail,
    ActionList,
    ActionPatch,
    ActionRead,
    ActionUpdateRead,
    EvidenceRead,
    action_read,
    evidence_url,
)
from service.schemas.common import MAX_ID
from service.services import units
from service.services.actions import core, evidence, links, reminders

router = APIRouter(prefix="/api", tags=["actions"])


def api_action(action_id: int, user: ApiPlanner, db: DB) -> FollowUpAction:
    return core.get_action(db, user.organization_id, action_id)


def api_unit(unit_id: int, user: ApiPlanner, db: DB) -> OrgUnit:
    return units.get_unit(db, user.organization_id, unit_id)


ApiAction = Annotated[FollowUpAction, Depends(api_action)]
ApiUnit = Annotated[OrgUnit, Depends(api_unit)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]


class MeetingActions(BaseModel):
    items: list[ActionRead]
    carried_over: list[ActionRead]


class ReminderRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Literal["whatsapp", "email", "both"] = "both"
    program_id: int | None = None


class RemindersQueued(BaseModel):
    queued: int


class UnitLinkRead(BaseModel):
    link: str
    expires_at: datetime


@router.post("/trainings/{training_id}/actions", status_code=201)
def create_action(training: ApiTraining, data: ActionCreate, db: DB,
                  user: ApiPlanner) -> ActionCreated:
    """Add a follow-up action to the meeting: `unit` by name (added to the units register
    when new) or `unit_id`, `owner` the person, `due_date`."""
    return ActionCreated(id=core.create_action(db, training, data, user).id or 0)


@router.get("/trainings/{training_id}/actions")
def meeting_actions(training: ApiTraining, db: DB) -> MeetingActions:
    """The meeting's own actions, and the open ones of earlier meetings of its programme
    (and of its own earlier meeting dates) carried over to it."""
    return MeetingActions(items=[action_read(r) for r in core.meeting_actions(db, training)],
                          carried_over=[action_read(r) for r in core.carried_over(db, training)])


@router.get("/actions")
def list_actions(user: ApiPlanner, db: DB,
                 status: Literal["open", "in_progress", "done", "dropped"] | None = None,
                 program_id: IdQuery = None, unit_id: IdQuery = None,
                 training_id: IdQuery = None, overdue: bool = False,
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> ActionList:
    """The office's actions by due date, 50 a page; `overdue=true`: open or in progress
    past their due date."""
    rows, total = core.list_actions(db, user.organization_id, core.Filters(
        status, program_id, overdue, unit_id, training_id), page)
    return ActionList(items=[action_read(r) for r in rows], total=total, page=page,
                      per_page=core.PER_PAGE)


@router.get("/actions/{action_id}")
def get_action(action: ApiAction, db: DB) -> ActionDetail:
    """One action with the history of its status."""
    base = action_read(core.action_row(db, action))
    return ActionDetail(**base.model_dump(), history=[
        ActionUpdateRead(status_from=u.status_from, status_to=u.status_to, note=u.note,
                         by=u.by_name, via_link=u.via_link, at=u.created_at)
        for u in core.history(db, action)])


@router.patch("/actions/{action_id}")
def update_action(action: ApiAction, data: ActionPatch, db: DB,
                  user: ApiPlanner) -> ActionRead:
    """Set the status (open, in_progress, done, dropped) with an optional note; kept in
    the action's history with who and when."""
    core.set_status(db, action, data.status, data.note, user.name, user.id)
    return action_read(core.action_row(db, action))


@router.delete("/actions/{action_id}", status_code=204)
def delete_action(action: ApiAction, db: DB, user: ApiPlanner) -> Response:
    """Delete an action entered by mistake."""
    core.delete_action(db, action)
    return Response(status_code=204)


@router.put("/actions/{action_id}/evidence")
def upload_evidence(action: ApiAction, db: DB, user: ApiPlanner,
                    file: Annotated[UploadFile, File()]) -> EvidenceRead:
    """The evidence (a photo or a PDF, at most 10 MB, recognised by its content;
    replaces the one before); 422 invalid_evidence or evidence_too_large."""
    row = evidence.attach(db, action, evidence.read_upload(file.file), file.filename or "",
                          user.name)
    return EvidenceRead(file_name=row.file_name, file_type=row.file_type,
                        file_size=row.file_size, uploaded_at=row.uploaded_at,
                        url=evidence_url(action.id or 0))


@router.get("/actions/{action_id}/evidence")
def download_evidence(action: ApiAction, db: DB) -> Response:
    """The evidence file as stored."""
    row = evidence.get(db, action)
    return files.file_response(row.data, evidence.MEDIA[row.file_type], row.file_name,
                               attachment=row.file_type == "pdf", fallback="bukti")


@router.post("/actions/reminders")
def remind_overdue(request: Request, data: ReminderRequest, db: DB,
                   user: ApiPlanner) -> RemindersQueued:
    """Queue today's reminders of the overdue actions to each unit's focal point, with
    the unit's link; sending again the same day queues nothing more."""
    return RemindersQueued(queued=reminders.queue_overdue(
        db, user.organization_id, public_base(request), user=user, channel=data.channel,
        program_id=data.program_id))


@router.post("/units/{unit_id}/action-link", status_code=201)
def issue_unit_link(request: Request, unit: ApiUnit, db: DB, user: ApiPlanner) -> UnitLinkRead:
    """A new private link for the unit's focal point to its actions (the unit's earlier
    links stop working); shown once."""
    raw, link = links.issue(db, unit, user)
    return UnitLinkRead(link=links.url(public_base(request), raw), expires_at=link.expires_at)


@router.delete("/units/{unit_id}/action-link", status_code=204)
def revoke_unit_link(unit: ApiUnit, db: DB, user: ApiPlanner) -> Response:
    """Stop every link of the unit."""
    links.revoke(db, unit)
    return Response(status_code=204)
