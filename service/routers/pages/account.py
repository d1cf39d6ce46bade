"""Login, logout, the language switch, and passwords: one's own change, "forgot password"
by email, and the one-time links that set one (a reset, a new office's first admin)."""

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.background import BackgroundTask

from service.db import DB, AsideDB
from service.errors import DomainError, FieldError, InvalidInput
from service.i18n import N_
from service.models import AuthToken, Organization, User
from service.routers.deps import CsrfFailed, client_address, page_session, page_user
from service.routers.pages.forms import (
    Submitted,
    SubmittedForm,
    errors_by_field,
    parse,
    render_form,
    submit,
)
from service.routers.pages.rendering import redirect, render
from service.schemas.accounts import NewPassword, PasswordChange
from service.services import auth, login_throttle, password_reset
from service.services.auth import InvalidCredentials
from service.services.login_throttle import LoginLocked
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
    may use (for a scanner limited to one training, already set to it); a treasurer to
    the SPJ, unless they asked for another page."""
    if user.role == "treasurer":
        # Only to a page of theirs: the login form's default (/trainings) is not.
        safe = urlsplit(_safe_next(target)).path
        mine = safe.startswith(("/spj", "/rates", "/account/")) or "/spj" in safe \
            or safe.endswith("/finance")
        return _safe_next(target) if mine else "/spj"
    if user.role != "scanner":
        return _safe_next(target)
    safe = _safe_next(target)
    if safe == "/scan" or safe.startswith(("/scan?", "/scan/")):
        return safe
    return f"/scan?training={user.training_id}" if user.training_id else "/scan"


@router.get("/")
def home(found: Annotated[tuple[User, AuthToken] | None, Depends(page_session)]) -> Response:
    return RedirectResponse(_landing(found[0]) if found else "/login", status_code=303)


# The pre-login cookie the login form's CSRF token is bound to (there is no session yet).
LOGIN_COOKIE = "bimtek_login"


def _login_form(request: Request, db: Session, context: dict[str, object],
                status_code: int = 200) -> Response:
    """The login page with a CSRF token for the visitor's pre-login cookie (made here
    when missing)."""
    nonce = request.cookies.get(LOGIN_COOKIE) or ""
    fresh = not 20 <= len(nonce) <= 100
    if fresh:
        nonce = auth.new_login_nonce()
    response = render(request, "login.html",
                      {"forgot_by_email": password_reset.email_enabled(), **context,
                       "csrf_token": auth.login_form_token(db, nonce)}, status_code)
    if fresh:
        response.set_cookie(LOGIN_COOKIE, nonce, max_age=86400, path="/login", httponly=True,
                            samesite="lax", secure=get_settings().secure_cookies)
    return response


# What the login page says after a link set a password (?done=...).
_DONE = {"reset": N_("Your new password is saved, and your other sessions were signed out. "
                     "Log in with it."),
         "welcome": N_("Your password is saved. Log in with it to start.")}


@router.get("/login")
def login_page(request: Request, db: DB, next: str | None = None,
               done: str | None = None) -> Response:
    return _login_form(request, db, {"next": _safe_next(next), "notice": _DONE.get(done or ""),
                                     "forgot_by_email": password_reset.email_enabled()})


@router.post("/login")
def login(request: Request, db: DB, aside: AsideDB,
          email: Annotated[str, Form(max_length=254)] = "",
          password: Annotated[str, Form(max_length=1024)] = "",
          next: Annotated[str, Form(max_length=500)] = "",
          csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    """Log in; refused for a form from elsewhere (403), a wrong password (401), and after
    too many failures for the account or from the address (429)."""
    back = {"next": _safe_next(next), "email": email}
    address = client_address(request)
    # The bookkeeping session first, committed before the request's own one starts: on
    # SQLite that one takes the write lock for the whole request.
    try:
        if not auth.login_form_valid(aside, request.cookies.get(LOGIN_COOKIE), csrf_token):
            # Another site's form, or a page older than its cookie.
            return _login_form(request, aside, {**back, "error": CsrfFailed().text()}, 403)
        login_throttle.attempt(aside, email, address)
    except LoginLocked as locked:
        return _login_form(request, aside, {**back, "error": locked.text()}, locked.status)
    finally:
        aside.commit()
    try:
        user = auth.authenticate(db, email, password)
    except InvalidCredentials as exc:
        return _login_form(request, db, {**back, "error": exc.text()}, 401)
    login_throttle.succeeded(db, email, address)
    settings = get_settings()
    raw, _ = auth.issue_token(db, user, "session", settings.session_days)
    response = RedirectResponse(_landing(user, next), status_code=303)
    response.set_cookie(settings.session_cookie, raw, max_age=settings.session_days * 86400,
                        httponly=True, samesite="lax", secure=settings.secure_cookies)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
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


# --- the logged-in user's password --------------------------------------------------------

def _password_page(request: Request, changed: bool = False,
                   exc: DomainError | None = None) -> Response:
    return render_form(request, "account/password.html", {"changed": changed}, exc)


@router.get("/account/password")
def password_page(request: Request, user: Annotated[User, Depends(page_user)],
                  changed: int = 0) -> Response:
    """The form to change one's own password."""
    return _password_page(request, bool(changed))


