"""Pages: a batch's timetable builder, editing a session, copying an agenda, the PDF."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.models import SESSION_KINDS, Batch, Training
from service.rendering.agenda_pdf import render_agenda_pdf
from service.routers.deps import PageBatch, PagePlanner
from service.routers.pages.forms import errors_by_field, form_data, parse, render_form
from service.routers.pages.rendering import redirect, render
from service.routers.pdf import pdf_response
from service.schemas.planning import CopyAgenda, SessionCreate
from service.services import agenda, overview, speakers, trainings
from service.services.agenda_doc import agenda_doc

router = APIRouter(include_in_schema=False)


def _timetable(request: Request, db: DB, user: PagePlanner, batch: Batch, training: Training,
               extra: dict[str, Any] | None = None, status_code: int = 200,
               added: int | None = None) -> Response:
    info = overview.batch_info(db, batch, training)
    item = next((i for i in info.sessions if i.session.id == added), None) if added else None
    if item is not None:
        extra = {**(extra or {}), "flash": item.session.title,
                 "flash_day": item.session.date.isoformat()}
    ctx = {"training": training, "info": info, "kinds": SESSION_KINDS,
           "speakers": speakers.list_speakers(db, user.organization_id),
           "others": [b for b in trainings.list_batches(db, training.id or 0) if b.id != batch.id],
           "form_day": None, "values": {}, "errors": {}, **(extra or {})}
    return render(request, "batches/timetable.html", ctx, status_code, block="timetable")


@router.get("/batches/{batch_id}")
def timetable_page(request: Request, found: PageBatch, db: DB, user: PagePlanner,
                   added: int | None = None) -> Response:
    # `added` comes back in the redirect after a plain (no-JS) form post.
    return _timetable(request, db, user, *found, added=added)


@router.post("/batches/{batch_id}/sessions")
async def add_session(request: Request, found: PageBatch, db: DB, user: PagePlanner) -> Response:
    batch, training = found
    data = await form_data(request, lists=("speaker_ids",))
    try:
        session = agenda.save_session(db, user.organization_id, batch, training,
                                      parse(SessionCreate, data))
    except DomainError as exc:
        db.rollback()
        return _timetable(request, db, user, batch, training, {
            "form_day": data.get("date"), "values": data, "errors": errors_by_field(exc),
            "clashes": exc.extra.get("clashes", [])}, exc.status)
    if not request.headers.get("hx-request"):
        return redirect(request, f"/batches/{batch.id}?added={session.id}#day-{session.date}")
    return _timetable(request, db, user, batch, training, added=session.id)


def _session_page(request: Request, db: DB, user: PagePlanner, session_id: int,
                  values: dict[str, Any] | None = None, exc: DomainError | None = None
                  ) -> Response:
    session, batch, training = agenda.get_session(db, user.organization_id, session_id)
    item = overview.load_sessions(db, [], session_ids=[session_id])[0]
    if values is None:
        values = {"title": session.title, "date": session.date.isoformat(),
                  "start_time": session.start_time.strftime("%H:%M"),
                  "end_time": session.end_time.strftime("%H:%M"), "kind": session.kind,
                  "jpl": session.jpl, "room": item.room.name if item.room else "",
                  "description": session.description or "",
                  "speaker_ids": [str(s.id) for s in item.speakers]}
    return render_form(request, "sessions/form.html", {
        "session": session, "batch": batch, "training": training, "values": values,
        "days": trainings.days_between(batch.start_date, batch.end_date),
        "kinds": SESSION_KINDS, "speakers": speakers.list_speakers(db, user.organization_id),
        "clashes": exc.extra.get("clashes", []) if exc else []}, exc)


@router.get("/sessions/{session_id}/edit")
def edit_session_page(request: Request, session_id: int, db: DB, user: PagePlanner) -> Response:
    return _session_page(request, db, user, session_id)


@router.post("/sessions/{session_id}/edit")
async def update_session(request: Request, session_id: int, db: DB,
                         user: PagePlanner) -> Response:
    session, batch, training = agenda.get_session(db, user.organization_id, session_id)
    data = await form_data(request, lists=("speaker_ids",))
    try:
        agenda.save_session(db, user.organization_id, batch, training,
                            parse(SessionCreate, data), existing=session)
    except DomainError as exc:
        db.rollback()
        return _session_page(request, db, user, session_id, data, exc)
    return redirect(request, f"/batches/{batch.id}")


@router.post("/sessions/{session_id}/delete")
def delete_session(request: Request, session_id: int, db: DB, user: PagePlanner) -> Response:
    session, batch, training = agenda.get_session(db, user.organization_id, session_id)
    agenda.delete_session(db, session)
    if request.headers.get("hx-request"):
        return _timetable(request, db, user, batch, training)
    return redirect(request, f"/batches/{batch.id}")


@router.post("/batches/{batch_id}/copy")
async def copy(request: Request, found: PageBatch, db: DB, user: PagePlanner) -> Response:
    source, training = found
    data = await form_data(request)
    data["replace"] = data.get("replace") in ("1", "on", "true")
    try:
        parsed = parse(CopyAgenda, data)
        target, _ = trainings.get_batch(db, user.organization_id, parsed.target_batch_id)
        result = agenda.copy_agenda(db, user.organization_id, source, target, training,
                                    parsed.replace)
    except DomainError as exc:
        db.rollback()
        return _timetable(request, db, user, source, training,
                          {"copy_error": exc.text(), "copy_values": data}, exc.status)
    return _timetable(request, db, user, source, training,
                      {"copy_result": result, "copy_target": target})


@router.get("/batches/{batch_id}/agenda.pdf")
def agenda_pdf(found: PageBatch, db: DB) -> Response:
    batch, training = found
    return pdf_response(render_agenda_pdf(agenda_doc(db, batch, training)),
                        f"jadwal-{batch.name}.pdf")

