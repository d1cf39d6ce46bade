"""The committee's messages page: the count per state, the send form (queued, never sent
in the request: the worker sends), the log of one training or one person, resending the
failed ones, and the reminder rules with the reminders they will send."""

import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError, FieldError, NotFound
from service.i18n import N_
from service.i18n import gettext as _
from service.models import TIMEZONES, Training
from service.models.base import as_utc, pk
from service.models.messages import CHANNELS, RULES, STATUSES, Message
from service.routers.deps import PagePlanner, PageTraining
from service.routers.pages.forms import Submitted, SubmittedForm, errors_by_field, parse, submit
from service.routers.pages.rendering import redirect, render
from service.routers.urls import public_base
from service.schemas.messages import MessageSend
from service.services import registrations as regs
from service.services import training_clock
from service.services.messaging import compose, learning, log, outbox, reminders

router = APIRouter(include_in_schema=False)

STATUS_LABELS = {"queued": N_("Queued"), "sending": N_("Sending"), "sent": N_("Sent"),
                 "delivered": N_("Delivered"), "read": N_("Read"), "failed": N_("Failed")}
KIND_LABELS = {"ticket": N_("Ticket"), "reminder": N_("Reminder"),
               "certificate": N_("Certificate link"), "custom": N_("Own message"),
               "test": N_("Test link"), "evaluation": N_("Evaluation link")}
# The send form's kinds: a test's links go out from the test's own page (which test).
SEND_KINDS = tuple(k for k in KIND_LABELS if k != "test")
CHANNEL_LABELS = {"whatsapp": "WhatsApp", "email": N_("Email"), "both": N_("Both")}
# The participant list's column is narrow: "WA · Dibaca".
CHANNEL_SHORT = {"whatsapp": "WA", "email": N_("Email")}
ONLY_LABELS = {"": N_("Everyone"), "not_reached": N_("Those not reached yet"),
               "absent_today": N_("Those absent today"),
               "not_answered": N_("Those who have not answered yet (evaluation)")}
RULE_LABELS = {"day_before": N_("Reminder the day before (H-1)"),
               "certificate_ready": N_("Certificate link once issued")}
# Query parameters of the notice after a send, a resend or a saved rule: counts only, so
# no personal data ends up in URLs, histories or access logs.
NOTICE_KEYS = ("queued", "people", "no_whatsapp", "no_email", "stopped", "resent")


@dataclass(frozen=True)
class LogRow:
    """One message as the log shows it: plain data, its last change on the training's
    own clock."""

    id: int
    registration_id: int | None
    name: str
    channel: str
    kind: str
    status: str
    attempts: int
    error: str | None
    changed: datetime


@dataclass(frozen=True)
class LogQuery:
    """The log's filters, leniently read: a stale or hand-edited URL shows the whole
    log, never an error page."""

    status: str = ""
    registration_id: int | None = None
    page: int = 1

    def url(self, training_id: int, page: int | None = None) -> str:
        number = self.page if page is None else page
        query = [(k, str(v)) for k, v in (("registration_id", self.registration_id),
                                          ("status", self.status)) if v]
        if number > 1:
            query.append(("page", str(number)))
        path = f"/trainings/{training_id}/messages"
        return f"{path}?{urlencode(query)}" if query else path


def _int(raw: str | None) -> int | None:
    # ASCII digits only ("²".isdigit() is true), and short enough for an INTEGER column.
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


def _log_query(params: Mapping[str, str]) -> LogQuery:
    status = params.get("status", "")
    return LogQuery(status if status in STATUSES else "", _int(params.get("registration_id")),
                    min(max(_int(params.get("page")) or 1, 1), 100_000))


def _last_change(training: Training, m: Message) -> datetime:
    moments = [as_utc(t) for t in (m.created_at, m.sent_at, m.delivered_at, m.read_at,
                                   m.failed_at) if t is not None]
    return reminders.as_local(training, max(moments))


def _person(db: DB, training: Training, org_id: int, registration_id: int) -> str:
    """The name of one of the training's participants (404 for anyone else's)."""
    reg, owner = regs.get_registration(db, org_id, registration_id)
    if pk(owner) != pk(training):
        raise NotFound("Registration not found.")
    return regs.registration_row(db, reg).participant.name


def _notice(params: Mapping[str, str]) -> dict[str, int] | None:
    found = {k: n for k in NOTICE_KEYS if (n := _int(params.get(k))) is not None}
    return found or None


def _send_defaults(channels: tuple[str, ...]) -> dict[str, str]:
    channel = "both" if len(channels) == len(CHANNELS) else (channels[0] if channels else "")
    return {"kind": "ticket", "channel": channel, "batch_id": "", "only": "", "text": ""}


