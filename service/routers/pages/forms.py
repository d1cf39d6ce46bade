"""The one way a page handles a form.

1. The form is read on the event loop by the `Submitted` dependency (reading a body is
   network I/O and may be slow on a village hall's signal).
2. The page handler is a plain `def`, so FastAPI runs it in the worker-thread pool:
   `submit()` does the service work and the commit there, then renders.
3. On a `DomainError`, `submit()` rolls back and re-renders the form with the messages.

Never `async def` with a database session: a blocking call on the event loop lets one
request wait for a lock that another request on the same loop holds, and the process
stops (three public registrations at once did exactly that; tests/test_request_model.py
fails on any handler that tries).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile

from service.errors import DomainError, FieldError, InvalidInput, field_errors
from service.routers.pages.rendering import render

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True)
class Submitted:
    """A form as the browser sent it, read before any database work."""

    form: FormData

    def values(self, lists: tuple[str, ...] = ()) -> dict[str, Any]:
        """Text fields as a dict; `lists` names fields sent several times (checkboxes)."""
        data: dict[str, Any] = {k: v for k, v in self.form.items() if isinstance(v, str)}
        for name in lists:
            data[name] = self.getlist(name)
        data.pop("csrf_token", None)
        return data

    def get(self, name: str, default: str = "") -> str:
        value = self.form.get(name)
        return value if isinstance(value, str) else default

    def getlist(self, name: str) -> list[str]:
        """The non-empty values of a field sent several times."""
        return [v for v in self.form.getlist(name) if isinstance(v, str) and v]

    def items(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in self.form.multi_items() if isinstance(v, str)]

    def rows(self, *names: str) -> list[tuple[str, ...]]:
        """Fields sent once per row of a table (a category's name and its quota), as one
        tuple per row. Empty values are kept, so a row without a quota does not pass the
        next row's quota up to it; a shorter column is padded with ""."""
        columns = [[v if isinstance(v, str) else "" for v in self.form.getlist(name)]
                   for name in names]
        count = max((len(c) for c in columns), default=0)
        return [tuple(c[i] if i < len(c) else "" for c in columns) for i in range(count)]

    def file(self, name: str) -> UploadFile | None:
        """An uploaded file, or None when the field is absent or no file was chosen.

        Starlette's UploadFile: the form parser makes those, and FastAPI's is a subclass."""
        value = self.form.get(name)
        return value if isinstance(value, UploadFile) and value.filename else None


async def read_form(request: Request) -> Submitted:
    if not request.headers.get("content-type", "").startswith(_FORM_TYPES):
        return Submitted(FormData())
    # Starlette keeps the parsed form on the request, so the CSRF check reads it once.
    return Submitted(await request.form())


SubmittedForm = Annotated[Submitted, Depends(read_form)]


def submit(db: Session, work: Callable[[], T], done: Callable[[T], Response],
           refused: Callable[[DomainError], Response]) -> Response:
    """Run `work`, commit, and answer `done(result)`; on a DomainError roll back and answer
    `refused(error)`, which re-renders the form with its messages (and a 4xx status).

    Called from a sync page handler, so all of it runs in a worker thread."""
    try:
        result = work()
        db.commit()
    except DomainError as exc:
        db.rollback()
        return refused(exc)
    return done(result)


def parse(model: type[M], data: dict[str, Any]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(field_errors(exc)) from None


def errors_by_field(exc: DomainError) -> dict[str, str]:
    """Map an error to {field: message}; "" holds a message that belongs to no field."""
    if isinstance(exc, InvalidInput):
        out: dict[str, str] = {}
        for e in exc.errors:
            out.setdefault(e["field"].split(".")[0], e["message"])
        return out
    if isinstance(exc, FieldError):
        return {exc.field: exc.text()}
    return {"": exc.text()}


def render_form(request: Request, name: str, context: dict[str, Any],
                exc: DomainError | None = None) -> Response:
    """A form page; after a refused submit, with its messages by field and its 4xx status."""
    return render(request, name, {**context, "errors": errors_by_field(exc) if exc else {}},
                  exc.status if exc else 200)
