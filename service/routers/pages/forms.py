"""Parse an HTML form into an input schema, with errors keyed by field for re-rendering."""

from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError

from service.errors import DomainError, FieldError, InvalidInput, field_errors
from service.routers.pages.rendering import render

M = TypeVar("M", bound=BaseModel)


async def form_data(request: Request, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """Form fields as a dict; `lists` names fields sent several times (checkboxes)."""
    form = await request.form()
    data: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    for name in lists:
        data[name] = [v for v in form.getlist(name) if isinstance(v, str) and v]
    data.pop("csrf_token", None)
    return data


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
