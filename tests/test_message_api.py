"""The messages API, the WhatsApp webhook and the stop link: the HTTP contract."""

import hashlib
import hmac
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.models import Message, MessageOptOut, Organization
from service.services.messaging import optout
from tests import factories as f

SECRET = "app-secret-padang"


@pytest.fixture
def channels(monkeypatch: pytest.MonkeyPatch) -> None:
    from service.settings import get_settings

    s = get_settings()
    for name, value in {"whatsapp_api_url": "http://127.0.0.1:9/v21.0",
                        "whatsapp_token": "tok", "whatsapp_phone_number_id": "1",
                        "smtp_host": "127.0.0.1", "whatsapp_app_secret": SECRET,
                        "whatsapp_verify_token": "verifikasi-padang"}.items():
        monkeypatch.setattr(s, name, value)


@pytest.fixture
def world(db: Session, admin: Any) -> Any:
    org = db.get(Organization, admin.organization_id)
    assert org is not None
    t = f.training(db, org)
    b = f.batch(db, t)
    regs = f.register_many(db, t, b, 4)
    return t, b, regs


def _sign(body: bytes) -> dict[str, str]:
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def _notification(value: dict[str, Any]) -> bytes:
    return json.dumps({"object": "whatsapp_business_account", "entry": [{
        "id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "1"},
            **value}}]}]}).encode()


def test_a_bulk_send_is_queued_and_answered_202(api: TestClient, world: Any,
                                               channels: None) -> None:
    t, b, _regs = world
    r = api.post(f"/api/trainings/{t.id}/messages",
                 json={"kind": "reminder", "channel": "whatsapp", "batch_id": b.id})
    assert r.status_code == 202, r.text
    assert r.json()["queued"] == 4


def test_the_log_lists_each_message_with_its_state(api: TestClient, world: Any,
                                                   channels: None) -> None:
    t, _b, regs = world
    api.post(f"/api/trainings/{t.id}/messages", json={"kind": "ticket", "channel": "both"})
    r = api.get(f"/api/trainings/{t.id}/messages", params={"registration_id": regs[0].id})
    assert r.status_code == 200
    (item,) = r.json()["items"]
    assert {"id", "registration_id", "channel", "kind", "status", "attempts", "error",
            "sent_at", "delivered_at"} <= set(item)
    assert (item["registration_id"], item["status"], item["channel"]) == \
        (regs[0].id, "queued", "whatsapp")
    assert api.get(f"/api/trainings/{t.id}/messages",
                   params={"status": "failed"}).json()["items"] == []


def test_an_unknown_kind_is_refused_in_indonesian(api: TestClient, world: Any,
                                                  channels: None, db: Session) -> None:
    t, *_ = world
    r = api.post(f"/api/trainings/{t.id}/messages", json={"kind": "spam", "channel": "both"})
    assert r.status_code == 422 and "kind" in r.text
    assert db.exec(select(Message)).all() == []


