"""The WhatsApp Cloud API provider and webhook parsing, against the local fake (real HTTP)."""

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from service.services.messaging.providers import Outgoing, PermanentFailure, TemporaryFailure
from service.services.messaging.whatsapp_cloud import (
    CloudConfig,
    ReplyEvent,
    StatusEvent,
    WhatsAppCloud,
    is_stop_request,
    parse_retry_after,
    parse_webhook,
    signature_valid,
    verify_handshake,
)
from tests.fake_whatsapp import FakeWhatsApp, fake_whatsapp  # noqa: F401

SECRET = "app-secret-123"


def config_for(fake: FakeWhatsApp, token: str | None = None) -> CloudConfig:
    return CloudConfig(
        api_url=fake.base_url,
        token=fake.token if token is None else token,
        phone_number_id=fake.phone_number_id,
        app_secret=SECRET,
        verify_token="verify-me",
        timeout=5.0,
        language="id",
    )


@pytest.fixture
def cloud(fake_whatsapp: FakeWhatsApp) -> Iterator[WhatsAppCloud]:  # noqa: F811
    provider = WhatsAppCloud(config_for(fake_whatsapp))
    yield provider
    provider.close()


def ticket(recipient: str = "+62 812-3456-7890", params: tuple[str, ...] = ()) -> Outgoing:
    return Outgoing(
        id=1,
        channel="whatsapp",
        recipient=recipient,
        name="Nur'aini",
        body="Halo Nur'aini, tiket Anda: https://bimtek.example/t/AbC123",
        template="bimtek_tiket",
        params=params,
    )


# --- sending ---


def test_template_send_returns_the_wamid_and_posts_the_cloud_api_body(
    cloud: WhatsAppCloud, fake_whatsapp: FakeWhatsApp  # noqa: F811
):
    wamid = cloud.send(ticket(params=("Nur'aini", "https://bimtek.example/t/AbC123")))

    assert wamid.startswith("wamid.")
    [request] = fake_whatsapp.requests
    assert request.path == f"/v21.0/{fake_whatsapp.phone_number_id}/messages"
    assert request.wamid == wamid
    assert request.body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "template",
        "template": {
            "name": "bimtek_tiket",
            "language": {"code": "id"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "Nur'aini"},
                        {"type": "text", "text": "https://bimtek.example/t/AbC123"},
                    ],
                }
            ],
        },
    }


def test_template_without_params_has_no_components(
    cloud: WhatsAppCloud, fake_whatsapp: FakeWhatsApp  # noqa: F811
):
    cloud.send(ticket())
    assert "components" not in fake_whatsapp.requests[0].body["template"]


def test_each_send_gets_its_own_wamid_over_one_connection(cloud: WhatsAppCloud):
    ids = {cloud.send(ticket()) for _ in range(20)}
    assert len(ids) == 20


def test_parameters_with_newlines_tabs_and_long_spaces_are_folded(
    cloud: WhatsAppCloud, fake_whatsapp: FakeWhatsApp  # noqa: F811
):
    cloud.send(ticket(params=("Baris satu\nbaris dua\r\n\tbaris      tiga  ", "   ")))

    parameters = fake_whatsapp.requests[0].body["template"]["components"][0]["parameters"]
    assert [p["text"] for p in parameters] == ["Baris satu baris dua baris tiga", "-"]


def test_server_error_is_temporary(cloud: WhatsAppCloud, fake_whatsapp: FakeWhatsApp):  # noqa: F811
    fake_whatsapp.fail_next(1, status=500)

    with pytest.raises(TemporaryFailure) as caught:
        cloud.send(ticket())
    assert caught.value.reason == "WhatsApp 131000: Something went wrong"


def test_rate_limit_is_temporary_with_retry_after(
    cloud: WhatsAppCloud, fake_whatsapp: FakeWhatsApp  # noqa: F811
):
    fake_whatsapp.fail_next(1, status=429, retry_after=7)

    with pytest.raises(TemporaryFailure) as caught:
        cloud.send(ticket())
    assert caught.value.retry_after == 7.0
    assert "130429" in caught.value.reason


def test_pair_rate_limit_without_header_waits_the_documented_six_seconds(
    cloud: WhatsAppCloud, fake_whatsapp: FakeWhatsApp  # noqa: F811
):
    fake_whatsapp.fail_next(1, status=400, code=131056)

    with pytest.raises(TemporaryFailure) as caught:
        cloud.send(ticket())
    assert caught.value.retry_after == 6.0


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 12, 4, 10, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Fri, 04 Dec 2026 10:00:30 GMT", now) == 30.0
    assert parse_retry_after("Fri, 04 Dec 2026 09:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_undeliverable_number_is_permanent_with_a_readable_reason(
    cloud: WhatsAppCloud, fake_whatsapp: FakeWhatsApp  # noqa: F811
):
    fake_whatsapp.permanent_for("6281234567890")

    with pytest.raises(PermanentFailure) as caught:
        cloud.send(ticket())
    assert caught.value.reason == "WhatsApp 131026: Message Undeliverable"


