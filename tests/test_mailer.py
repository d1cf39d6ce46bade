"""Ticket email against a real SMTP server (aiosmtpd) on localhost."""

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from service.services.mailer import (
    MailUnavailable,
    SmtpConfig,
    TicketEmail,
    send_emails,
    ticket_email,
)
from service.settings import Settings

REFUSED = "pindah@kampungkb.example"
URL = "http://127.0.0.1:8000/t/AbC123?x=1&y=2"


class Inbox:
    """aiosmtpd handler that keeps what it receives and refuses one address."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address == REFUSED:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg: EmailMessage = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, SmtpConfig]]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, SmtpConfig(host="127.0.0.1", port=controller.port,
                                  sender="Panitia Bimtek <panitia@bimtek.example>", timeout=5)
    finally:
        controller.stop()


def ticket(name: str, to: str) -> TicketEmail:
    return ticket_email(name=name, training_title="Pelatihan Kader Kampung KB",
                        organization="DP3AP2KB Kota Padang", batch_name="Angkatan I",
                        dates_text="12–13 September 2018", venue="Hotel Pangeran Beach",
                        ticket_url=URL, to=to)


def test_ticket_emails_arrive_with_subject_links_and_encoded_names(inbox):
    handler, config = inbox
    report = send_emails(config, [ticket("Nur'aini Çelik <script>", "nuraini@example.org"),
                                  ticket("Budi Santoso", "budi@example.org")])
    assert report.sent == ["nuraini@example.org", "budi@example.org"] and not report.failed
    (rcpt, msg), (rcpt2, _) = handler.messages
    assert rcpt == ["nuraini@example.org"] and rcpt2 == ["budi@example.org"]
    assert msg["To"].addresses[0].display_name == "Nur'aini Çelik <script>"
    assert msg["Subject"] == "Tiket Pelatihan Kader Kampung KB – Angkatan I"
    assert msg["Date"] and msg["Message-ID"].endswith("@bimtek.example>")
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert URL in text and "Nur'aini Çelik <script>" in text
    assert 'href="http://127.0.0.1:8000/t/AbC123?x=1&amp;y=2"' in html
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_refused_recipient_is_reported_and_the_others_still_go(inbox):
    handler, config = inbox
    report = send_emails(config, [ticket("Siti", REFUSED), ticket("Budi", "budi@example.org")])
    assert report.sent == ["budi@example.org"]
    assert report.failed[REFUSED].startswith("550")
    assert [rcpt for rcpt, _ in handler.messages] == [["budi@example.org"]]


def test_invalid_address_is_reported_without_contacting_anyone_else(inbox):
    handler, config = inbox
    report = send_emails(config, [ticket("Siti", "bukan email"), ticket("Budi", "b@x.org")])
    assert list(report.failed) == ["bukan email"] and report.sent == ["b@x.org"]


def test_unreachable_server_raises_mail_unavailable():
    config = SmtpConfig(host="127.0.0.1", port=free_port(), timeout=2)
    with pytest.raises(MailUnavailable) as caught:
        send_emails(config, [ticket("Budi", "budi@example.org")])
    assert (caught.value.code, caught.value.status) == ("mail_unavailable", 503)
    assert f"127.0.0.1:{config.port}" in caught.value.text()


def test_unconfigured_mail_raises_mail_unavailable():
    config = SmtpConfig.from_settings(Settings(smtp_host=""))
    assert not config.enabled
    with pytest.raises(MailUnavailable):
        send_emails(config, [ticket("Budi", "budi@example.org")])


def test_config_is_read_from_settings():
    settings = Settings(smtp_host="mail.example.org", smtp_port=465, smtp_ssl=True,
                        smtp_username="u", smtp_password="p", mail_from="A <a@b.c>",
                        smtp_timeout=3)
    config = SmtpConfig.from_settings(settings)
    assert config.enabled
    assert (config.host, config.port, config.ssl, config.starttls) == (
        "mail.example.org", 465, True, False)
    assert (config.username, config.password, config.sender, config.timeout) == (
        "u", "p", "A <a@b.c>", 3)
