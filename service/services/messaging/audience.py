"""Who a bulk message goes to: the confirmed registrations of a training or one batch
(for the certificate link: those holding a valid certificate), narrowed to those absent
today, or to those a message of this kind has not reached yet on a channel."""

from sqlmodel import Session, col, select

from service.models import Certificate, Message, Training
from service.models.base import pk
from service.services import presence, training_clock
from service.services.meeting_days import meets_on
from service.services.registrations import RegistrationFilter, RegistrationRow, all_registrations

REACHED = ("sent", "delivered", "read")
ONLY = ("not_reached", "absent_today")


def people(db: Session, training: Training, kind: str, batch_id: int | None = None,
           only: str | None = None) -> list[RegistrationRow]:
    rows = all_registrations(db, training, RegistrationFilter(batch_id=batch_id,
                                                              status="confirmed"))
    if kind == "certificate":
        holders = set(db.exec(select(Certificate.registration_id).where(
            Certificate.training_id == pk(training),
            col(Certificate.revoked_at).is_(None))).all())
        rows = [r for r in rows if pk(r.registration) in holders]
    if only == "absent_today":
        rows = _absent_today(db, training, rows)
    return rows


def _absent_today(db: Session, training: Training, rows: list[RegistrationRow]
                  ) -> list[RegistrationRow]:
    """Those whose batch meets today (the training's own date) and who are neither
    present nor excused: the ones the committee would phone."""
    today = training_clock.today(training)
    batches = {pk(r.batch): r.batch for r in rows
               if r.batch is not None and meets_on(r.batch, today)}
    if not batches:
        return []
    seen = presence.load(db, training, list(batches.values()))
    return [r for r in rows if r.batch is not None and pk(r.batch) in batches
            and seen.state(pk(r.registration), today).status == presence.ABSENT]


def reached(db: Session, training: Training, kind: str, channel: str,
            key_prefix: str | None = None) -> set[int]:
    """Registrations that a message of this kind has reached on the channel (of one
    test's links: those whose idempotency key starts with `key_prefix`)."""
    query = select(Message.registration_id).where(
        Message.training_id == pk(training), Message.kind == kind,
        Message.channel == channel, col(Message.status).in_(REACHED))
    if key_prefix is not None:
        query = query.where(col(Message.idempotency_key).startswith(key_prefix,
                                                                    autoescape=True))
    return {rid for rid in db.exec(query).all() if rid is not None}

