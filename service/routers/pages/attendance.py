"""Pages: live attendance of a batch day for the committee, and the big-screen view for
the registration desk's projector. Both refresh themselves (HTMX polling of a block of
the same URL) and are complete pages without JavaScript. And the record after the day:
the committee enters or corrects a past day's attendance from the signed daftar hadir
(plain form posts, or htmx swapping the list)."""

import gzip
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from service.db import DB
from service.errors import DomainError, NotFound
from service.i18n import gettext as _
from service.i18n import ngettext
from service.i18n.formats import fmt_phone
from service.models import TIMEZONES, Batch, Training
from service.routers.deps import PagePlanner, PageTraining
from service.routers.pages.forms import SubmittedForm, parse, submit
from service.routers.pages.rendering import redirect, render
from service.schemas.attendance import MarkReason
from service.schemas.common import OptInt
from service.services import attendance as att
from service.services import attendance_records as records
from service.services import presence, regions, trainings
from service.services import training_clock as clock

router = APIRouter(include_in_schema=False)

POLL_SECONDS = 5
GZIP_OVER = 2048


@dataclass(frozen=True)
class Selection:
    batch: Batch
    day: date
    session_id: int | None
    per_session: bool = False
    # Per-session mode with no session asked for: each refresh follows the session
    # running now. A session (or the whole day, session=) chosen by hand stays chosen.
    follow: bool = False
    # Only the people of one kecamatan or kabupaten/kota (as the training lists them).
    region: str | None = None

    def query(self) -> str:
        params = [("batch", str(self.batch.id)), ("day", self.day.isoformat())]
        if self.per_session and not self.follow:
            params.append(("session", str(self.session_id or "")))
        if self.region:
            params.append(("region", self.region))
        return urlencode(params)


@dataclass(frozen=True)
class MissingView:
    person: att.Missing
    phone: str | None  # as people write it: 0812 3456 7890
    tel: str | None
    whatsapp: str | None


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw and len(raw) == 10 else None
    except ValueError:
        return None


def _select(db: DB, training: Training, batches: list[Batch],
            params: Mapping[str, str]) -> Selection | None:
    # Lenient, like the participant list: a stale or hand-edited URL falls back to
    # today's batch and day rather than an error page.
    wanted = _int(params.get("batch"))
    batch = next((b for b in batches if b.id == wanted), None) \
        or clock.default_batch(batches, clock.today(training))
    if batch is None:
        return None
    day = _date(params.get("day"))
    if day is None or not batch.start_date <= day <= batch.end_date:
        day = clock.default_day(batch, clock.today(training))
    if training.checkin_mode != "session":
        return Selection(batch, day, None)
    sessions = att.sessions_of_day(db, batch, day)
    if "session" in params:
        wanted = _int(params.get("session"))
        chosen = wanted if any(s.id == wanted for s in sessions) else None
        return Selection(batch, day, chosen, per_session=True)
    now = att.current_session(training, day, sessions)
    return Selection(batch, day, now.id if now else None, per_session=True, follow=True)


def _context(db: DB, training: Training, params: Mapping[str, str],
             recent: int = att.RECENT) -> dict[str, Any]:
    batches = trainings.list_batches(db, training.id or 0)
    sel = _select(db, training, batches, params)
    ctx: dict[str, Any] = {"training": training, "batches": batches, "sel": sel,
                           "poll": POLL_SECONDS, "a": None,
                           "tz": TIMEZONES.get(training.timezone, training.timezone)}
    if sel is None:
        return ctx
    a = att.attendance(db, training, sel.batch, sel.day, sel.session_id, recent,
                       region=params.get("region", "")[:120] or None)
    # A region this batch does not have (a stale link) shows everyone.
    sel = replace(sel, region=a.region)
    ctx["sel"] = sel
    tid = training.id or 0
    ctx.update(
        a=a,
        page_url=f"/trainings/{tid}/attendance?{sel.query()}",
        screen_url=f"/trainings/{tid}/attendance/screen?{sel.query()}",
        missing=[MissingView(m, fmt_phone(m.phone), m.phone,
                             att.missing_whatsapp(m, training, sel.batch, sel.day))
                 for m in a.missing],
        today=clock.today(training), region_label=regions.label(training),
        region_by=_(regions.BY[regions.level(training)]),
        region_blank=_(regions.BLANK[regions.level(training)]))
    return ctx


