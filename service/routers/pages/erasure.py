"""Pages: erasure of a person's data under UU PDP No. 27/2022 — the request from the
person's page (committee), the requests with approve and refuse (admins), and the
retention setting with its preview (admins)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.models import User
from service.models.base import pk
from service.routers.deps import PageAdmin, PagePlanner
from service.routers.pages import people
from service.routers.pages.forms import SubmittedForm, errors_by_field, submit
from service.routers.pages.rendering import redirect, render
from service.services.erasure import requests, retention

router = APIRouter(include_in_schema=False)


def _requests_page(request: Request, db: DB, user: User, exc: DomainError | None = None,
                   done: str | None = None) -> Response:
    rows = requests.list_requests(db, user.organization_id)
    return render(request, "erasure/requests.html", {
        "pending": [r for r in rows if r.request.status == "pending"],
        "decided": [r for r in rows if r.request.status != "pending"],
        "admin": user.role == "admin",
        "sole_admin": requests.admins_count(db, user.organization_id) <= 1,
        "errors": errors_by_field(exc) if exc else {}, "done": done,
    }, exc.status if exc else 200)


@router.get("/erasure")
def requests_page(request: Request, user: PagePlanner, db: DB) -> Response:
    """Erasure requests: pending ones (approve or refuse, admins), then those decided."""
    return _requests_page(request, db, user, done=request.query_params.get("done"))


@router.post("/erasure/{request_id}/approve")
def approve(request_id: int, request: Request, form: SubmittedForm, user: PageAdmin,
            db: DB) -> Response:
    """Approve: the person's data is erased at once."""
    return submit(db, lambda: requests.approve(db, user.organization_id, request_id, user),
                  lambda _r: redirect(request, "/erasure?done=approved"),
                  lambda exc: _requests_page(request, db, user, exc))


@router.post("/erasure/{request_id}/refuse")
def refuse(request_id: int, request: Request, form: SubmittedForm, user: PageAdmin,
           db: DB) -> Response:
    """Refuse: the data stays; the note says why."""
    note = form.get("note")
    return submit(db, lambda: requests.refuse(db, user.organization_id, request_id, user,
                                              note),
                  lambda _r: redirect(request, "/erasure?done=refused"),
                  lambda exc: _requests_page(request, db, user, exc))


def _person_refused(request: Request, db: DB, user: User, person_id: int,
                    exc: DomainError, values: dict[str, Any]) -> Response:
    """The person's page again, with the form open and its messages."""
    return people.render_person(request, user, db, person_id, {
        "erasure_errors": errors_by_field(exc), "erasure_values": values}, exc.status)


@router.post("/people/{person_id}/erasure")
def request_erasure(person_id: int, request: Request, form: SubmittedForm,
                    user: PagePlanner, db: DB) -> Response:
    """Record a request to erase the person's data (an admin approves it)."""
    values = {"requested_by_text": form.get("requested_by_text")[:300],
              "reason": form.get("reason")[:2000]}
    return submit(db, lambda: requests.record(db, user.organization_id, person_id,
                                              values["requested_by_text"], values["reason"],
                                              pk(user)),
                  lambda _r: redirect(request, f"/people/{person_id}?erasure=requested"),
                  lambda exc: _person_refused(request, db, user, person_id, exc, values))


def _retention_page(request: Request, db: DB, user: User, exc: DomainError | None = None,
                    saved: bool = False, typed: str | None = None) -> Response:
    preview = retention.preview(db, user.organization_id)
    return render(request, "erasure/retention.html", {
        "preview": preview, "grace_days": retention.GRACE_DAYS,
        "max_years": retention.MAX_YEARS,
        "typed": typed if typed is not None else (preview.years or ""),
        "errors": errors_by_field(exc) if exc else {}, "saved": saved,
    }, exc.status if exc else 200)


@router.get("/erasure/retention")
def retention_page(request: Request, user: PageAdmin, db: DB) -> Response:
    """The retention setting, and who it would erase and when."""
    return _retention_page(request, db, user, saved=request.query_params.get("saved") == "1")


@router.post("/erasure/retention")
def retention_save(request: Request, form: SubmittedForm, user: PageAdmin, db: DB
                   ) -> Response:
    """Turn the retention setting on (years) or off (empty)."""
    raw = form.get("years").strip()[:6]
    if form.get("off"):
        raw = ""

    def work() -> object:
        years = None
        if raw:
            if not (raw.isascii() and raw.isdigit()):
                years = -1  # refused by the service with its message
            else:
                years = int(raw)
        return retention.set_years(db, user.organization_id, years)

    return submit(db, work, lambda _o: redirect(request, "/erasure/retention?saved=1"),
                  lambda exc: _retention_page(request, db, user, exc, typed=raw))

