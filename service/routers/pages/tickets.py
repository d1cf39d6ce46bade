"""Public pages: a participant's ticket, the self-registration form; and its settings page."""

import hashlib
import json
import re
from datetime import datetime
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from service.db import DB, AsideDB
from service.errors import DomainError, FieldError, NotFound
from service.models import Organization, Venue
from service.rendering.qr import qr_png, qr_svg
from service.routers import files
from service.routers.deps import PageTraining
from service.routers.files import png, private_headers
from service.routers.pages.assessments import remember_ticket
from service.routers.pages.forms import SubmittedForm, errors_by_field, render_form, submit
from service.routers.pages.rendering import TEMPLATES_DIR, redirect, render
from service.routers.urls import public_base
from service.services import housekeeping, self_registration, tickets
from service.services.assessments import for_ticket as assessment_tickets
from service.services.certificates import documents as certificate_documents
from service.services.certificates import revoke as certificate_revoke
from service.services.meetings.materials import ticket_materials
from service.services.people import record as people_record
from service.settings import get_settings

router = APIRouter(include_in_schema=False)
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# The ticket token is the page's only key: keep it out of referrers and search engines;
# the holder's browser may keep the page a minute (reopened from WhatsApp at the door).
TICKET_MAX_AGE = 60
PRIVATE = private_headers(TICKET_MAX_AGE)


STATIC = TEMPLATES_DIR.parent / "static"
SW_SOURCE = STATIC / "js" / "ticket" / "sw.js"
# What the ticket pages' service worker keeps besides the pages themselves.
SW_ASSETS = ("/static/js/assessment.js", "/static/js/ticket/register.js")


def _view(db: DB, token: str) -> tickets.TicketView:
    if not TOKEN.match(token):
        raise NotFound("This ticket does not exist. Check the link you received.")
    return tickets.ticket_view(db, token)


@lru_cache
def _service_worker() -> tuple[str, str]:
    """The worker's source with its cache version: a digest of the files it keeps, so a
    new release replaces the phone's copy."""
    digest = hashlib.sha256(SW_SOURCE.read_bytes())
    for url in SW_ASSETS:
        path = STATIC / url.removeprefix("/static/")
        digest.update(path.read_bytes() if path.exists() else b"")
    version = digest.hexdigest()[:12]
    source = (SW_SOURCE.read_text(encoding="utf-8")
              .replace('"__VERSION__"', json.dumps(version))
              .replace('["__ASSETS__"]', json.dumps(list(SW_ASSETS))))
    return source, version


# Before /t/{token}: "sw.js" is no ticket. Served from /t/, its scope covers every page
# of a ticket (the ticket, its tests, its evaluations).
@router.get("/t/sw.js")
def service_worker() -> Response:
    """The ticket pages' service worker (scope /t/): keeps the pages a phone opened."""
    source, version = _service_worker()
    return Response(source, media_type="text/javascript",
                    headers={"Cache-Control": "no-cache", "ETag": f'"{version}"'})


@router.get("/t/{token}")
def ticket_page(token: str, request: Request, db: DB, new: int = 0) -> Response:
    """The participant's ticket: who, which batch, where, the agenda, and the QR."""
    view = _view(db, token)
    qr = Markup(qr_svg(view.code)) if view.code else None  # noqa: S704 (generated SVG)
    response = render(request, "public/ticket.html",
                      {"t": view, "qr": qr, "just_registered": bool(new),
                       "certificate": certificate_revoke.valid_certificate(
                           db, view.registration.id or 0),
                       "tests": assessment_tickets.ticket_tests(db, view.registration),
                       "materials": ticket_materials(db, view.registration, view.training)})
    response.headers.update(PRIVATE)
    # So that the projector's QR of a pre-test or post-test finds this phone's ticket.
    remember_ticket(request, response, view.registration.training_id, token)
    return response


@router.get("/t/{token}/qr.png")
def ticket_qr(token: str, db: DB) -> Response:
    """The ticket's QR code as a PNG image."""
    view = _view(db, token)
    if view.code is None:
        raise NotFound("This ticket has no QR code: it is not confirmed.")
    return png(qr_png(view.code, box_size=10), max_age=TICKET_MAX_AGE)


# --- the holder's record of trainings ---------------------------------------------------

@router.get("/t/{token}/riwayat")
def ticket_record(token: str, request: Request, db: DB) -> Response:
    """The ticket holder's own trainings with this office: dates, days present, JPL and
    their valid certificates. Never a NIK, NIP or phone: the link travels by WhatsApp."""
    if not TOKEN.match(token):
        raise NotFound("This ticket does not exist. Check the link you received.")
    _reg, record = people_record.holder(db, token)
    org = db.get(Organization, record.person.organization_id)
    response = render(request, "people/riwayat.html", {
        "token": token, "name": record.person.name, "r": record,
        "organization": org.name if org else "",
        "top_year": max(record.jpl_by_year.values(), default=0)})
    response.headers.update(PRIVATE)
    return response


