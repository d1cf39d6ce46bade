"""What a channel's provider is to the worker: it sends one message and says how it went.

A provider answers a send with the provider's own message id (kept, so that delivery
reports find their message), or raises one of two failures: TemporaryFailure (a 5xx, a
timeout, a rate-limit answer: tried again later, after `retry_after` seconds when the
provider said so) or PermanentFailure (an invalid number, a refused address: never
tried again, and the reason is shown to the committee). Anything else a provider raises
is a bug, and the worker treats it as temporary.

WhatsApp goes through the WhatsApp Business Cloud API (whatsapp_cloud.py); email over
SMTP (smtp.py). An Indonesian WhatsApp gateway is one more class with these methods.
"""

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    """One message as a provider sends it (a row of the outbox, read for sending)."""

    id: int
    channel: str  # "whatsapp" | "email"
    recipient: str  # E.164 phone ("+62812...") or an email address
    name: str  # the addressee, for the greeting and the To header
    body: str  # the whole text, as the committee's log shows it
    subject: str | None = None  # email
    html: str | None = None  # email
    # WhatsApp: the approved template and its body parameters, in order ({{1}}, {{2}}...).
    template: str | None = None
    params: tuple[str, ...] = field(default_factory=tuple)
    # Email: the link that stops further messages (List-Unsubscribe).
    unsubscribe_url: str | None = None


class TemporaryFailure(Exception):
    """Worth trying again: the provider or the network failed, or asked us to slow down."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class PermanentFailure(Exception):
    """Never worth trying again (an invalid number, a refused address, a bad template)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Provider(Protocol):
    channel: str

    def send(self, message: Outgoing) -> str:
        """Send it; the provider's message id (or "" when the provider gives none)."""
        ...

    def close(self) -> None:
        """Release connections (the worker keeps one provider for many messages)."""
        ...
