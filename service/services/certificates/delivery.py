"""Getting participants the link to their certificate: a wa.me link the committee opens
on its phone, or an email queued in the outbox (messaging/outbox.py; the worker sends
it, and the messages page shows it leave)."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from service.errors import NotFound
from service.models import Certificate, Participant, Registration, Training
from service.models.base import pk
from service.services.messaging import outbox
from service.services.ticket_delivery import certificate_url
from service.services.whatsapp import certificate_message, whatsapp_link


@dataclass(frozen=True)
class Recipient:
    certificate_id: int
    registration_id: int
    name: str
    phone: str | None
    email: str | None
    ticket_token: str


def recipients(db: Session, training: Training, certificate_id: int | None = None
               ) -> list[Recipient]:
    """Holders of a valid certificate of the training (or of one certificate)."""
    query = (select(Certificate, Registration, Participant)
             .join(Registration, col(Registration.id) == Certificate.registration_id)
             .join(Participant, col(Participant.id) == Registration.participant_id)
             .where(Certificate.training_id == pk(training),
                    col(Certificate.revoked_at).is_(None)))
    if certificate_id is not None:
        query = query.where(Certificate.id == certificate_id)
    return [Recipient(pk(c), pk(r), p.name, p.phone, p.email, r.ticket_token)
            for c, r, p in db.exec(query.order_by(col(Certificate.id)))]


def whatsapp_url(training: Training, person: Recipient, base_url: str) -> str | None:
    if not person.phone:
        return None
    text = certificate_message(person.name, training.title,
                               certificate_url(base_url, person.ticket_token))
    try:
        return whatsapp_link(person.phone, text)
    except ValueError:
        return None


def queue_emails(db: Session, training: Training, certificate_id: int | None,
                 base_url: str, user_id: int | None) -> outbox.QueueReport:
    """Queue the link's email to every holder of a valid certificate, or to one."""
    ids = None
    if certificate_id is not None:
        ids = [p.registration_id for p in recipients(db, training, certificate_id)]
        if not ids:
            raise NotFound("Certificate not found.", code="not_found")
    return outbox.queue(db, training, outbox.SendRequest("certificate", "email"), base_url,
                        user_id, registration_ids=ids)
