"""Email over SMTP, for the worker: one connection kept open across messages (opened on
the first send, opened again after the server drops it), and each failure sorted into
temporary (a 4xx reply, a dropped connection, a timeout) or permanent (a 5xx reply for
the recipient, an address that is not one)."""

import smtplib
import threading
from email.utils import make_msgid

from service.services import mailer
from service.services.mailer import MailUnavailable, SmtpConfig, TicketEmail
from service.services.messaging.providers import Outgoing, PermanentFailure, TemporaryFailure


class SmtpProvider:
    channel = "email"

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None
        # One SMTP conversation at a time: the worker may call from several threads.
        self._lock = threading.Lock()

    def send(self, message: Outgoing) -> str:
        with self._lock:
            return self._send(message)

    def _send(self, message: Outgoing) -> str:
        try:
            mail = mailer.build_message(self.config, TicketEmail(
                to=message.recipient, name=message.name, subject=message.subject or "",
                text=message.body, html=message.html or ""))
        except ValueError as exc:
            raise PermanentFailure(f"Alamat email tidak sah: {exc}") from None
        if message.unsubscribe_url:
            # RFC 8058: mail clients show their own "unsubscribe" button, one click.
            mail["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
            mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        # One Message-ID per outbox row: should a crash make the worker send it again,
        # mail systems that de-duplicate see the same message.
        del mail["Message-ID"]
        mail["Message-ID"] = make_msgid(idstring=f"bimtek-msg-{message.id}",
                                        domain=mailer.domain(self.config.sender))
        smtp = self._connection()
        try:
            refused = smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            reason = mailer.reason(exc)
            if codes and all(500 <= c < 600 for c in codes):
                raise PermanentFailure(reason) from None
            raise TemporaryFailure(reason) from None
        except smtplib.SMTPResponseException as exc:
            self._drop()
            if 500 <= exc.smtp_code < 600 and not isinstance(exc, smtplib.SMTPSenderRefused):
                raise PermanentFailure(mailer.reason(exc)) from None
            raise TemporaryFailure(mailer.reason(exc)) from None
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise TemporaryFailure(mailer.reason(exc)) from None
        if refused:
            raise PermanentFailure("; ".join(f"{c} {t!r}" for c, t in refused.values()))
        return str(mail["Message-ID"])

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            try:
                self._smtp = mailer.connect(self.config)
            except MailUnavailable as exc:
                raise TemporaryFailure(exc.text()) from None
        return self._smtp

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def close(self) -> None:
        with self._lock:
            self._drop()
