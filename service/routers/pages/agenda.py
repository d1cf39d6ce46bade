"""Pages: a batch's timetable builder, editing a session, copying an agenda, the PDF."""

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.models import SESSION_KINDS, AgendaSession, Batch, Training
from service.rendering.agenda_pdf import render_agenda_pdf
from service.routers import files
from service.routers.deps import PageBatch, PagePlanner
from service.routers.pages.forms import (
    SubmittedForm,
    errors_by_field,
    parse,
    render_form,
    submit,
)
from service.routers.pages.rendering import redirect, render
from service.schemas.planning import CopyAgenda, DayPlace, SessionCreate
from service.services import agenda, meeting_days, overview, places, speakers, trainings, venues
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
           "venues": [v for v, _ in venues.list_venues(db, user.organization_id)],
           "form_day": None, "values": {}, "errors": {}, "place_day": None,
           "place_error": None, **(extra or {})}
    return render(request, "batches/timetable.html", ctx, status_code, block="timetable")


@router.get("/batches/{batch_id}")
def timetable_page(request: Request, found: PageBatch, db: DB, user: PagePlanner,
                   added: int | None = None) -> Response:
    # `added` comes back in the redirect after a plain (no-JS) form post.
    return _timetable(request, db, user, *found, added=added)


@router.post("/batches/{batch_id}/days/{day}/place")
def set_day_place(request: Request, found: PageBatch, day: date, form: SubmittedForm, db: DB,
                  user: PagePlanner) -> Response:
    """Hold one day of the batch at its own place (a field visit), or at the batch's again."""
    batch, training = found
    data = form.values()

    def done(_venue: object) -> Response:
        if not request.headers.get("hx-request"):
            return redirect(request, f"/batches/{batch.id}#day-{day.isoformat()}")
        return _timetable(request, db, user, batch, training,
                          {"place_day": day.isoformat(), "place_saved": True})

    return submit(db, lambda: places.set_day_place(db, user.organization_id, batch, day,
                                                   venue=parse(DayPlace, data).venue),
                  done,
                  lambda exc: _timetable(request, db, user, batch, training, {
                      "place_day": day.isoformat(), "place_error": exc.text(),
                      "place_value": data.get("venue", "")}, exc.status))


@router.post("/batches/{batch_id}/sessions")
def add_session(request: Request, found: PageBatch, form: SubmittedForm, db: DB,
                user: PagePlanner) -> Response:
    batch, training = found
    data = form.values(lists=("speaker_ids",))

    def done(session: AgendaSession) -> Response:
        if not request.headers.get("hx-request"):
            return redirect(request,
                            f"/batches/{batch.id}?added={session.id}#day-{session.date}")
        return _timetable(request, db, user, batch, training, added=session.id)

    def refused(exc: DomainError) -> Response:
        return _timetable(request, db, user, batch, training, {
            "form_day": data.get("date"), "values": data, "errors": errors_by_field(exc),
            "clashes": exc.extra.get("clashes", [])}, exc.status)

    return submit(db, lambda: agenda.save_session(db, user.organization_id, batch, training,
                                                  parse(SessionCreate, data)), done, refused)


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
                  "venue": item.venue.name if item.venue else "",
                  "description": session.description or "",
                  "speaker_ids": [str(s.id) for s in item.speakers]}
    return render_form(request, "sessions/form.html", {
        "session": session, "batch": batch, "training": training, "values": values,
        "days": meeting_days.days_of(batch),
        "kinds": SESSION_KINDS, "speakers": speakers.list_speakers(db, user.organization_id),
        "venues": [v for v, _ in venues.list_venues(db, user.organization_id)],
        "clashes": exc.extra.get("clashes", []) if exc else []}, exc)


@router.get("/sessions/{session_id}/edit")
def edit_session_page(request: Request, session_id: int, db: DB, user: PagePlanner) -> Response:
    return _session_page(request, db, user, session_id)


@router.post("/sessions/{session_id}/edit")
def update_session(request: Request, session_id: int, form: SubmittedForm, db: DB,
                   user: PagePlanner) -> Response:
    session, batch, training = agenda.get_session(db, user.organization_id, session_id)
    data = form.values(lists=("speaker_ids",))
    return submit(db, lambda: agenda.save_session(db, user.organization_id, batch, training,
                                                  parse(SessionCreate, data), existing=session),
                  lambda _saved: redirect(request, f"/batches/{batch.id}"),
                  lambda exc: _session_page(request, db, user, session_id, data, exc))


@router.post("/sessions/{session_id}/delete")
def delete_session(request: Request, session_id: int, db: DB, user: PagePlanner) -> Response:
    session, batch, training = agenda.get_session(db, user.organization_id, session_id)
    agenda.delete_session(db, session)
    if request.headers.get("hx-request"):
        return _timetable(request, db, user, batch, training)
    return redirect(request, f"/batches/{batch.id}")


@router.post("/batches/{batch_id}/copy")
def copy(request: Request, found: PageBatch, form: SubmittedForm, db: DB,
         user: PagePlanner) -> Response:
    source, training = found
    data = form.values()
    data["replace"] = data.get("replace") in ("1", "on", "true")

    def work() -> tuple[agenda.CopyResult, Batch]:
        parsed = parse(CopyAgenda, data)
        target, _ = trainings.get_batch(db, user.organization_id, parsed.target_batch_id)
        return agenda.copy_agenda(db, user.organization_id, source, target, training,
                                  parsed.replace), target

    return submit(db, work,
                  lambda copied: _timetable(request, db, user, source, training,
                                            {"copy_result": copied[0],
                                             "copy_target": copied[1]}),
                  lambda exc: _timetable(request, db, user, source, training,
                                         {"copy_error": exc.text(), "copy_values": data},
                                         exc.status))


@router.get("/batches/{batch_id}/agenda.pdf")
def agenda_pdf(found: PageBatch, db: DB) -> Response:
    batch, training = found
    return files.pdf(render_agenda_pdf(agenda_doc(db, batch, training)),
                     f"jadwal-{batch.name}.pdf")

