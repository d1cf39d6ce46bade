"""Accounts: password hashing, login, browser sessions and API tokens."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from service.errors import DomainError, FieldError
from service.i18n import N_
from service.models import AuthToken, Organization, User
from service.models.base import pk, utcnow

_hasher = PasswordHasher()
# Verified when the email is unknown, so a login takes as long whether or not it exists.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
MIN_PASSWORD = 10


class InvalidCredentials(DomainError):
    code, status, message = "invalid_credentials", 401, N_("Wrong email or password.")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise FieldError("password", "The password needs at least {n} characters.",
                         n=MIN_PASSWORD)
    return _hasher.hash(password)


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def normalize_email(email: str) -> str:
    return email.strip().lower()


def authenticate(db: Session, email: str, password: str) -> User:
    user = db.exec(select(User).where(User.email == normalize_email(email))).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        raise InvalidCredentials() from None
    if user is None or not user.is_active:
        raise InvalidCredentials()
    return user


def issue_token(db: Session, user: User, kind: str, days: int) -> tuple[str, AuthToken]:
    """A fresh random token; only its hash is stored."""
    raw = secrets.token_urlsafe(32)
    token = AuthToken(
        user_id=pk(user), token_hash=_token_hash(raw), kind=kind,
        csrf_token=secrets.token_urlsafe(24) if kind == "session" else None,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.add(token)
    db.flush()
    return raw, token


def resolve_token(db: Session, raw: str, kind: str) -> tuple[User, AuthToken] | None:
    """The active user behind a token, or None when unknown, expired or revoked."""
    if not raw or len(raw) > 200:
        return None
    row = db.exec(
        select(AuthToken, User)
        .join(User, User.id == AuthToken.user_id)  # type: ignore[arg-type]
        .where(AuthToken.token_hash == _token_hash(raw), AuthToken.kind == kind)
    ).first()
    if row is None:
        return None
    token, user = row
    expires = token.expires_at if token.expires_at.tzinfo else token.expires_at.replace(tzinfo=UTC)
    if token.revoked_at is not None or expires < datetime.now(UTC) or not user.is_active:
        return None
    return user, token


def revoke_token(db: Session, token: AuthToken) -> None:
    token.revoked_at = utcnow()
    db.add(token)
    db.flush()


def create_user(db: Session, *, email: str, password: str, name: str, role: str,
                organization: Organization) -> User:
    email = normalize_email(email)
    if "@" not in email or len(email) > 254:
        raise FieldError("email", "Not a valid email address.")
    if db.exec(select(User).where(User.email == email)).first():
        raise FieldError("email", "An account with this email already exists.",
                         code="email_taken")
    user = User(email=email, name=name, role=role, organization_id=pk(organization),
                password_hash=hash_password(password))
    db.add(user)
    db.flush()
    return user


def get_or_create_organization(db: Session, name: str) -> Organization:
    org = db.exec(select(Organization).where(Organization.name == name)).first()
    if org is None:
        org = Organization(name=name)
        db.add(org)
        db.flush()
    return org


def create_admin(db: Session, email: str, password: str, org_name: str) -> User:
    org = get_or_create_organization(db, org_name)
    return create_user(db, email=email, password=password, name=email.split("@")[0],
                       role="admin", organization=org)
