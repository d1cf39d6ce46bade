"""The page behind a unit's private nomination link (/nominasi/{token}): the focal point
names the unit's delegates to one training (up to its quota, until its deadline), corrects
or removes those not yet accepted, and uploads the unit's surat tugas. No account; another
unit's delegate is not found. Made for a cheap phone: one small page, works without
JavaScript (HTMX, when it loads, swaps the list in place)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.models import Organization, Training, TrainingUnit, Venue
from service.routers import files
from service.routers.deps import CsrfFailed
from service.routers.pages.account import FORM_COOKIE
from service.routers.pages.forms import SubmittedForm, errors_by_field, submit
from service.routers.pages.rendering import redirect, render
from service.services import auth
from service.services.nominations import links, nominees, status, surat_tugas
from service.services.nominations import units as training_units
from service.services.people.identity import mask_phone
from service.services.registrations import mask_nip
from service.settings import get_settings

router = APIRouter(include_in_schema=False)
PURPOSE = "nominasi"
TEMPLATE = "public/nomination_link.html"
SAVED = {"added": "added", "saved": "saved", "removed": "removed", "letter": "letter"}


def _nonce(request: Request) -> tuple[str, bool]:
    nonce = request.cookies.get(FORM_COOKIE) or ""
    if 20 <= len(nonce) <= 100:
        return nonce, False
    return auth.new_login_nonce(), True


def _gone(request: Request, exc: DomainError) -> Response:
    response = render(request, "public/nomination_gone.html", {"error": exc.text()},
                      exc.status)
    response.headers.update(files.PRIVATE)
    return response


def _page(request: Request, db: DB, token: str, *, exc: DomainError | None = None,
          values: dict[str, Any] | None = None, saved: str = "",
          edit_id: int | None = None) -> Response:
    """The unit's page; after a refused post, with its messages (and its 4xx status)."""
    try:
        tu = links.resolve(db, token)
    except links.NominationLinkNotFound as gone:
        return _gone(request, gone)
    training = db.get(Training, tu.training_id)
    assert training is not None
    fill = status.one(db, tu)
    org = db.get(Organization, training.organization_id)
    venue = db.get(Venue, training.venue_id) if training.venue_id else None
    rows = [{"n": n, "nip": mask_nip(n.nip) or "", "phone": mask_phone(n.phone) or ""}
            for n in nominees.list_nominees(db, tu)]
    nonce, fresh = _nonce(request)
    errors = errors_by_field(exc) if exc else {}
    response = render(request, TEMPLATE, {
        "token": token, "tu": tu, "unit": fill.unit, "training": training, "org": org,
        "venue": venue, "fill": fill, "rows": rows,
        "deadline": training_units.deadline_text(training, tu.deadline),
        "values": values or {}, "errors": errors, "edit_id": edit_id,
        "saved": SAVED.get(saved, ""), "accept": surat_tugas.ACCEPT,
        "max_mb": surat_tugas.MAX_BYTES // (1024 * 1024),
        "csrf_token": auth.public_form_token(db, nonce, PURPOSE)},
        exc.status if exc else 200, block="panel")
    if fresh:
        response.set_cookie(FORM_COOKIE, nonce, max_age=86400, path="/", httponly=True,
                            samesite="lax", secure=get_settings().secure_cookies)
    response.headers.update(files.PRIVATE)
    response.headers["Cache-Control"] = "no-store"
    return response


def _post(request: Request, db: DB, token: str, form: SubmittedForm, saved: str,
          work: Any, *, edit_id: int | None = None) -> Response:
    """Check the link and the form's CSRF token, do `work(tu)`, then show the page again
    (HTMX: the panel in place; without JavaScript: a redirect to it)."""
    values = form.values()

    def run() -> None:
        if not auth.public_form_valid(db, request.cookies.get(FORM_COOKIE),
                                      form.get("csrf_token"), PURPOSE):
            raise CsrfFailed()
        work(links.resolve(db, token))

    def done(_: None) -> Response:
        if request.headers.get("hx-request"):
            return _page(request, db, token, saved=saved)
        return redirect(request, f"/nominasi/{token}?saved={saved}#daftar")

    def refused(exc: DomainError) -> Response:
        if isinstance(exc, links.NominationLinkNotFound):
            return _gone(request, exc)
        return _page(request, db, token, exc=exc, values=values, edit_id=edit_id)

    return submit(db, run, done, refused)


@router.get("/nominasi/{token}")
def nomination_page(request: Request, token: str, db: DB, saved: str = "") -> Response:
    """A unit's delegates to a training, for its focal point."""
    return _page(request, db, token, saved=saved)


@router.post("/nominasi/{token}/nominees")
def add_nominee(request: Request, token: str, form: SubmittedForm, db: DB) -> Response:
    """Name a delegate; 409 after the deadline or with the quota full."""
    data = form.values()
    return _post(request, db, token, form, "added",
                 lambda tu: nominees.add(db, tu, data))


def _kept(tu: TrainingUnit, nominee_id: int, data: dict[str, Any], db: DB) -> dict[str, Any]:
    """The page never shows a NIP or a phone whole: left empty, they stay as they were."""
    current = nominees.get(db, tu, nominee_id)
    return {**data, "nip": data.get("nip") or current.nip,
            "phone": data.get("phone") or current.phone}


@router.post("/nominasi/{token}/nominees/{nominee_id}")
def edit_nominee(request: Request, token: str, nominee_id: int, form: SubmittedForm,
                 db: DB) -> Response:
    """Correct a delegate not yet accepted."""
    data = form.values()
    return _post(request, db, token, form, "saved",
                 lambda tu: nominees.update(db, tu, nominee_id, _kept(tu, nominee_id, data, db)),
                 edit_id=nominee_id)


@router.post("/nominasi/{token}/nominees/{nominee_id}/delete")
def remove_nominee(request: Request, token: str, nominee_id: int, form: SubmittedForm,
                   db: DB) -> Response:
    """Take a delegate not yet accepted off the list."""
    return _post(request, db, token, form, "removed",
                 lambda tu: nominees.remove(db, tu, nominee_id))


@router.post("/nominasi/{token}/surat-tugas")
def upload_surat_tugas(request: Request, token: str, form: SubmittedForm, db: DB) -> Response:
    """The unit's surat tugas (a PDF or a photo; replaces the one before)."""
    upload = form.file("file")

    def work(tu: TrainingUnit) -> None:
        if upload is None:
            surat_tugas.attach(db, tu, b"", "")  # says to choose a file (422)
            return
        surat_tugas.attach(db, tu, surat_tugas.read_upload(upload.file), upload.filename or "")

    return _post(request, db, token, form, "letter", work)


@router.get("/nominasi/{token}/surat-tugas")
def download_surat_tugas(request: Request, token: str, db: DB) -> Response:
    """The unit's own surat tugas as uploaded."""
    try:
        tu = links.resolve(db, token)
    except links.NominationLinkNotFound as gone:
        return _gone(request, gone)
    letter = surat_tugas.get(db, tu)
    return files.file_response(letter.data, letter.media_type, letter.name,
                               attachment=letter.media_type == "application/pdf",
                               fallback="surat-tugas")
