"""Certificates: the training's template, the eligibility review, issuing, downloads,
revoking and sending the link (see shared/api-contract.md)."""

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response

from service.db import DB
from service.errors import NotFound
from service.models import Training
from service.models.base import pk
from service.rendering.certificate_pdf import render_preview_png
from service.routers import files
from service.routers.deps import ApiPlanner, ApiTraining
from service.routers.urls import public_base
from service.schemas.certificates import (
    CertificateList,
    CertificateRead,
    DecisionIn,
    DecisionRead,
    EligibilityList,
    EligibilityRead,
    IssueResult,
    LinkReport,
    RevokeIn,
    SignatoryRead,
    TemplateRead,
    TemplateUpdate,
)
from service.services import registrations
from service.services.certificates import delivery as delivery
from service.services.certificates import documents as documents
from service.services.certificates import eligibility as eligibility
from service.services.certificates import images as images
from service.services.certificates import issuing as issuing
from service.services.certificates import numbering as numbering
from service.services.certificates import revoke as revoking
from service.services.certificates import template as templates
from service.services.certificates.template import Draft, Upload

router = APIRouter(prefix="/api", tags=["certificates"])


def template_read(training: Training, d: Draft) -> TemplateRead:
    on = d.issue_date or training.end_date
    return TemplateRead(
        training_id=pk(training), orientation=d.orientation, title=d.title,
        given_to=d.given_to, wording=d.wording, place=d.place, issue_date=d.issue_date,
        numbering_pattern=d.numbering_pattern, rule=d.rule, min_percent=d.min_percent,
        show_qr=d.show_qr, show_category_batch=d.show_category_batch,
        place_date_signatory=d.place_date_signatory, has_background=d.background is not None,
        background_name=d.background_name,
        signatories=[SignatoryRead(position=n, name=s.name, title=s.title, nip=s.nip,
                                   has_signature=s.signature is not None)
                     for n, s in enumerate(d.signatories)],
        example_number=numbering.format_number(d.numbering_pattern, 1, on))


def read_upload(file: UploadFile, limit: int = images.MAX_BYTES) -> Upload:
    # One byte more than allowed is enough to know it is too large.
    return Upload(file.filename or "", file.file.read(limit + 1))


@router.get("/trainings/{training_id}/certificate-template")
def get_template(training: ApiTraining, db: DB) -> TemplateRead:
    """The training's certificate template (the defaults until one is saved)."""
    return template_read(training, templates.current(db, training))


@router.put("/trainings/{training_id}/certificate-template")
def put_template(training: ApiTraining, data: TemplateUpdate, user: ApiPlanner,
                 db: DB) -> TemplateRead:
    """Save the template's text settings, numbering pattern and eligibility rule
    (422 invalid_pattern for an unknown placeholder); use_background=false drops the
    uploaded background."""
    new = templates.draft(templates.current(db, training), data)
    templates.save(db, training, user.id, new)
    return template_read(training, new)


@router.put("/trainings/{training_id}/certificate-template/background")
def put_background(training: ApiTraining, user: ApiPlanner, db: DB,
                   file: Annotated[UploadFile, File()]) -> TemplateRead:
    """Upload the background: PNG or JPEG, at most 10 MB and 25 megapixels
    (422 invalid_image / image_too_large, and nothing changes)."""
    templates.set_background(db, training, user.id, read_upload(file))
    return template_read(training, templates.current(db, training))


@router.delete("/trainings/{training_id}/certificate-template/background")
def delete_background(training: ApiTraining, user: ApiPlanner, db: DB) -> TemplateRead:
    """Back to the built-in design."""
    templates.set_background(db, training, user.id, None)
    return template_read(training, templates.current(db, training))


@router.put("/trainings/{training_id}/certificate-template/signatories/{position}/signature")
def put_signature(training: ApiTraining, position: int, user: ApiPlanner, db: DB,
                  file: Annotated[UploadFile, File()]) -> TemplateRead:
    """Upload a signatory's signature image (PNG or JPEG, at most 2 MB)."""
    upload = read_upload(file, images.SIGNATURE_MAX_BYTES)
    templates.set_signature(db, training, user.id, position, upload.data)
    return template_read(training, templates.current(db, training))


@router.get("/trainings/{training_id}/certificate-template/preview.png")
def preview(training: ApiTraining, db: DB, request: Request) -> Response:
    """A PNG of the saved template with a sample participant."""
    d = templates.current(db, training)
    png = render_preview_png(documents.design(db, training, d),
                             documents.sample_fields(db, training, d, public_base(request)))
    return files.png(png)


# --- eligibility and issuing ---------------------------------------------------------

def _decision(p: eligibility.Person, deciders: dict[int, str]) -> DecisionRead | None:
    d = p.decision
    if d is None:
        return None
    return DecisionRead(decision=d.decision, reason=d.reason,
                        by=deciders.get(d.user_id) if d.user_id else None, at=d.created_at)


