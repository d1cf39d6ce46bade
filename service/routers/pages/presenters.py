"""Pages: a meeting's presenters by unit with their presentations, each unit's delegates
present and expected (live), and the committee's view of the sessions' materials."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError, FieldError
from service.models import MeetingPresenter, SessionMaterial, Training
from service.routers import files
from service.routers.deps import PagePlanner, PageTraining
from service.routers.pages.forms import SubmittedForm, parse, render_form, submit
from service.routers.pages.rendering import redirect, render
from service.schemas.meetings import PresenterIn
from service.services import report_photos, trainings, units
from service.services import training_clock as clock
from service.services.meeting_days import days_of
from service.services.meetings import delegates, materials, presenters, uploads

router = APIRouter(include_in_schema=False)


def page_presenter(training: PageTraining, presenter_id: int, user: PagePlanner, db: DB
                   ) -> tuple[MeetingPresenter, Training]:
    presenter, owner = presenters.get_presenter(db, user.organization_id, presenter_id)
    if owner.id != training.id:
        raise presenters.PresenterNotFound()
    return presenter, owner


PagePresenter = Annotated[tuple[MeetingPresenter, Training], Depends(page_presenter)]


def _meeting_days(db: DB, training: Training) -> list[date]:
    return sorted({d for b in trainings.list_batches(db, training.id or 0) for d in days_of(b)})


def _default_day(days: list[date], training: Training) -> str:
    today = clock.today(training)
    return next((d for d in days if d >= today), days[0] if days else today).isoformat()


def _units_context(db: DB, training: Training, day: date | None) -> dict[str, Any]:
    rows = delegates.unit_attendance(db, training, day)
    return {"unit_rows": rows, "unit_day": day,
            "unit_totals": (sum(r.present for r in rows), sum(r.expected for r in rows))}


def _page(request: Request, db: DB, training: Training, values: dict[str, Any] | None = None,
          exc: DomainError | None = None, file_exc: tuple[int, DomainError] | None = None,
          linked: int | None = None) -> Response:
    days = _meeting_days(db, training)
    rows = presenters.list_presenters(db, training)
    today = clock.today(training)
    day = today if today in days else None
    context = {
        "training": training, "rows": rows, "days": days,
        "register": units.list_units(db, training.organization_id),
        "values": values or {"day": _default_day(days, training), "start_time": "09:00",
                             "end_time": "09:30"},
        "accept": uploads.ACCEPT, "max_mb": uploads.max_bytes() // (1024 * 1024),
        "file_error": file_exc, "linked": linked, **_units_context(db, training, day)}
    status = file_exc[1].status if file_exc else None
    response = render_form(request, "meetings/presenters.html", context, exc)
    if status:
        response.status_code = status
    return response


@router.get("/trainings/{training_id}/presenters")
def presenters_page(request: Request, training: PageTraining, db: DB,
                    linked: Annotated[int | None, Query(ge=0, le=100_000)] = None
                    ) -> Response:
    """The meeting's agenda by unit: presenters in time order with their presentations,
    and each unit's delegates present."""
    return _page(request, db, training, linked=linked)


@router.get("/trainings/{training_id}/unit-attendance")
def unit_attendance(request: Request, training: PageTraining, db: DB,
                    day: date | None = None) -> Response:
    """Each unit's delegates present and expected (the page refreshes it every 30 s)."""
    return render(request, "meetings/_unit_attendance.html",
                  {"training": training, **_units_context(db, training, day)})


@router.post("/trainings/{training_id}/unit-attendance/link")
def link_delegates(request: Request, training: PageTraining, db: DB) -> Response:
    """Link participants to the unit their institution names (Instansi/OPD)."""
    return submit(db, lambda: delegates.link_by_institution(db, training),
                  lambda n: redirect(request, f"/trainings/{training.id}/presenters"
                                              f"?linked={n}#delegates"),
                  lambda exc: _page(request, db, training, exc=exc))


@router.post("/trainings/{training_id}/presenters")
def create_presenter(request: Request, training: PageTraining, form: SubmittedForm,
                     db: DB) -> Response:
    data = form.values()
    return submit(db, lambda: presenters.create_presenter(db, training,
                                                          parse(PresenterIn, data)),
                  lambda p: redirect(request, f"/trainings/{training.id}/presenters"
                                              f"#presenter-{p.id}"),
                  lambda exc: _page(request, db, training, data, exc))