def _respond(request: Request, name: str, ctx: dict[str, Any], block: str) -> Response:
    response = render(request, name, ctx, block=block)
    headers = {"Vary": "HX-Request, Accept-Encoding", "Cache-Control": "no-store"}
    if (request.headers.get("hx-request") and len(response.body) > GZIP_OVER
            and "gzip" in request.headers.get("accept-encoding", "")):
        # A committee phone polls this block every few seconds over mobile data, and a
        # long list of who is missing is mostly repeated markup: gzip makes it a tenth.
        # Only the block, which holds no secret (no CSRF token), so nothing for BREACH.
        return Response(gzip.compress(bytes(response.body), compresslevel=5),
                        status_code=response.status_code, media_type="text/html",
                        headers={**headers, "Content-Encoding": "gzip"})
    response.headers.update(headers)
    return response


@router.get("/trainings/{training_id}/attendance")
def attendance_page(request: Request, training: PageTraining, db: DB) -> Response:
    """Live attendance of a batch day: counts, who is missing, the latest arrivals;
    for htmx only the live block."""
    ctx = _context(db, training, request.query_params)
    # Inside the live block too: a device syncing its offline scans can bring one any time.
    ctx["conflicts"] = att.conflicts(db, training)
    return _respond(request, "attendance/page.html", ctx, "live")


@router.get("/trainings/{training_id}/attendance/screen")
def screen_page(request: Request, training: PageTraining, db: DB) -> Response:
    """The big-screen view for the registration desk: present of expected, readable
    across a hall."""
    return _respond(request, "attendance/screen.html",
                    _context(db, training, request.query_params, recent=8), "screen")


# --- the record after the day: marks from the signed daftar hadir -------------------------

class RecordForm(BaseModel):
    batch: int
    day: date
    session: OptInt = None
    action: Literal["present", "absent", "leave", "sick"]
    reason: MarkReason = ""


# The page's buttons: what each records (status, excuse).
ACTIONS: dict[str, tuple[str, str | None]] = {
    "present": ("present", None), "absent": ("absent", None),
    "leave": ("excused", "leave"), "sick": ("excused", "sick")}


def _record_selection(db: DB, training: Training, batches: list[Batch],
                      params: Mapping[str, str]) -> tuple[Batch, date, int | None] | None:
    # Lenient like the live page: a stale URL falls back to the batch's latest day so far.
    wanted = _int(params.get("batch"))
    today = clock.today(training)
    batch = next((b for b in batches if b.id == wanted), None) \
        or clock.default_batch(batches, today)
    if batch is None:
        return None
    day = _date(params.get("day"))
    if day is None or not batch.start_date <= day <= batch.end_date:
        day = min(max(today, batch.start_date), batch.end_date)
    session = _int(params.get("session"))
    if session is not None and not any(s.id == session and s.kind != "break"
                                       for s in att.sessions_of_day(db, batch, day)):
        session = None
    return batch, day, session


def _record_url(training: Training, batch: Batch, day: date, session: int | None,
                **extra: str) -> str:
    params = [("batch", str(batch.id)), ("day", day.isoformat())]
    if session is not None:
        params.append(("session", str(session)))
    params += list(extra.items())
    return f"/trainings/{training.id}/attendance/record?{urlencode(params)}"


