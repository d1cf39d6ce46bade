"""Pages: batches meeting on dates from a rule (one form for six kecamatan times twelve
months), and moving, cancelling or adding one meeting of a batch."""

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.models import Batch, Training
from service.routers.deps import PageBatch, PagePlanner, PageTraining
from service.routers.pages.forms import Submitted, SubmittedForm, parse, render_form, submit
from service.routers.pages.rendering import redirect, render
from service.routers.pages.trainings import batch_page, batch_values
from service.schemas.planning import MeetingCancel, MeetingMove, RecurrenceIn, RecurringBatches
from service.services import batch_dates, recurrence, trainings, venues

router = APIRouter(include_in_schema=False)

RULE_FIELDS = ("frequency", "start", "weekday", "nth", "monthday", "count", "until")
BLANK_ROWS = 6  # Pontianak's six kecamatan
MORE_ROWS = 4
MAX_ROWS = 50


def _rule(form: Submitted) -> dict[str, Any]:
    """The rule's fields as typed; an empty one (the month's date when repeating by
    weekday) takes its default."""
    return {k: v for k in RULE_FIELDS if (v := form.get(k).strip())}


def _lines(form: Submitted) -> list[dict[str, str]]:
    return [{"name": name, "venue": venue, "capacity": capacity} for name, venue, capacity
            in form.rows("batch_name", "batch_venue", "batch_capacity")
            if name.strip() or venue.strip()]


def _recurring_page(request: Request, db: DB, user: PagePlanner, training: Training,
                    values: dict[str, Any], exc: DomainError | None = None,
                    blank_rows: int = BLANK_ROWS) -> Response:
    return render_form(request, "batches/recurring.html", {
        "training": training, "values": values, "blank_rows": blank_rows,
        "more_rows": MORE_ROWS,
        "venues": [v for v, _ in venues.list_venues(db, user.organization_id)]}, exc)


@router.get("/trainings/{training_id}/batches/recurring")
def recurring_page(request: Request, training: PageTraining, db: DB,
                   user: PagePlanner) -> Response:
    return _recurring_page(request, db, user, training, {
        "frequency": "monthly_weekday", "nth": "2", "weekday": "1", "count": "12",
        "start": training.start_date.isoformat(), "lines": []})


def _rows_wanted(form: Submitted) -> int | None:
    raw = form.get("add_rows").strip()
    if not raw:
        return None
    wanted = int(raw) if raw.isdigit() and len(raw) < 4 else BLANK_ROWS
    return max(1, min(wanted, MAX_ROWS))


def _parsed(form: Submitted) -> RecurringBatches:
    rule = parse(RecurrenceIn, _rule(form))
    return parse(RecurringBatches, {"rule": rule.model_dump(), "batches": _lines(form)})


@router.post("/trainings/{training_id}/batches/recurring")
def create_recurring(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
                     user: PagePlanner) -> Response:
    values = {**{k: form.get(k) for k in RULE_FIELDS}, "lines": _lines(form)}
    if (wanted := _rows_wanted(form)) is not None:
        return _recurring_page(request, db, user, training, values, blank_rows=wanted)
    return submit(db, lambda: trainings.create_recurring(db, training, _parsed(form)),
                  lambda _made: redirect(request, f"/trainings/{training.id}"),
                  lambda exc: _recurring_page(request, db, user, training, values, exc,
                                              blank_rows=max(0, BLANK_ROWS - len(values["lines"]))))


@router.post("/trainings/{training_id}/batches/recurring/preview")
def preview(request: Request, training: PageTraining, form: SubmittedForm) -> Response:
    """The dates the rule gives, listed under it as the committee changes it (HTMX)."""
    days: list[date] = []
    error = ""
    try:
        days = recurrence.dates(parse(RecurrenceIn, _rule(form)))
        batch_dates.within(training, days, "until")
    except DomainError as exc:
        error = exc.text()
    return render(request, "batches/recurring.html", {"days": days, "preview_error": error,
                                                      "training": training},
                  block="preview")


def _back(request: Request, batch: Batch) -> Response:
    return redirect(request, f"/batches/{batch.id}/edit#meetings")


def _meeting_action(request: Request, db: DB, user: PagePlanner,
                    found: tuple[Batch, Training], work: Callable[[], Batch]) -> Response:
    """Run one meeting's change; refused, the batch page again with the reason by its
    list of meetings."""
    batch, training = found
    return submit(db, work, lambda _b: _back(request, batch),
                  lambda exc: batch_page(request, db, user, training,
                                         batch_values(db, batch, training), batch,
                                         meeting_error=exc))


@router.post("/batches/{batch_id}/meetings/move")
def move(request: Request, found: PageBatch, form: SubmittedForm, db: DB,
         user: PagePlanner) -> Response:
    batch, training = found

    def work() -> Batch:
        m = parse(MeetingMove, form.values())
        return batch_dates.move_meeting(db, training, batch, m.day, m.to)
    return _meeting_action(request, db, user, found, work)


@router.post("/batches/{batch_id}/meetings/cancel")
def cancel(request: Request, found: PageBatch, form: SubmittedForm, db: DB,
           user: PagePlanner) -> Response:
    batch, _training = found
    return _meeting_action(request, db, user, found, lambda: batch_dates.cancel_meeting(
        db, batch, parse(MeetingCancel, form.values()).day))


@router.post("/batches/{batch_id}/meetings")
def add(request: Request, found: PageBatch, form: SubmittedForm, db: DB,
        user: PagePlanner) -> Response:
    batch, training = found
    return _meeting_action(request, db, user, found, lambda: batch_dates.add_meeting(
        db, training, batch, parse(MeetingCancel, form.values()).day))
