"""A meeting's presenters by unit, with their presentations; and each unit's delegates
present and expected."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

from service.db import DB
from service.models import MeetingPresenter, Training
from service.routers import files
from service.routers.deps import ApiPlanner, ApiTraining
from service.schemas.common import OptInt
from service.schemas.meetings import (
    OptText200,
    PresenterIn,
    PresenterList,
    PresenterPatch,
    PresenterRead,
    presenter_read,
)
from service.services import registrations
from service.services.meetings import delegates, presenters, uploads

router = APIRouter(prefix="/api", tags=["meetings"])


def api_presenter(presenter_id: int, user: ApiPlanner, db: DB
                  ) -> tuple[MeetingPresenter, Training]:
    return presenters.get_presenter(db, user.organization_id, presenter_id)


ApiPresenter = Annotated[tuple[MeetingPresenter, Training], Depends(api_presenter)]


@router.get("/trainings/{training_id}/presenters")
def list_presenters(training: ApiTraining, db: DB) -> PresenterList:
    """The meeting's presenters in time order, each with its unit and presentation."""
    items = [presenter_read(r) for r in presenters.list_presenters(db, training)]
    return PresenterList(items=items, total=len(items))


@router.post("/trainings/{training_id}/presenters", status_code=201)
def create_presenter(training: ApiTraining, data: PresenterIn, db: DB) -> PresenterRead:
    """Add a presenter: `unit_id` from the register or `unit` by name (added when new);
    the slot must lie on one of the meeting's days (422 `not_meeting_day`)."""
    presenter = presenters.create_presenter(db, training, data)
    return presenter_read(presenters.row_of(db, presenter))


@router.patch("/presenters/{presenter_id}")
def update_presenter(found: ApiPresenter, data: PresenterPatch, db: DB) -> PresenterRead:
    """Change what is sent; the slot is checked again."""
    presenter, training = found
    done = presenters.update_presenter(db, presenter, training, data)
    return presenter_read(presenters.row_of(db, done))


@router.delete("/presenters/{presenter_id}", status_code=204)
def delete_presenter(found: ApiPresenter, db: DB) -> Response:
    presenters.delete_presenter(db, found[0])
    return Response(status_code=204)


@router.put("/presenters/{presenter_id}/file")
def upload_presentation(found: ApiPresenter, db: DB,
                        file: Annotated[UploadFile, File()]) -> PresenterRead:
    """Upload (or replace) the presentation: PDF, PPTX, PPT or ODP by its content, at most
    the presentation_max_bytes setting (413 `file_too_large`; 422 `invalid_file_type`)."""
    presenter, _ = found
    done = presenters.set_file(db, presenter, uploads.read_upload(file.file),
                               file.filename or "")
    return presenter_read(presenters.row_of(db, done))


@router.delete("/presenters/{presenter_id}/file", status_code=204)
def delete_presentation(found: ApiPresenter, db: DB) -> Response:
    presenters.remove_file(db, found[0])
    return Response(status_code=204)


@router.get("/presenters/{presenter_id}/file")
def download_presentation(found: ApiPresenter, db: DB) -> Response:
    """The presentation as uploaded."""
    data, media, name = presenters.file_of(db, found[0])
    return files.file_response(data, media, name, attachment=True)


class UnitCountRead(BaseModel):
    unit_id: int | None
    unit: str
    kind: str
    expected: int
    present: int


class UnitAttendance(BaseModel):
    day: date | None
    items: list[UnitCountRead]


@router.get("/trainings/{training_id}/unit-attendance")
def unit_attendance(training: ApiTraining, db: DB, day: date | None = None
                    ) -> UnitAttendance:
    """Each unit's delegates present and expected, on `day` or on any day."""
    rows = delegates.unit_attendance(db, training, day)
    return UnitAttendance(day=day, items=[UnitCountRead(
        unit_id=r.unit_id, unit=r.name, kind=r.kind, expected=r.expected,
        present=r.present) for r in rows])


class RegistrationUnitIn(BaseModel):
    unit_id: OptInt = None
    unit: OptText200 = None


class RegistrationUnitRead(BaseModel):
    id: int
    unit_id: int | None


@router.put("/registrations/{registration_id}/unit")
def set_registration_unit(registration_id: int, data: RegistrationUnitIn, db: DB,
                          user: ApiPlanner) -> RegistrationUnitRead:
    """Link a registration to the unit it is a delegate of (`unit` by name is added when
    new); neither given: unlinked."""
    registration, training = registrations.get_registration(db, user.organization_id,
                                                            registration_id)
    done = delegates.set_unit(db, registration, training, data.unit_id, data.unit)
    return RegistrationUnitRead(id=done.id or 0, unit_id=done.unit_id)
