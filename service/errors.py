"""Expected failures: DomainError with a machine code, a status and a translatable message.

One set of handlers renders them as JSON under /api and as a page or an HTMX
fragment elsewhere. An expected failure is never a 500.
"""

import sqlite3
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from service.i18n import N_
from service.i18n import gettext as _


class DomainError(Exception):
    code = "error"
    status = 400
    message = N_("The request could not be processed.")

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 status: int | None = None, params: dict[str, Any] | None = None,
                 **extra: Any) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.status = status or self.status
        self.params = params or {}
        # Extra JSON fields for clients, e.g. the session a new one clashes with.
        self.extra = extra
        super().__init__(self.code)

    def text(self) -> str:
        return _(self.message, **self.params)

    def payload(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.text(), **self.extra}


class NotFound(DomainError):
    code, status, message = "not_found", 404, N_("Not found.")


class Unauthorized(DomainError):
    code, status, message = "not_authenticated", 401, N_("Please log in.")


class Forbidden(DomainError):
    code, status, message = "forbidden", 403, N_("You are not allowed to do this.")


class Conflict(DomainError):
    status = 409


class FieldError(DomainError):
    """Input that parses but breaks a rule; names the field so forms can show it there."""

    code, status = "validation_error", 422

    def __init__(self, field: str, message: str, *, code: str | None = None, **params: Any):
        super().__init__(message, code=code, params=params)
        self.field = field

    def payload(self) -> dict[str, Any]:
        text = self.text()
        return {"code": self.code, "message": text,
                "errors": [{"field": self.field, "message": text}]}


class InvalidInput(DomainError):
    """Several field errors at once (from parsing a form or a JSON body)."""

    code, status, message = "validation_error", 422, N_("Some fields are not valid.")

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__()
        self.errors = errors

    def payload(self) -> dict[str, Any]:
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in self.errors[:5])
        return {"code": self.code, "message": f"{self.text()} {summary}".strip(),
                "errors": self.errors}


# Pydantic's own messages are English; these say the same in the user's language.
_PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": N_("This field is required."),
    "string_too_short": N_("This field is required."),
    "string_too_long": N_("Too long: at most {max_length} characters."),
    "date_parsing": N_("Not a valid date (use YYYY-MM-DD)."),
    "date_from_datetime_parsing": N_("Not a valid date (use YYYY-MM-DD)."),
    "date_type": N_("Not a valid date (use YYYY-MM-DD)."),
    "time_parsing": N_("Not a valid time (use HH:MM)."),
    "time_type": N_("Not a valid time (use HH:MM)."),
    "int_parsing": N_("Not a whole number."),
    "int_type": N_("Not a whole number."),
    "int_from_float": N_("Not a whole number."),
    "greater_than": N_("Must be greater than {gt}."),
    "greater_than_equal": N_("Must be at least {ge}."),
    "less_than_equal": N_("Must be at most {le}."),
    "less_than": N_("Must be less than {lt}."),
    "literal_error": N_("Choose one of: {expected}."),
    "enum": N_("Choose one of: {expected}."),
    "value_error": N_("Not a valid value."),
    "string_type": N_("Must be text."),
    "list_type": N_("Must be a list."),
    "json_invalid": N_("The request body is not valid JSON."),
    "model_attributes_type": N_("The request body must be a JSON object."),
    "dict_type": N_("The request body must be a JSON object."),
    "email": N_("Not a valid email address."),
    "control_character": N_("Holds an invisible control character (often copied along from "
                            "another program): remove it."),
    "string_unicode": N_("Holds an invisible control character (often copied along from "
                         "another program): remove it."),
}