def _context(request: Request, db: DB, training: Training, org_id: int,
             params: Mapping[str, str], *, send_values: Mapping[str, str] | None = None,
             send_exc: DomainError | None = None, rule_values: Mapping[str, str] | None = None,
             rule_exc: DomainError | None = None, rule: str | None = None,
             resend_exc: DomainError | None = None) -> dict[str, Any]:
    tid = pk(training)
    q = _log_query(params)
    person = _person(db, training, org_id, q.registration_id) if q.registration_id else None
    found = log.page(db, training, q.status or None, q.registration_id, q.page, log.PER_PAGE)
    if found.page != q.page:
        q = LogQuery(q.status, q.registration_id, found.page)
    rows = [LogRow(pk(e.message), e.message.registration_id, e.participant_name,
                   e.message.channel, e.message.kind, e.message.status, e.message.attempts,
                   e.message.error, _last_change(training, e.message)) for e in found.items]
    counts = log.counts(db, training)
    # One person's failed ones, for their own resend button.
    failed = counts["failed"] if person is None else \
        log.page(db, training, "failed", q.registration_id, 1, 1).total
    channels = outbox.configured_channels()
    rules = reminders.rules(db, training)
    planned = reminders.schedule(db, training) if rules["day_before"].enabled else []
    # A refused rule form shows what was typed, the others what is stored.
    rule_forms = {name: {"enabled": r.enabled, "hour": str(r.hour), "channel": r.channel}
                  for name, r in rules.items()}
    if rule is not None and rule in rule_forms and rule_values is not None:
        rule_forms[rule] = {"enabled": bool(rule_values.get("enabled")),
                            "hour": rule_values.get("hour", ""),
                            "channel": rule_values.get("channel", "")}
    values = {**_send_defaults(channels), **(send_values or {})}
    values["idempotency_key"] = (send_values or {}).get("idempotency_key") \
        or secrets.token_hex(8)
    return {
        "training": training, "counts": counts, "total": sum(counts.values()),
        "rows": rows, "found": found, "per_page": log.PER_PAGE, "q": q, "person": person,
        "failed": failed,
        "prev_url": q.url(tid, q.page - 1) if q.page > 1 else None,
        "next_url": q.url(tid, q.page + 1) if q.page < found.pages else None,
        "channels": channels, "batches": regs.batches_of(db, tid),
        "values": values, "send_errors": errors_by_field(send_exc) if send_exc else {},
        "placeholders": compose.PLACEHOLDERS, "max_text": outbox.MAX_TEXT,
        "rules": rules, "rule_forms": rule_forms, "rule_name": rule,
        "rule_errors": errors_by_field(rule_exc) if rule_exc else {},
        "resend_error": resend_exc.text() if resend_exc else None,
        "planned": [(p, reminders.as_local(training, p.at)) for p in planned],
        "notice": _notice(params),
        "saved_rule": saved if (saved := params.get("saved_rule")) in RULES else None,
        "tz": TIMEZONES.get(training.timezone, ""),
        "status_labels": STATUS_LABELS, "kind_labels": KIND_LABELS, "send_kinds": SEND_KINDS,
        "channel_labels": CHANNEL_LABELS, "only_labels": ONLY_LABELS,
        "rule_labels": RULE_LABELS, "hours": range(24),
    }


def _page(request: Request, db: DB, training: Training, org_id: int,
          params: Mapping[str, str], status_code: int = 200, **refused: Any) -> Response:
    fragment = bool(request.headers.get("hx-request")
                    and not request.headers.get("hx-history-restore-request"))
    # The counts poll on their own while messages wait; the log's filters and pages swap
    # the log alone.
    block = ("counts" if request.headers.get("hx-target") == "message-counts"
             else "message_log") if fragment and request.method == "GET" else None
    # The counts poll every few seconds while messages wait: they need nothing more.
    context = {"training": training, "counts": log.counts(db, training),
               "status_labels": STATUS_LABELS} if block == "counts" else \
        _context(request, db, training, org_id, params, **refused)
    response = render(request, "messages/page.html", context, status_code, block=block)
    response.headers["Vary"] = "HX-Request, HX-Target"
    return response


@router.get("/trainings/{training_id}/messages")
def messages_page(request: Request, training: PageTraining, user: PagePlanner,
                  db: DB) -> Response:
    """Messages to participants: counts by state, the send form, the log and the
    reminder rules (for htmx: the log, or the counts, alone)."""
    return _page(request, db, training, user.organization_id, dict(request.query_params))


