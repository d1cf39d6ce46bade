"""What the WhatsApp webhook tells us: delivery reports for the messages we sent, and
replies, of which a STOP stops further messages to that phone.

A report moves a message forward only (sent -> delivered -> read): reports can arrive
out of order, and a late "delivered" must not undo a "read". A "failed" report ends a
message that had been accepted (the number is not on WhatsApp, say).
"""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from service.models import Message
from service.services.messaging import optout
from service.services.messaging.whatsapp_cloud import ReplyEvent, StatusEvent, is_stop_request

_ORDER = {"queued": 0, "sending": 1, "sent": 2, "delivered": 3, "read": 4}


@dataclass
class Applied:
    statuses: int = 0
    stops: int = 0


def apply(db: Session, statuses: list[StatusEvent], replies: list[ReplyEvent]) -> Applied:
    done = Applied()
    ids = sorted({s.provider_message_id for s in statuses})
    found = {m.provider_message_id: m for m in db.exec(select(Message).where(
        Message.channel == "whatsapp", col(Message.provider_message_id).in_(ids))).all()} \
        if ids else {}
    for event in sorted(statuses, key=lambda s: s.at):
        message = found.get(event.provider_message_id)
        if message is not None and _apply_status(message, event):
            done.statuses += 1
    for reply in replies:
        if is_stop_request(reply.text):
            optout.opt_out(db, "whatsapp", reply.phone, "reply")
            done.stops += 1
    db.flush()
    return done


def _apply_status(message: Message, event: StatusEvent) -> bool:
    if message.status == "failed":
        return False
    if event.status == "failed":
        message.status, message.failed_at = "failed", event.at
        message.error = (event.error or "WhatsApp: gagal terkirim")[:500]
        return True
    rank = _ORDER.get(event.status)
    if rank is None:
        return False
    if event.status == "delivered" and message.delivered_at is None:
        message.delivered_at = event.at
    if event.status == "read":
        message.read_at = message.read_at or event.at
        message.delivered_at = message.delivered_at or event.at
    if event.status == "sent" and message.sent_at is None:
        message.sent_at = event.at
    if rank > _ORDER.get(message.status, 0):
        message.status = event.status
    return True
