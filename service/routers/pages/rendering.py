"""Jinja2 templates with HTMX fragments: one URL serves the page or, for HX-Request, a block."""

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from jinja2 import pass_context
from jinja2.runtime import Context
from jinja2_fragments.fastapi import Jinja2Blocks
from markupsafe import Markup

from service.i18n import get_locale, gettext, ngettext
from service.i18n.formats import fmt_date, fmt_percent, fmt_phone, fmt_range, fmt_time
from service.models.accounts import ROLE_LABELS
from service.models.agenda import SESSION_KIND_LABELS
from service.models.trainings import KIND_LABELS, REGION_LEVELS, TIMEZONES
from service.services import meeting_days
from service.services.mailer import SmtpConfig
from service.settings import get_settings

TEMPLATES_DIR = Path(__file__).resolve().parents[3] / "frontend" / "templates"
templates = Jinja2Blocks(directory=str(TEMPLATES_DIR))
env = templates.env
env.autoescape = True

@pass_context
def csrf_field(ctx: Context) -> Markup:
    """The hidden CSRF input; a global rather than a macro so HTMX blocks can call it."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(
        ctx.get("csrf_token", ""))


def mail_ready() -> bool:
    """A mail server is configured: pages offer email buttons only then (without one they
    led to an error page), and say instead who can set it up."""
    return SmtpConfig.from_settings(get_settings()).enabled


env.globals.update(_=gettext, csrf=csrf_field, ngettext=ngettext, get_locale=get_locale,
                   TIMEZONES=TIMEZONES, SESSION_KIND_LABELS=SESSION_KIND_LABELS,
                   KIND_LABELS=KIND_LABELS, ROLE_LABELS=ROLE_LABELS, mail_ready=mail_ready,
                   REGION_LEVELS=REGION_LEVELS)
env.filters.update(date=fmt_date, daterange=fmt_range, hm=fmt_time,
                   # A batch's dates: its range, or how many meetings over which months.
                   batchdates=meeting_days.label,
                   # One way to show a rate (0..1) and a phone number on every page.
                   percent=fmt_percent, phone=fmt_phone)


def render(request: Request, name: str, context: dict[str, Any] | None = None,
           status_code: int = 200, block: str | None = None) -> Response:
    """The whole page, or only `block` when HTMX asks for a fragment."""
    ctx: dict[str, Any] = {"user": getattr(request.state, "user", None),
                           "csrf_token": getattr(request.state, "csrf_token", ""),
                           "locale": get_locale(), **(context or {})}
    if block and request.headers.get("hx-request") and not request.headers.get("hx-boosted"):
        return templates.TemplateResponse(request, name, ctx, status_code=status_code,
                                          block_name=block)
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)


def redirect(request: Request, url: str) -> Response:
    """303 after a form post; HTMX follows HX-Redirect instead of swapping the target."""
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def render_error(request: Request, status: int, payload: dict[str, Any]) -> Response:
    if payload.get("code") == "login_required":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return redirect(request, f"/login?next={quote(target)}")
    ctx = {"status": status, "error": payload}
    if request.headers.get("hx-request"):
        return templates.TemplateResponse(request, "error_fragment.html", ctx, status_code=status)
    return render(request, "error.html", ctx, status_code=status)
