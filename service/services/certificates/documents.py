"""What the renderer draws, built from stored data: the design (the same on every
certificate of a training) and each person's fields. PDFs are never stored; the number
and verification code fixed at issue time make every rendering the same document."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from service.errors import NotFound
from service.i18n import use_locale
from service.i18n.formats import fmt_date, fmt_range
from service.i18n.names import sort_key
from service.models import (
    Batch,
    Certificate,
    Organization,
    Registration,
    Training,
    TrainingCategory,
)
from service.models.base import pk
from service.rendering.certificate_pdf import CertificateDesign, CertificateFields, Signatory
from service.services.assessments import passing
from service.services.certificates import eligibility as eligibility
from service.services.certificates import numbering as numbering
from service.services.certificates import template as templates
from service.services.certificates.template import Draft

SAMPLE_NAME = "Hj. Nur Aisyah Binti Muhammad Syafii, S.Pd., M.Pd."


def verify_url(base_url: str, code: str) -> str:
    return f"{base_url}/v/{code}"


def design(db: Session, training: Training, d: Draft) -> CertificateDesign:
    org = db.get(Organization, training.organization_id)
    issued_on = d.issue_date or training.end_date
    with use_locale("id"):  # the paper speaks Indonesian whatever the committee's UI
        when = fmt_date(issued_on)
    place_and_date = f"{d.place}, {when}" if d.place else when
    return CertificateDesign(
        orientation="portrait" if d.orientation == "portrait" else "landscape",
        background=d.background, title=d.title, given_to=d.given_to, wording=d.wording,
        training_title=training.title, organizer=org.name if org else "",
        place_and_date=place_and_date,
        signatories=tuple(Signatory(s.name, s.title, s.nip, s.signature)
                          for s in d.signatories),
        logo=org.logo_png if org else None, show_qr=d.show_qr,
        show_category_batch=d.show_category_batch, place_date_signatory=d.place_date_signatory,
        # A post-test pass rule words each certificate by its holder's result (issue 15).
        wording_per_person=passing.passed_registrations(db, training) is not None)


def _dates(batch: Batch) -> str:
    with use_locale("id"):
        return fmt_range(batch.start_date, batch.end_date)


def saved_design(db: Session, training: Training) -> CertificateDesign:
    """The design of the training's saved template (what downloads print)."""
    return design(db, training, templates.current(db, training))


def sample_fields(db: Session, training: Training, d: Draft, base_url: str) -> CertificateFields:
    """A made-up participant with a long name, for the editor's preview."""
    plans = eligibility.batch_plans(db, training)
    plan = next(iter(plans.values()), None)
    on = d.issue_date or training.end_date
    return CertificateFields(
        name=SAMPLE_NAME, number=numbering.format_number(d.numbering_pattern, 1, on),
        category="Kader BKB", batch=plan.batch.name if plan else "Angkatan I",
        dates=_dates(plan.batch) if plan else "",
        jpl=f"{plan.total_jpl} JPL" if plan else "",
        verify_url=verify_url(base_url, "contoh-kode-verifikasi"),
        wording=passing.wording_for(passing.passed_registrations(db, training), 0) or "")


@dataclass(frozen=True)
class IssuedRow:
    certificate_id: int
    registration_id: int
    ticket_token: str
    batch_id: int | None
    issued_at: datetime
    revoked_at: datetime | None
    revoke_reason: str | None
    fields: CertificateFields

    @property
    def filename(self) -> str:
        safe = re.sub(r"[^A-Za-z0-9]+", "-", f"{self.fields.number} {self.fields.name}")
        return f"sertifikat-{safe.strip('-')[:120]}.pdf"


def issued(db: Session, training: Training, base_url: str, batch_id: int | None = None,
           registration_id: int | None = None, include_revoked: bool = False
           ) -> list[IssuedRow]:
    """Issued certificates with everything to draw them, by batch then name (front titles
    left out, as the review lists and issuing numbers them)."""
    plans = eligibility.batch_plans(db, training)
    eligibility.check_batch(plans, batch_id)
    query = (select(Certificate, Registration, TrainingCategory)
             .join(Registration, col(Registration.id) == Certificate.registration_id)
             .outerjoin(TrainingCategory,
                        col(TrainingCategory.id) == Registration.category_id)
             .where(Certificate.training_id == pk(training)))
    if batch_id is not None:
        query = query.where(Registration.batch_id == batch_id)
    if registration_id is not None:
        query = query.where(Certificate.registration_id == registration_id)
    if not include_revoked:
        query = query.where(col(Certificate.revoked_at).is_(None))
    rows = []
    passed = passing.passed_registrations(db, training)
    for cert, reg, category in db.exec(query.order_by(col(Certificate.id))):
        plan = plans.get(reg.batch_id or 0)
        rows.append(IssuedRow(
            certificate_id=pk(cert), registration_id=pk(reg), ticket_token=reg.ticket_token,
            batch_id=reg.batch_id, issued_at=cert.issued_at, revoked_at=cert.revoked_at,
            revoke_reason=cert.revoke_reason,
            fields=CertificateFields(
                name=cert.name, number=cert.number,
                category=category.name if category else "",
                batch=plan.batch.name if plan else "",
                dates=_dates(plan.batch) if plan else "",
                jpl=f"{plan.total_jpl} JPL" if plan else "",
                verify_url=verify_url(base_url, cert.verification_code),
                wording=passing.wording_for(passed, pk(reg)) or "")))
    order = {bid: n for n, bid in enumerate(plans)}
    rows.sort(key=lambda r: (order.get(r.batch_id or 0, 0), sort_key(r.fields.name),
                             r.certificate_id))
    return rows


def people(rows: list[IssuedRow]) -> Iterator[CertificateFields]:
    return (r.fields for r in rows)


def named(rows: list[IssuedRow]) -> Iterator[tuple[str, CertificateFields]]:
    seen: set[str] = set()
    for r in rows:
        name = r.filename
        if name in seen:  # two people with one number cannot happen; one name can
            name = name[:-4] + f"-{r.certificate_id}.pdf"
        seen.add(name)
        yield name, r.fields


def holder_row(db: Session, token: str, base_url: str) -> tuple[Training, IssuedRow]:
    """The certificate of the ticket with this token, if issued and not revoked."""
    reg = db.exec(select(Registration).where(Registration.ticket_token == token)).first()
    if reg is None:
        raise NotFound("This ticket does not exist. Check the link you received.")
    training = db.get(Training, reg.training_id)
    assert training is not None  # a registration's training is a foreign key
    rows = issued(db, training, base_url, registration_id=pk(reg))
    if not rows:
        raise NotFound("No certificate has been issued to you yet.", code="no_certificate")
    return training, rows[0]
