"""Constrained string types shared by every input schema.

Every free-text input carries `SingleLine` (or `MultiLine` for text areas): control
characters are refused with a 422 that says so. They are invisible on screen, and a
spreadsheet cannot hold them: one in a training's title made every later XLSX download
of it fail (openpyxl's IllegalCharacterError).
"""

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

# C0 and C1 controls, DEL, lone surrogates and the non-characters U+FFFE/U+FFFF.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The same, but tab and line breaks are text in a multi-line field.
_CONTROLS_MULTILINE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The largest id a database column holds (64-bit); a larger one is simply not found.
MAX_ID = 2**63 - 1


def _refuse(pattern: re.Pattern[str]) -> AfterValidator:
    def check(value: str | None) -> str | None:
        # None passes: an optional field (`str | None`) left out or sent as null.
        if value is not None and pattern.search(value):
            # The message is translated in errors.field_errors, by this type.
            raise PydanticCustomError("control_character", "control character")
        return value
    return AfterValidator(check)


SingleLine = _refuse(_CONTROLS)
MultiLine = _refuse(_CONTROLS_MULTILINE)


def _blank_to_none(v: object) -> object:
    # HTML forms send "" for an empty optional field.
    if isinstance(v, str) and not v.strip():
        return None
    return v


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
                 SingleLine]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
                  SingleLine]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
                  SingleLine]
OptShort = Annotated[Short | None, BeforeValidator(_blank_to_none)]
OptName = Annotated[Name | None, BeforeValidator(_blank_to_none)]
OptText = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000), MultiLine] | None,
    BeforeValidator(_blank_to_none),
]
OptEmail = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=254,
                                     pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), SingleLine] | None,
    BeforeValidator(_blank_to_none),
]
OptPhone = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=30,
                                     pattern=r"^\+?[0-9 ()\-.]{6,30}$")] | None,
    BeforeValidator(_blank_to_none),
]
OptInt = Annotated[int | None, Field(le=MAX_ID), BeforeValidator(_blank_to_none)]
# An id in a request body: a larger one than the database holds is a 422, not a 500.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
