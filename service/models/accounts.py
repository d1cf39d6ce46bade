"""Organizations, their users, and login sessions / API tokens."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from service.i18n import N_
from service.models.base import created_at_field, timestamp_field

ROLES = ("admin", "committee", "scanner", "treasurer")
# Who may check people in at the door (a treasurer does not scan).
SCANNER_ROLES = ("admin", "committee", "scanner")
# Who sees the money: the rate tables, the SPJ, the narasumber's NPWP and bank account.
FINANCE_ROLES = ("admin", "treasurer")
ROLE_LABELS = {"admin": N_("Admin"), "committee": N_("Committee"), "scanner": N_("Door scanner"),
               "treasurer": N_("Treasurer")}


class Organization(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    # Printed on attendance sheets and certificates.
    city: str | None = Field(default=None, max_length=120)
    logo_png: bytes | None = Field(default=None)
    # How many Kampung KB the office aims at (Padang: 104, one per kelurahan); coverage
    # shows the register against it.
    kampung_kb_target: int | None = Field(default=None)
    # "office" runs its own trainings; a "province" (BKKBN Perwakilan) also reads the
    # aggregates of the offices that share them with it (models/province.py).
    kind: str = Field(default="office", max_length=10)
    # Erase participants whose last training ended more than this many years ago
    # (services/erasure/retention.py); None: off.
    retention_years: int | None = Field(default=None)
    # When the setting last changed to its present value: what it removes by the training
    # (unit_papers.py) goes no sooner than GRACE_DAYS after, as people listed do.
    retention_since: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    email: str = Field(max_length=254, unique=True)
    name: str = Field(max_length=200)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=20, default="committee")
    # A scanner login may be limited to one training, and revoked with is_active.
    training_id: int | None = Field(default=None, foreign_key="training.id", index=True)
    is_active: bool = Field(default=True)
    # Sets up new offices on /offices (made only by `bimtek create-admin --superuser`);
    # otherwise an ordinary account of its own organization, never an admin of another's.
    is_superuser: bool = Field(default=False)
    created_at: datetime = created_at_field()


class AuthToken(SQLModel, table=True):
    """A browser session (kind=session), an API bearer token (kind=api), or a one-time
    link: a door phone's sign-in (kind=setup), a password reset (kind=reset) or a new
    office's first admin setting a password (kind=welcome).

    Only the SHA-256 of the token is stored; the CSRF token of a browser session
    lives beside it so any app process can check it.
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    kind: str = Field(max_length=10, default="api")
    csrf_token: str | None = Field(default=None, max_length=64)
    created_at: datetime = created_at_field()
    expires_at: datetime = created_at_field()
    revoked_at: datetime | None = timestamp_field()
