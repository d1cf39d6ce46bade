"""Queueing messages: rows in the outbox, written in the caller's transaction.

Nothing is sent here. A bulk send for 421 people is one request that writes 421 (or
842) rows and answers at once; the worker (messaging/worker.py) sends them. Each row's
idempotency key says what caused it (one action of the committee, one reminder of one
day, one self-registration), so doing the same thing twice queues it once.
"""

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from service.errors import Conflict, FieldError, NotFound
from service.i18n import N_
from service.models import Batch, Message, Registration, Training
from service.models.base import pk, utcnow
from service.models.messages import CHANNELS, KINDS
from service.services import ticket_delivery
from service.services.messaging import audience, compose, learning, optout
from service.services.messaging.whatsapp_cloud import CloudConfig
from service.services.registrations import RegistrationRow
from service.settings import Settings, get_settings

CHANNEL_CHOICES = ("whatsapp", "email", "both")
MAX_TEXT = 1000
_CHUNK = 500  # ids per UPDATE ... IN: well under either database's parameter limit


class ChannelNotConfigured(Conflict):
    code = "channel_not_configured"
    message = N_("No channel is set up for sending: configure WhatsApp "
                 "(BIMTEK_WHATSAPP_*) or email (BIMTEK_SMTP_HOST).")


def configured_channels(settings: Settings | None = None) -> tuple[str, ...]:
    settings = settings or get_settings()
    found = []
    if CloudConfig.from_settings(settings).enabled:
        found.append("whatsapp")
    if settings.smtp_host.strip():
        found.append("email")
    return tuple(found)


@dataclass
class SendRequest:
    kind: str
    channel: str
    batch_id: int | None = None
    only: str | None = None
    text: str | None = None
    # The test whose links go out (kind "test").
    assessment_id: int | None = None
    # The same key twice (a double click, a retried request) queues once.
    idempotency_key: str | None = None


@dataclass
class QueueReport:
    queued: int = 0
    people: int = 0
    without_address: dict[str, int] = field(default_factory=dict)  # channel -> people
    opted_out: int = 0
    channels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    """One message before it is a row."""

    key: str
    row: RegistrationRow
    channel: str
    kind: str
    facts: compose.Facts
    content: compose.Content