@router.post("/trainings/{training_id}/presenters/{presenter_id}/file")
def upload_file(request: Request, training: PageTraining, found: PagePresenter,
                form: SubmittedForm, db: DB) -> Response:
    presenter = found[0]
    file = form.file("file")

    def work() -> MeetingPresenter:
        data = uploads.read_upload(file.file) if file else b""
        return presenters.set_file(db, presenter, data, file.filename or "" if file else "")

    return submit(db, work,
                  lambda p: redirect(request, f"/trainings/{training.id}/presenters"
                                              f"#presenter-{p.id}"),
                  lambda exc: _page(request, db, training,
                                    file_exc=(presenter.id or 0, exc)))


@router.get("/trainings/{training_id}/presenters/{presenter_id}/file")
def download_file(found: PagePresenter, db: DB) -> Response:
    data, media, name = presenters.file_of(db, found[0])
    return files.file_response(data, media, name, attachment=True)


@router.post("/trainings/{training_id}/presenters/{presenter_id}/delete")
def delete_presenter(request: Request, training: PageTraining, found: PagePresenter,
                     db: DB) -> Response:
    return submit(db, lambda: presenters.delete_presenter(db, found[0]),
                  lambda _none: redirect(request, f"/trainings/{training.id}/presenters"),
                  lambda exc: _page(request, db, training, exc=exc))


# --- the sessions' materials (committee) ---------------------------------------------------

def page_material(training: PageTraining, material_id: int, user: PagePlanner, db: DB
                  ) -> SessionMaterial:
    material, owner = materials.get_material(db, user.organization_id, material_id)
    if owner.id != training.id:
        raise materials.MaterialNotFound()
    return material


PageMaterial = Annotated[SessionMaterial, Depends(page_material)]


def _materials_page(request: Request, db: DB, training: Training,
                    values: dict[str, Any] | None = None,
                    exc: DomainError | None = None) -> Response:
    return render_form(request, "meetings/materials.html", {
        "training": training, "rows": materials.training_materials(db, training),
        "sessions": report_photos.session_choices(db, training), "values": values or {},
        "accept": uploads.ACCEPT, "max_mb": uploads.max_bytes() // (1024 * 1024)}, exc)


@router.get("/trainings/{training_id}/materials")
def materials_page(request: Request, training: PageTraining, db: DB) -> Response:
    """Every session's slides, uploaded by its narasumber or here by the committee."""
    return _materials_page(request, db, training)


@router.post("/trainings/{training_id}/materials")
def upload_material(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
                    user: PagePlanner) -> Response:
    data = form.values()
    file = form.file("file")

    def work() -> SessionMaterial:
        raw = data.get("session_id", "")
        if not raw.isdigit():
            raise FieldError("session_id", "Choose a session from the list.",
                             code="invalid_session")
        session, owner = materials.session_of(db, user.organization_id, int(raw))
        if owner.id != training.id:
            raise FieldError("session_id", "Choose a session from the list.",
                             code="invalid_session")
        content = uploads.read_upload(file.file) if file else b""
        return materials.add_material(db, session, training, content,
                                      file.filename or "" if file else "",
                                      data.get("title", ""), user=user)

    return submit(db, work,
                  lambda m: redirect(request, f"/trainings/{training.id}/materials"
                                              f"#material-{m.id}"),
                  lambda exc: _materials_page(request, db, training, data, exc))


@router.get("/trainings/{training_id}/materials/{material_id}/file")
def download_material(material: PageMaterial, db: DB) -> Response:
    data, media, name = materials.file_of(db, material)
    return files.file_response(data, media, name, attachment=True)


@router.post("/trainings/{training_id}/materials/{material_id}/delete")
def delete_material(request: Request, training: PageTraining, material: PageMaterial,
                    db: DB) -> Response:
    return submit(db, lambda: materials.delete_material(db, material),
                  lambda _none: redirect(request, f"/trainings/{training.id}/materials"),
                  lambda exc: _materials_page(request, db, training, exc=exc))
