"""The WhatsApp Business Cloud API: sending template messages, and reading its webhooks.

Sending: POST {api_url}/{phone_number_id}/messages with a bearer token and a template
message (first contact with a participant must be an approved template). The answer is
`{"messaging_product": "whatsapp", "contacts": [...], "messages": [{"id": "wamid..."}]}`;
the wamid is what later delivery reports name.

Failures come back as Graph API errors, `{"error": {"message": "(#131026) Message
Undeliverable.", "type", "code", "error_subcode", "error_data": {"details"},
"fbtrace_id"}}`. Meta asks for handling by `code` (titles are being deprecated), so the
decision temporary/permanent is made from the code; see `_TEMPORARY_CODES`.

Webhooks: POST bodies signed with X-Hub-Signature-256 (HMAC-SHA256 of the raw body with
the app secret), carrying delivery statuses and the participants' replies (STOP), and the
GET handshake Meta makes when the webhook is registered.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

from service.services.messaging.providers import Outgoing, PermanentFailure, TemporaryFailure

if TYPE_CHECKING:
    from service.settings import Settings


@dataclass(frozen=True)
class CloudConfig:
    api_url: str  # with the version, e.g. https://graph.facebook.com/v21.0
    # Secrets stay out of repr: a config object ends up in logs and tracebacks.
    token: str = field(repr=False)
    phone_number_id: str
    app_secret: str = field(default="", repr=False)
    verify_token: str = field(default="", repr=False)
    timeout: float = 10.0
    language: str = "id"

    @classmethod
    def from_settings(cls, settings: Settings) -> CloudConfig:
        return cls(
            api_url=settings.whatsapp_api_url.strip(),
            token=settings.whatsapp_token.strip(),
            phone_number_id=settings.whatsapp_phone_number_id.strip(),
            app_secret=settings.whatsapp_app_secret,
            verify_token=settings.whatsapp_verify_token,
            timeout=settings.whatsapp_timeout,
            language=settings.whatsapp_template_language,
        )

    @property
    def enabled(self) -> bool:
        """Sending is possible (the webhook secrets are only needed for reports)."""
        return bool(self.api_url and self.token and self.phone_number_id)

    @property
    def messages_url(self) -> str:
        return f"{self.api_url.rstrip('/')}/{self.phone_number_id}/messages"


# --- sending -----------------------------------------------------------------------------

# Codes worth trying again. Two kinds: (1) Meta's capacity and pacing, where the same
# request succeeds later; (2) our own account, token or number, where nothing is wrong with
# the message and the queue should resume by itself once someone fixes the settings.
# Auth errors are in (2) on purpose: an expired token (190) would otherwise fail every
# queued ticket permanently in one burst, and fixing the token would not bring them back;
# as temporary failures they wait (and show "token expired" as their last error) until
# message_max_attempts runs out.
_TEMPORARY_CODES = frozenset(
    {
        # Graph API platform: "temporary issue, wait and retry" (Graph error handling).
        1,  # API Unknown
        2,  # API Service: downtime or overload
        4,  # API Too Many Calls (app rate limit)
        17,  # API User Too Many Calls
        341,  # Application limit reached
        368,  # Temporarily blocked for policy violations
        80007,  # WhatsApp Business Account rate limit
        130429,  # Rate limit hit: Cloud API throughput
        131048,  # Spam rate limit hit: quality-based limit on this number
        131049,  # Meta withheld it for ecosystem engagement; later sends may pass
        131056,  # (Business, Consumer) pair rate limit hit
        131000,  # Something went wrong
        131016,  # Service unavailable
        133004,  # Server temporarily unavailable
        # Our account, token or sending number: fixed in settings or Business Manager.
        0,  # AuthException
        3,  # Capability or permissions issue
        10,  # Permission denied
        190,  # Access token expired or invalid
        131031,  # Business account locked
        131042,  # Business eligibility: payment issue
        133010,  # Business phone number not registered
    }
)
# Graph's permission codes are a range (one per permission).
_PERMISSION_CODES = range(200, 300)

# Known permanent codes, for the record (anything 4xx not listed above is permanent too):
# 100 invalid parameter, 131008 required parameter missing, 131009 parameter value not
# valid, 131021 recipient is the sender, 131026 message undeliverable (not on WhatsApp,
# old client, terms not accepted), 131030 recipient not in the allowed list (test
# numbers), 131047 re-engagement (outside the 24-hour window), 131050 user stopped
# marketing messages, 131051 unsupported message type, 132000 parameter count mismatch,
# 132001 template does not exist, 132005 translated text too long, 132007 template
# policy, 132012 parameter format mismatch, 132015 template paused, 132016 template
# disabled, 132018 parameter text (newlines, tabs), 135000 generic user error.

# Graph subcode 33 ("object does not exist") with code 100 means the phone_number_id in
# our settings is wrong, not that the message is: temporary like the account codes.
_MISSING_OBJECT_SUBCODE = 33

# How long Meta's pacing limits last when no Retry-After says so: the pair rate allows
# about one message to the same person every 6 seconds.
_RETRY_HINTS = {131056: 6.0, 130429: 1.0, 80007: 60.0, 4: 60.0}

# The reasons are shown to the committee: one line, bounded.
_REASON_LIMIT = 300


@dataclass(frozen=True)
class CloudError:
    """A Graph API error body, read leniently."""

    code: int | None
    subcode: int | None
    title: str
    details: str
    transient: bool | None  # Graph's `is_transient`, when it says


class WhatsAppCloud:
    """The Provider for WhatsApp; one instance (one connection pool) per worker."""

    channel = "whatsapp"

    def __init__(self, config: CloudConfig, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        # One client for every send: keep-alive saves a TLS handshake per message.
        self._client = httpx.Client(
            timeout=config.timeout,
            headers={"Authorization": f"Bearer {config.token}"},
            transport=transport,
        )

    def send(self, message: Outgoing) -> str:
        if not message.template:
            raise PermanentFailure("WhatsApp: no approved template for this message")
        to = phone_digits(message.recipient)
        if not to:
            raise PermanentFailure("WhatsApp: the recipient has no phone number")
        body = template_payload(to, message.template, self.config.language, message.params)
        try:
            response = self._client.post(self.config.messages_url, json=body)
        except httpx.TimeoutException as exc:
            raise TemporaryFailure(
                self._scrub(f"WhatsApp timed out ({type(exc).__name__})")
            ) from exc
        except httpx.HTTPError as exc:
            raise TemporaryFailure(self._scrub(f"WhatsApp unreachable: {_describe(exc)}")) from exc
        return self._read_answer(response)

    def close(self) -> None:
        self._client.close()

    def _read_answer(self, response: httpx.Response) -> str:
        if response.is_success:
            message_id = _message_id(response)
            if not message_id:
                # Probably sent, but unprovable; the wamid is what reports are matched by.
                raise TemporaryFailure("WhatsApp answered without a message id")
            return message_id
        error = read_error(response)
        reason = self._scrub(_reason(response.status_code, error))
        if is_temporary(response.status_code, error):
            raise TemporaryFailure(reason, retry_after=_retry_after(response, error))
        raise PermanentFailure(reason)

    def _scrub(self, text: str) -> str:
        """Belt and braces: no reason ever carries the token, whatever echoed it.

        Real tokens are long; a short one (a test's) would mangle ordinary words.
        """
        token = self.config.token
        return text.replace(token, "***") if len(token) >= 8 else text


def phone_digits(recipient: str) -> str:
    """The number as the Cloud API wants it: country code and digits, no "+"."""
    return re.sub(r"[^0-9]", "", recipient)


def fold_param(text: str) -> str:
    """A template parameter the Cloud API accepts.

    Meta refuses a parameter holding a newline, a tab or more than four consecutive spaces
    (error 132018), and refuses the whole message with it; every run of whitespace becomes
    one space. An empty parameter is refused too, so it becomes "-".
    """
    folded = " ".join(text.split())
    return folded or "-"


def template_payload(
    to: str, template: str, language: str, params: tuple[str, ...] | list[str]
) -> dict[str, Any]:
    """The send-message body for an approved template and its body parameters."""
    spec: dict[str, Any] = {"name": template, "language": {"code": language}}
    if params:
        parameters = [{"type": "text", "text": fold_param(p)} for p in params]
        spec["components"] = [{"type": "body", "parameters": parameters}]
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": spec,
    }


def read_error(response: httpx.Response) -> CloudError | None:
    """The Graph error in a failed answer; None when the body is not one (a proxy's page)."""
    try:
        payload = response.json()
    except ValueError:
        return None
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return None
    message = _text(error.get("message"))
    data = error.get("error_data")
    details = _text(data.get("details")) if isinstance(data, dict) else _text(data)
    transient = error.get("is_transient")
    return CloudError(
        code=_int(error.get("code")),
        subcode=_int(error.get("error_subcode")),
        title=_title(message),
        details=details,
        transient=transient if isinstance(transient, bool) else None,
    )


def is_temporary(status: int, error: CloudError | None) -> bool:
    """Whether trying the same request again later can succeed."""
    if status == 429 or status >= 500:
        return True
    if error is None or error.code is None:
        # No Graph error: a proxy or gateway in the way, or auth refused before Graph;
        # nothing says the message itself is wrong, except a plain 400-family answer.
        return status in (401, 403, 404, 408, 425)
    if error.code in _TEMPORARY_CODES or error.code in _PERMISSION_CODES:
        return True
    if error.code == 100 and error.subcode == _MISSING_OBJECT_SUBCODE:
        return True
    return bool(error.transient)


def _reason(status: int, error: CloudError | None) -> str:
    if error is None or error.code is None:
        phrase = _status_phrase(status)
        return f"WhatsApp HTTP {status}" + (f": {phrase}" if phrase else "")
    title = error.title or _status_phrase(status) or "error"
    reason = f"WhatsApp {error.code}: {title}"
    if error.details and _plain(error.details) not in _plain(title):
        reason += f" ({error.details})"
    return _one_line(reason)


def _retry_after(response: httpx.Response, error: CloudError | None) -> float | None:
    header = parse_retry_after(response.headers.get("Retry-After"))
    if header is not None:
        return header
    if error is not None and error.code is not None:
        return _RETRY_HINTS.get(error.code)
    return None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _message_id(response: httpx.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        return ""
    messages = payload.get("messages") if isinstance(payload, dict) else None
    if not isinstance(messages, list) or not messages or not isinstance(messages[0], dict):
        return ""
    message_id = messages[0].get("id")
    return message_id if isinstance(message_id, str) else ""


def _title(message: str) -> str:
    """Graph puts the title in `message` after the code: "(#131026) Message Undeliverable."."""
    return re.sub(r"^\(#\d+\)\s*", "", message).strip().rstrip(".")


def _status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _describe(exc: Exception) -> str:
    detail = str(exc).strip()
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _plain(text: str) -> str:
    return text.strip().rstrip(".").casefold()


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _REASON_LIMIT else text[: _REASON_LIMIT - 1] + "…"


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


# --- webhooks ----------------------------------------------------------------------------


def signature_valid(app_secret: str, body: bytes, header: str | None) -> bool:
    """Whether X-Hub-Signature-256 is "sha256=" + HMAC-SHA256(body, app secret), in hex."""
    if not app_secret or not header:
        return False
    scheme, _, given = header.strip().partition("=")
    if scheme.lower() != "sha256" or not given:
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    # Bytes, so that a non-ASCII header cannot make compare_digest raise.
    return hmac.compare_digest(expected.encode(), given.strip().lower().encode("utf-8"))


def verify_handshake(
    config: CloudConfig, mode: str | None, token: str | None, challenge: str | None
) -> str | None:
    """The challenge to echo when Meta registers the webhook with our verify token."""
    if mode != "subscribe" or not config.verify_token or token is None or challenge is None:
        return None
    if not hmac.compare_digest(config.verify_token.encode(), token.encode("utf-8")):
        return None
    return challenge


@dataclass(frozen=True)
class StatusEvent:
    provider_message_id: str
    status: str  # "sent" | "delivered" | "read" | "failed"
    at: datetime  # aware, UTC
    error: str | None  # failed: "131026: Message undeliverable (details)"


@dataclass(frozen=True)
class ReplyEvent:
    phone: str  # E.164 with "+", e.g. "+6281234567890"
    text: str
    at: datetime


_STATUSES = frozenset({"sent", "delivered", "read", "failed"})


def parse_webhook(payload: Any) -> tuple[list[StatusEvent], list[ReplyEvent]]:
    """Delivery statuses and text replies in a webhook body; what cannot be read is skipped.

    Meta resends a notification until it is answered with 200, so a malformed one must
    not raise: it yields nothing, and the route can still answer 200.
    """
    statuses: list[StatusEvent] = []
    replies: list[ReplyEvent] = []
    for value in _change_values(payload):
        for item in _dicts(value.get("statuses")):
            status = _status_event(item)
            if status is not None:
                statuses.append(status)
        for item in _dicts(value.get("messages")):
            reply = _reply_event(item)
            if reply is not None:
                replies.append(reply)
    return statuses, replies


def _change_values(payload: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(payload, dict):
        return
    for entry in _dicts(payload.get("entry")):
        for change in _dicts(entry.get("changes")):
            field_name = change.get("field", "messages")
            value = change.get("value")
            if field_name == "messages" and isinstance(value, dict):
                yield value


def _dicts(value: object) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, dict))


def _status_event(item: dict[str, Any]) -> StatusEvent | None:
    message_id = item.get("id")
    status = item.get("status")
    at = _timestamp(item.get("timestamp"))
    if not isinstance(message_id, str) or not message_id or status not in _STATUSES:
        return None
    if at is None:
        return None
    error = _status_error(item.get("errors")) if status == "failed" else None
    return StatusEvent(provider_message_id=message_id, status=status, at=at, error=error)


def _status_error(errors: object) -> str:
    first = next(_dicts(errors), None)
    if first is None:
        return "failed, no reason given"
    code = _int(first.get("code"))
    title = _text(first.get("title")) or _title(_text(first.get("message")))
    data = first.get("error_data")
    details = _text(data.get("details")) if isinstance(data, dict) else ""
    text = f"{code if code is not None else '?'}: {title or 'unknown error'}"
    if details and _plain(details) not in _plain(title):
        text += f" ({details})"
    return _one_line(text)


def _reply_event(item: dict[str, Any]) -> ReplyEvent | None:
    sender = item.get("from")
    digits = phone_digits(sender) if isinstance(sender, str) else ""
    text = _reply_text(item)
    at = _timestamp(item.get("timestamp"))
    if not digits or text is None or at is None:
        return None
    return ReplyEvent(phone=f"+{digits}", text=text, at=at)


def _reply_text(item: dict[str, Any]) -> str | None:
    """The words of a text message or of a tapped button; other kinds carry none."""
    kind = item.get("type")
    if kind == "text":
        return _nested_str(item, "text", "body")
    if kind == "button":  # a template's quick-reply button
        return _nested_str(item, "button", "text")
    if kind == "interactive":
        return _nested_str(item, "interactive", "button_reply", "title") or _nested_str(
            item, "interactive", "list_reply", "title"
        )
    return None


def _nested_str(item: dict[str, Any], *keys: str) -> str | None:
    value: object = item
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value if isinstance(value, str) else None


def _timestamp(value: object) -> datetime | None:
    seconds = _int(value)
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


# Whole-message keywords only: "saya tidak bisa stop di sana" is a sentence, not a request.
_STOP_WORDS = frozenset(
    {"stop", "berhenti", "unsubscribe", "stop pesan", "berhenti pesan", "berhenti berlangganan"}
)


def is_stop_request(text: str) -> bool:
    """Whether a reply asks for no more messages ("STOP", "berhenti!", " Stop pesan. ")."""
    return _normalize_reply(text) in _STOP_WORDS


def _normalize_reply(text: str) -> str:
    words = text.casefold().split()
    joined = " ".join(words)
    # Strip punctuation, symbols (emoji) and invisible characters at both ends only.
    start, end = 0, len(joined)
    while start < end and _is_trim(joined[start]):
        start += 1
    while end > start and _is_trim(joined[end - 1]):
        end -= 1
    return joined[start:end]


def _is_trim(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "PSZC"
