"""Nominations by unit: a training's units with quota and deadline, their focal points'
private links, the fill, reminders to the units that lag, the delegates and accepting them
into the training."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from service.db import DB
from service.models import Nominee, Training, TrainingUnit, User
from service.routers import files
from service.routers.deps import ApiPlanner, ApiTraining
from service.routers.urls import public_base
from service.schemas.nominations import (
    Accepted,
    AcceptRequest,
    LinkRead,
    NomineeList,
    NomineeRead,
    RemindersQueued,
    RemindRequest,
    TrainingUnitCreate,
    TrainingUnitCreated,
    TrainingUnitList,
    TrainingUnitPatch,
    TrainingUnitRead,
    UnitTotals,
)
from service.services.nominations import accept, links, nominees, reminders, status, surat_tugas
from service.services.nominations import units as training_units
from service.services.people.identity import mask_phone
from service.services.registrations import mask_nip

router = APIRouter(prefix="/api", tags=["nominations"])


def api_training_unit(training_unit_id: int, user: ApiPlanner, db: DB
                      ) -> tuple[TrainingUnit, Training]:
    """A unit of one of the caller's organization's trainings; another's is a 404."""
    return training_units.get_training_unit(db, user.organization_id, training_unit_id)


ApiTrainingUnit = Annotated[tuple[TrainingUnit, Training], Depends(api_training_unit)]


def _read(fill: status.UnitFill) -> TrainingUnitRead:
    tu = fill.training_unit
    return TrainingUnitRead(id=tu.id or 0, unit_id=tu.unit_id, name=fill.unit.name,
                            kind=fill.unit.kind, quota=tu.quota, named=fill.named,
                            accepted=fill.accepted, deadline=tu.deadline,
                            surat_tugas=fill.surat_tugas, open=fill.open)


def nominee_read(n: Nominee, admin: bool) -> NomineeRead:
    """A delegate as the API lists it: the phone and NIP whole for admins only."""
    return NomineeRead(id=n.id or 0, name=n.name,
                       nip=n.nip if admin else (mask_nip(n.nip) or ""),
                       position=n.position,
                       phone=n.phone if admin else mask_phone(n.phone) or "",
                       email=n.email, accepted=n.registration_id is not None,
                       registration_id=n.registration_id, via_link=n.via_link,
                       created_at=n.created_at)


def _link(request: Request, db: DB, tu: TrainingUnit, user: User) -> LinkRead:
    raw, link = links.issue(db, tu, user)
    return LinkRead(link=links.url(public_base(request), raw), expires_at=link.expires_at)


@router.post("/trainings/{training_id}/units", status_code=201)
def add_unit(request: Request, training: ApiTraining, data: TrainingUnitCreate, db: DB,
             user: ApiPlanner) -> TrainingUnitCreated:
    """Invite a unit: `name` (found in the units register or added to it as `kind`) or
    `unit_id`, `quota` (1..10000), `deadline` (a date: the end of that day where the
    training is held; or a datetime with its offset). 409 training_unit_exists for a unit
    invited already. Answers the unit's first private link (shown once)."""
    tu = training_units.add_unit(db, training, quota=data.quota, deadline=data.deadline,
                                 unit_id=data.unit_id, name=data.name, kind=data.kind)
    return TrainingUnitCreated(id=tu.id or 0, link=_link(request, db, tu, user).link)


@router.get("/trainings/{training_id}/units")
def list_units(training: ApiTraining, db: DB) -> TrainingUnitList:
    """The training's units with their fill: named against the quota, accepted, surat
    tugas received, still open; and the totals."""
    rows, totals = status.fill(db, training)
    return TrainingUnitList(items=[_read(r) for r in rows],
                            totals=UnitTotals(**totals.__dict__))


@router.post("/trainings/{training_id}/units/remind", status_code=202)
def remind_units(request: Request, training: ApiTraining, data: RemindRequest, db: DB,
                 user: ApiPlanner) -> RemindersQueued:
    """Queue today's reminders to the units with fewer names than their quota whose
    deadline has not passed (their focal point's WhatsApp and/or email, with a fresh
    link); again the same day queues nothing more. 409 channel_not_configured."""
    done = reminders.queue(db, training, public_base(request), channel=data.channel,
                           user=user)
    return RemindersQueued(queued=done.queued)


@router.patch("/training-units/{training_unit_id}")
def update_unit(found: ApiTrainingUnit, data: TrainingUnitPatch, db: DB) -> TrainingUnitRead:
    """Change the quota and/or the deadline (`deadline: null`: none)."""
    tu, training = found
    training_units.update_unit(db, training, tu, quota=data.quota, deadline=data.deadline,
                               clear_deadline="deadline" in data.model_fields_set)
    return _read(status.one(db, tu))


@router.delete("/training-units/{training_unit_id}", status_code=204)
def remove_unit(found: ApiTrainingUnit, db: DB) -> Response:
    """Stop inviting the unit; 409 training_unit_in_use once a delegate was accepted."""
    training_units.remove_unit(db, found[0])
    return Response(status_code=204)


@router.post("/training-units/{training_unit_id}/link")
def new_link(request: Request, found: ApiTrainingUnit, db: DB, user: ApiPlanner) -> LinkRead:
    """A new private link for the unit's focal point (shown once); the earlier ones stop
    working."""
    return _link(request, db, found[0], user)


@router.delete("/training-units/{training_unit_id}/link", status_code=204)
def revoke_links(found: ApiTrainingUnit, db: DB) -> Response:
    """Stop every link of the unit."""
    links.revoke(db, found[0])
    return Response(status_code=204)


@router.get("/training-units/{training_unit_id}/nominees")
def list_nominees(found: ApiTrainingUnit, db: DB, user: ApiPlanner) -> NomineeList:
    """The unit's delegates (phone and NIP masked except for admins)."""
    admin = user.role == "admin"
    return NomineeList(items=[nominee_read(n, admin)
                              for n in nominees.list_nominees(db, found[0])])


@router.post("/training-units/{training_unit_id}/nominees/accept")
def accept_nominees(found: ApiTrainingUnit, data: AcceptRequest, db: DB) -> Accepted:
    """Accept the unit's delegates into the training (all, or `nominee_ids`): each a
    registration with the unit set, placed in a batch; accepting again adds nothing."""
    tu, training = found
    return Accepted(accepted=accept.accept(db, training, tu, data.nominee_ids))


@router.get("/training-units/{training_unit_id}/surat-tugas")
def download_surat_tugas(found: ApiTrainingUnit, db: DB) -> Response:
    """The unit's surat tugas as uploaded (a PDF, or a photo as a JPEG)."""
    letter = surat_tugas.get(db, found[0])
    return files.file_response(letter.data, letter.media_type, letter.name,
                               attachment=letter.media_type == "application/pdf",
                               fallback="surat-tugas")
