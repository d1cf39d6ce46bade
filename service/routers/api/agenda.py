"""A batch's sessions, copying a timetable, and the printed agenda."""

from datetime import date

from fastapi import APIRouter, Response

from service.db import DB
from service.rendering.agenda_pdf import render_agenda_pdf
from service.routers import files
from service.routers.deps import ApiBatch, ApiPlanner
from service.schemas.planning import (
    BatchRead,
    CopyAgenda,
    DayPlace,
    SessionCreate,
    SessionRead,
    batch_read,
    session_read,
)
from service.services import agenda, overview, places, trainings
from service.services.agenda_doc import agenda_doc
from service.services.overview import SessionItem

router = APIRouter(prefix="/api", tags=["agenda"])


def _item(db: DB, session_id: int) -> SessionItem:
    return overview.load_sessions(db, [], session_ids=[session_id])[0]


@router.get("/batches/{batch_id}/sessions")
def list_sessions(found: ApiBatch, db: DB) -> list[SessionRead]:
    """The batch's timetable in time order."""
    return [session_read(i) for i in overview.load_sessions(db, [found[0].id or 0])]


@router.put("/batches/{batch_id}/days/{day}/place")
def set_day_place(found: ApiBatch, day: date, data: DayPlace, db: DB,
                  user: ApiPlanner) -> BatchRead:
    """Hold one day of the batch at its own place (a field visit); no venue: the batch's."""
    batch, training = found
    places.set_day_place(db, user.organization_id, batch, day, data.venue_id, data.venue)
    return batch_read(overview.batch_info(db, batch, training))


@router.post("/batches/{batch_id}/sessions", status_code=201)
def create_session(found: ApiBatch, data: SessionCreate, db: DB, user: ApiPlanner) -> SessionRead:
    """Add a session; 409 speaker_conflict / room_conflict when someone or the room is booked."""
    batch, training = found
    session = agenda.save_session(db, user.organization_id, batch, training, data)
    return session_read(_item(db, session.id or 0))


@router.put("/sessions/{session_id}")
def update_session(session_id: int, data: SessionCreate, db: DB, user: ApiPlanner) -> SessionRead:
    """Change a session, with the same clash checks as creating one."""
    session, batch, training = agenda.get_session(db, user.organization_id, session_id)
    agenda.save_session(db, user.organization_id, batch, training, data, existing=session)
    return session_read(_item(db, session_id))


@router.delete("/sessions/{session_id}", status_code=204)
def delete_session(session_id: int, db: DB, user: ApiPlanner) -> Response:
    """Remove a session from its timetable."""
    session, _, _ = agenda.get_session(db, user.organization_id, session_id)
    agenda.delete_session(db, session)
    return Response(status_code=204)


@router.post("/batches/{batch_id}/copy-agenda")
def copy_agenda(found: ApiBatch, data: CopyAgenda, db: DB, user: ApiPlanner) -> dict[str, object]:
    """Copy this batch's timetable onto another batch, shifted to its dates."""
    source, training = found
    target, _ = trainings.get_batch(db, user.organization_id, data.target_batch_id)
    result = agenda.copy_agenda(db, user.organization_id, source, target, training, data.replace)
    return {"copied": result.copied, "warnings": result.warnings}


@router.get("/batches/{batch_id}/agenda.pdf")
def agenda_pdf(found: ApiBatch, db: DB) -> Response:
    """The batch's agenda (jadwal acara) as a printable A4 PDF."""
    batch, training = found
    return files.pdf(render_agenda_pdf(agenda_doc(db, batch, training)),
                     f"jadwal-{batch.name}.pdf")
