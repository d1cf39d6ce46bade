"""A local stand-in for the WhatsApp Business Cloud API, over real HTTP.

`POST /{version}/{phone_number_id}/messages` answers as Meta does: a bearer token is
required (401, Graph error 190, otherwise), the body is checked (messaging_product,
digits in `to`, a template with a name and a language, text parameters without newlines),
and a sent message gets a fresh `wamid.` id. Errors use Meta's shape:
`{"error": {"message": "(#131026) Message Undeliverable.", "type", "code",
"error_data": {"messaging_product", "details"}, "fbtrace_id"}}`.

Failures on demand: `fail_next`, `fail_ratio`, `permanent_for`. Webhooks: `deliver_statuses`
and `send_reply` post real-shaped payloads signed with X-Hub-Signature-256.

Use: `from tests.fake_whatsapp import fake_whatsapp  # noqa: F401` in a test module, or
`pytest_plugins = ["tests.fake_whatsapp"]` in a conftest, then a `fake_whatsapp` argument.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import re
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

TITLES = {
    0: "AuthException",
    4: "API Too Many Calls",
    100: "Invalid parameter",
    190: "Invalid OAuth access token - Cannot parse access token",
    80007: "Rate limit issues",
    130429: "Rate limit hit",
    131000: "Something went wrong",
    131008: "Required parameter is missing",
    131009: "Parameter value is not valid",
    131026: "Message Undeliverable.",
    131030: "Recipient phone number not in allowed list",
    131047: "Re-engagement message",
    131048: "Spam rate limit hit",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    132000: "Number of parameters does not match the expected number of params",
    132001: "Template name does not exist in the translation",
    132018: "There was an issue with the parameters in your template.",
    133004: "Server temporarily unavailable",
}
DETAILS = {
    131026: "Message Undeliverable.",
    131030: "Recipient phone number not in allowed list: Add recipient phone number to "
    "recipient list and try again.",
    131047: "Message failed to send because more than 24 hours have passed since the "
    "customer last replied to this number.",
    131056: "Message failed to send because there were too many messages sent from this "
    "phone number to the same phone number in a short period of time.",
    132018: "Param text cannot have new-line/tab characters or more than 4 consecutive "
    "spaces",
}
# What a failure answers with when the test names only the HTTP status.
DEFAULT_CODES = {429: 130429, 500: 131000, 502: 131000, 503: 133004, 400: 100, 401: 190}
ERROR_DOCS = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"


@dataclass(frozen=True)
class Recorded:
    """One request the fake answered."""

    at: float  # time.time() on arrival
    path: str
    body: Any  # the parsed JSON (None when it was not JSON)
    status: int  # what the fake answered
    wamid: str | None  # the id given, when sent


@dataclass(frozen=True)
class Failure:
    status: int
    code: int
    retry_after: float | None = None


def error_body(code: int, details: str | None = None, subcode: int | None = None) -> dict:
    """A Graph API error, as the Cloud API sends it."""
    error: dict[str, Any] = {
        "message": f"(#{code}) {TITLES.get(code, 'Error')}",
        "type": "OAuthException",
        "code": code,
        "error_data": {
            "messaging_product": "whatsapp",
            "details": details or DETAILS.get(code, TITLES.get(code, "Error")),
        },
        "fbtrace_id": "A" + uuid.uuid4().hex[:22],
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


def sign(app_secret: str, raw: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()


class FakeWhatsApp:
    """The fake Cloud API; `start()` serves it on 127.0.0.1 from a background thread."""

    def __init__(
        self,
        token: str = "fake-token-EAAG1234567890",
        phone_number_id: str = "106540352242922",
        version: str = "v21.0",
        latency: float = 0.0,
    ) -> None:
        self.token = token
        self.phone_number_id = phone_number_id
        self.version = version
        self.latency = latency  # seconds added to every answer (benchmarks)
        self.waba_id = "102290129340398"
        self.display_phone_number = "15550783881"
        self._lock = threading.Lock()
        self._requests: list[Recorded] = []
        self._recipients: dict[str, str] = {}  # wamid -> digits, for status reports
        self._failures: deque[Failure] = deque()
        self._ratio = 0.0
        self._ratio_choices: list[tuple[int, float]] = []
        self._random = random.Random()
        self._refused: dict[str, int] = {}
        self._counter = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- life ---

    def start(self) -> FakeWhatsApp:
        self._server = _Server(("127.0.0.1", 0), _Handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> FakeWhatsApp:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "not started"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """What whatsapp_api_url would be set to."""
        return f"http://127.0.0.1:{self.port}/{self.version}"

    # --- what happened ---

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._requests)

    @property
    def sent(self) -> list[Recorded]:
        """The requests answered with a message id."""
        return [r for r in self.requests if r.wamid is not None]

    def reset(self) -> None:
        """Forget requests and failure modes (latency stays as set)."""
        with self._lock:
            self._requests.clear()
            self._recipients.clear()
            self._failures.clear()
            self._ratio = 0.0
            self._refused.clear()

    # --- failures on demand ---

    def fail_next(
        self, n: int = 1, status: int = 500, code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        """The next n requests fail with this HTTP status and Graph error code."""
        failure = Failure(status, code or DEFAULT_CODES.get(status, 131000), retry_after)
        with self._lock:
            self._failures.extend([failure] * n)

    def fail_ratio(
        self,
        ratio: float,
        status_choices: Sequence[tuple[int, float]] = ((500, 1.0), (429, 1.0)),
        seed: int | None = None,
    ) -> None:
        """This share of requests fails at random; a 429 carries `Retry-After: 1`."""
        with self._lock:
            self._ratio = ratio
            self._ratio_choices = list(status_choices)
            self._random = random.Random(seed)

    def permanent_for(self, phone_digits: str, code: int = 131026) -> None:
        """Always refuse this number (digits, no "+") with a permanent error."""
        with self._lock:
            self._refused[re.sub(r"[^0-9]", "", phone_digits)] = code

    # --- webhooks ---

    def deliver_statuses(
        self,
        webhook_url: str,
        app_secret: str,
        statuses: Sequence[tuple[str, str, int | None]],
        client: httpx.Client | None = None,
    ) -> httpx.Response:
        """POST a signed statuses notification: (wamid, "delivered"|"read"|"failed", code)."""
        return self._post_webhook(webhook_url, app_secret, self.statuses_payload(statuses), client)

    def send_reply(
        self,
        webhook_url: str,
        app_secret: str,
        from_digits: str,
        text: str,
        client: httpx.Client | None = None,
    ) -> httpx.Response:
        """POST a signed notification of a text message from a participant."""
        return self._post_webhook(
            webhook_url, app_secret, self.reply_payload(from_digits, text), client
        )

    def statuses_payload(self, statuses: Sequence[tuple[str, str, int | None]]) -> dict:
        now = int(time.time())
        items = [self._status_item(wamid, status, code, now) for wamid, status, code in statuses]
        return self._notification({"statuses": items})

    def reply_payload(self, from_digits: str, text: str) -> dict:
        digits = re.sub(r"[^0-9]", "", from_digits)
        return self._notification(
            {
                "contacts": [{"profile": {"name": "Peserta"}, "wa_id": digits}],
                "messages": [
                    {
                        "from": digits,
                        "id": self._new_wamid(digits),
                        "timestamp": str(int(time.time())),
                        "type": "text",
                        "text": {"body": text},
                    }
                ],
            }
        )

    def _status_item(self, wamid: str, status: str, code: int | None, now: int) -> dict:
        with self._lock:
            recipient = self._recipients.get(wamid, "6281234567890")
        item: dict[str, Any] = {
            "id": wamid,
            "status": status,
            "timestamp": str(now),
            "recipient_id": recipient,
        }
        if status == "failed":
            failure_code = code or 131026
            title = TITLES.get(failure_code, "Error").rstrip(".")
            item["errors"] = [
                {
                    "code": failure_code,
                    "title": title,
                    "message": title,
                    "error_data": {
                        "details": DETAILS.get(failure_code, title),
                    },
                    "href": ERROR_DOCS,
                }
            ]
        else:
            item["conversation"] = {"id": uuid.uuid4().hex, "origin": {"type": "utility"}}
            item["pricing"] = {"billable": True, "pricing_model": "CBP", "category": "utility"}
        return item

    def _notification(self, value: dict) -> dict:
        value = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": self.display_phone_number,
                "phone_number_id": self.phone_number_id,
            },
            **value,
        }
        return {
            "object": "whatsapp_business_account",
            "entry": [{"id": self.waba_id, "changes": [{"value": value, "field": "messages"}]}],
        }

    def _post_webhook(
        self, url: str, app_secret: str, payload: dict, client: httpx.Client | None
    ) -> httpx.Response:
        raw = json.dumps(payload, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(app_secret, raw)}
        if client is not None:  # e.g. a TestClient, with a path for url
            return client.post(url, content=raw, headers=headers)
        return httpx.post(url, content=raw, headers=headers, timeout=10)

    # --- answering (called from the server's threads) ---

    def answer(self, path: str, authorization: str | None, raw: bytes) -> tuple[int, dict, dict]:
        """(status, JSON body, extra headers) for one POST."""
        if self.latency:
            time.sleep(self.latency)
        body = _json(raw)
        status, payload, headers, wamid = self._decide(path, authorization, body)
        with self._lock:
            self._requests.append(Recorded(time.time(), path, body, status, wamid))
        return status, payload, headers

    def _decide(
        self, path: str, authorization: str | None, body: Any
    ) -> tuple[int, dict, dict, str | None]:
        if authorization != f"Bearer {self.token}":
            return 401, error_body(190, "Invalid OAuth access token."), {}, None
        match = re.fullmatch(r"/([^/]+)/([^/]+)/messages", path)
        if match is None or match.group(2) != self.phone_number_id:
            details = "Unsupported post request. Object does not exist or lacks permissions."
            return 400, error_body(100, details, subcode=33), {}, None
        problem = _body_problem(body)
        if problem is not None:
            code, details = problem
            return 400, error_body(code, details), {}, None
        forced = self._forced_failure()
        if forced is not None:
            headers = {"Retry-After": _seconds(forced.retry_after)} if forced.retry_after else {}
            return forced.status, error_body(forced.code), headers, None
        with self._lock:
            refused = self._refused.get(body["to"])
        if refused is not None:
            return 400, error_body(refused), {}, None
        wamid = self._new_wamid(body["to"])
        with self._lock:
            self._recipients[wamid] = body["to"]
        return 200, _accepted(body["to"], wamid), {}, wamid

    def _forced_failure(self) -> Failure | None:
        with self._lock:
            if self._failures:
                return self._failures.popleft()
            if self._ratio <= 0 or self._random.random() >= self._ratio:
                return None
            statuses = [s for s, _ in self._ratio_choices]
            weights = [w for _, w in self._ratio_choices]
            status = self._random.choices(statuses, weights)[0]
        retry_after = 1.0 if status == 429 else None
        return Failure(status, DEFAULT_CODES.get(status, 131000), retry_after)

    def _new_wamid(self, digits: str) -> str:
        with self._lock:
            self._counter += 1
            counter = self._counter
        raw = f"{digits}\x15\x02\x00\x11\x18\x12{counter:08d}{uuid.uuid4().hex[:12].upper()}"
        return "wamid." + base64.b64encode(raw.encode()).decode()


def _accepted(to: str, wamid: str) -> dict:
    return {
        "messaging_product": "whatsapp",
        "contacts": [{"input": to, "wa_id": to}],
        "messages": [{"id": wamid, "message_status": "accepted"}],
    }


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _body_problem(body: Any) -> tuple[int, str] | None:
    """(code, details) when the body is not a valid template send, as Meta refuses it."""
    if not isinstance(body, dict):
        return 100, "The request body is not valid JSON."
    if body.get("messaging_product") != "whatsapp":
        return 100, "The parameter messaging_product is required."
    to = body.get("to")
    if not isinstance(to, str) or not re.fullmatch(r"[0-9]{6,15}", to):
        return 131009, "The parameter to is not a valid phone number."
    if body.get("type") != "template":
        return 100, "This fake only accepts template messages."
    return _template_problem(body.get("template"))


def _template_problem(template: Any) -> tuple[int, str] | None:
    if not isinstance(template, dict):
        return 131008, "The parameter template is required."
    name = template.get("name")
    if not isinstance(name, str) or not name:
        return 131008, "The parameter template['name'] is required."
    language = template.get("language")
    if not isinstance(language, dict) or not isinstance(language.get("code"), str):
        return 131008, "The parameter template['language']['code'] is required."
    components = template.get("components", [])
    if not isinstance(components, list):
        return 100, "The parameter template['components'] must be an array."
    for component in components:
        problem = _component_problem(component)
        if problem is not None:
            return problem
    return None


def _component_problem(component: Any) -> tuple[int, str] | None:
    if not isinstance(component, dict) or component.get("type") not in ("header", "body", "button"):
        return 100, "Invalid component type."
    for parameter in component.get("parameters", []):
        if not isinstance(parameter, dict) or parameter.get("type") != "text":
            return 100, "Invalid parameter type."
        text = parameter.get("text")
        if not isinstance(text, str) or not text:
            return 131008, "Parameter text is required and cannot be empty."
        if "\n" in text or "\t" in text or "     " in text:
            return 132018, DETAILS[132018]
    return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], handler: type, fake: FakeWhatsApp) -> None:
        self.fake = fake
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Kept-alive connections end with the server, as a real one's would."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the Graph API does
    disable_nagle_algorithm = True  # headers and body leave at once, no 40 ms stalls
    timeout = 60  # an idle kept-alive connection's thread ends eventually
    server: _Server

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        status, payload, headers = self.server.fake.answer(
            path, self.headers.get("Authorization"), raw
        )
        self._reply(status, payload, headers)

    def do_GET(self) -> None:  # noqa: N802
        self._reply(400, error_body(100, "Unsupported get request."), {})

    def _reply(self, status: int, payload: dict, headers: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # quiet: thousands of requests in a benchmark


@pytest.fixture
def fake_whatsapp() -> Iterator[FakeWhatsApp]:
    """A running fake Cloud API, fresh for each test."""
    fake = FakeWhatsApp().start()
    try:
        yield fake
    finally:
        fake.stop()
