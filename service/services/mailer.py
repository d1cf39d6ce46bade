"""Ticket email over plain SMTP (smtplib), many messages over one connection.

Sending is synchronous and can take a while for a whole training; callers run it
outside a request (or for a handful of people) and show the SendReport.
"""

import email.errors
import html
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from service.errors import DomainError
from service.i18n import N_
from service.settings import Settings


class MailUnavailable(DomainError):
    code, status = "mail_unavailable", 503
    message = N_("The mail server cannot be reached ({server}). "
                 "Check the SMTP settings or try again later.")


@dataclass
class SmtpConfig:
    host: str
    port: int = 25
    username: str = ""
    password: str = ""
    starttls: bool = False
    ssl: bool = False
    sender: str = "Bimtek <bimtek@localhost>"
    timeout: float = 20.0

    @property
    def enabled(self) -> bool:
        return bool(self.host.strip())

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"

    @classmethod
    def from_settings(cls, settings: Settings) -> "SmtpConfig":
        return cls(host=settings.smtp_host, port=settings.smtp_port,
                   username=settings.smtp_username, password=settings.smtp_password,
                   starttls=settings.smtp_starttls, ssl=settings.smtp_ssl,
                   sender=settings.mail_from, timeout=settings.smtp_timeout)


@dataclass
class TicketEmail:
    to: str
    name: str
    subject: str
    text: str
    html: str


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # address -> reason


# --- composing --------------------------------------------------------------------


def ticket_email(name: str, training_title: str, organization: str, batch_name: str,
                 dates_text: str, venue: str | None, ticket_url: str, to: str) -> TicketEmail:
    """The ticket email, in Indonesian whatever the committee's UI language."""
    details = [("Angkatan", batch_name), ("Tanggal", dates_text), ("Tempat", venue or "")]
    details = [(k, v) for k, v in details if v]
    return TicketEmail(
        to=to, name=name,
        subject=one_line(f"Tiket {training_title} – {batch_name}" if batch_name
                          else f"Tiket {training_title}"),
        text=_ticket_text(name, training_title, organization, details, ticket_url),
        html=_ticket_html(name, training_title, organization, details, ticket_url))


def _ticket_text(name: str, title: str, org: str, details: list[tuple[str, str]],
                 url: str) -> str:
    lines = [f"Yth. Bapak/Ibu {name},", "",
             f"Anda terdaftar sebagai peserta {title}"
             + (f" yang diselenggarakan oleh {org}." if org else "."), ""]
    lines += [f"{k}: {v}" for k, v in details]
    lines += ["", "Tiket Anda, dengan kode QR:", url, "",
              "Tunjukkan kode QR pada tiket di meja registrasi setiap hari kegiatan.",
              "Tiket ini khusus untuk Anda; mohon tidak dibagikan.", "",
              "Hormat kami,", f"Panitia {org}".strip()]
    return "\n".join(lines) + "\n"


def _ticket_html(name: str, title: str, org: str, details: list[tuple[str, str]],
                 url: str) -> str:
    e = html.escape  # every value: names and titles are typed in by people
    rows = "".join(f"<tr><th align=\"left\">{e(k)}</th><td>{e(v)}</td></tr>"
                   for k, v in details)
    by = f" yang diselenggarakan oleh {e(org)}" if org else ""
    return (
        "<!DOCTYPE html><html lang=\"id\"><body>"
        f"<p>Yth. Bapak/Ibu {e(name)},</p>"
        f"<p>Anda terdaftar sebagai peserta <strong>{e(title)}</strong>{by}.</p>"
        f"<table>{rows}</table>"
        f"<p><a href=\"{e(url)}\">Buka tiket Anda (kode QR)</a><br>{e(url)}</p>"
        "<p>Tunjukkan kode QR pada tiket di meja registrasi setiap hari kegiatan. "
        "Tiket ini khusus untuk Anda; mohon tidak dibagikan.</p>"
        f"<p>Hormat kami,<br>Panitia {e(org)}</p>"
        "</body></html>")