def _record_page(request: Request, db: DB, training: Training, params: Mapping[str, str],
                 *, notice: str | None = None, exc: DomainError | None = None,
                 picked: Sequence[int] = (), reason: str = "") -> Response:
    batches = trainings.list_batches(db, training.id or 0)
    chosen = _record_selection(db, training, batches, params)
    # Only the present, the absent or the excused: the committee works down a short list.
    show = params.get("show") if params.get("show") in presence.STATUSES else None
    ctx: dict[str, Any] = {"training": training, "batches": batches, "r": None,
                           "notice": notice, "picked": set(picked), "reason": reason,
                           "error": exc.text() if exc else None, "show": show}
    if chosen is not None:
        batch, day, session = chosen
        r = records.day_records(db, training, batch, day, session)
        ctx.update(r=r, action_url=f"/trainings/{training.id}/attendance/record",
                   shown=[(n, row) for n, row in enumerate(r.rows, start=1)
                          if show is None or row.state.status == show],
                   live_url=f"/trainings/{training.id}/attendance?"
                            + urlencode([("batch", str(batch.id)), ("day", day.isoformat())]),
                   url=lambda **kw: _record_url(training, **{
                       "batch": batch, "day": day, "session": session, **kw}))
    response = render(request, "attendance/record.html", ctx, exc.status if exc else 200,
                      block="records")
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/trainings/{training_id}/attendance/record")
def record_page(request: Request, training: PageTraining, db: DB) -> Response:
    """Record or correct attendance after the day from the signed daftar hadir: the batch's
    people on a day (or at a session), their state and its history."""
    params = request.query_params
    done = params.get("done", "")
    notice = None
    if done in ACTIONS and _int(params.get("n")) is not None:
        notice = _notice(done, _int(params.get("n")) or 0)
    return _record_page(request, db, training, params, notice=notice)


def _notice(action: str, n: int) -> str:
    if action == "present":
        return ngettext("{n} person recorded present.", "{n} people recorded present.", n)
    if action == "absent":
        return ngettext("{n} person recorded absent.", "{n} people recorded absent.", n)
    if action == "leave":
        return ngettext("{n} person recorded excused (izin).",
                        "{n} people recorded excused (izin).", n)
    return ngettext("{n} person recorded sick (sakit).", "{n} people recorded sick (sakit).",
                    n)


@router.post("/trainings/{training_id}/attendance/record")
def record_marks(request: Request, training: PageTraining, user: PagePlanner,
                 form: SubmittedForm, db: DB) -> Response:
    """Record the ticked people as present, absent, izin or sakit; without JavaScript a
    redirect back to the day, with htmx the list again."""
    params = {k: form.get(k) for k in ("batch", "day", "session", "show")}
    picked = [int(v) for v in form.getlist("registration_id")
              if v.isascii() and v.isdigit() and len(v) <= 18]
    reason = form.get("reason")
    batches = trainings.list_batches(db, training.id or 0)
    sent = {**params, "action": form.get("action"), "reason": reason}
    made: list[tuple[RecordForm, Batch]] = []

    def work() -> int:
        # Strict, unlike the page's lenient URL: a stale day or session is refused by the
        # service rather than recorded for another day or for the whole day.
        data = parse(RecordForm, sent)
        batch = next((b for b in batches if b.id == data.batch), None)
        if batch is None:
            raise NotFound()
        made.append((data, batch))
        status, excuse = ACTIONS[data.action]
        return len(records.record(db, training, batch, user.id, records.Correction(
            registration_ids=picked, day=data.day, status=status, reason=data.reason,
            excuse=excuse, session_id=data.session)))

    def done(n: int) -> Response:
        data, batch = made[0]
        if request.headers.get("hx-request"):
            return _record_page(request, db, training, params, notice=_notice(data.action, n))
        shown = {"show": params["show"]} if params["show"] in presence.STATUSES else {}
        return redirect(request, _record_url(training, batch, data.day, data.session,
                                             **shown, done=data.action, n=str(n)))

    return submit(db, work, done, lambda exc: _record_page(
        request, db, training, params, exc=exc, picked=picked, reason=reason))
