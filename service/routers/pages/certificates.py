"""Committee pages for certificates: the template editor with its live preview, the
eligibility review with the committee's own decisions, issuing with progress, downloads,
revoking and sending links; and the holder's own download behind the ticket link."""

import base64
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError, NotFound
from service.models import TIMEZONES, Training
from service.models.base import pk
from service.rendering.certificate_pdf import render_preview_png
from service.routers import files
from service.routers.deps import PagePlanner, PageTraining
from service.routers.pages.forms import Submitted, SubmittedForm, errors_by_field, parse, submit
from service.routers.pages.rendering import redirect, render
from service.routers.pages.tickets import TOKEN
from service.routers.urls import public_base
from service.schemas.certificates import DecisionIn, RevokeIn, SignatoryIn, TemplateUpdate
from service.services import registrations
from service.services import training_clock as clock
from service.services.certificates import delivery as delivery
from service.services.certificates import documents as documents
from service.services.certificates import eligibility as eligibility
from service.services.certificates import images as images
from service.services.certificates import issuing as issuing
from service.services.certificates import listing as listing
from service.services.certificates import numbering as numbering
from service.services.certificates import revoke as revoking
from service.services.certificates import template as templates
from service.services.certificates.template import Draft, Upload

router = APIRouter(include_in_schema=False)


# --- template editor --------------------------------------------------------------------

def _read_file(form: Submitted, name: str, limit: int) -> Upload | None:
    upload = form.file(name)
    if upload is None:
        return None
    # One byte past the limit: enough to refuse a large image without holding it all.
    data = upload.file.read(limit + 1)
    return Upload(upload.filename or "", data) if data else None


def _draft_from_form(form: Submitted, base: Draft) -> Draft:
    """The editor form as a draft of the template: text, rule, signatories and any
    uploaded images (validated; FieldError names the field)."""
    text = form.values()
    people: list[SignatoryIn] = []
    signatures: dict[int, bytes | None] = {}
    # The form names slots (Signatory 1 to 3); an empty slot is left out, so the place and
    # date go above the chosen slot's position among those kept (an empty one: the last).
    over_slot = text.get("place_date_signatory", "").strip()
    over: int | None = None
    for slot in range(templates.MAX_SIGNATORIES):
        name = text.get(f"sig_name_{slot}", "").strip()
        if not name:
            continue
        position = len(people)
        if over_slot == str(slot):
            over = position
        people.append(parse(SignatoryIn, {"name": name, "title": text.get(f"sig_title_{slot}", ""),
                                          "nip": text.get(f"sig_nip_{slot}", "")}))
        upload = _read_file(form, f"sig_file_{slot}", images.SIGNATURE_MAX_BYTES)
        if upload is not None:
            signatures[position] = upload.data
        elif text.get(f"sig_remove_{slot}"):
            signatures[position] = None
        elif slot != position:  # an emptied slot above: carry this one's image along
            signatures[position] = base.signatories[slot].signature \
                if slot < len(base.signatories) else None
    data = parse(TemplateUpdate, {
        **{k: text.get(k, "") for k in ("orientation", "title", "given_to", "wording",
                                         "place", "issue_date", "numbering_pattern", "rule")},
        "min_percent": text.get("min_percent") or 100,
        "show_qr": bool(text.get("show_qr")), "use_background": bool(text.get("use_background")),
        "show_category_batch": bool(text.get("show_category_batch")),
        "place_date_signatory": over,
        "signatories": [p.model_dump() for p in people]})
    background = _read_file(form, "background", images.MAX_BYTES)
    return templates.draft(base, data, background, signatures)