def test_outside_the_24_hour_window_is_permanent_with_details(
    cloud: WhatsAppCloud, fake_whatsapp: FakeWhatsApp  # noqa: F811
):
    fake_whatsapp.permanent_for("6281234567890", code=131047)

    with pytest.raises(PermanentFailure) as caught:
        cloud.send(ticket())
    assert caught.value.reason.startswith("WhatsApp 131047: Re-engagement message (")


def test_missing_template_is_permanent(cloud: WhatsAppCloud, fake_whatsapp: FakeWhatsApp):  # noqa: F811
    fake_whatsapp.fail_next(1, status=404, code=132001)

    with pytest.raises(PermanentFailure, match="132001"):
        cloud.send(ticket())


def test_wrong_token_is_temporary_until_someone_fixes_the_settings(
    fake_whatsapp: FakeWhatsApp,  # noqa: F811
):
    provider = WhatsAppCloud(config_for(fake_whatsapp, token="EAAG-expired-token"))
    try:
        with pytest.raises(TemporaryFailure) as caught:
            provider.send(ticket())
    finally:
        provider.close()
    assert caught.value.reason == (
        "WhatsApp 190: Invalid OAuth access token - Cannot parse access token"
    )


def test_wrong_phone_number_id_is_temporary(fake_whatsapp: FakeWhatsApp):  # noqa: F811
    config = CloudConfig(fake_whatsapp.base_url, fake_whatsapp.token, "999", timeout=5.0)
    provider = WhatsAppCloud(config)
    try:
        with pytest.raises(TemporaryFailure, match="WhatsApp 100"):
            provider.send(ticket())
    finally:
        provider.close()


def test_connection_refused_is_temporary():
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = WhatsAppCloud(CloudConfig(f"http://127.0.0.1:{port}/v21.0", "t", "1", timeout=2))
    try:
        with pytest.raises(TemporaryFailure, match="unreachable"):
            provider.send(ticket())
    finally:
        provider.close()


def test_timeout_is_temporary(fake_whatsapp: FakeWhatsApp):  # noqa: F811
    fake_whatsapp.latency = 0.5
    config = CloudConfig(
        fake_whatsapp.base_url, fake_whatsapp.token, fake_whatsapp.phone_number_id, timeout=0.1
    )
    provider = WhatsAppCloud(config)
    try:
        with pytest.raises(TemporaryFailure, match="timed out"):
            provider.send(ticket())
    finally:
        provider.close()


def test_success_without_a_message_id_is_temporary():
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"messaging_product": "whatsapp", "messages": []})

    provider = WhatsAppCloud(
        CloudConfig("https://graph.example/v21.0", "t", "1"), transport=httpx.MockTransport(answer)
    )
    with pytest.raises(TemporaryFailure, match="without a message id"):
        provider.send(ticket())


def test_gateway_page_without_graph_error_is_temporary():
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="<html>Bad Gateway</html>")

    provider = WhatsAppCloud(
        CloudConfig("https://graph.example/v21.0", "t", "1"), transport=httpx.MockTransport(answer)
    )
    with pytest.raises(TemporaryFailure) as caught:
        provider.send(ticket())
    assert caught.value.reason == "WhatsApp HTTP 502: Bad Gateway"


def test_token_never_appears_in_a_failure_reason(fake_whatsapp: FakeWhatsApp):  # noqa: F811
    token = fake_whatsapp.token
    reasons = []
    provider = WhatsAppCloud(config_for(fake_whatsapp))
    try:
        for status, code in [(500, None), (429, None), (400, 131026), (400, 100)]:
            fake_whatsapp.fail_next(1, status=status, code=code)
            try:
                provider.send(ticket())
            except (TemporaryFailure, PermanentFailure) as failure:
                reasons.append(failure.reason)
    finally:
        provider.close()
    wrong = WhatsAppCloud(config_for(fake_whatsapp, token="EAAG-secret-wrong"))
    try:
        with pytest.raises(TemporaryFailure) as caught:
            wrong.send(ticket())
    finally:
        wrong.close()
    reasons.append(caught.value.reason)

    assert len(reasons) == 5
    assert all(token not in r and "EAAG-secret-wrong" not in r for r in reasons)
    assert "EAAG" not in repr(config_for(fake_whatsapp))


def test_message_without_template_is_permanent(cloud: WhatsAppCloud):
    message = Outgoing(1, "whatsapp", "+6281234567890", "A", "body text")
    with pytest.raises(PermanentFailure, match="template"):
        cloud.send(message)


