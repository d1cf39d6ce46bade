"""The demo's message history: what the Padang committee sent around its 2018 training, as
if its WhatsApp number had been set up then (the demo itself sends nothing: no channel is
configured until the office sets one).

Tickets to all 421 by WhatsApp a week before, most read, a few failed (numbers not on
WhatsApp, a phone switched off for days); the email ticket to the few with an address;
the H-1 reminder of each angkatan; Angkatan I's certificate links; one cadre who replied
STOP. Both rules are on, so the messages page shows its schedule too.
"""

import random
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from service.models import Batch, Message, Training
from service.models.base import pk
from service.services.messaging import optout, outbox, reminders

BASE = "http://127.0.0.1:8000"
_FAILURES = ("WhatsApp 131026: Message undeliverable (nomor tidak terdaftar di WhatsApp)",
             "WhatsApp 131049: Pesan tidak terkirim untuk menjaga kualitas percakapan "
             "(menyerah setelah 8 kali mencoba)")


def seed_messages(db: Session, training: Training, batches: list[Batch], user_id: int | None,
                  seed: int = 2018) -> int:
    """Write the history; how many messages."""
    rng = random.Random(seed)
    both = ("whatsapp", "email")
    outbox.queue(db, training, outbox.SendRequest("ticket", "both", idempotency_key="demo"),
                 BASE, user_id, channels=both)
    _settle(db, training, "ticket", datetime(2018, 9, 5, 2, tzinfo=UTC), rng)
    for batch in batches:
        day = batch.start_date
        outbox.queue(db, training, outbox.SendRequest(
            "reminder", "whatsapp", pk(batch), idempotency_key=f"rule-{pk(batch)}-{day}"),
            BASE, None, day=day, channels=both)
        _settle(db, training, "reminder", _afternoon_before(day), rng)
    outbox.queue(db, training, outbox.SendRequest("certificate", "whatsapp",
                                                  idempotency_key="demo"),
                 BASE, user_id, channels=both)
    _settle(db, training, "certificate", datetime(2018, 9, 14, 3, tzinfo=UTC), rng)
    reminders.set_rule(db, training, "day_before", True, 16, "both", BASE)
    reminders.set_rule(db, training, "certificate_ready", True, 16, "both", BASE)
    stopped = db.exec(select(Message).where(Message.training_id == pk(training),
                                            Message.channel == "whatsapp")
                      .order_by(col(Message.id).desc())).first()
    if stopped is not None:
        optout.opt_out(db, "whatsapp", stopped.recipient, "reply")
    db.flush()
    return len(list(db.exec(select(Message.id).where(Message.training_id == pk(training)))))


def _afternoon_before(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC) - timedelta(days=1)


def _settle(db: Session, training: Training, kind: str, at: datetime,
            rng: random.Random) -> None:
    """Give the queued messages of this kind the states the provider reported."""
    for message in db.exec(select(Message).where(Message.training_id == pk(training),
                                                 Message.kind == kind,
                                                 Message.status == "queued")).all():
        roll = rng.random()
        message.created_at = at
        message.attempts = 1
        if roll < 0.04 and message.channel == "whatsapp":
            message.status, message.failed_at = "failed", at + timedelta(minutes=2)
            message.error = rng.choice(_FAILURES)
            continue
        message.sent_at = at + timedelta(seconds=rng.randint(5, 90))
        message.provider_message_id = f"wamid.demo{message.id}"
        if message.channel == "email" or roll < 0.09:
            message.status = "sent"
            continue
        message.delivered_at = message.sent_at + timedelta(seconds=rng.randint(2, 600))
        if roll < 0.25:
            message.status = "delivered"
            continue
        message.status = "read"
        message.read_at = message.delivered_at + timedelta(minutes=rng.randint(1, 600))
        db.add(message)