# --- sending -------------------------------------------------------------------------------

def _send_request(db: DB, training: Training, form: Submitted) -> outbox.SendRequest:
    data = form.values()
    kind = data.get("kind", "")
    batch = data.get("batch_id", "").strip()
    batch_id = _int(batch)
    if batch and batch_id is None:
        raise FieldError("batch_id", N_("Batch not found."))
    req = outbox.SendRequest(
        kind=kind, channel=data.get("channel", ""), batch_id=batch_id,
        only=data.get("only") or None,
        text=data.get("text", "") if kind == "custom" else None,
        idempotency_key=data.get("idempotency_key") or None)
    # The service's own words for a wrong choice or an empty message first (they say what
    # to choose), then the schema's: control characters in the text, a malformed key.
    outbox.check(db, training, req)
    return outbox.SendRequest(**parse(MessageSend, asdict(req)).model_dump())


def _sent_url(training: Training, report: outbox.QueueReport) -> str:
    notice = {"queued": report.queued, "people": report.people,
              "stopped": report.opted_out}
    for channel in report.channels:
        notice[f"no_{channel}"] = report.without_address.get(channel, 0)
    return f"/trainings/{pk(training)}/messages?{urlencode(notice)}"


@router.post("/trainings/{training_id}/messages")
def send(request: Request, training: PageTraining, user: PagePlanner, form: SubmittedForm,
         db: DB) -> Response:
    """Queue a message to everyone of the training (or a batch; or only those not yet
    reached, or absent today); the worker sends them."""
    return submit(db, lambda: outbox.queue(db, training, _send_request(db, training, form),
                                           public_base(request), user.id),
                  lambda report: redirect(request, _sent_url(training, report)),
                  lambda exc: _page(request, db, training, user.organization_id, {},
                                    exc.status, send_values=form.values(), send_exc=exc))


@router.post("/trainings/{training_id}/messages/resend")
def resend(request: Request, training: PageTraining, user: PagePlanner, form: SubmittedForm,
           db: DB) -> Response:
    """Queue the failed messages again (of everyone, or of one person), except to those
    who asked to stop."""
    raw = form.get("registration_id").strip()
    rid = _int(raw)

    def work() -> int:
        if raw and rid is None:
            raise NotFound("Registration not found.")
        if rid is not None:
            _person(db, training, user.organization_id, rid)
        return outbox.resend_failed(db, training, rid)

    def done(n: int) -> Response:
        query = {**({"registration_id": rid} if rid else {}), "resent": n}
        return redirect(request, f"/trainings/{pk(training)}/messages?{urlencode(query)}")

    params = {"registration_id": str(rid)} if rid else {}
    return submit(db, work, done,
                  lambda exc: _page(request, db, training, user.organization_id,
                                    params if exc.status != 404 else {}, exc.status,
                                    resend_exc=exc))


# --- reminder rules ------------------------------------------------------------------------

@router.post("/trainings/{training_id}/message-rules/{rule}")
def save_rule(request: Request, training: PageTraining, rule: str, user: PagePlanner,
              form: SubmittedForm, db: DB) -> Response:
    """Turn a reminder rule (day_before, certificate_ready) on or off, with its hour and
    channel."""
    data = form.values()

    def work() -> None:
        stored = reminders.rules(db, training).get(rule)
        raw = data.get("hour", "").strip()
        hour = _int(raw) if raw else (stored.hour if stored else reminders.DEFAULT_HOUR)
        if hour is None:
            raise FieldError("hour", N_("Choose an hour from 0 to 23."))
        reminders.set_rule(db, training, rule, bool(data.get("enabled")), hour,
                           data.get("channel", ""), public_base(request))

    return submit(db, work,
                  lambda _: redirect(request, f"/trainings/{pk(training)}/messages"
                                              f"?saved_rule={rule}#reminders"),
                  lambda exc: _page(request, db, training, user.organization_id, {},
                                    exc.status, rule_values=data, rule_exc=exc, rule=rule))



# --- a test's or the evaluations' personal links (the test page, the evaluations page) -----

