"""Queueing messages: who gets what, on which channel, once (services, no HTTP)."""

import json
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from sqlmodel import Session, select

from service.errors import DomainError, FieldError, NotFound
from service.models import Message, Organization, Participant, Registration
from service.services import self_registration
from service.services.messaging import log, optout, outbox, reminders, webhook
from service.services.messaging.whatsapp_cloud import ReplyEvent, StatusEvent
from tests import factories as f

BASE = "https://bimtek.padang.example"
NEXT_YEAR = date(datetime.now(UTC).year + 1, 3, 2)  # open for self-registration


@pytest.fixture
def channels(monkeypatch: pytest.MonkeyPatch) -> None:
    """WhatsApp and email both set up (nothing is sent: no worker runs here)."""
    from service.settings import get_settings

    s = get_settings()
    for name, value in {"whatsapp_api_url": "http://127.0.0.1:9/v21.0",
                        "whatsapp_token": "tok", "whatsapp_phone_number_id": "1",
                        "smtp_host": "127.0.0.1"}.items():
        monkeypatch.setattr(s, name, value)


@pytest.fixture
def world(db: Session) -> Any:
    org = f.organization(db)
    t = f.training(db, org)
    one = f.batch(db, t, "Angkatan I")
    two = f.batch(db, t, "Angkatan II", start=date(2018, 9, 17))
    regs = f.register_many(db, t, one, 3) + f.register_many(db, t, two, 2, first=3)
    person = db.get(Participant, regs[0].participant_id)
    assert person is not None
    person.email = "kader01@example.id"
    db.flush()
    return t, one, two, regs


def _committee(db: Session, t: Any) -> Any:
    org = db.get(Organization, t.organization_id)
    assert org is not None
    return f.user(db, org, role="admin")


def _messages(db: Session, t: Any) -> list[Message]:
    return list(db.exec(select(Message).where(Message.training_id == t.id)
                        .order_by(Message.id)).all())


def test_a_ticket_to_everyone_is_one_row_per_person_and_channel(db: Session, world: Any,
                                                                 channels: None) -> None:
    t, *_ = world
    report = outbox.queue(db, t, outbox.SendRequest("ticket", "both"), BASE)
    assert (report.queued, report.people) == (6, 5)  # 5 WhatsApp, 1 email
    assert report.without_address == {"whatsapp": 0, "email": 4}
    rows = _messages(db, t)
    assert {m.status for m in rows} == {"queued"}
    email = next(m for m in rows if m.channel == "email")
    assert email.recipient == "kader01@example.id" and "/t/" in email.body
    assert email.html is not None and "Buka tiket Anda" in email.html


def test_whatsapp_carries_the_template_and_its_parameters(db: Session, world: Any,
                                                          channels: None) -> None:
    t, one, _two, regs = world
    outbox.queue(db, t, outbox.SendRequest("ticket", "whatsapp", one.id), BASE)
    first = _messages(db, t)[0]
    params = json.loads(first.params)
    assert first.template == "bimtek_tiket" and first.recipient == "+6281266340000"
    assert params[0] == "Kader 01 Nur'aini" and params[1].endswith("(Angkatan I)")
    assert params[3] == f"{BASE}/t/{regs[0].ticket_token}"


def test_the_same_action_twice_queues_once(db: Session, world: Any, channels: None) -> None:
    t, *_ = world
    request = outbox.SendRequest("reminder", "whatsapp", idempotency_key="klik-1")
    assert outbox.queue(db, t, request, BASE).queued == 5
    assert outbox.queue(db, t, request, BASE).queued == 0
    assert len(_messages(db, t)) == 5


def test_only_those_not_reached_skips_who_already_got_it(db: Session, world: Any,
                                                         channels: None) -> None:
    t, *_ = world
    outbox.queue(db, t, outbox.SendRequest("ticket", "whatsapp"), BASE)
    delivered = _messages(db, t)[:3]
    for m in delivered:
        m.status = "delivered"
    db.flush()
    report = outbox.queue(db, t, outbox.SendRequest("ticket", "whatsapp",
                                                    only="not_reached"), BASE)
    assert report.queued == 2


