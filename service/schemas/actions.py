"""Shapes of follow-up actions (rencana tindak lanjut) in the API."""

from datetime import date, datetime
from typing import Annotated, Literal, Protocol

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

from service.models import ActionEvidence, FollowUpAction, OrgUnit, Training
from service.schemas.common import OptInt, OptName, SingleLine, _blank_to_none

ActionTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                               max_length=500), SingleLine]
Note = Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=1000),
                 SingleLine]
Status = Literal["open", "in_progress", "done", "dropped"]


class ActionCreate(BaseModel):
    """`unit` is the unit's name (added to the register when new), or `unit_id` one of
    the register's units; `meeting_on` the meeting day it was agreed at (a training that
    meets on listed dates; default: the meeting in view)."""

    model_config = ConfigDict(extra="forbid")

    title: ActionTitle
    unit: OptName = None
    unit_id: OptInt = None
    owner: OptName = None
    due_date: date
    decision_id: OptInt = None
    meeting_on: Annotated[date | None, BeforeValidator(_blank_to_none)] = None


class ActionCreated(BaseModel):
    id: int


class ActionPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status
    note: Note = None


class EvidenceRead(BaseModel):
    file_name: str
    file_type: str
    file_size: int
    uploaded_at: datetime
    url: str


class ActionUpdateRead(BaseModel):
    status_from: str
    status_to: str
    note: str
    by: str
    via_link: bool
    at: datetime


class ActionRead(BaseModel):
    id: int
    training_id: int
    training_title: str
    program_id: int | None
    meeting_on: date
    title: str
    unit_id: int | None
    unit: str | None
    owner: str
    due_date: date
    status: str
    note: str
    overdue: bool
    decision_id: int | None
    evidence: EvidenceRead | None
    updated_at: datetime


class ActionDetail(ActionRead):
    history: list[ActionUpdateRead]


class ActionList(BaseModel):
    items: list[ActionRead]
    total: int
    page: int
    per_page: int


def evidence_url(action_id: int) -> str:
    return f"/api/actions/{action_id}/evidence"


def action_read(row: "ActionRowLike") -> ActionRead:
    a, ev = row.action, row.evidence
    return ActionRead(
        id=a.id or 0, training_id=a.training_id, training_title=row.training.title,
        program_id=row.training.program_id, meeting_on=a.meeting_on, title=a.title,
        unit_id=a.unit_id, unit=row.unit.name if row.unit else None, owner=a.owner,
        due_date=a.due_date, status=a.status, note=a.note, overdue=row.overdue,
        decision_id=a.decision_id,
        evidence=EvidenceRead(file_name=ev.file_name, file_type=ev.file_type,
                              file_size=ev.file_size, uploaded_at=ev.uploaded_at,
                              url=evidence_url(a.id or 0)) if ev else None,
        updated_at=a.updated_at)


class ActionRowLike(Protocol):
    """services/actions/core.ActionRow (schemas import no services)."""

    @property
    def action(self) -> FollowUpAction: ...
    @property
    def training(self) -> Training: ...
    @property
    def unit(self) -> OrgUnit | None: ...
    @property
    def evidence(self) -> ActionEvidence | None: ...
    @property
    def overdue(self) -> bool: ...
