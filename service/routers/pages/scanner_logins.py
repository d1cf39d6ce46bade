"""Pages: a training's door logins (committee), and the one-time link a staff phone opens."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from service.db import DB
from service.errors import DomainError
from service.i18n.formats import fmt_date, fmt_time
from service.models import AuthToken, Training
from service.models.trainings import TIMEZONES
from service.rendering.qr import qr_svg
from service.routers.deps import PagePlanner, PageTraining
from service.routers.pages.forms import SubmittedForm, errors_by_field, parse, submit
from service.routers.pages.rendering import render
from service.routers.urls import public_base
from service.schemas.accounts import ScannerLoginCreate
from service.services import scanner_logins
from service.services.scanner_logins import LoginLink
from service.settings import get_settings

router = APIRouter(include_in_schema=False)


def _moment(training: Training) -> Callable[[datetime | None], str]:
    """A stored moment as the training's wall clock, e.g. "29 November 2026 08.15 WIB"."""
    zone = ZoneInfo(training.timezone)
    label = TIMEZONES.get(training.timezone, training.timezone)

    def fmt(value: datetime | None) -> str:
        if value is None:
            return ""
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        local = aware.astimezone(zone)
        return f"{fmt_date(local.date())} {fmt_time(local.time())} {label}"

    return fmt


def _page(request: Request, db: DB, training: Training, *, fresh: LoginLink | None = None,
          values: dict[str, Any] | None = None, exc: DomainError | None = None,
          status: int = 200) -> Response:
    url = public_base(request) + fresh.path if fresh else None
    return render(request, "scanner_logins/list.html", {
        "training": training, "logins": scanner_logins.list_logins(db, training),
        "fresh": fresh, "fresh_url": url,
        "qr": Markup(qr_svg(url)) if url else None,  # noqa: S704 (generated SVG)
        "moment": _moment(training), "values": values or {},
        "errors": errors_by_field(exc) if exc else {}},
        exc.status if exc else status, block="logins")


@router.get("/trainings/{training_id}/scanners")
def logins_page(request: Request, training: PageTraining, db: DB) -> Response:
    return _page(request, db, training)


@router.post("/trainings/{training_id}/scanners")
def add_login(request: Request, training: PageTraining, form: SubmittedForm, db: DB) -> Response:
    data = form.values()
    return submit(db, lambda: scanner_logins.create_login(db, training,
                                                          parse(ScannerLoginCreate, data).name),
                  lambda link: _page(request, db, training, fresh=link),
                  lambda exc: _page(request, db, training, values=data, exc=exc))


@router.post("/trainings/{training_id}/scanners/{user_id}/link")
def new_link(request: Request, training: PageTraining, user_id: int, db: DB,
             user: PagePlanner) -> Response:
    login = scanner_logins.get_login(db, user.organization_id, user_id, training.id)
    return submit(db, lambda: scanner_logins.new_link(db, training, login),
                  lambda link: _page(request, db, training, fresh=link),
                  lambda exc: _page(request, db, training, exc=exc))


@router.post("/trainings/{training_id}/scanners/{user_id}/revoke")
def revoke(request: Request, training: PageTraining, user_id: int, db: DB,
           user: PagePlanner) -> Response:
    login = scanner_logins.get_login(db, user.organization_id, user_id, training.id)
    scanner_logins.revoke(db, user, login)
    return _page(request, db, training)


# --- the staff phone -----------------------------------------------------------------------

def _link_page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    response = render(request, "scanner_logins/link.html", context, status)
    # The link is a credential: keep it out of caches (and, by the referrer policy, of
    # other sites' logs).
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/scan/login/{token}")
def link_page(request: Request, token: str, db: DB) -> Response:
    try:
        login, training = scanner_logins.peek_link(db, token)
    except DomainError as exc:
        return _link_page(request, {"error": exc.text()}, exc.status)
    return _link_page(request, {"login": login, "training": training, "token": token})


@router.post("/scan/login/{token}")
def use_link(request: Request, token: str, db: DB) -> Response:
    # No CSRF token can exist before the phone has a session; the link itself is the
    # secret, and it works once.
    settings = get_settings()

    def work() -> tuple[str, AuthToken, Training]:
        login, training = scanner_logins.redeem_link(db, token)
        raw, session = scanner_logins.sign_in(db, login, training, settings.session_days)
        return raw, session, training

    def done(signed_in: tuple[str, AuthToken, Training]) -> Response:
        raw, session, training = signed_in
        expires = session.expires_at if session.expires_at.tzinfo \
            else session.expires_at.replace(tzinfo=UTC)
        response = RedirectResponse(f"/scan?training={training.id}", status_code=303)
        response.set_cookie(settings.session_cookie, raw,
                            max_age=max(60, int((expires - datetime.now(UTC)).total_seconds())),
                            httponly=True, samesite="lax", secure=settings.secure_cookies)
        return response

    return submit(db, work, done,
                  lambda exc: _link_page(request, {"error": exc.text()}, exc.status))
