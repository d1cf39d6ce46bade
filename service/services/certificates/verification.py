"""The public verification page's data: whether a code is a valid certificate, and the
little it may tell anyone holding the paper (no NIK, phone, email or revoke reason: the
reason can be personal, the date is enough to refuse the paper)."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from service.errors import NotFound
from service.i18n import N_
from service.models import (
    AgendaSession,
    Batch,
    Certificate,
    CertificateTemplate,
    Organization,
    Registration,
    Training,
)
from service.services import training_clock as clock
from service.services.erasure import requests as erasure_requests

CODE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class UnknownCertificate(NotFound):
    code, message = "unknown_certificate", N_(
        "No certificate has this verification code. Check that the address was copied "
        "completely, or scan the QR code on the certificate again.")


@dataclass(frozen=True)
class Verification:
    valid: bool
    name: str
    number: str
    training: str
    organizer: str
    batch: str
    start_date: date
    end_date: date
    jpl: int
    issued_on: date  # the date printed on the certificate
    revoked_at: datetime | None
    revoked_on: date | None  # in the training's time zone
    # The holder's data was erased at their request (UU PDP): the certificate was issued,
    # the page names no one.
    erased: bool = False
    erased_on_request: bool = False  # else by the organizer's retention setting


def verify(db: Session, code: str) -> Verification:
    if not CODE.match(code):
        raise UnknownCertificate()
    row = db.exec(select(Certificate, Registration, Training, Organization)
                  .join(Registration, col(Registration.id) == Certificate.registration_id)
                  .join(Training, col(Training.id) == Certificate.training_id)
                  .join(Organization, col(Organization.id) == Certificate.organization_id)
                  .where(Certificate.verification_code == code)).first()
    if row is None:
        raise UnknownCertificate()
    cert, reg, training, org = row
    batch = db.get(Batch, reg.batch_id) if reg.batch_id else None
    jpl = sum(s.counted_jpl for s in db.exec(
        select(AgendaSession).where(AgendaSession.batch_id == batch.id))) if batch else 0
    erasure = erasure_requests.erased_request(db, reg.participant_id)
    return Verification(
        valid=cert.revoked_at is None, name="" if erasure else cert.name,
        erased=erasure is not None,
        erased_on_request=erasure is not None and erasure.source == "request",
        number=cert.number,
        training=training.title, organizer=org.name, batch=batch.name if batch else "",
        start_date=batch.start_date if batch else training.start_date,
        end_date=batch.end_date if batch else training.end_date, jpl=jpl,
        issued_on=_printed_date(db, training), revoked_at=cert.revoked_at,
        revoked_on=clock.local(training, cert.revoked_at).date() if cert.revoked_at else None)


def _printed_date(db: Session, training: Training) -> date:
    template = db.exec(select(CertificateTemplate)
                       .where(CertificateTemplate.training_id == training.id)).first()
    return (template.issue_date if template else None) or training.end_date