def test_a_custom_message_without_text_is_refused(api: TestClient, world: Any,
                                                  channels: None) -> None:
    t, *_ = world
    r = api.post(f"/api/trainings/{t.id}/messages", json={"kind": "custom", "channel": "both"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "text"
    assert "pesan" in r.json()["message"].lower()  # Indonesian, the default language


def test_without_a_channel_the_answer_says_what_to_set_up(api: TestClient,
                                                          world: Any) -> None:
    t, *_ = world
    r = api.post(f"/api/trainings/{t.id}/messages", json={"kind": "ticket", "channel": "email"})
    assert r.status_code == 409 and r.json()["code"] == "channel_not_configured"
    assert "SMTP" in r.json()["message"]


def test_another_offices_training_is_not_found(api: TestClient, db: Session,
                                               channels: None) -> None:
    other = f.training(db, f.organization(db, "DP2KB Kota Palembang"))
    assert api.post(f"/api/trainings/{other.id}/messages",
                    json={"kind": "ticket", "channel": "both"}).status_code == 404
    assert api.get(f"/api/trainings/{other.id}/messages").status_code == 404


def test_resend_requeues_the_failed(api: TestClient, world: Any, channels: None,
                                    db: Session) -> None:
    t, *_ = world
    api.post(f"/api/trainings/{t.id}/messages", json={"kind": "ticket", "channel": "whatsapp"})
    for m in db.exec(select(Message).where(Message.training_id == t.id)).all()[:2]:
        m.status, m.error = "failed", "WhatsApp 131000: Something went wrong"
    db.flush()
    r = api.post(f"/api/trainings/{t.id}/messages/resend")
    assert r.json() == {"queued": 2}


def test_rules_turn_on_and_show_their_schedule(api: TestClient, db: Session, admin: Any,
                                               channels: None) -> None:
    org = db.get(Organization, admin.organization_id)
    assert org is not None
    t = f.training(db, org, start=date(datetime.now(UTC).year + 1, 3, 2))
    b = f.batch(db, t)
    f.register_many(db, t, b, 3)
    r = api.put(f"/api/trainings/{t.id}/message-rules/day_before",
                json={"enabled": True, "hour": 16, "channel": "whatsapp"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert {"rule": "day_before", "enabled": True, "hour": 16, "channel": "whatsapp"} \
        in data["rules"]
    assert [(p["batch_id"], p["people"], p["queued"]) for p in data["scheduled"]] == \
        [(b.id, 3, 0)]


def test_a_rule_hour_beyond_the_day_is_refused(api: TestClient, world: Any) -> None:
    t, *_ = world
    r = api.put(f"/api/trainings/{t.id}/message-rules/day_before",
                json={"enabled": True, "hour": 25})
    assert r.status_code == 422


def test_an_unsigned_webhook_is_refused_and_changes_nothing(client: TestClient, db: Session,
                                                            channels: None) -> None:
    body = _notification({"messages": [{"from": "6281266340000", "id": "wamid.X",
                                        "timestamp": "1536660000", "type": "text",
                                        "text": {"body": "STOP"}}]})
    r = client.post("/hooks/whatsapp", content=body,
                    headers={"Content-Type": "application/json",
                             "X-Hub-Signature-256": "sha256=" + "0" * 64})
    assert r.status_code == 403
    assert db.exec(select(MessageOptOut)).all() == []


def test_a_signed_stop_reply_stops_messages_to_that_phone(client: TestClient, db: Session,
                                                          channels: None) -> None:
    body = _notification({"messages": [{"from": "6281266340000", "id": "wamid.Y",
                                        "timestamp": "1536660000", "type": "text",
                                        "text": {"body": "Stop"}}]})
    r = client.post("/hooks/whatsapp", content=body, headers=_sign(body))
    assert r.status_code == 200 and r.json()["stops"] == 1
    assert optout.is_opted_out(db, "whatsapp", "+6281266340000")


def test_a_signed_delivery_report_updates_the_message(api: TestClient, client: TestClient,
                                                      world: Any, channels: None,
                                                      db: Session) -> None:
    t, *_ = world
    api.post(f"/api/trainings/{t.id}/messages", json={"kind": "ticket", "channel": "whatsapp"})
    message = db.exec(select(Message).where(Message.training_id == t.id)).first()
    assert message is not None
    message.status, message.provider_message_id = "sent", "wamid.HBgLNjI4MTI="
    db.flush()
    body = _notification({"statuses": [{"id": "wamid.HBgLNjI4MTI=", "status": "delivered",
                                        "timestamp": "1536660000",
                                        "recipient_id": "6281266340000"}]})
    assert client.post("/hooks/whatsapp", content=body, headers=_sign(body)).status_code == 200
    db.refresh(message)
    assert message.status == "delivered" and message.delivered_at is not None


def test_a_signed_notification_we_cannot_read_is_still_acknowledged(
        client: TestClient, channels: None) -> None:
    body = b'{"object": "whatsapp_business_account", "entry": "?"}'
    r = client.post("/hooks/whatsapp", content=body, headers=_sign(body))
    assert r.status_code == 200 and r.json() == {"statuses": 0, "stops": 0}


def test_the_webhook_handshake_echoes_the_challenge(client: TestClient, channels: None) -> None:
    ok = client.get("/hooks/whatsapp", params={"hub.mode": "subscribe",
                                               "hub.verify_token": "verifikasi-padang",
                                               "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.text == "1158201444"
    wrong = client.get("/hooks/whatsapp", params={"hub.mode": "subscribe",
                                                  "hub.verify_token": "tebakan",
                                                  "hub.challenge": "1158201444"})
    assert wrong.status_code == 403


def test_the_stop_link_asks_first_then_stops(api: TestClient, client: TestClient,
                                             world: Any, channels: None, db: Session) -> None:
    t, _b, regs = world
    api.post(f"/api/trainings/{t.id}/messages", json={"kind": "ticket", "channel": "whatsapp"})
    message = db.exec(select(Message).where(Message.training_id == t.id)).first()
    assert message is not None
    token = optout.token(db, message.id or 0)
    page = client.get(f"/berhenti/{token}")
    assert page.status_code == 200 and message.recipient not in page.text
    digits = message.recipient.lstrip("+")
    assert f"+{digits[:4]}****{digits[-3:]}" in page.text
    assert not optout.is_opted_out(db, "whatsapp", message.recipient)  # a GET changes nothing
    done = client.post(f"/berhenti/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and 'id="stop-done"' in done.text
    assert optout.is_opted_out(db, "whatsapp", message.recipient)


def test_a_forged_stop_link_is_not_found(client: TestClient, channels: None) -> None:
    assert client.get("/berhenti/1-000000000000000000000000").status_code == 404
    assert client.post("/berhenti/99999999999999999999999-x").status_code == 404