@router.post("/account/password")
def change_password(request: Request, form: SubmittedForm, db: DB,
                    user: Annotated[User, Depends(page_user)],
                    found: Annotated[tuple[User, AuthToken] | None, Depends(page_session)]
                    ) -> Response:
    """Change one's own password (the current one is required); the other sessions and
    tokens of the account stop working, this browser's session stays."""
    data = form.values()
    address = client_address(request)

    def work() -> None:
        change = parse(PasswordChange, data)
        if change.new_password != data.get("new_password_again", ""):
            raise FieldError("new_password_again", N_("The two new passwords differ."))
        # Guesses of the current password count like failed logins, committed at once so
        # that a wrong one keeps its count when the rest is rolled back.
        login_throttle.attempt(db, user.email, address)
        db.commit()
        auth.verify_current_password(user, change.current_password)
        login_throttle.succeeded(db, user.email, address)
        db.commit()
        auth.set_password(db, user, change.new_password, keep=found[1] if found else None)

    return submit(db, work, lambda _: redirect(request, "/account/password?changed=1"),
                  lambda exc: _password_page(request, exc=exc))


# --- passwords set by a one-time link, and "forgot password" ------------------------------

# The pre-login cookie that binds the CSRF token of a login-free form ("forgot password",
# a reset or setup link's form); the login form keeps its own.
FORM_COOKIE = "bimtek_form"


def _public_form(request: Request, db: Session, name: str, context: dict[str, object],
                 purpose: str, status_code: int = 200) -> Response:
    """A login-free form page with its CSRF token for the visitor's pre-login cookie (made
    here when missing); never cached, since a link page's address is a secret."""
    nonce = request.cookies.get(FORM_COOKIE) or ""
    fresh = not 20 <= len(nonce) <= 100
    if fresh:
        nonce = auth.new_login_nonce()
    response = render(request, name, {
        **context, "csrf_token": auth.public_form_token(db, nonce, purpose)}, status_code)
    if fresh:
        response.set_cookie(FORM_COOKIE, nonce, max_age=86400, path="/", httponly=True,
                            samesite="lax", secure=get_settings().secure_cookies)
    response.headers["Cache-Control"] = "no-store"
    return response


def _form_valid(request: Request, db: Session, sent: str, purpose: str) -> bool:
    return auth.public_form_valid(db, request.cookies.get(FORM_COOKIE), sent, purpose)


@router.get("/forgot")
def forgot_page(request: Request, db: DB) -> Response:
    """"Forgot password?": an email with a reset link when mail is set up; otherwise who
    to ask for one."""
    return _public_form(request, db, "account/forgot.html",
                        {"by_email": password_reset.email_enabled()}, "forgot")


