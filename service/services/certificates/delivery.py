"""Sending participants the link to their certificate, by WhatsApp (a wa.me link the
committee opens on its phone) or by email, reusing the ticket delivery's pieces."""

import html
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from service.errors import Conflict
from service.models import Certificate, Organization, Participant, Registration, Training
from service.models.base import pk, utcnow
from service.services import mailer
from service.services.ticket_delivery import EmailReport
from service.services.whatsapp import whatsapp_link
from service.settings import get_settings


@dataclass(frozen=True)
class Recipient:
    certificate_id: int
    registration_id: int
    name: str
    phone: str | None
    email: str | None
    ticket_token: str


def certificate_url(base_url: str, ticket_token: str) -> str:
    # Behind the ticket's secret: only its holder (and the committee) can download it.
    return f"{base_url}/t/{ticket_token}/certificate.pdf"


def certificate_message(name: str, training_title: str, url: str) -> str:
    """Always in Indonesian: it goes to the participant, whatever the committee's UI."""
    return (f"Yth. Bapak/Ibu {name},\n"
            f"Terima kasih telah mengikuti {training_title}. Sertifikat Anda dapat "
            f"diunduh di:\n{url}\n"
            "Sertifikat memuat kode QR untuk memeriksa keasliannya. Terima kasih.")


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


def _email(training: Training, organizer: str, person: Recipient, base_url: str
           ) -> mailer.TicketEmail:
    url = certificate_url(base_url, person.ticket_token)
    e = html.escape  # names and titles are typed in by people
    return mailer.TicketEmail(
        to=person.email or "", name=person.name,
        subject=f"Sertifikat {training.title}",
        text=certificate_message(person.name, training.title, url)
        + f"\n\nHormat kami,\nPanitia {organizer}\n",
        html=("<!DOCTYPE html><html lang=\"id\"><body>"
              f"<p>Yth. Bapak/Ibu {e(person.name)},</p>"
              f"<p>Terima kasih telah mengikuti <strong>{e(training.title)}</strong>.</p>"
              f"<p><a href=\"{e(url)}\">Unduh sertifikat Anda (PDF)</a><br>{e(url)}</p>"
              "<p>Sertifikat memuat kode QR untuk memeriksa keasliannya.</p>"
              f"<p>Hormat kami,<br>Panitia {e(organizer)}</p></body></html>"))


def email_links(db: Session, training: Training, people: list[Recipient], base_url: str
                ) -> EmailReport:
    """Email each holder their certificate link over one SMTP connection."""
    config = mailer.SmtpConfig.from_settings(get_settings())
    if not config.enabled:
        raise Conflict("Email is not set up: no SMTP server is configured.",
                       code="mail_not_configured")
    org = db.get(Organization, training.organization_id)
    with_email = [p for p in people if p.email]
    emails = [_email(training, org.name if org else "", p, base_url) for p in with_email]
    report = mailer.send_emails(config, emails)
    sent = set(report.sent)
    sent_ids = [p.certificate_id for p in with_email if p.email in sent]
    if sent_ids:
        db.execute(update(Certificate).where(col(Certificate.id).in_(sent_ids))
                   .values(link_sent_at=utcnow()).execution_options(synchronize_session=False))
    return EmailReport(sent=len(report.sent), failed=report.failed,
                       without_email=len(people) - len(with_email))