def links_form(db: DB, training: Training, kind: str, assessment_id: int | None = None,
               values: Mapping[str, str] | None = None, exc: DomainError | None = None,
               notice: Mapping[str, int] | None = None) -> dict[str, Any]:
    """What messages/_links_form.html shows: the batches whose people may get the links
    (a test's open batches, the evaluations' begun ones) and the channels set up."""
    if kind == "test":
        assessment = learning.assessment_of(db, training, assessment_id)
        ids = learning.open_batches(db, assessment)
        action = f"/trainings/{pk(training)}/tests/{pk(assessment)}/links"
        title = _("Send the test's link to the participants")
        hint = _("Each participant gets their own link to “{title}” by WhatsApp or email: "
                 "it opens the test on their phone, no login. Pressing again sends nobody "
                 "a second link.", title=assessment.title)
        empty = _("Open the test to a batch first; then its participants can get the link.")
    else:
        ids = learning.begun_batches(db, training, training_clock.today(training))
        action = f"/trainings/{pk(training)}/evaluations/links"
        title = _("Send the evaluation link to the participants")
        hint = _("Each participant gets their own link to the evaluation forms (the "
                 "narasumber of their sessions and the event) by WhatsApp or email. Their "
                 "answers stay anonymous. Sent at most once a day per person.")
        empty = _("The evaluation opens on a batch's first day; no batch has begun yet.")
    batches = [b for b in regs.batches_of(db, pk(training)) if pk(b) in ids]
    channels = outbox.configured_channels()
    default_channel = "both" if len(channels) == len(CHANNELS) else \
        (channels[0] if channels else "")
    return {"lf": {
        "training_id": pk(training), "action": action, "title": title, "hint": hint,
        "empty": empty, "batches": batches, "channels": channels,
        "channel_labels": CHANNEL_LABELS, "all_label": _("All open batches") if kind == "test"
        else _("All batches that have begun"),
        "button": _("Send the links to the participants of {batch}", batch=batches[0].name)
        if len(batches) == 1 else _("Send the links to the participants"),
        "form": {"channel": default_channel, **(values or {})},
        "errors": errors_by_field(exc) if exc else {}, "notice": notice}}


def send_links(request: Request, db: DB, training: Training, user_id: int, kind: str,
               form: Submitted, assessment_id: int | None = None) -> Response:
    """Queue the links the form asks for; the form again with what was queued (htmx), or
    back to its page; refused: the form with the reason, nothing queued."""
    data = form.values()
    batch = data.get("batch_id", "").strip()

    def work() -> outbox.QueueReport:
        batch_id = _int(batch)
        if batch and batch_id is None:
            raise FieldError("batch_id", N_("Batch not found."))
        req = outbox.SendRequest(kind=kind, channel=data.get("channel", ""),
                                 batch_id=batch_id, only=data.get("only") or None,
                                 assessment_id=assessment_id)
        outbox.check(db, training, req)
        return outbox.queue(db, training, outbox.SendRequest(
            **parse(MessageSend, asdict(req)).model_dump()), public_base(request), user_id)

    def page(status: int, **more: Any) -> Response:
        context = {"training": training, "kind": kind,
                   **links_form(db, training, kind, assessment_id, data, **more)}
        name = "messages/_links_form.html" if request.headers.get("hx-request") \
            else "messages/links.html"
        return render(request, name, context, status)

    def done(report: outbox.QueueReport) -> Response:
        if request.headers.get("hx-request"):
            return page(200, notice={"queued": report.queued, "people": report.people})
        back = f"/trainings/{pk(training)}/tests/{assessment_id}/links" if kind == "test" \
            else f"/trainings/{pk(training)}/evaluations/links"
        return redirect(request, f"{back}?{urlencode({'queued': report.queued})}")

    return submit(db, work, done, lambda exc: page(exc.status, exc=exc))


def links_page(request: Request, db: DB, training: Training, kind: str,
               assessment_id: int | None = None) -> Response:
    queued = _int(request.query_params.get("queued"))
    context = {"training": training, "kind": kind, **links_form(
        db, training, kind, assessment_id,
        notice={"queued": queued} if queued is not None else None)}
    name = "messages/_links_form.html" if request.headers.get("hx-request") \
        else "messages/links.html"
    response = render(request, name, context)
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/trainings/{training_id}/tests/{assessment_id}/links")
def test_links_page(request: Request, training: PageTraining, assessment_id: int,
                    user: PagePlanner, db: DB) -> Response:
    """The form that sends a test's personal links (the test page loads it in place)."""
    return links_page(request, db, training, "test", assessment_id)


@router.post("/trainings/{training_id}/tests/{assessment_id}/links")
def send_test_links(request: Request, training: PageTraining, assessment_id: int,
                    user: PagePlanner, form: SubmittedForm, db: DB) -> Response:
    """Queue each participant's own link to the test (of a batch the test is open to;
    only those who have not answered yet, or everyone)."""
    learning.assessment_of(db, training, assessment_id)
    return send_links(request, db, training, pk(user), "test", form, assessment_id)