@router.post("/forgot")
def forgot(request: Request, db: DB, aside: AsideDB,
           email: Annotated[str, Form(max_length=254)] = "",
           csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    """Email a reset link. The answer is the same whether or not an account has this
    address (and the email is sent after it, so it takes as long either way); requests
    are limited per address typed and per client address (429)."""
    by_email = password_reset.email_enabled()
    back = {"by_email": by_email, "email": email}
    if not by_email:
        return _public_form(request, db, "account/forgot.html", back, "forgot", 404)
    # The bookkeeping first, committed on its own: refused requests count too.
    try:
        if not _form_valid(request, aside, csrf_token, "forgot"):
            return _public_form(request, aside, "account/forgot.html",
                                {**back, "error": CsrfFailed().text()}, "forgot", 403)
        password_reset.count_request(aside, email, client_address(request))
    except password_reset.ResetRateLimited as limited:
        return _public_form(request, aside, "account/forgot.html",
                            {**back, "error": limited.text()}, "forgot", limited.status)
    finally:
        aside.commit()
    mail = password_reset.request_by_email(db, email)
    db.commit()
    response = _public_form(request, db, "account/forgot.html",
                            {"by_email": True, "sent": True}, "forgot")
    if mail is not None:
        response.background = BackgroundTask(password_reset.send_reset_email, mail)
    return response


def _link_form(request: Request, db: Session, kind: str, token: str,
               holder: tuple[User, Organization], exc: DomainError | None = None) -> Response:
    context: dict[str, object] = {"kind": kind, "token": token, "account": holder[0],
                                  "account_org": holder[1].name,
                                  "action": f"{password_reset.PATHS[kind]}/{token}",
                                  "errors": errors_by_field(exc) if exc else {}}
    return _public_form(request, db, "account/set_password.html", context, kind,
                        exc.status if exc else 200)


def _link_page(request: Request, db: Session, kind: str, token: str) -> Response:
    try:
        holder = password_reset.peek(db, token, kind)
    except DomainError as exc:
        return _public_form(request, db, "account/set_password.html",
                            {"kind": kind, "link_error": exc.text()}, kind, exc.status)
    return _link_form(request, db, kind, token, holder)


def _use_link(request: Request, form: Submitted, db: Session, kind: str, token: str
              ) -> Response:
    data = form.values()

    def work() -> User:
        if not _form_valid(request, db, form.get("csrf_token"), kind):
            # Another site's form, or a page older than its cookie: nothing changes.
            raise CsrfFailed()
        chosen = parse(NewPassword, data).new_password
        if chosen != data.get("new_password_again", ""):
            raise FieldError("new_password_again", N_("The two new passwords differ."))
        return password_reset.redeem(db, token, kind, chosen)

    def refused(exc: DomainError) -> Response:
        if isinstance(exc, FieldError | InvalidInput | CsrfFailed):
            try:
                return _link_form(request, db, kind, token, password_reset.peek(db, token, kind),
                                  exc)
            except DomainError as gone:
                exc = gone
        return _public_form(request, db, "account/set_password.html",
                            {"kind": kind, "link_error": exc.text()}, kind, exc.status)

    def done(_user: User) -> Response:
        # Every session of the account has ended (this browser's too, if it had one).
        return RedirectResponse(f"/login?done={kind}", status_code=303)

    return submit(db, work, done, refused)


@router.get("/reset/{token}")
def reset_page(request: Request, token: str, db: DB) -> Response:
    """A reset link: the form for a new password (no login needed)."""
    return _link_page(request, db, password_reset.RESET, token)


@router.post("/reset/{token}")
def reset_password(request: Request, token: str, form: SubmittedForm, db: DB) -> Response:
    """Set a new password with a reset link (once); every session of the account ends."""
    return _use_link(request, form, db, password_reset.RESET, token)


@router.get("/welcome/{token}")
def welcome_page(request: Request, token: str, db: DB) -> Response:
    """A new office's first admin chooses a password (no login needed)."""
    return _link_page(request, db, password_reset.WELCOME, token)


@router.post("/welcome/{token}")
def welcome_password(request: Request, token: str, form: SubmittedForm, db: DB) -> Response:
    """Set the first password with a setup link (once)."""
    return _use_link(request, form, db, password_reset.WELCOME, token)
