"""Lookup dependencies: who is asking (bearer token or session cookie), and what they may see."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlmodel import Session

from service.db import DB, SAFE_METHODS
from service.errors import DomainError, Forbidden, NotFound, Unauthorized
from service.i18n import N_
from service.middleware.headers import credentials
from service.models import AuthToken, Batch, Training, User
from service.models.accounts import FINANCE_ROLES, SCANNER_ROLES
from service.rendering.activity_report_pdf import Signer
from service.schemas.common import SingleLine
from service.services import auth, trainings
from service.services.province import sharing
from service.settings import get_settings

PLANNERS = ("admin", "committee")


class LoginRequired(DomainError):
    """A page visitor without a session: the page handler redirects to /login."""

    code, status, message = "login_required", 401, N_("Please log in.")


class CsrfFailed(DomainError):
    code, status, message = "csrf_failed", 403, N_(
        "This form has expired. Reload the page and try again.")


def client_address(request: Request) -> str:
    """The client's address, as rate limits count it (behind a trusted proxy, the one it
    reports: the front middleware sets it)."""
    return request.client.host if request.client else "unknown"


def api_user(request: Request, db: DB) -> User:
    header = request.headers.get("authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw:
        raise Unauthorized()
    found = auth.resolve_token(db, raw.strip(), "api")
    if found is None:
        raise Unauthorized("Your token is invalid or has expired.", code="invalid_token")
    return found[0]


@dataclass(frozen=True)
class Viewer:
    """Who is looking at a page, as plain data: templates (error pages included) render
    after the request's database session has closed, when ORM rows can no longer load."""

    id: int
    name: str
    email: str
    role: str
    # Sets up new offices (/offices): the top bar shows that page to it alone.
    is_superuser: bool = False
    # Of a province office: the top bar links its table of the sharing offices.
    is_province: bool = False


def page_session(request: Request, db: DB) -> tuple[User, AuthToken] | None:
    raw = request.cookies.get(get_settings().session_cookie)
    found = auth.resolve_token(db, raw, "session") if raw else None
    if found is not None:
        request.state.csrf_token = found[1].csrf_token
        user = found[0]
        request.state.user = Viewer(id=user.id or 0, name=user.name, email=user.email,
                                    role=user.role, is_superuser=user.is_superuser,
                                    is_province=user.role in PLANNERS
                                    and sharing.is_province(db, user.organization_id))
    return found


async def _form_csrf(request: Request) -> str:
    if request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else ""
    return ""


async def page_user(request: Request,
                    found: Annotated[tuple[User, AuthToken] | None, Depends(page_session)]) -> User:
    """The logged-in user of a page; unsafe methods must carry the session's CSRF token."""
    if found is None:
        raise LoginRequired()
    user, token = found
    if request.method not in SAFE_METHODS:
        sent = request.headers.get("x-csrf-token") or await _form_csrf(request)
        if not auth.csrf_matches(sent, token.csrf_token):
            raise CsrfFailed()
    return user


def scanner_of(request: Request, db: Session) -> auth.Principal:
    """Who may check people in (the committee, and door logins), as plain data.

    A plain function, so the check-in route can run it in the same thread call as its
    work; a bearer token's user is remembered for a few seconds (token_cache_seconds)."""
    settings = get_settings()
    # The same parser as the check-in fast lane's, so both agree on who is asking.
    sent = credentials(request.scope, settings.session_cookie)
    if sent is None:
        raise Unauthorized()
    found = auth.resolve_principal(db, sent.token, sent.kind, settings.token_cache_seconds)
    if found is None:
        if sent.kind == "api":
            raise Unauthorized("Your token is invalid or has expired.", code="invalid_token")
        raise Unauthorized()
    # The scanner page's session: the CSRF header on unsafe methods.
    if sent.kind == "session" and request.method not in SAFE_METHODS \
            and not auth.csrf_matches(sent.csrf, found.csrf_token):
        raise CsrfFailed()
    if found.role not in SCANNER_ROLES:
        raise Forbidden()
    return found