def check(db: Session, training: Training, req: SendRequest,
          available: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The channels the request will use; a FieldError or Conflict (nothing queued) if
    it cannot be done."""
    if req.kind not in KINDS:
        raise FieldError("kind", N_("Choose what to send: ticket, reminder, certificate "
                                    "link, test link, evaluation link or your own "
                                    "message."))
    if req.channel not in CHANNEL_CHOICES:
        raise FieldError("channel", N_("Choose WhatsApp, email or both."))
    if req.kind in learning.KINDS:
        if req.only not in (None, "not_reached", learning.NOT_ANSWERED):
            raise FieldError("only", N_("Choose everyone, those not yet reached, or those "
                                        "who have not answered yet."))
    elif req.only not in (None, *audience.ONLY):
        raise FieldError("only", N_("Choose everyone, those not yet reached, or those "
                                    "absent today."))
    if req.kind == "custom":
        text = (req.text or "").strip()
        if not text:
            raise FieldError("text", N_("Write the message."))
        if len(text) > MAX_TEXT:
            raise FieldError("text", N_("The message is too long (at most {n} characters)."),
                             n=MAX_TEXT)
    if req.batch_id is not None:
        batch = db.get(Batch, req.batch_id)
        if batch is None or batch.training_id != pk(training):
            raise NotFound(N_("Batch not found."))
    if req.kind in learning.KINDS:
        learning.target(db, training, req.kind, req.assessment_id, req.batch_id)
    available = configured_channels() if available is None else available
    wanted = CHANNELS if req.channel == "both" else (req.channel,)
    usable = tuple(c for c in wanted if c in available)
    if not usable:
        if req.channel == "whatsapp":
            raise ChannelNotConfigured(N_("WhatsApp is not set up: no WhatsApp Business "
                                          "account is configured (BIMTEK_WHATSAPP_*)."))
        if req.channel == "email":
            raise ChannelNotConfigured(N_("Email is not set up: no SMTP server is "
                                          "configured."))
        raise ChannelNotConfigured()
    return usable


def queue(db: Session, training: Training, req: SendRequest, base_url: str,
          user_id: int | None = None, registration_ids: Sequence[int] | None = None,
          day: date | None = None, channels: tuple[str, ...] | None = None) -> QueueReport:
    """Queue the request's messages; what was queued and who could not be reached.
    `registration_ids` narrows it to some people (a reminder rule, one person);
    `channels` overrides the configured ones (the demo's history)."""
    usable = check(db, training, req, channels)
    links = learning.target(db, training, req.kind, req.assessment_id, req.batch_id) \
        if req.kind in learning.KINDS else None
    rows = learning.people(db, training, links, req.batch_id, req.only) if links else \
        audience.people(db, training, req.kind, req.batch_id, req.only)
    if registration_ids is not None:
        wanted = set(registration_ids)
        rows = [r for r in rows if pk(r.registration) in wanted]
    # A link's key names the person and the test (or the day), not the press of a
    # button: sending a test's links twice queues each person's once.
    action = links.action() if links else req.idempotency_key or secrets.token_hex(8)
    report = QueueReport(people=len(rows), channels=usable)
    drafts = _drafts(db, training, req, rows, usable, base_url, action, day, report, links)
    report.queued = insert(db, training, drafts, base_url, user_id)
    return report


def queue_ticket(db: Session, training: Training, registration: Registration,
                 base_url: str) -> int:
    """One person's ticket on every channel set up and every address they gave (their
    self-registration; the key makes a repeated call queue nothing more)."""
    if not configured_channels():
        return 0
    request = SendRequest(kind="ticket", channel="both",
                          idempotency_key=f"registered-{pk(registration)}")
    return queue(db, training, request, base_url,
                 registration_ids=[pk(registration)]).queued


def _drafts(db: Session, training: Training, req: SendRequest, rows: list[RegistrationRow],
            channels: tuple[str, ...], base_url: str, action: str, day: date | None,
            report: QueueReport, links: learning.Target | None = None) -> list[Draft]:
    ctx = ticket_delivery.context(db, training)
    certificates = _certificate_links(rows, base_url) if req.kind == "certificate" else {}
    drafts: list[Draft] = []
    for channel in channels:
        reached = audience.reached(db, training, req.kind, channel,
                                   f"{action}:" if links and links.assessment else None) \
            if req.only == "not_reached" else set()
        addressed = [(r, address(channel, r)) for r in rows if pk(r.registration) not in reached]
        report.without_address[channel] = sum(1 for _r, a in addressed if a is None)
        stopped = optout.opted_out(db, channel, [a for _r, a in addressed if a])
        report.opted_out += sum(1 for _r, a in addressed if a in stopped)
        for row, to in addressed:
            if to is None or to in stopped:
                continue
            facts = _facts(ctx, row, base_url, certificates.get(pk(row.registration), ""),
                           day, links)
            drafts.append(Draft(f"{action}:{req.kind}:{pk(row.registration)}:{channel}",
                                row, channel, req.kind, facts,
                                _content(req.kind, facts, req.text or "")))
    return drafts


def address(channel: str, row: RegistrationRow) -> str | None:
    value = row.participant.phone if channel == "whatsapp" else row.participant.email
    return value.strip() if value and value.strip() else None


def _certificate_links(rows: list[RegistrationRow], base_url: str) -> dict[int, str]:
    return {pk(r.registration):
            ticket_delivery.certificate_url(base_url, r.registration.ticket_token)
            for r in rows}


def _facts(ctx: ticket_delivery.DeliveryContext, row: RegistrationRow, base_url: str,
           certificate_link: str, day: date | None,
           links: learning.Target | None = None) -> compose.Facts:
    venue = ctx.venue_for(row.batch)
    if day is not None and row.batch is not None:
        # A day held elsewhere (a field visit) is reminded with its own place.
        venue = ctx.day_places.get(pk(row.batch), {}).get(day, venue)
    ticket = ticket_delivery.ticket_url(base_url, row.registration)
    return compose.Facts(
        name=row.participant.name, training=ctx.training.title,
        organization=ctx.organization, batch=row.batch.name if row.batch else "",
        dates=ctx.dates_for(row.batch), place=venue.name if venue else "",
        ticket_url=ticket, certificate_url=certificate_link, day=day,
        link=links.link(ticket) if links else "",
        test_title=links.assessment.title if links and links.assessment else "")


def _content(kind: str, facts: compose.Facts, text: str) -> compose.Content:
    if kind == "ticket":
        return compose.ticket(facts)
    if kind == "reminder":
        return compose.reminder(facts)
    if kind == "certificate":
        return compose.certificate(facts)
    if kind == "test":
        return compose.test(facts)
    if kind == "evaluation":
        return compose.evaluation(facts)
    return compose.custom(facts, text)


def insert(db: Session, training: Training, drafts: list[Draft], base_url: str,
           user_id: int | None) -> int:
    """Write the drafts (those whose key is new); how many were written."""
    settings = get_settings()
    now = utcnow()
    values = [_values(training, d, settings, base_url, user_id, now) for d in drafts]
    if not values:
        return 0
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    # One statement compiled once and run over every row (SQLAlchemy's "insertmanyvalues":
    # batched multi-row INSERTs, RETURNING what was written); a key seen before is skipped.
    table = Message.__table__  # type: ignore[attr-defined]
    statement = (dialect.insert(table).on_conflict_do_nothing(index_elements=["idempotency_key"])
                 .returning(table.c.id))
    return len(db.connection().execute(statement, values).all())


def _values(training: Training, d: Draft, settings: Settings, base_url: str,
            user_id: int | None, now: Any) -> dict[str, Any]:
    email = d.channel == "email"
    text, html = compose.email(d.content, d.facts) if email else (d.content.body, None)
    return {
        "organization_id": training.organization_id, "training_id": pk(training),
        "registration_id": pk(d.row.registration), "channel": d.channel, "kind": d.kind,
        "recipient": address(d.channel, d.row), "name": d.row.participant.name[:200],
        "subject": d.content.subject[:300] if email else None, "body": text, "html": html,
        "template": None if email else compose.template_name(settings, d.content.template_kind),
        "params": "[]" if email else json.dumps(list(d.content.params), ensure_ascii=False),
        "base_url": base_url[:200], "idempotency_key": d.key[:200], "status": "queued",
        "attempts": 0, "next_attempt_at": now, "created_by": user_id, "created_at": now}


def resend_failed(db: Session, training: Training, registration_id: int | None = None) -> int:
    """Queue again every failed message of the training (or of one person), except to
    those who asked to stop; how many."""
    query = select(Message).where(Message.training_id == pk(training),
                                  Message.status == "failed")
    if registration_id is not None:
        query = query.where(Message.registration_id == registration_id)
    failed = list(db.exec(query).all())
    stopped = {(c, a) for c in CHANNELS
               for a in optout.opted_out(db, c, [m.recipient for m in failed
                                                 if m.channel == c])}
    ids = [pk(m) for m in failed if (m.channel, m.recipient) not in stopped]
    for start in range(0, len(ids), _CHUNK):
        db.execute(update(Message).where(col(Message.id).in_(ids[start:start + _CHUNK]))
                   .values(status="queued", attempts=0, next_attempt_at=utcnow(),
                           error=None, failed_at=None)
                   .execution_options(synchronize_session=False))
    return len(ids)
