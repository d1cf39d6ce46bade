"""Pages: the organization's people across trainings: the search, the likely duplicates
and merging them or marking them as two people, a person's record of trainings and its
PDF."""

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.i18n.formats import fmt_phone
from service.models import User
from service.models.base import pk
from service.rendering.person_record_pdf import render_person_record_pdf
from service.routers import files
from service.routers.deps import PagePlanner
from service.routers.pages.forms import SubmittedForm, errors_by_field, submit
from service.routers.pages.rendering import redirect, render
from service.services.erasure import requests as erasure_requests
from service.services.people import distinct, duplicates, identity, merge, record, search
from service.services.people.search import MAX_PAGE, LastTraining

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class PersonRow:
    """One person as the list shows them: plain data, numbers already masked."""

    id: int
    name: str
    nik: str | None
    nip: str | None
    phone: str | None
    institution: str | None
    trainings_count: int
    last_training: LastTraining | None


def _phone(phone: str | None, admin: bool) -> str | None:
    return fmt_phone(phone) if admin else identity.mask_phone(phone)


def _int(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


def _url(q: str, page: int) -> str:
    query = [(k, v) for k, v in (("q", q), ("page", str(page) if page > 1 else "")) if v]
    return f"/people?{urlencode(query)}" if query else "/people"


@router.get("/people")
def people_page(request: Request, user: PagePlanner, db: DB) -> Response:
    """The organization's people: search by name or number tails, 50 a page; for htmx
    only the table."""
    q = request.query_params.get("q", "")[:100]
    page = min(_int(request.query_params.get("page", "")) or 1, MAX_PAGE)
    admin = user.role == "admin"
    error, status = None, 200
    try:
        found = search.search(db, user.organization_id, q, page)
    except DomainError as exc:
        error, status = exc.text(), exc.status
        found = search.SearchPage([], 0, 1, 1)
    rows = [PersonRow(pk(x.person), x.person.name, identity.shown_nik(x.person, admin),
                      identity.shown_nip(x.person, admin), _phone(x.person.phone, admin),
                      x.person.institution, x.trainings_count, x.last_training)
            for x in found.items]
    fragment = bool(request.headers.get("hx-request")
                    and not request.headers.get("hx-history-restore-request"))
    response = render(request, "people/list.html", {
        "rows": rows, "total": found.total, "page": found.page, "pages": found.pages,
        "q": q, "error": error, "current": _url(q, found.page),
        "prev_url": _url(q, found.page - 1) if found.page > 1 else None,
        "next_url": _url(q, found.page + 1) if found.page < found.pages else None,
        "duplicates": 0 if fragment else duplicates.count(db, user.organization_id),
    }, status, block="table" if fragment else None)
    response.headers["Vary"] = "HX-Request"
    if fragment:
        response.headers["HX-Push-Url"] = _url(q, found.page)
    return response


def _duplicates_page(request: Request, db: DB, user: User,
                     exc: DomainError | None = None, done: str | None = None) -> Response:
    """The page, or for htmx its lists (after marking or unmarking a pair)."""
    admin = user.role == "admin"
    pairs = duplicates.likely_duplicates(db, user.organization_id)
    response = render(request, "people/duplicates.html", {
        "pairs": pairs, "reasons": duplicates.REASONS,
        "marks": distinct.marks(db, user.organization_id),
        "nik": lambda p: identity.shown_nik(p, admin),
        "phone": lambda p: _phone(p.phone, admin),
        "errors": errors_by_field(exc) if exc else {}, "done": done,
    }, exc.status if exc else 200, block="lists")
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/people/duplicates")
def duplicates_page(request: Request, user: PagePlanner, db: DB) -> Response:
    """Pairs that look like one person, with why, and a merge button for each way."""
    return _duplicates_page(request, db, user)


def _marked(request: Request, db: DB, user: User, done: str) -> Response:
    # htmx swaps the lists in place; a browser without it reloads the page.
    if request.headers.get("hx-request"):
        return _duplicates_page(request, db, user, done=done)
    return redirect(request, "/people/duplicates")


@router.post("/people/{person_id}/distinct")
def mark_distinct(person_id: int, request: Request, form: SubmittedForm, user: PagePlanner,
                  db: DB) -> Response:
    """Mark this person and the form's other_id as not the same person."""
    other = _int(form.get("other_id")) or 0
    return submit(db, lambda: distinct.mark(db, user.organization_id, person_id, other,
                                            user.id),
                  lambda _mark: _marked(request, db, user, "marked"),
                  lambda exc: _duplicates_page(request, db, user, exc))


@router.post("/people/{person_id}/distinct/undo")
def unmark_distinct(person_id: int, request: Request, form: SubmittedForm,
                    user: PagePlanner, db: DB) -> Response:
    """Take back the mark of this person and the form's other_id."""
    other = _int(form.get("other_id")) or 0
    return submit(db, lambda: distinct.undo(db, user.organization_id, person_id, other,
                                            user.id),
                  lambda _row: _marked(request, db, user, "undone"),
                  lambda exc: _duplicates_page(request, db, user, exc))


@router.post("/people/{person_id}/merge")
def merge_submit(person_id: int, request: Request, form: SubmittedForm, user: PagePlanner,
                 db: DB) -> Response:
    """Merge the form's other_id into this person; a refusal (409: both in one training)
    shows on the duplicates page and changes nothing."""
    other = _int(form.get("other_id")) or 0

    def work() -> Any:
        return merge.merge(db, user.organization_id, person_id, other, user.id)

    return submit(db, work, lambda _entry: redirect(request, f"/people/{person_id}?merged=1"),
                  lambda exc: _duplicates_page(request, db, user, exc))


@router.get("/people/{person_id}")
def person_page(person_id: int, request: Request, user: PagePlanner, db: DB,
                merged: int = 0) -> Response:
    """A person's trainings with days present, JPL per training and per year,
    certificates, merges, and the record as PDF."""
    return render_person(request, user, db, person_id, {"merged": bool(merged)})


def render_person(request: Request, user: User, db: DB, person_id: int,
                  extra: dict[str, Any], status: int = 200) -> Response:
    """The person's page (`extra`: flags and, after a refused erasure request, its form)."""
    r = record.person_record(db, user.organization_id, person_id)
    admin = user.role == "admin"
    p = r.person
    by_year = r.jpl_by_year
    return render(request, "people/person.html", {
        "r": r, "p": p, "nik": identity.shown_nik(p, admin), "nip": identity.shown_nip(p, admin),
        "phone": _phone(p.phone, admin), "by_year": by_year,
        "top_year": max(by_year.values(), default=0), "merged": False,
        "erasure": erasure_requests.person_state(db, person_id),
        "erasure_requested": request.query_params.get("erasure") == "requested",
        "erasure_errors": {}, "erasure_values": {}, **extra}, status)


@router.get("/people/{person_id}/record.pdf")
def person_pdf(person_id: int, user: PagePlanner, db: DB) -> Response:
    """The person's record of trainings as a PDF, saved to attach to a promotion file."""
    r = record.person_record(db, user.organization_id, person_id)
    doc = record.document(db, r, user.role == "admin", date.today())
    return files.pdf(render_person_record_pdf(doc), record.filename(r), attachment=True)