def api_scanner(request: Request, db: DB) -> auth.Principal:
    return scanner_of(request, db)


ApiScanner = Annotated[auth.Principal, Depends(api_scanner)]


def _planner(user: User) -> User:
    if user.role not in PLANNERS:
        raise Forbidden()
    return user


def api_planner(user: Annotated[User, Depends(api_user)]) -> User:
    return _planner(user)


def page_planner(user: Annotated[User, Depends(page_user)]) -> User:
    return _planner(user)


def _admin(user: User) -> User:
    if user.role != "admin":
        raise Forbidden()
    return user


def api_admin(user: Annotated[User, Depends(api_user)]) -> User:
    return _admin(user)


def page_admin(user: Annotated[User, Depends(page_user)]) -> User:
    return _admin(user)


def page_superuser(user: Annotated[User, Depends(page_user)]) -> User:
    # A 404 rather than a 403: the page is not there for anyone else.
    if not user.is_superuser:
        raise NotFound()
    return user


ApiAdmin = Annotated[User, Depends(api_admin)]
PageAdmin = Annotated[User, Depends(page_admin)]
PageSuperuser = Annotated[User, Depends(page_superuser)]
ApiPlanner = Annotated[User, Depends(api_planner)]
PagePlanner = Annotated[User, Depends(page_planner)]


def api_training(training_id: int, user: ApiPlanner, db: DB) -> Training:
    return trainings.get_training(db, user.organization_id, training_id)


def page_training(training_id: int, user: PagePlanner, db: DB) -> Training:
    return trainings.get_training(db, user.organization_id, training_id)


def api_batch(batch_id: int, user: ApiPlanner, db: DB) -> tuple[Batch, Training]:
    return trainings.get_batch(db, user.organization_id, batch_id)


def page_batch(batch_id: int, user: PagePlanner, db: DB) -> tuple[Batch, Training]:
    return trainings.get_batch(db, user.organization_id, batch_id)


def _finance(user: User) -> User:
    """The treasurer and admins: the rate tables, the SPJ, the narasumber's finance fields."""
    if user.role not in FINANCE_ROLES:
        raise Forbidden()
    return user


def api_finance(user: Annotated[User, Depends(api_user)]) -> User:
    return _finance(user)


def page_finance(user: Annotated[User, Depends(page_user)]) -> User:
    return _finance(user)


ApiFinance = Annotated[User, Depends(api_finance)]
PageFinance = Annotated[User, Depends(page_finance)]


def api_finance_training(training_id: int, user: ApiFinance, db: DB) -> Training:
    return trainings.get_training(db, user.organization_id, training_id)


def page_finance_training(training_id: int, user: PageFinance, db: DB) -> Training:
    return trainings.get_training(db, user.organization_id, training_id)


ApiFinanceTraining = Annotated[Training, Depends(api_finance_training)]
PageFinanceTraining = Annotated[Training, Depends(page_finance_training)]
ApiTraining = Annotated[Training, Depends(api_training)]
PageTraining = Annotated[Training, Depends(page_training)]
ApiBatch = Annotated[tuple[Batch, Training], Depends(api_batch)]
PageBatch = Annotated[tuple[Batch, Training], Depends(page_batch)]


def report_signer(signer_name: Annotated[str, Query(max_length=200), SingleLine] = "",
                  signer_nip: Annotated[str, Query(max_length=40), SingleLine] = "",
                  signer_position: Annotated[str, Query(max_length=200), SingleLine] = ""
                  ) -> Signer:
    """The head of office who signs the activity report: optional, printed under the
    place and date (the API and the page's PDF take the same query). Single lines, as
    the stored signature's fields are: a control character cannot go into the Word
    document (or the PDF)."""
    return Signer(name=signer_name.strip(), nip=signer_nip.strip(),
                  position=signer_position.strip())


ReportSigner = Annotated[Signer, Depends(report_signer)]
