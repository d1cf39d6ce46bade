"""A meeting's minutes (notulen): read, save (merged when another member saved first),
and the document as PDF and DOCX."""

from fastapi import APIRouter
from fastapi.responses import Response

from service.db import DB
from service.rendering.minutes_docx import render_minutes_docx
from service.rendering.minutes_pdf import render_minutes_pdf
from service.routers import files
from service.routers.deps import ApiPlanner, ApiTraining
from service.schemas.minutes import DecisionRead, MinutesRead, MinutesSave
from service.services.minutes import document, editing

router = APIRouter(prefix="/api", tags=["minutes"])


def minutes_read(state: editing.MinutesState) -> MinutesRead:
    return MinutesRead(
        version=state.version, text=state.text,
        decisions=[DecisionRead(id=d.id or 0, number=i, text=d.text)
                   for i, d in enumerate(state.decisions, start=1)],
        merged=state.merged, conflict=state.conflict, chair_name=state.chair_name,
        chair_nip=state.chair_nip, chair_position=state.chair_position,
        note_taker_name=state.note_taker_name, note_taker_nip=state.note_taker_nip,
        place=state.place, held_on=state.held_on, updated_at=state.updated_at,
        updated_by=state.updated_by)


@router.get("/trainings/{training_id}/minutes")
def get_minutes(training: ApiTraining, db: DB) -> MinutesRead:
    """The minutes: text, decisions, chair, note-taker, place and date, and the version
    to send back as `base_version` with the next save."""
    return minutes_read(editing.current(db, training))


@router.put("/trainings/{training_id}/minutes")
def save_minutes(training: ApiTraining, data: MinutesSave, db: DB,
                 user: ApiPlanner) -> MinutesRead:
    """Save the text and decisions. With `base_version` older than the newest, the change
    from that version is merged into the newest text (`merged: true`; `conflict: true`
    when part of it could not be placed and was kept under a marked heading)."""
    return minutes_read(editing.save(db, training, data, user))


@router.get("/trainings/{training_id}/minutes.pdf")
def minutes_pdf(training: ApiTraining, db: DB) -> Response:
    """The minutes as an A4 PDF: attendance, presenters, text, decisions, actions and the
    signatures of the chair and the note-taker."""
    doc = document.build(db, training)
    return files.pdf(render_minutes_pdf(doc), document.filename(doc, "pdf"))


@router.get("/trainings/{training_id}/minutes.docx")
def minutes_docx(training: ApiTraining, db: DB) -> Response:
    """The minutes as a Word document the office can still edit."""
    doc = document.build(db, training)
    return files.docx(render_minutes_docx(doc), document.filename(doc, "docx"))