def field_errors(exc: ValidationError | RequestValidationError) -> list[dict[str, str]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "form")]
        msgid = _PYDANTIC_MESSAGES.get(err.get("type", ""), "Not a valid value.")
        ctx = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
        if "expected" in ctx:
            # Pydantic lists the choices in English ("'a', 'b' or 'c'", "4 or 5").
            word = _("or")
            ctx["expected"] = f" {word} ".join(ctx["expected"].rsplit(" or ", 1))
        try:
            message = _(msgid, **ctx)
        except (KeyError, IndexError):
            message = _("Not a valid value.")
        out.append({"field": ".".join(loc) or "body", "message": message})
    return out


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _render(request: Request, status: int, payload: dict[str, Any],
            headers: dict[str, str] | None = None) -> Response:
    if _wants_json(request):
        return JSONResponse(payload, status_code=status, headers=headers)
    from service.routers.pages.rendering import render_error

    response = render_error(request, status, payload)
    response.headers.update(headers or {})
    return response


# Seconds a client should wait before it tries again after a 503: a restarting database
# is back within a few seconds; a scanner phone keeps its scan queued meanwhile.
RETRY_AFTER_SECONDS = 5
# What SQLite says when it cannot be used just now (another process holds the write lock
# past the busy timeout, the file or its folder is gone or unreadable), as opposed to
# what it says about a wrong statement ("no such table"), which stays a 500: a bug.
_SQLITE_UNAVAILABLE = ("database is locked", "database table is locked", "database is busy",
                       "unable to open", "disk i/o error", "readonly database",
                       "database disk image is malformed", "locking protocol")


def database_unavailable(exc: BaseException) -> bool:
    """Whether an exception means the database could not be reached or used just now (a
    restart, a dropped connection, no free connection, a locked SQLite file)."""
    if isinstance(exc, SATimeoutError):
        return True  # no pooled connection came free in time
    orig: BaseException | None = exc
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated or isinstance(exc, InterfaceError):
            return True
        orig = exc.orig
    if isinstance(orig, sqlite3.OperationalError):
        return any(words in str(orig).lower() for words in _SQLITE_UNAVAILABLE)
    # psycopg's OperationalError: refused or lost connections, a server shutting down,
    # and the conflicts a retry settles (deadlock, serialization failure).
    return isinstance(orig, psycopg.OperationalError | psycopg.InterfaceError)


def unavailable_response(request: Request) -> Response:
    """503 with a retry hint in the user's language, as JSON under /api, else a page."""
    return _render(request, 503, {"code": "database_unavailable", "message": _(
        "The database did not answer. Try again in a moment.")},
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        return _render(request, exc.status, exc.payload())

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return _render(request, 422, InvalidInput(field_errors(exc)).payload())

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> Response:
        # A value the database refuses to store (PostgreSQL and a NUL character, a number
        # out of range): the client's input, so a 4xx, never a 500.
        return _render(request, 422, {"code": "invalid_value", "message": _(
            "The request holds a value that cannot be stored (for example an invisible "
            "control character or a number that is too large).")})

    async def _database(request: Request, exc: Exception) -> Response:
        if not database_unavailable(exc):
            raise exc
        # The database went away (a restart, an outage) or is locked: a dead connection
        # is dropped from the pool and a later request gets a fresh one. Scanner phones
        # keep the scan and retry.
        return unavailable_response(request)

    for kind in (DBAPIError, SATimeoutError, sqlite3.OperationalError,
                 psycopg.OperationalError, psycopg.InterfaceError):
        app.add_exception_handler(kind, _database)

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError) -> Response:
        # SQLite cannot even bind an integer beyond 64 bits (/api/trainings/2**63): no
        # row has such an id, so whatever was asked for is not there. (PostgreSQL
        # compares it as a numeric and finds nothing, or refuses to store it: DataError.)
        return _render(request, 404, {"code": "not_found", "message": _("Not found.")})

    @app.exception_handler(ClientDisconnect)
    async def _gone(request: Request, exc: ClientDisconnect) -> Response:
        # The client left while sending its body (a page navigated away, HTMX dropped a
        # superseded request): nothing was done and nobody is waiting for an answer.
        return Response(status_code=499)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: ("not_found", N_("Not found.")),
                    405: ("method_not_allowed", N_("This method is not allowed here.")),
                    413: ("too_large", N_("The request is too large."))}
        code, msg = messages.get(exc.status_code,
                                 ("error", N_("The request could not be processed.")))
        return _render(request, exc.status_code, {"code": code, "message": _(msg)})
