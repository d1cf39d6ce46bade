"""Pages: the list of trainings, creating and editing one, its overview and its batches."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.models import KINDS, Batch, Training
from service.routers.deps import PageBatch, PagePlanner, PageTraining
from service.routers.pages.forms import (
    Submitted,
    SubmittedForm,
    parse,
    render_form,
    submit,
)
from service.routers.pages.rendering import redirect, render
from service.schemas.common import MAX_ID
from service.schemas.planning import BatchCreate, TrainingCreate
from service.services import (
    meeting_days,
    overview,
    programs,
    registrations,
    trainings,
    venues,
)

router = APIRouter(include_in_schema=False)


def _training_values(t: Training, ov: overview.TrainingOverview | None = None) -> dict[str, Any]:
    return {"title": t.title, "kind": t.kind, "start_date": t.start_date.isoformat(),
            "end_date": t.end_date.isoformat(), "timezone": t.timezone,
            "region_level": t.region_level,
            "venue": ov.venue.name if ov and ov.venue else "",
            "description": t.description or "",
            "program_id": str(t.program_id or ""), "program_stage": t.program_stage or "",
            "categories": [{"name": c.name, "quota": c.quota or ""} for c in ov.categories]
            if ov else []}


# Blank category rows under the named ones; the form's "Add rows" button (which, without
# JavaScript, sends the form back unsaved) asks for MORE_CATEGORY_ROWS more each time.
BLANK_CATEGORY_ROWS = 3
MORE_CATEGORY_ROWS = 5
MAX_CATEGORY_ROWS = 50  # as many as a training may have


def _training_form(form: Submitted) -> dict[str, Any]:
    data = form.values()
    data.pop("category_name", None)
    data.pop("category_quota", None)
    data.pop("add_rows", None)
    data["categories"] = [{"name": name, "quota": quota} for name, quota
                          in form.rows("category_name", "category_quota") if name.strip()]
    return data


def _rows_wanted(form: Submitted) -> int | None:
    """Blank category rows asked for with "Add rows" (a submit only without JavaScript:
    the script adds a row in place); None when the form was sent to be saved."""
    raw = form.get("add_rows").strip()
    if not raw:
        return None
    wanted = int(raw) if raw.isdigit() and len(raw) < 4 else BLANK_CATEGORY_ROWS
    return max(BLANK_CATEGORY_ROWS, min(wanted, MAX_CATEGORY_ROWS))


def _form_page(request: Request, db: DB, user: PagePlanner, values: dict[str, Any],
               training: Training | None = None, exc: DomainError | None = None,
               blank_rows: int = BLANK_CATEGORY_ROWS) -> Response:
    return render_form(request, "trainings/form.html", {
        "training": training, "values": values, "kinds": KINDS,
        "blank_rows": blank_rows, "more_rows": MORE_CATEGORY_ROWS,
        "programs": [s.program for s in programs.list_programs(db, user.organization_id)],
        "venues": [v for v, _ in venues.list_venues(db, user.organization_id)]}, exc)


@router.get("/trainings")
def list_page(request: Request, db: DB, user: PagePlanner) -> Response:
    return render(request, "trainings/list.html",
                  {"trainings": trainings.list_trainings(db, user.organization_id)})


@router.get("/trainings/new")
def new_page(request: Request, db: DB, user: PagePlanner,
             program_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> Response:
    # "New training in this programme" on a programme's page opens the form with it chosen.
    return _form_page(request, db, user, {"kind": "pelatihan", "timezone": "Asia/Jakarta",
                                          "categories": [],
                                          "program_id": str(program_id or "")})


@router.post("/trainings")
def create(request: Request, form: SubmittedForm, db: DB, user: PagePlanner) -> Response:
    data = _training_form(form)
    if (wanted := _rows_wanted(form)) is not None:
        return _form_page(request, db, user, data, blank_rows=wanted)
    return submit(db, lambda: trainings.create_training(db, user.organization_id,
                                                        parse(TrainingCreate, data)),
                  lambda training: redirect(request, f"/trainings/{training.id}"),
                  lambda exc: _form_page(request, db, user, data, exc=exc))


@router.get("/trainings/{training_id}")
def overview_page(request: Request, training: PageTraining, db: DB) -> Response:
    return render(request, "trainings/overview.html",
                  {"ov": overview.training_overview(db, training),
                   "counts": registrations.status_counts(db, training.id or 0),
                   "program": programs.program_of(db, training)})


@router.get("/trainings/{training_id}/edit")
def edit_page(request: Request, training: PageTraining, db: DB, user: PagePlanner) -> Response:
    ov = overview.training_overview(db, training)
    return _form_page(request, db, user, _training_values(training, ov), training)


@router.post("/trainings/{training_id}/edit")
def update(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
           user: PagePlanner) -> Response:
    data = _training_form(form)
    if (wanted := _rows_wanted(form)) is not None:
        return _form_page(request, db, user, data, training, blank_rows=wanted)
    return submit(db, lambda: trainings.update_training(db, training, parse(TrainingCreate, data)),
                  lambda _saved: redirect(request, f"/trainings/{training.id}"),
                  lambda exc: _form_page(request, db, user, data, training, exc))


def batch_page(request: Request, db: DB, user: PagePlanner, training: Training,
               values: dict[str, Any], batch: Batch | None = None,
               exc: DomainError | None = None,
               meeting_error: DomainError | None = None) -> Response:
    """The batch form; for a batch meeting on listed dates, its meetings below it, each
    to move or cancel (`meeting_error`: why the last change of one was refused, shown
    by the list of meetings)."""
    context = {
        "training": training, "batch_id": batch.id if batch else None, "batch": batch,
        "values": values, "meetings": meeting_days.days_of(batch) if batch else [],
        "every_day": meeting_days.every_day(batch) if batch else True,
        "meeting_error": meeting_error.text() if meeting_error else "",
        "venues": [v for v, _ in venues.list_venues(db, user.organization_id)]}
    if meeting_error is not None:
        return render(request, "batches/form.html", {**context, "errors": {}},
                      meeting_error.status)
    return render_form(request, "batches/form.html", context, exc)


def batch_values(db: DB, batch: Batch, training: Training) -> dict[str, Any]:
    info = overview.batch_info(db, batch, training)
    return {"name": batch.name, "start_date": batch.start_date.isoformat(),
            "end_date": batch.end_date.isoformat(), "capacity": batch.capacity,
            "venue": info.venue.name if info.venue and batch.venue_id else "",
            "dates": batch.meeting_dates or []}


@router.get("/trainings/{training_id}/batches/new")
def new_batch_page(request: Request, training: PageTraining, db: DB,
                   user: PagePlanner) -> Response:
    count = len(trainings.list_batches(db, training.id or 0))
    return batch_page(request, db, user, training, {
        "name": f"Angkatan {_roman(count + 1)}", "start_date": training.start_date.isoformat(),
        "end_date": training.end_date.isoformat(), "capacity": ""})


@router.post("/trainings/{training_id}/batches")
def create_batch(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
                 user: PagePlanner) -> Response:
    data = form.values()
    return submit(db, lambda: trainings.create_batch(db, training, parse(BatchCreate, data)),
                  lambda _batch: redirect(request, f"/trainings/{training.id}"),
                  lambda exc: batch_page(request, db, user, training, data, exc=exc))


@router.get("/batches/{batch_id}/edit")
def edit_batch_page(request: Request, found: PageBatch, db: DB, user: PagePlanner) -> Response:
    batch, training = found
    return batch_page(request, db, user, training, batch_values(db, batch, training), batch)


@router.post("/batches/{batch_id}/edit")
def update_batch(request: Request, found: PageBatch, form: SubmittedForm, db: DB,
                 user: PagePlanner) -> Response:
    batch, training = found
    # A batch meeting on listed dates keeps them: its meetings change one by one below.
    data = form.values(lists=("dates",))
    if not data["dates"]:
        data.pop("dates")
    return submit(db, lambda: trainings.update_batch(db, training, batch,
                                                     parse(BatchCreate, data)),
                  lambda _saved: redirect(request, f"/trainings/{training.id}"),
                  lambda exc: batch_page(request, db, user, training, data, batch, exc))


@router.post("/batches/{batch_id}/delete")
def delete_batch(request: Request, found: PageBatch, db: DB) -> Response:
    batch, training = found
    trainings.delete_batch(db, batch)
    return redirect(request, f"/trainings/{training.id}")


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


@router.post("/trainings/{training_id}/delete")
def delete_training(request: Request, training: PageTraining, db: DB,
                    user: PagePlanner) -> Response:
    return submit(db, lambda: trainings.delete_training(db, training),
                  lambda _deleted: redirect(request, "/trainings"),
                  lambda exc: _form_page(request, db, user, _training_values(
                      training, overview.training_overview(db, training)), training, exc))
