"""Public pages' materials: a narasumber uploads the slides of the sessions they teach
through their private /n/ link; a participant downloads them through their ticket."""

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError, FieldError, NotFound
from service.models import SessionMaterial
from service.routers.files import PRIVATE, file_response
from service.routers.pages.forms import SubmittedForm, submit
from service.routers.pages.rendering import redirect, render
from service.services import roster_links
from service.services.meetings import materials, uploads

router = APIRouter(include_in_schema=False)
TICKET = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _refused(request: Request, token: str, exc: DomainError) -> Response:
    page = "rosters/link_not_found.html" if isinstance(exc, roster_links.LinkNotFound) \
        else "meetings/speaker_upload_error.html"
    response = render(request, page, {"message": exc.text(), "token": token},
                      status_code=exc.status)
    response.headers.update(PRIVATE)
    return response


@router.post("/n/{token}/materi")
def speaker_upload(request: Request, token: str, form: SubmittedForm, db: DB) -> Response:
    """A narasumber's slides for one of the sessions they teach."""
    raw = form.get("session_id")
    file = form.file("file")

    def work() -> SessionMaterial:
        link, speaker, training = roster_links.resolve(db, token)
        if not raw.isdigit():
            raise FieldError("session_id", "Choose a session from the list.",
                             code="invalid_session")
        session = materials.link_session(db, link, int(raw))
        data = uploads.read_upload(file.file) if file else b""
        return materials.add_material(db, session, training, data,
                                      file.filename or "" if file else "",
                                      speaker=speaker)

    return submit(db, work,
                  lambda m: redirect(request, f"/n/{token}#materials-session-{m.session_id}"),
                  lambda exc: _refused(request, token, exc))


@router.post("/n/{token}/materi/{material_id}/delete")
def speaker_delete(request: Request, token: str, material_id: int, db: DB) -> Response:
    """Delete one of the materials of the narasumber's sessions."""
    def work() -> None:
        link, _speaker, _training = roster_links.resolve(db, token)
        materials.delete_material(db, materials.link_material(db, link, material_id))

    return submit(db, work, lambda _none: redirect(request, f"/n/{token}"),
                  lambda exc: _refused(request, token, exc))


@router.get("/n/{token}/materi/{material_id}")
def speaker_download(request: Request, token: str, material_id: int, db: DB) -> Response:
    try:
        link, _speaker, _training = roster_links.resolve(db, token)
        material = materials.link_material(db, link, material_id)
    except DomainError as exc:
        return _refused(request, token, exc)
    data, media, name = materials.file_of(db, material)
    return file_response(data, media, name, attachment=True)


@router.get("/t/{token}/materi/{material_id}")
def ticket_download(token: str, material_id: int, db: DB) -> Response:
    """A session's material for the ticket's holder, once the session has started."""
    if not TICKET.match(token):
        raise NotFound("This ticket does not exist. Check the link you received.")
    material = materials.ticket_material(db, token, material_id)
    data, media, name = materials.file_of(db, material)
    return file_response(data, media, name, attachment=True)
