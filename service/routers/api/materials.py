"""Sessions' materials (slides): the committee lists, uploads and deletes them."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import Response

from service.db import DB
from service.models import AgendaSession, SessionMaterial, Training
from service.routers import files
from service.routers.deps import ApiPlanner, ApiTraining
from service.schemas.meetings import MaterialList, MaterialRead, material_read
from service.services.meetings import materials, uploads

router = APIRouter(prefix="/api", tags=["materials"])


def api_material(material_id: int, user: ApiPlanner, db: DB
                 ) -> tuple[SessionMaterial, Training]:
    return materials.get_material(db, user.organization_id, material_id)


ApiMaterial = Annotated[tuple[SessionMaterial, Training], Depends(api_material)]


def api_session(session_id: int, user: ApiPlanner, db: DB) -> tuple[AgendaSession, Training]:
    return materials.session_of(db, user.organization_id, session_id)


ApiSession = Annotated[tuple[AgendaSession, Training], Depends(api_session)]


@router.get("/trainings/{training_id}/materials")
def list_materials(training: ApiTraining, db: DB) -> MaterialList:
    """Every session's materials, in agenda order."""
    items = [material_read(r) for r in materials.training_materials(db, training)]
    return MaterialList(items=items, total=len(items))


@router.post("/sessions/{session_id}/materials", status_code=201)
def upload_material(found: ApiSession, db: DB, user: ApiPlanner,
                    file: Annotated[UploadFile, File()],
                    title: Annotated[str, Form(max_length=200)] = "") -> MaterialRead:
    """Upload a file for a session (PDF, PPTX, PPT or ODP by its content; 413
    `file_too_large`, 422 `invalid_file_type`)."""
    session, training = found
    row = materials.add_material(db, session, training, uploads.read_upload(file.file),
                                 file.filename or "", title, user=user)
    return material_read(next(r for r in materials.training_materials(db, training)
                              if r.material.id == row.id))


@router.get("/materials/{material_id}/file")
def download_material(found: ApiMaterial, db: DB) -> Response:
    data, media, name = materials.file_of(db, found[0])
    return files.file_response(data, media, name, attachment=True)


@router.delete("/materials/{material_id}", status_code=204)
def delete_material(found: ApiMaterial, db: DB) -> Response:
    materials.delete_material(db, found[0])
    return Response(status_code=204)