def test_config_is_enabled_only_with_url_token_and_number():
    assert CloudConfig("https://graph.facebook.com/v21.0", "t", "1").enabled
    assert not CloudConfig("https://graph.facebook.com/v21.0", "", "1").enabled
    assert not CloudConfig("", "t", "1").enabled


def test_fake_answers_many_sends_quickly(cloud: WhatsAppCloud, fake_whatsapp: FakeWhatsApp):  # noqa: F811
    fake_whatsapp.fail_ratio(0.2, seed=3)
    outcomes = {"sent": 0, "temporary": 0}
    for _ in range(200):
        try:
            cloud.send(ticket())
            outcomes["sent"] += 1
        except TemporaryFailure:
            outcomes["temporary"] += 1
    assert outcomes["sent"] + outcomes["temporary"] == 200
    assert 10 < outcomes["temporary"] < 80
    assert len(fake_whatsapp.requests) == 200


# --- webhooks ---


def signed(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_signature_valid_accepts_the_right_hmac():
    body = b'{"object":"whatsapp_business_account"}'
    assert signature_valid(SECRET, body, signed(body))


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "sha256=",
        "sha256=zz-not-hex",
        "nonsense",
        "sha256=é",
    ],
)
def test_signature_valid_refuses_malformed_headers(header):
    assert not signature_valid(SECRET, b"{}", header)


def test_signature_valid_refuses_a_tampered_body():
    body = b'{"entry":[]}'
    assert not signature_valid(SECRET, b'{"entry":[1]}', signed(body))


def test_signature_valid_refuses_the_wrong_secret():
    body = b"{}"
    assert not signature_valid(SECRET, body, signed(body, "another-secret"))


def test_signature_valid_refuses_sha1():
    body = b"{}"
    sha1 = "sha1=" + hmac.new(SECRET.encode(), body, hashlib.sha1).hexdigest()
    assert not signature_valid(SECRET, body, sha1)


def test_signature_valid_refuses_everything_without_a_secret():
    assert not signature_valid("", b"{}", signed(b"{}", ""))


def test_parse_webhook_reads_delivered_read_and_failed_statuses(
    fake_whatsapp: FakeWhatsApp,  # noqa: F811
):
    payload = fake_whatsapp.statuses_payload(
        [("wamid.A", "delivered", None), ("wamid.B", "read", None), ("wamid.C", "failed", 131026)]
    )
    payload["entry"][0]["changes"][0]["value"]["statuses"][0]["timestamp"] = "1700000000"

    statuses, replies = parse_webhook(payload)

    assert replies == []
    assert [(s.provider_message_id, s.status) for s in statuses] == [
        ("wamid.A", "delivered"),
        ("wamid.B", "read"),
        ("wamid.C", "failed"),
    ]
    assert statuses[0] == StatusEvent(
        "wamid.A", "delivered", datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC), None
    )
    assert statuses[1].error is None
    assert statuses[2].error == "131026: Message Undeliverable"


def test_parse_webhook_failed_status_carries_details():
    payload = {
        "entry": [{"changes": [{"field": "messages", "value": {"statuses": [{
            "id": "wamid.X", "status": "failed", "timestamp": "1700000000",
            "recipient_id": "6281234567890",
            "errors": [{"code": 131047, "title": "Re-engagement message",
                        "error_data": {"details": "More than 24 hours have passed"}}],
        }]}}]}]
    }
    [status], _ = parse_webhook(payload)
    assert status.error == "131047: Re-engagement message (More than 24 hours have passed)"


def test_parse_webhook_reads_a_stop_reply(fake_whatsapp: FakeWhatsApp):  # noqa: F811
    statuses, [reply] = parse_webhook(fake_whatsapp.reply_payload("6281234567890", "STOP"))

    assert statuses == []
    assert isinstance(reply, ReplyEvent)
    assert reply.phone == "+6281234567890"
    assert reply.text == "STOP"
    assert reply.at.tzinfo is not None
    assert is_stop_request(reply.text)