@router.get("/trainings/{training_id}/certificates/eligibility")
def get_eligibility(training: ApiTraining, db: DB, batch: int | None = None
                    ) -> EligibilityList:
    """Who qualifies for a certificate and who does not, with why."""
    r = eligibility.review_summary(db, training, batch)
    items = [EligibilityRead(
        registration_id=pk(p.registration), name=p.participant.name, batch_id=pk(p.batch),
        batch=p.batch.name, category=p.category, days_present=len(p.days_present),
        days_total=p.day_count, jpl_attended=p.jpl_attended, jpl_total=p.jpl_total,
        meets_rule=p.meets_rule, eligible=p.eligible, why=p.why,
        decision=_decision(p, r.deciders),
        certificate_id=p.certificate.id if p.certificate else None,
        number=p.certificate.number if p.certificate else None) for p in r.people]
    # "issued" here counts every certificate row, revoked ones included.
    return EligibilityList(rule=r.template.rule, min_percent=r.template.min_percent,
                           eligible=r.counts.eligible, not_eligible=r.counts.not_eligible,
                           issued=r.counts.issued + r.counts.revoked, items=items)


@router.put("/registrations/{registration_id}/certificate-decision")
def put_decision(registration_id: int, data: DecisionIn, user: ApiPlanner,
                 db: DB) -> DecisionRead:
    """Include or exclude someone by hand (or "auto": back to the rule), with a reason
    that is kept with who decided and when."""
    reg, training = registrations.get_registration(db, user.organization_id, registration_id)
    row = issuing.decide(db, training, reg, user.id, data.decision, data.reason)
    return DecisionRead(decision=row.decision, reason=row.reason, by=user.name,
                        at=row.created_at)


@router.post("/trainings/{training_id}/certificates")
def issue(training: ApiTraining, user: ApiPlanner, db: DB, request: Request,
          batch: int | None = None, limit: int | None = None) -> IssueResult:
    """Issue a numbered certificate to every eligible registration; those who already
    have one are skipped, never renumbered."""
    r = issuing.issue(db, training, user.id, batch, limit if limit and limit > 0 else None,
                      public_base(request))
    return IssueResult(issued=r.issued, skipped=r.skipped, not_eligible=r.not_eligible,
                       remaining=r.remaining)


@router.get("/trainings/{training_id}/certificates")
def list_certificates(training: ApiTraining, db: DB, request: Request,
                      batch: int | None = None) -> CertificateList:
    """Issued certificates (revoked ones too, marked)."""
    rows = documents.issued(db, training, public_base(request), batch, include_revoked=True)
    items = [CertificateRead(
        id=r.certificate_id, registration_id=r.registration_id, name=r.fields.name,
        number=r.fields.number, verification_url=r.fields.verify_url,
        issued_at=r.issued_at, revoked_at=r.revoked_at, revoke_reason=r.revoke_reason,
        batch_id=r.batch_id,
        download_url=f"/api/registrations/{r.registration_id}/certificate.pdf")
        for r in rows]
    return CertificateList(items=items)


@router.get("/registrations/{registration_id}/certificate.pdf")
def registration_certificate(registration_id: int, user: ApiPlanner, db: DB,
                             request: Request) -> Response:
    """One person's certificate (revoked ones too: the committee may need the copy)."""
    _reg, training = registrations.get_registration(db, user.organization_id, registration_id)
    rows = documents.issued(db, training, public_base(request),
                            registration_id=registration_id, include_revoked=True)
    if not rows:
        raise NotFound("No certificate has been issued to this person.",
                       code="no_certificate")
    return files.certificate_pdf(documents.saved_design(db, training), rows[0])


def _batch_rows(db: DB, training: Training, request: Request,
                batch: int | None) -> list[documents.IssuedRow]:
    rows = documents.issued(db, training, public_base(request), batch)
    if not rows:
        raise NotFound("No certificate has been issued yet.", code="no_certificate")
    return rows


@router.get("/trainings/{training_id}/certificates.pdf")
def merged(training: ApiTraining, user: ApiPlanner, db: DB, request: Request,
           batch: int | None = None) -> Response:
    """Every valid certificate of the training (or of `batch`) in one PDF, for printing."""
    rows = _batch_rows(db, training, request, batch)
    name = f"sertifikat-{pk(training)}" + (f"-angkatan-{batch}" if batch else "") + ".pdf"
    return files.certificates_pdf(documents.saved_design(db, training), rows, name)


@router.get("/trainings/{training_id}/certificates.zip")
def zipped(training: ApiTraining, user: ApiPlanner, db: DB, request: Request,
           batch: int | None = None) -> Response:
    """Every valid certificate as separate PDF files in one ZIP."""
    rows = _batch_rows(db, training, request, batch)
    name = f"sertifikat-{pk(training)}" + (f"-angkatan-{batch}" if batch else "") + ".zip"
    return files.certificates_zip(documents.saved_design(db, training), rows, name)


@router.post("/certificates/{certificate_id}/revoke")
def revoke(certificate_id: int, data: RevokeIn, user: ApiPlanner, db: DB) -> dict[str, object]:
    """Revoke with a reason (kept for the committee; the public page shows only the date)."""
    cert = revoking.get_certificate(db, user.organization_id, certificate_id)
    revoking.revoke(db, cert, user.id, data.reason)
    return {"id": cert.id, "number": cert.number, "revoked_at": cert.revoked_at,
            "revoke_reason": cert.revoke_reason}


@router.post("/trainings/{training_id}/certificates/email", status_code=202)
def email_links(training: ApiTraining, db: DB, request: Request, user: ApiPlanner,
                certificate_id: int | None = Query(None, ge=1, le=2**62)) -> LinkReport:
    """Queue the download link's email to every holder of a valid certificate (or one);
    the worker sends them."""
    report = delivery.queue_emails(db, training, certificate_id, public_base(request),
                                   user.id)
    return LinkReport(queued=report.queued, without_email=report.without_address["email"],
                      opted_out=report.opted_out)