def one_line(text: str) -> str:
    # A CR or LF in a header would let a typed-in name inject headers; email refuses
    # them anyway, so fold them into spaces rather than fail the whole message.
    return " ".join(text.split())


def build_message(config: SmtpConfig, mail: TicketEmail) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = one_line(mail.subject)
    msg["From"] = config.sender
    msg["To"] = _recipient(mail)
    msg["Date"] = formatdate(localtime=True)
    # make_msgid() would otherwise look up this host's FQDN, which can stall on DNS.
    msg["Message-ID"] = make_msgid(domain=domain(config.sender))
    # Quoted-printable keeps the body 7-bit: names like Çelik then survive relays that
    # do not announce 8BITMIME, and long lines are wrapped without changing the text.
    msg.set_content(mail.text, cte="quoted-printable")
    msg.add_alternative(mail.html, subtype="html", cte="quoted-printable")
    return msg


def _recipient(mail: TicketEmail) -> Address:
    """The To address with the display name quoted and encoded by the email package."""
    to = mail.to.strip()
    if to.count("@") != 1 or any(ch.isspace() for ch in to):
        raise ValueError("not a valid email address")
    try:
        return Address(display_name=one_line(mail.name), addr_spec=to)
    except (ValueError, IndexError, email.errors.MessageError):
        raise ValueError("not a valid email address") from None


def domain(sender: str) -> str:
    _name, addr = parseaddr(sender)
    return addr.rpartition("@")[2] or "bimtek.localhost"


# --- sending ----------------------------------------------------------------------


def send_emails(config: SmtpConfig, emails: Sequence[TicketEmail]) -> SendReport:
    """Send over one connection; a refused recipient is reported, the rest still go.

    Raises MailUnavailable when no connection (or login) to the server is possible.
    """
    report = SendReport()
    if not emails:
        return report
    with connect(config) as smtp:
        for i, mail in enumerate(emails):
            try:
                smtp.send_message(build_message(config, mail))
            except smtplib.SMTPServerDisconnected as exc:
                _fail_rest(report, emails[i:], exc)
                break
            except (smtplib.SMTPException, ValueError) as exc:
                report.failed[mail.to] = reason(exc)
            except OSError as exc:  # a socket error (timeout, reset) is no SMTP reply
                _fail_rest(report, emails[i:], exc)
                break
            else:
                report.sent.append(mail.to)
    return report


def _fail_rest(report: SendReport, rest: Sequence[TicketEmail], exc: Exception) -> None:
    # The connection is gone, so nothing from here on was sent; the committee can
    # resend exactly these. Those already sent are not repeated.
    for mail in rest:
        report.failed[mail.to] = reason(exc)


def connect(config: SmtpConfig) -> smtplib.SMTP:
    if not config.enabled:
        raise MailUnavailable(N_("Email is not set up: no SMTP server is configured."))
    try:
        smtp = _open(config)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailUnavailable(N_("The mail server {server} refused the SMTP user name or "
                                 "password."), params={"server": config.server}) from exc
    except OSError as exc:  # refused, timed out, TLS failure, or an SMTP error reply
        raise MailUnavailable(params={"server": config.server}) from exc
    return smtp


def _open(config: SmtpConfig) -> smtplib.SMTP:
    context = ssl.create_default_context()
    smtp = (smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
            if config.ssl else smtplib.SMTP(config.host, config.port, timeout=config.timeout))
    try:
        if config.starttls and not config.ssl:
            smtp.starttls(context=context)
        if config.username:
            smtp.login(config.username, config.password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = [f"{code} {_decode(text)}" for code, text in exc.recipients.values()]
        return "; ".join(replies) or "recipient refused"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_decode(exc.smtp_error)}"
    return str(exc) or type(exc).__name__


def _decode(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else text
