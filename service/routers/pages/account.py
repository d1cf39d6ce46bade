"""Login, logout and the language switch."""

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from service.db import DB
from service.models import AuthToken, User
from service.routers.deps import page_session, page_user
from service.routers.pages.rendering import redirect, render
from service.services import auth
from service.services.auth import InvalidCredentials
from service.settings import get_settings

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect would let a phishing link borrow our login.
    if (not target or not target.startswith("/") or target.startswith("//")
            or urlsplit(target).netloc or "\\" in target):
        return "/trainings"
    return target


def _landing(user: User, target: str | None = None) -> str:
    """Where a user goes after logging in: door scanners to the scanner, which is all they
    may use (for a scanner limited to one training, already set to it)."""
    if user.role != "scanner":
        return _safe_next(target)
    safe = _safe_next(target)
    if safe == "/scan" or safe.startswith(("/scan?", "/scan/")):
        return safe
    return f"/scan?training={user.training_id}" if user.training_id else "/scan"


@router.get("/")
def home(found: Annotated[tuple[User, AuthToken] | None, Depends(page_session)]) -> Response:
    return RedirectResponse(_landing(found[0]) if found else "/login", status_code=303)


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next)})


@router.post("/login")
def login(request: Request, db: DB, email: Annotated[str, Form(max_length=254)] = "",
          password: Annotated[str, Form(max_length=1024)] = "",
          next: Annotated[str, Form(max_length=500)] = "") -> Response:
    try:
        user = auth.authenticate(db, email, password)
    except InvalidCredentials as exc:
        return render(request, "login.html", {"next": _safe_next(next), "email": email,
                                              "error": exc.text()}, status_code=401)
    settings = get_settings()
    raw, _ = auth.issue_token(db, user, "session", settings.session_days)
    response = RedirectResponse(_landing(user, next), status_code=303)
    response.set_cookie(settings.session_cookie, raw, max_age=settings.session_days * 86400,
                        httponly=True, samesite="lax", secure=settings.secure_cookies)
    return response


@router.post("/logout")
def logout(request: Request, db: DB, user: Annotated[User, Depends(page_user)],
           found: Annotated[tuple[User, AuthToken] | None, Depends(page_session)]) -> Response:
    if found:
        auth.revoke_token(db, found[1])
    response = redirect(request, "/login")
    response.delete_cookie(get_settings().session_cookie)
    return response


@router.get("/lang/{code}")
def switch_language(code: str, next: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if code in ("id", "en"):
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="lax")
    return response
