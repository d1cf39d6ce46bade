"""Messages: bulk sends (queued, answered 202), the log, resending the failed ones, and
the training's reminder rules."""

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from service.db import DB
from service.routers.deps import ApiPlanner, ApiTraining
from service.routers.urls import public_base
from service.schemas.messages import (
    MessageList,
    MessageRead,
    MessageSend,
    PlannedRead,
    ResendResult,
    RuleIn,
    RuleRead,
    RulesRead,
)
from service.services.messaging import log, outbox, reminders

router = APIRouter(prefix="/api", tags=["messages"])


@router.post("/trainings/{training_id}/messages", status_code=202)
def send(training: ApiTraining, data: MessageSend, user: ApiPlanner, db: DB,
         request: Request) -> JSONResponse:
    """Queue a message to everyone (of a batch; or only those not yet reached, or absent
    today) by WhatsApp, email or both; the worker sends them. 202 `{queued}`."""
    report = outbox.queue(db, training, outbox.SendRequest(**data.model_dump()),
                          public_base(request), user.id)
    return JSONResponse({"queued": report.queued, "people": report.people,
                         "channels": list(report.channels),
                         "without_address": report.without_address,
                         "opted_out": report.opted_out}, status_code=202)


@router.get("/trainings/{training_id}/messages")
def messages(training: ApiTraining, db: DB, status: str | None = None,
             registration_id: int | None = Query(None, ge=1, le=2**62),
             page: int = Query(1, ge=1, le=1_000_000),
             per_page: int = Query(log.PER_PAGE, ge=1, le=500)) -> MessageList:
    """The training's messages, newest first, with their delivery state."""
    found = log.page(db, training, status or None, registration_id, page, per_page)
    return MessageList(items=[_read(e) for e in found.items], total=found.total,
                       page=found.page, pages=found.pages, counts=log.counts(db, training))


def _read(entry: log.Entry) -> MessageRead:
    m = entry.message
    return MessageRead(id=m.id or 0, registration_id=m.registration_id,
                       name=entry.participant_name, channel=m.channel, kind=m.kind,
                       status=m.status, attempts=m.attempts, error=m.error,
                       created_at=m.created_at, sent_at=m.sent_at,
                       delivered_at=m.delivered_at, read_at=m.read_at)


@router.post("/trainings/{training_id}/messages/resend")
def resend_failed(training: ApiTraining, db: DB,
                  registration_id: int | None = Query(None, ge=1, le=2**62)) -> ResendResult:
    """Queue every failed message again (not to those who asked to stop)."""
    return ResendResult(queued=outbox.resend_failed(db, training, registration_id))


@router.get("/trainings/{training_id}/message-rules")
def rules(training: ApiTraining, db: DB) -> RulesRead:
    """The reminder rules, and the reminders they will send."""
    return _rules(db, training)


@router.put("/trainings/{training_id}/message-rules/{rule}")
def set_rule(training: ApiTraining, rule: str, data: RuleIn, db: DB,
             request: Request) -> RulesRead:
    """Turn a rule (day_before, certificate_ready) on or off."""
    reminders.set_rule(db, training, rule, data.enabled, data.hour, data.channel,
                       public_base(request))
    return _rules(db, training)


def _rules(db: DB, training: ApiTraining) -> RulesRead:
    found = reminders.rules(db, training)
    planned = reminders.schedule(db, training) if found["day_before"].enabled else []
    return RulesRead(
        rules=[RuleRead(rule=r.rule, enabled=r.enabled, hour=r.hour, channel=r.channel)
               for r in found.values()],
        scheduled=[PlannedRead(batch_id=p.batch.id or 0, batch=p.batch.name,
                               day=p.day.isoformat(), at=p.at, people=p.people,
                               queued=p.queued) for p in planned],
        channels=list(outbox.configured_channels()))
