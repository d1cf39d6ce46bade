"""Pages: live attendance of a batch day for the committee, and the big-screen view for
the registration desk's projector. Both refresh themselves (HTMX polling of a block of
the same URL) and are complete pages without JavaScript."""

import gzip
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.i18n.formats import fmt_phone
from service.models import TIMEZONES, Batch, Training
from service.routers.deps import PageTraining
from service.routers.pages.rendering import render
from service.services import attendance as att
from service.services import training_clock as clock
from service.services import trainings

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

    def query(self) -> str:
        params = [("batch", str(self.batch.id)), ("day", self.day.isoformat())]
        if self.per_session and not self.follow:
            params.append(("session", str(self.session_id or "")))
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
    sessions = att.day_sessions(db, batch, day)
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
    a = att.attendance(db, training, sel.batch, sel.day, sel.session_id, recent)
    tid = training.id or 0
    ctx.update(
        a=a,
        page_url=f"/trainings/{tid}/attendance?{sel.query()}",
        screen_url=f"/trainings/{tid}/attendance/screen?{sel.query()}",
        missing=[MissingView(m, fmt_phone(m.phone), m.phone,
                             att.missing_whatsapp(m, training, sel.batch, sel.day))
                 for m in a.missing],
        today=clock.today(training))
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
