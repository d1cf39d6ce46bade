"""Expected failures: DomainError with a machine code, a status and a translatable message.

One set of handlers renders them as JSON under /api and as a page or an HTMX
fragment elsewhere. An expected failure is never a 500.
"""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.exc import DataError, DBAPIError
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
}


def field_errors(exc: ValidationError | RequestValidationError) -> list[dict[str, str]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "form")]
        msgid = _PYDANTIC_MESSAGES.get(err.get("type", ""), "Not a valid value.")
        ctx = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
        try:
            message = _(msgid, **ctx)
        except (KeyError, IndexError):
            message = _("Not a valid value.")
        out.append({"field": ".".join(loc) or "body", "message": message})
    return out


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _render(request: Request, status: int, payload: dict[str, Any]) -> Response:
    if _wants_json(request):
        return JSONResponse(payload, status_code=status)
    from service.routers.pages.rendering import render_error

    return render_error(request, status, payload)


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

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> Response:
        if not exc.connection_invalidated:
            raise exc
        # The database went away (a restart): the connection is dropped from the pool
        # and the next request gets a fresh one. Scanner phones keep the scan and retry.
        return _render(request, 503, {"code": "database_unavailable", "message": _(
            "The database did not answer. Try again in a moment.")})

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