def test_only_those_absent_today_follows_the_door(db: Session, world: Any, channels: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    t, one, _two, regs = world
    admin = _committee(db, t)
    f.check_in(db, regs[0], one.start_date, admin)
    from service.services import training_clock

    monkeypatch.setattr(training_clock, "today", lambda _t, _now=None: one.start_date)
    report = outbox.queue(db, t, outbox.SendRequest("reminder", "whatsapp",
                                                    only="absent_today"), BASE)
    # Angkatan I meets today: two of its three are not in; Angkatan II does not meet.
    assert report.queued == 2


def test_a_custom_message_fills_in_the_placeholders(db: Session, world: Any,
                                                    channels: None) -> None:
    t, one, _two, regs = world
    text = "Besok {angkatan} mulai pukul 08.00 di {tempat}. Tiket: {tiket} {lain}"
    outbox.queue(db, t, outbox.SendRequest("custom", "whatsapp", one.id, text=text), BASE)
    body = _messages(db, t)[0].body
    assert "Besok Angkatan I mulai" in body and f"/t/{regs[0].ticket_token}" in body
    assert "{lain}" in body  # what is not a placeholder stays as typed


def test_an_empty_custom_message_is_refused(db: Session, world: Any, channels: None) -> None:
    t, *_ = world
    with pytest.raises(FieldError):
        outbox.queue(db, t, outbox.SendRequest("custom", "both", text="   "), BASE)
    assert _messages(db, t) == []


def test_a_channel_not_set_up_is_a_clear_conflict(db: Session, world: Any) -> None:
    t, *_ = world
    with pytest.raises(outbox.ChannelNotConfigured) as refused:
        outbox.queue(db, t, outbox.SendRequest("ticket", "whatsapp"), BASE)
    assert refused.value.status == 409 and "WhatsApp" in refused.value.text()


def test_another_trainings_batch_is_not_found(db: Session, world: Any, channels: None) -> None:
    t, *_ = world
    other = f.batch(db, f.training(db, f.organization(db, "Dinas Lain")))
    with pytest.raises(NotFound):
        outbox.queue(db, t, outbox.SendRequest("ticket", "both", other.id), BASE)


def test_who_asked_to_stop_gets_nothing_more(db: Session, world: Any, channels: None) -> None:
    t, *_ = world
    optout.opt_out(db, "whatsapp", "+6281266340001", "reply")
    report = outbox.queue(db, t, outbox.SendRequest("ticket", "whatsapp"), BASE)
    assert (report.queued, report.opted_out) == (4, 1)
    assert "+6281266340001" not in {m.recipient for m in _messages(db, t)}


def test_a_stop_reply_ends_what_is_still_queued(db: Session, world: Any, channels: None) -> None:
    t, *_ = world
    outbox.queue(db, t, outbox.SendRequest("ticket", "whatsapp"), BASE)
    now = datetime.now(UTC)
    done = webhook.apply(db, [], [ReplyEvent("+6281266340002", " stop! ", now)])
    assert done.stops == 1
    stopped = [m for m in _messages(db, t) if m.recipient == "+6281266340002"]
    assert [(m.status, m.error) for m in stopped] == [("failed", optout.STOPPED)]


def test_delivery_reports_move_forward_only(db: Session, world: Any, channels: None) -> None:
    t, *_ = world
    outbox.queue(db, t, outbox.SendRequest("ticket", "whatsapp"), BASE)
    message = _messages(db, t)[0]
    message.status, message.provider_message_id = "sent", "wamid.A"
    db.flush()
    at = datetime(2018, 9, 11, 9, tzinfo=UTC)
    webhook.apply(db, [StatusEvent("wamid.A", "read", at, None),
                       StatusEvent("wamid.A", "delivered", at.replace(minute=1), None)], [])
    assert message.status == "read" and message.delivered_at is not None


def test_a_failed_report_records_the_reason(db: Session, world: Any, channels: None) -> None:
    t, *_ = world
    outbox.queue(db, t, outbox.SendRequest("ticket", "whatsapp"), BASE)
    message = _messages(db, t)[0]
    message.status, message.provider_message_id = "sent", "wamid.B"
    db.flush()
    webhook.apply(db, [StatusEvent("wamid.B", "failed", datetime.now(UTC),
                                   "131026: Message undeliverable")], [])
    assert (message.status, message.error) == ("failed", "131026: Message undeliverable")


def test_resend_failed_requeues_all_but_the_stopped(db: Session, world: Any,
                                                    channels: None) -> None:
    t, *_ = world
    outbox.queue(db, t, outbox.SendRequest("ticket", "whatsapp"), BASE)
    for m in _messages(db, t)[:3]:
        m.status, m.error = "failed", "WhatsApp 131000: Something went wrong"
    db.flush()
    optout.opt_out(db, "whatsapp", _messages(db, t)[0].recipient, "reply")
    assert outbox.resend_failed(db, t) == 2
    assert log.counts(db, t)["queued"] == 4


def test_the_participant_list_reads_each_persons_last_state(db: Session, world: Any,
                                                            channels: None) -> None:
    t, _one, _two, regs = world
    outbox.queue(db, t, outbox.SendRequest("ticket", "whatsapp"), BASE)
    outbox.queue(db, t, outbox.SendRequest("reminder", "whatsapp"), BASE)
    states = log.last_states(db, t, [r.id for r in regs])
    assert {s.kind for s in states.values()} == {"reminder"} and len(states) == 5


def test_self_registration_queues_the_ticket(db: Session, channels: None) -> None:
    t = f.training(db, f.organization(db), start=NEXT_YEAR)
    f.batch(db, t)
    reg = self_registration.self_register(
        db, t, {"name": "Ns. Yuliani, S.Kep", "phone": "0813 7441 2088",
                "email": "yuli@example.id"}, None, BASE)
    sent = list(db.exec(select(Message).where(Message.registration_id == reg.id)).all())
    assert sorted(m.channel for m in sent) == ["email", "whatsapp"]
    assert {m.kind for m in sent} == {"ticket"}


def test_self_registration_without_a_channel_still_registers(db: Session) -> None:
    t = f.training(db, f.organization(db), start=NEXT_YEAR)
    f.batch(db, t)
    reg = self_registration.self_register(db, t, {"name": "Sukarni", "phone": "081374412088"},
                                          None, BASE)
    assert reg.status == "confirmed"
    assert db.exec(select(Message).where(Message.registration_id == reg.id)).all() == []


def test_issuing_sends_the_certificate_link_when_the_rule_is_on(db: Session, world: Any,
                                                                channels: None) -> None:
    t, one, _two, regs = world
    reminders.set_rule(db, t, "certificate_ready", True, 16, "whatsapp", BASE)
    admin = _committee(db, t)
    for day in (one.start_date, one.end_date):
        for reg in regs[:3]:
            f.check_in(db, reg, day, admin)
    f.certificate_template_for(db, t)
    certificates = f.issue_certificates(db, t)
    sent = [m for m in _messages(db, t) if m.kind == "certificate"]
    assert len(sent) == len(certificates) >= 1
    assert all("/certificate.pdf" in m.body for m in sent)


def test_issuing_sends_nothing_while_the_rule_is_off(db: Session, world: Any,
                                                     channels: None) -> None:
    t, one, _two, regs = world
    admin = _committee(db, t)
    for reg in regs[:3]:
        f.check_in(db, reg, one.start_date, admin)
        f.check_in(db, reg, one.end_date, admin)
    f.certificate_template_for(db, t)
    assert f.issue_certificates(db, t)
    assert _messages(db, t) == []


def test_a_reminder_goes_the_day_before_at_the_hour_in_the_trainings_zone(
        db: Session, world: Any, channels: None) -> None:
    t, one, _two, _regs = world
    reminders.set_rule(db, t, "day_before", True, 16, "whatsapp", BASE)
    # 16:00 WIB on 11 September is 09:00 UTC.
    assert reminders.send_time(t, one.start_date, 16) == datetime(2018, 9, 11, 9, tzinfo=UTC)
    assert reminders.queue_due(db, datetime(2018, 9, 11, 8, 59, tzinfo=UTC)) == 0
    assert reminders.queue_due(db, datetime(2018, 9, 11, 9, 0, tzinfo=UTC)) == 3
    assert reminders.queue_due(db, datetime(2018, 9, 11, 12, 0, tzinfo=UTC)) == 0  # once
    body = _messages(db, t)[0].body
    assert "Rabu, 12 September 2018" in body


def test_a_reminder_too_late_for_its_day_is_not_sent(db: Session, world: Any,
                                                     channels: None) -> None:
    t, *_ = world
    reminders.set_rule(db, t, "day_before", True, 16, "whatsapp", BASE)
    # 00:30 WIB on the day itself.
    assert reminders.queue_due(db, datetime(2018, 9, 11, 17, 30, tzinfo=UTC)) == 0


def test_reminders_are_off_until_turned_on(db: Session, world: Any, channels: None) -> None:
    t, *_ = world
    assert reminders.queue_due(db, datetime(2018, 9, 11, 10, tzinfo=UTC)) == 0
    assert not reminders.rules(db, t)["day_before"].enabled


def test_the_schedule_lists_each_batchs_reminder(db: Session, world: Any) -> None:
    t, one, two, _regs = world
    reminders.set_rule(db, t, "day_before", True, 7, "both", BASE)
    planned = reminders.schedule(db, t, datetime(2018, 9, 1, tzinfo=UTC))
    assert [(p.batch.name, p.day, p.people) for p in planned] == [
        ("Angkatan I", one.start_date, 3), ("Angkatan II", two.start_date, 2)]
    assert reminders.as_local(t, planned[0].at).time() == time(7)


def test_a_rule_hour_out_of_range_is_refused(db: Session, world: Any) -> None:
    t, *_ = world
    with pytest.raises(DomainError):
        reminders.set_rule(db, t, "day_before", True, 24, "both", BASE)


def test_the_stop_link_names_the_message_not_the_address(db: Session, world: Any,
                                                         channels: None) -> None:
    t, *_ = world
    outbox.queue(db, t, outbox.SendRequest("ticket", "email"), BASE)
    message = _messages(db, t)[0]
    token = optout.token(db, message.id or 0)
    assert "example" not in token and optout.message_for(db, token) == message
    assert optout.message_for(db, token[:-1] + ("0" if token[-1] != "0" else "1")) is None
    assert optout.masked("email", message.recipient) == "k***@example.id"


def test_registration_of_a_cancelled_person_is_not_messaged(db: Session, world: Any,
                                                            channels: None) -> None:
    t, _one, _two, regs = world
    reg = db.get(Registration, regs[1].id)
    assert reg is not None
    reg.status = "cancelled"
    db.flush()
    assert outbox.queue(db, t, outbox.SendRequest("ticket", "whatsapp"), BASE).queued == 4