@router.get("/t/{token}/riwayat/{registration_id}/certificate.pdf")
def ticket_record_certificate(token: str, registration_id: int, request: Request,
                              db: DB) -> Response:
    """A valid certificate of one of the holder's own trainings (their other tickets'
    secrets stay out of this page's links)."""
    if not TOKEN.match(token):
        raise NotFound("This ticket does not exist. Check the link you received.")
    training, row = people_record.holder_certificate(db, token, registration_id,
                                                     public_base(request))
    return files.certificate_pdf(certificate_documents.saved_design(db, training), row,
                                 attachment=True)


# --- self-registration ------------------------------------------------------------------

def _public_context(db: DB, training: Any) -> dict[str, Any]:
    org = db.get(Organization, training.organization_id)
    venue = db.get(Venue, training.venue_id) if training.venue_id else None
    opens = training.registration_opens_at
    return {"info": self_registration.public_info(db, training),
            "opens": self_registration.local_time(training, opens) if opens else None,
            "organization": org.name if org else "", "venue": venue.name if venue else None,
            "stamp": self_registration.form_stamp(db)}


@router.get("/daftar/{code}")
def register_page(code: str, request: Request, db: DB) -> Response:
    """The public registration form of a training."""
    training = self_registration.training_for_code(db, code)
    return render(request, "public/register.html",
                  {**_public_context(db, training), "values": {}, "errors": {}})


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/daftar/{code}")
def register_submit(code: str, request: Request, form: SubmittedForm, db: DB,
                    aside: AsideDB) -> Response:
    """Register oneself; refused (4xx, nothing saved) for bots, duplicates, a closed window."""
    settings = get_settings()
    # Counted in its own transaction, so refused attempts count too.
    try:
        housekeeping.hit(aside, f"selfreg:{_client_address(request)}", settings.selfreg_limit,
                         settings.selfreg_window_seconds)
    finally:
        aside.commit()
    training = self_registration.training_for_code(db, code)
    data = form.values()
    stamp, honeypot = data.pop("stamp", ""), data.pop("website", "")
    raw_batch = data.pop("batch_id", "") or None

    def work() -> Any:
        self_registration.check_form(db, stamp, honeypot)
        return self_registration.self_register(db, training, data, _batch_id(raw_batch),
                                               public_base(request))

    def refused(exc: DomainError) -> Response:
        context = {**_public_context(db, training), "values": {**data, "batch_id": raw_batch},
                   "errors": errors_by_field(exc)}
        return render(request, "public/register.html", context, exc.status)

    return submit(db, work,
                  lambda registration: redirect(request,
                                                f"/t/{registration.ticket_token}?new=1"),
                  refused)


def _batch_id(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not raw.isdigit():
        raise FieldError("batch_id", "Choose a batch from the list.")
    return int(raw)


# --- the committee's settings for it ------------------------------------------------------

def _local(training: Any, value: datetime | None) -> str:
    return self_registration.local_time(training, value).strftime("%Y-%m-%dT%H:%M") \
        if value else ""


def _settings_page(request: Request, training: Any, values: dict[str, Any],
                   exc: DomainError | None = None) -> Response:
    url = f"{public_base(request)}/daftar/{training.public_code}" if training.public_code \
        else None
    return render_form(request, "trainings/self_registration.html", {
        "training": training, "values": values, "public_url": url,
        "qr": Markup(qr_svg(url)) if url else None}, exc)  # noqa: S704 (generated SVG)


@router.get("/trainings/{training_id}/self-registration")
def settings_page(request: Request, training: PageTraining) -> Response:
    return _settings_page(request, training, {
        "enabled": bool(training.public_code),
        "opens_at": _local(training, training.registration_opens_at),
        "closes_at": _local(training, training.registration_closes_at),
        "batch_choice": training.registration_batch_choice})


def _parse_local(name: str, value: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise FieldError(name, "Not a valid date and time.") from None


@router.post("/trainings/{training_id}/self-registration")
def save_settings(request: Request, training: PageTraining, form: SubmittedForm,
                  db: DB) -> Response:
    data = form.values()

    def work() -> None:
        self_registration.configure(db, training, self_registration.SelfRegistrationSettings(
            enabled=bool(data.get("enabled")),
            opens_at=_parse_local("opens_at", data.get("opens_at", "")),
            closes_at=_parse_local("closes_at", data.get("closes_at", "")),
            batch_choice=bool(data.get("batch_choice"))))

    return submit(db, work,
                  lambda _: redirect(request, f"/trainings/{training.id}/self-registration"),
                  lambda exc: _settings_page(request, training, data, exc))
