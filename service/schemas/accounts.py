"""Shapes for managing accounts."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from service.schemas.common import Name, OptInt, OptShort, SingleLine

Role = Literal["admin", "committee", "scanner", "treasurer"]


Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254,
                                         pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
                  SingleLine]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    email: Email
    name: Name
    role: Role = "committee"
    # Length and strength are checked by services.passwords, which says what is wrong.
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    # Limits a door scanner to one training; ignored for other roles.
    training_id: OptInt = None


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
    training_id: int | None = None
    # Locked out by failed logins until it passes, or an admin unlocks it.
    locked: bool = False


class ScannerLoginCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # Shown beside each check-in it records, e.g. "Gerbang 1" or "Meja registrasi".
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80),
                    SingleLine]


class ScannerLoginLink(BaseModel):
    id: int
    name: str
    login_url: str
    expires_at: datetime


class ScannerLoginRead(BaseModel):
    id: int
    name: str
    training_id: int
    is_active: bool
    created_at: datetime
    last_sign_in_at: datetime | None
    link_expires_at: datetime | None


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="ignore")

    current_password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]
    # Length and strength are checked by services.passwords, which says what is wrong.
    new_password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class PasswordLinkRead(BaseModel):
    """A one-time link to set a password: shown once, then only its hash is kept."""

    user_id: int
    url: str
    expires_at: datetime


class OfficeCreate(BaseModel):
    """A new office (organization) and its first admin, who sets their own password."""

    model_config = ConfigDict(extra="ignore")

    name: Name
    city: OptShort = None
    admin_name: Name
    admin_email: Email


class NewPassword(BaseModel):
    """The form behind a reset or setup link."""

    model_config = ConfigDict(extra="ignore")

    # Length and strength are checked by services.passwords, which says what is wrong.
    new_password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
