"""Revoking a certificate: it stays in the books (its number is never reused), and its
verification page says revoked from then on."""

from sqlmodel import Session, select

from service.errors import Conflict, NotFound
from service.i18n import N_
from service.models import Certificate
from service.models.base import utcnow


class AlreadyRevoked(Conflict):
    code, message = "already_revoked", N_("This certificate was already revoked.")


def get_certificate(db: Session, organization_id: int, certificate_id: int) -> Certificate:
    cert = db.get(Certificate, certificate_id)
    if cert is None or cert.organization_id != organization_id:
        raise NotFound("Certificate not found.")
    return cert


def for_registration(db: Session, registration_id: int) -> Certificate | None:
    return db.exec(select(Certificate)
                   .where(Certificate.registration_id == registration_id)).first()


def valid_certificate(db: Session, registration_id: int) -> Certificate | None:
    """The registration's certificate unless revoked (what its holder may download)."""
    cert = for_registration(db, registration_id)
    return cert if cert is not None and cert.revoked_at is None else None


def revoke(db: Session, cert: Certificate, user_id: int | None, reason: str) -> Certificate:
    if cert.revoked_at is not None:
        raise AlreadyRevoked()
    cert.revoked_at = utcnow()
    cert.revoked_by = user_id
    cert.revoke_reason = reason.strip()
    db.add(cert)
    db.flush()
    return cert
