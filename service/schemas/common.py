"""Constrained string types shared by every input schema."""

from typing import Annotated

from pydantic import BeforeValidator, StringConstraints


def _blank_to_none(v: object) -> object:
    # HTML forms send "" for an empty optional field.
    if isinstance(v, str) and not v.strip():
        return None
    return v


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
OptShort = Annotated[Short | None, BeforeValidator(_blank_to_none)]
OptName = Annotated[Name | None, BeforeValidator(_blank_to_none)]
OptText = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] | None,
    BeforeValidator(_blank_to_none),
]
OptEmail = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=254,
                                     pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None,
    BeforeValidator(_blank_to_none),
]
OptPhone = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=30,
                                     pattern=r"^\+?[0-9 ()\-.]{6,30}$")] | None,
    BeforeValidator(_blank_to_none),
]
OptInt = Annotated[int | None, BeforeValidator(_blank_to_none)]