def _editor(request: Request, training: Training, d: Draft, values: dict[str, Any] | None,
            exc: DomainError | None = None, saved: bool = False) -> Response:
    on = d.issue_date or training.end_date
    try:
        example = numbering.format_number(numbering.validate_pattern(d.numbering_pattern), 1, on)
    except DomainError:
        example = ""
    slots = [d.signatories[n] if n < len(d.signatories) else None
             for n in range(templates.MAX_SIGNATORIES)]
    return render(request, "certificates/template.html", {
        "training": training, "d": d, "slots": slots, "example": example, "saved": saved,
        "errors": errors_by_field(exc) if exc else {}, "values": values or {},
        "max_mb": images.MAX_BYTES // (1024 * 1024),
        "max_mp": images.MAX_PIXELS // 1_000_000}, status_code=exc.status if exc else 200)


@router.get("/trainings/{training_id}/certificates/template")
def template_page(request: Request, training: PageTraining, db: DB, saved: int = 0) -> Response:
    """The certificate template editor with a live preview."""
    return _editor(request, training, templates.current(db, training), None, saved=bool(saved))


@router.post("/trainings/{training_id}/certificates/template")
def save_template(request: Request, training: PageTraining, user: PagePlanner,
                  form: SubmittedForm, db: DB) -> Response:
    base = templates.current(db, training)
    return submit(db, lambda: templates.save(db, training, user.id,
                                             _draft_from_form(form, base)),
                  lambda _: redirect(request,
                                     f"/trainings/{pk(training)}/certificates/template?saved=1"),
                  lambda exc: _editor(request, training, base, form.values(), exc))


@router.post("/trainings/{training_id}/certificates/template/preview")
def live_preview(request: Request, training: PageTraining, form: SubmittedForm,
                 db: DB) -> Response:
    """The preview image for the form as it is now (nothing is saved)."""

    def done(d: Draft) -> Response:
        sample = documents.sample_fields(db, training, d, public_base(request))
        png = render_preview_png(documents.design(db, training, d), sample)
        return render(request, "certificates/_preview.html",
                      {"src": "data:image/png;base64," + base64.b64encode(png).decode(),
                       "orientation": d.orientation, "example": sample.number})

    return submit(db, lambda: _draft_from_form(form, templates.current(db, training)), done,
                  lambda exc: render(request, "certificates/_preview.html",
                                     {"error": exc.text()}, status_code=exc.status))


@router.get("/trainings/{training_id}/certificates/template/preview.png")
def saved_preview(request: Request, training: PageTraining, db: DB) -> Response:
    d = templates.current(db, training)
    png = render_preview_png(documents.design(db, training, d),
                             documents.sample_fields(db, training, d, public_base(request)))
    return files.png(png)


# --- review, issue, revoke ------------------------------------------------------------

def _batch_id(raw: str | None) -> int | None:
    # isascii: "²" is a digit to str.isdigit, and not to int().
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


def _batch_param(db: DB, training: Training, raw: str | None) -> int | None:
    wanted = _batch_id(raw)
    return wanted if wanted is not None and wanted in eligibility.batch_plans(db, training) \
        else None


@router.get("/trainings/{training_id}/certificates")
def review_page(request: Request, training: PageTraining, db: DB) -> Response:
    """Who qualifies and why, the committee's decisions, issuing and the issued ones."""
    params = request.query_params
    filters = listing.Filters.of(params.get("q"), params.get("status"), params.get("page"))
    found = listing.listing(db, training, _batch_id(params.get("batch")), filters,
                            public_base(request))
    r = found.review
    return render(request, "certificates/review.html", {
        "training": training, "people": found.people, "rule": r.template,
        "deciders": r.deciders, "batches": r.batches, "batch_id": r.batch_id,
        "wa": r.whatsapp, "with_email": r.with_email, "has_template": r.saved,
        "counts": r.counts, "found": found, "statuses": listing.STATUSES,
        "page_query": lambda n: _back_query(r.batch_id, filters, n),
        "local": lambda moment: clock.local(training, moment),
        "tz": TIMEZONES.get(training.timezone, ""),
        "issued_now": params.get("issued"), "notice": params.get("notice")},
        block="review_list")


def _back_query(batch_id: int | None, filters: listing.Filters, page: int | None = None
                ) -> str:
    """The list's query string (batch, search, status, page), to come back to it."""
    query = {**({"batch": batch_id} if batch_id else {}), **filters.query(page)}
    return urlencode(query)


def _back_to_list(training: Training, form: Submitted) -> str:
    """Where a decision or a revocation returns: the list as it was (batch, search,
    status, page), so the committee need not find its place again among 421."""
    filters = listing.Filters.of(form.get("q"), form.get("status"), form.get("page"))
    query = _back_query(_batch_id(form.get("batch")), filters)
    return f"/trainings/{pk(training)}/certificates" + (f"?{query}" if query else "")


@router.post("/trainings/{training_id}/certificates/issue")
def issue_chunk(request: Request, training: PageTraining, user: PagePlanner, db: DB,
                done: int = 0, total: int = 0, batch: int | None = None) -> Response:
    """Issue the next chunk; the fragment asks for the next one until none is left.
    Each chunk is its own request and transaction, so any app process can serve it."""
    # Without JavaScript (a plain form post) everything is issued in this one request.
    chunk = issuing.CHUNK if request.headers.get("hx-request") else None
    result = issuing.issue(db, training, user.id, batch, chunk, public_base(request))
    done += result.issued
    total = total or result.issued + result.remaining
    if result.remaining == 0:
        suffix = f"&batch={batch}" if batch else ""
        return redirect(request, f"/trainings/{pk(training)}/certificates?issued={done}{suffix}")
    return render(request, "certificates/_progress.html", {
        "training": training, "done": done, "total": total, "batch": batch,
        "percent": round(100 * done / total) if total else 100})


@router.post("/trainings/{training_id}/certificates/decisions/{registration_id}")
def decide(request: Request, training: PageTraining, registration_id: int,
           user: PagePlanner, form: SubmittedForm, db: DB) -> Response:
    reg, owner = registrations.get_registration(db, user.organization_id, registration_id)
    if pk(owner) != pk(training):
        raise NotFound("Registration not found.")
    data = parse(DecisionIn, {k: form.form.get(k) for k in ("decision", "reason")})
    issuing.decide(db, training, reg, user.id, data.decision, data.reason)
    return redirect(request, f"{_back_to_list(training, form)}#reg-{registration_id}")


@router.post("/certificates/{certificate_id}/revoke")
def revoke(request: Request, certificate_id: int, user: PagePlanner, form: SubmittedForm,
           db: DB) -> Response:
    cert = revoking.get_certificate(db, user.organization_id, certificate_id)
    data = parse(RevokeIn, {"reason": form.form.get("reason")})
    revoking.revoke(db, cert, user.id, data.reason)
    filters = listing.Filters.of(form.get("q"), form.get("status"), form.get("page"))
    query = _back_query(_batch_id(form.get("batch")), filters)
    return redirect(request, f"/trainings/{cert.training_id}/certificates?notice=revoked"
                             f"{'&' + query if query else ''}#reg-{cert.registration_id}")


@router.post("/trainings/{training_id}/certificates/email")
def email_links(request: Request, training: PageTraining, db: DB, user: PagePlanner,
                certificate_id: int | None = Query(None, ge=1, le=2**62)) -> Response:
    """Queue the certificate link's email to every holder, or to one (certificate_id)."""
    report = delivery.queue_emails(db, training, certificate_id, public_base(request),
                                   user.id)
    return render(request, "certificates/_email_result.html", {"report": report,
                                                                "training": training})


# --- downloads --------------------------------------------------------------------------

@router.get("/trainings/{training_id}/certificates.pdf")
def merged(request: Request, training: PageTraining, db: DB) -> Response:
    batch = _batch_param(db, training, request.query_params.get("batch"))
    rows = documents.issued(db, training, public_base(request), batch)
    if not rows:
        raise NotFound("No certificate has been issued yet.", code="no_certificate")
    return files.certificates_pdf(documents.saved_design(db, training), rows,
                                  f"sertifikat-{pk(training)}.pdf")


@router.get("/trainings/{training_id}/certificates.zip")
def zipped(request: Request, training: PageTraining, db: DB) -> Response:
    batch = _batch_param(db, training, request.query_params.get("batch"))
    rows = documents.issued(db, training, public_base(request), batch)
    if not rows:
        raise NotFound("No certificate has been issued yet.", code="no_certificate")
    return files.certificates_zip(documents.saved_design(db, training), rows,
                                  f"sertifikat-{pk(training)}.zip")


@router.get("/registrations/{registration_id}/certificate.pdf")
def one(request: Request, registration_id: int, user: PagePlanner, db: DB) -> Response:
    _reg, training = registrations.get_registration(db, user.organization_id, registration_id)
    rows = documents.issued(db, training, public_base(request),
                            registration_id=registration_id, include_revoked=True)
    if not rows:
        raise NotFound("No certificate has been issued to this person.", code="no_certificate")
    return files.certificate_pdf(documents.saved_design(db, training), rows[0])


@router.get("/t/{token}/certificate.pdf")
def holder_certificate(token: str, request: Request, db: DB) -> Response:
    """The ticket holder's own certificate, once issued (and not revoked)."""
    if not TOKEN.match(token):
        raise NotFound("This ticket does not exist. Check the link you received.")
    training, row = documents.holder_row(db, token, public_base(request))
    return files.certificate_pdf(documents.saved_design(db, training), row, attachment=True)
