"""Shapes for managing accounts."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from service.schemas.common import Name

Role = Literal["admin", "committee", "scanner"]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254,
                                            pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    name: Name
    role: Role = "committee"
    password: Annotated[str, StringConstraints(min_length=10, max_length=256)]


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    is_active: bool | None = None
    role: Role | None = None


class UserRead(BaseModel):
    id: int
    email: str
    name: str
    role: str
    is_active: bool
