"""Messages by rule, per training: a reminder the day before (H-1) each batch meets, at
an hour of the training's own time zone, and the certificate link once it is issued.
Each rule is off until the committee turns it on.

The worker looks at the rules every minute (queue_due). A reminder's idempotency key
names its batch day, so looking again queues nothing twice, while someone registered
after the first look still gets theirs. A reminder that could not go before its day
began is not sent late: the window closes at midnight.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from service.errors import FieldError
from service.i18n import N_
from service.models import Batch, Message, Registration, Training
from service.models.base import as_utc, pk, utcnow
from service.models.messages import RULES, MessageRule
from service.services.meeting_days import days_of
from service.services.messaging import outbox
from service.settings import get_settings

DEFAULT_HOUR = 16  # the afternoon before: after work, before the evening


def rules(db: Session, training: Training) -> dict[str, MessageRule]:
    """Every rule of the training, stored or (off) by default."""
    stored = {r.rule: r for r in db.exec(select(MessageRule).where(
        MessageRule.training_id == pk(training))).all()}
    return {name: stored.get(name) or MessageRule(training_id=pk(training), rule=name,
                                                  enabled=False, hour=DEFAULT_HOUR)
            for name in RULES}


def set_rule(db: Session, training: Training, rule: str, enabled: bool, hour: int,
             channel: str, base_url: str) -> MessageRule:
    if rule not in RULES:
        raise FieldError("rule", N_("Unknown reminder rule."))
    if not 0 <= hour <= 23:
        raise FieldError("hour", N_("Choose an hour from 0 to 23."))
    if channel not in outbox.CHANNEL_CHOICES:
        raise FieldError("channel", N_("Choose WhatsApp, email or both."))
    row = db.get(MessageRule, (pk(training), rule))
    if row is None:
        row = MessageRule(training_id=pk(training), rule=rule)
        db.add(row)
    row.enabled, row.hour, row.channel = enabled, hour, channel
    row.base_url = base_url[:200]
    row.updated_at = utcnow()
    db.flush()
    return row


def reminder_days(batch: Batch) -> list[date]:
    """The days a reminder precedes: each day the batch meets that does not follow
    another of its days (a three-day workshop is reminded once, before it starts)."""
    days = days_of(batch)
    meets = set(days)
    return [d for d in days if d - timedelta(days=1) not in meets]


def send_time(training: Training, day: date, hour: int) -> datetime:
    """The moment (UTC) of a reminder for `day`: the hour, the day before, locally."""
    zone = ZoneInfo(training.timezone)
    local = datetime.combine(day - timedelta(days=1), time(hour), tzinfo=zone)
    return local.astimezone(ZoneInfo("UTC"))


def _day_start(training: Training, day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(training.timezone))


@dataclass(frozen=True)
class Planned:
    """One reminder of the schedule the committee sees."""

    batch: Batch
    day: date
    at: datetime  # UTC
    people: int
    queued: int  # messages already written for it


def schedule(db: Session, training: Training, now: datetime | None = None) -> list[Planned]:
    """The training's reminders from now on (and today's already written), by time."""
    now = now or utcnow()
    rule = rules(db, training)["day_before"]
    batches = list(db.exec(select(Batch).where(Batch.training_id == pk(training))
                           .order_by(col(Batch.start_date), col(Batch.id))).all())
    counts = _confirmed_counts(db, training)
    written = _written(db, training)
    planned = []
    for batch in batches:
        for day in reminder_days(batch):
            if _day_start(training, day) <= now:
                continue
            planned.append(Planned(batch, day, send_time(training, day, rule.hour),
                                   counts.get(pk(batch), 0),
                                   written.get(_action(batch, day), 0)))
    return sorted(planned, key=lambda p: (p.at, p.batch.name))


def _confirmed_counts(db: Session, training: Training) -> dict[int, int]:
    rows = db.exec(select(Registration.batch_id, func.count()).where(
        Registration.training_id == pk(training), Registration.status == "confirmed")
        .group_by(col(Registration.batch_id))).all()
    return {b: n for b, n in rows if b is not None}


def _action(batch: Batch, day: date) -> str:
    return f"rule-{pk(batch)}-{day.isoformat()}"


def _written(db: Session, training: Training) -> dict[str, int]:
    """Reminder messages already written, per rule action (batch and day): one query for
    the whole schedule."""
    keys = db.exec(select(Message.idempotency_key).where(
        Message.training_id == pk(training), Message.kind == "reminder",
        col(Message.idempotency_key).startswith("rule-"))).all()
    found: dict[str, int] = {}
    for key in keys:
        action = key.split(":", 1)[0]
        found[action] = found.get(action, 0) + 1
    return found


def queue_due(db: Session, now: datetime | None = None) -> int:
    """Queue every reminder whose hour has come and whose day has not begun; how many
    messages were written (those written before are not written again)."""
    now = now or utcnow()
    queued = 0
    for rule in db.exec(select(MessageRule).where(MessageRule.rule == "day_before",
                                                  col(MessageRule.enabled))).all():
        training = db.get(Training, rule.training_id)
        if training is None:
            continue
        for batch in db.exec(select(Batch).where(Batch.training_id == pk(training))).all():
            for day in reminder_days(batch):
                if send_time(training, day, rule.hour) <= now < _day_start(training, day):
                    queued += _queue_reminder(db, training, rule, batch, day)
    return queued


def _queue_reminder(db: Session, training: Training, rule: MessageRule, batch: Batch,
                    day: date) -> int:
    request = outbox.SendRequest(kind="reminder", channel=rule.channel, batch_id=pk(batch),
                                 idempotency_key=_action(batch, day))
    try:
        return outbox.queue(db, training, request, _base_url(rule), day=day).queued
    except outbox.ChannelNotConfigured:
        return 0  # nothing to send with: the page says so beside the rule


def _base_url(rule: MessageRule) -> str:
    return get_settings().public_base_url.rstrip("/") or rule.base_url


def certificates_issued(db: Session, training: Training, registration_ids: list[int],
                        base_url: str) -> int:
    """After issuing: the certificate link to each new holder, when the training's
    rule says so (in the issuing's own transaction); how many messages."""
    rule = rules(db, training)["certificate_ready"]
    if not rule.enabled or not registration_ids:
        return 0
    request = outbox.SendRequest(kind="certificate", channel=rule.channel,
                                 idempotency_key="certificate-ready")
    try:
        return outbox.queue(db, training, request, base_url or _base_url(rule),
                            registration_ids=registration_ids).queued
    except outbox.ChannelNotConfigured:
        return 0


def as_local(training: Training, moment: datetime) -> datetime:
    return as_utc(moment).astimezone(ZoneInfo(training.timezone))