def test_parse_webhook_reads_button_replies():
    messages = [
        {"from": "628111", "timestamp": "1700000000", "type": "button",
         "button": {"text": "Berhenti", "payload": "STOP"}},
        {"from": "628222", "timestamp": "1700000000", "type": "interactive",
         "interactive": {"type": "button_reply", "button_reply": {"id": "b1", "title": "Ya"}}},
        {"from": "628333", "timestamp": "1700000000", "type": "image", "image": {"id": "1"}},
    ]
    payload = {"entry": [{"changes": [{"field": "messages", "value": {"messages": messages}}]}]}

    _, replies = parse_webhook(payload)

    assert [(r.phone, r.text) for r in replies] == [("+628111", "Berhenti"), ("+628222", "Ya")]


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "text",
        [],
        {},
        {"entry": "x"},
        {"entry": [None, {"changes": None}, {"changes": [{"value": []}]}]},
        {"entry": [{"changes": [{"field": "messages", "value": {"statuses": [
            {"id": "wamid.A", "status": "delivered", "timestamp": "not a time"},
            {"id": 5, "status": "read", "timestamp": "1700000000"},
            {"id": "wamid.B", "status": "exploded", "timestamp": "1700000000"},
            {"id": "wamid.C", "status": "read", "timestamp": "99999999999999999999"},
        ], "messages": [
            {"from": "", "type": "text", "text": {"body": "x"}, "timestamp": "1700000000"},
            {"from": "628", "type": "text", "text": "x", "timestamp": "1700000000"},
            {"from": "628", "type": "text", "text": {"body": None}, "timestamp": "1"},
        ]}}]}]},
        {"entry": [{"changes": [{"field": "account_update", "value": {"statuses": [
            {"id": "wamid.A", "status": "read", "timestamp": "1700000000"}]}}]}]},
    ],
)
def test_parse_webhook_gives_nothing_for_malformed_payloads(payload):
    assert parse_webhook(payload) == ([], [])


@pytest.mark.parametrize(
    "text",
    ["STOP", "stop", " Stop! ", "berhenti", "BERHENTI.", "unsubscribe", "stop pesan",
     "Stop  Pesan", "«stop»", "stop 🙏"],
)
def test_stop_keywords_are_stop_requests(text):
    assert is_stop_request(text)


@pytest.mark.parametrize(
    "text",
    ["saya tidak bisa stop di sana besok", "jangan berhenti", "stopwatch", "", "   ", "ok",
     "terima kasih"],
)
def test_sentences_are_not_stop_requests(text):
    assert not is_stop_request(text)


def test_handshake_echoes_the_challenge_for_our_token(fake_whatsapp: FakeWhatsApp):  # noqa: F811
    config = config_for(fake_whatsapp)
    assert verify_handshake(config, "subscribe", "verify-me", "1158201444") == "1158201444"


@pytest.mark.parametrize(
    ("mode", "token", "challenge"),
    [
        ("subscribe", "wrong", "1"),
        ("unsubscribe", "verify-me", "1"),
        (None, "verify-me", "1"),
        ("subscribe", None, "1"),
        ("subscribe", "verify-me", None),
        ("subscribe", "vérify", "1"),
    ],
)
def test_handshake_refuses_anything_else(fake_whatsapp, mode, token, challenge):  # noqa: F811
    assert verify_handshake(config_for(fake_whatsapp), mode, token, challenge) is None


def test_handshake_refuses_when_no_verify_token_is_set():
    config = CloudConfig("https://graph.example/v21.0", "t", "1", verify_token="")
    assert verify_handshake(config, "subscribe", "", "1") is None


class _Receiver(BaseHTTPRequestHandler):
    """A webhook endpoint that keeps what it was sent."""

    seen: list[tuple[bytes, str | None]]

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append((body, self.headers.get("X-Hub-Signature-256")))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture
def webhook_receiver() -> Iterator[tuple[str, list[tuple[bytes, str | None]]]]:
    seen: list[tuple[bytes, str | None]] = []
    handler = type("Receiver", (_Receiver,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/whatsapp", seen
    server.shutdown()
    server.server_close()


def test_fake_signs_webhooks_that_signature_valid_accepts(
    cloud: WhatsAppCloud, fake_whatsapp: FakeWhatsApp, webhook_receiver  # noqa: F811
):
    url, seen = webhook_receiver
    wamid = cloud.send(ticket())

    response = fake_whatsapp.deliver_statuses(url, SECRET, [(wamid, "failed", 131026)])
    fake_whatsapp.send_reply(url, SECRET, "628111", "stop")

    assert response.status_code == 200
    assert len(seen) == 2
    for body, header in seen:
        assert signature_valid(SECRET, body, header)
        assert not signature_valid("other", body, header)
    [status], _ = parse_webhook(json.loads(seen[0][0]))
    assert (status.provider_message_id, status.status) == (wamid, "failed")
    _, [reply] = parse_webhook(json.loads(seen[1][0]))
    assert (reply.phone, reply.text) == ("+628111", "stop")


def test_fake_reports_the_number_a_wamid_was_sent_to(
    cloud: WhatsAppCloud, fake_whatsapp: FakeWhatsApp  # noqa: F811
):
    wamid = cloud.send(ticket(recipient="+6285700001111"))
    payload = fake_whatsapp.statuses_payload([(wamid, "delivered", None)])
    assert payload["entry"][0]["changes"][0]["value"]["statuses"][0]["recipient_id"] == (
        "6285700001111"
    )
