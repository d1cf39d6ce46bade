"""Accounts: password hashing, login, browser sessions and API tokens."""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, event, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from service.errors import DomainError, FieldError
from service.i18n import N_
from service.models import AuthToken, Organization, User
from service.models.base import pk, utcnow
from service.services.housekeeping import shared_secret
from service.services.passwords import check_password

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


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def csrf_matches(sent: str | None, expected: str | None) -> bool:
    """Whether an unsafe request echoes its session's CSRF secret."""
    return bool(sent and expected) and secrets.compare_digest(str(sent), str(expected))


def new_login_nonce() -> str:
    """A random value for a visitor's pre-login cookie; the login form's CSRF token is
    bound to it (login_form_token), since there is no session to hold one yet."""
    return secrets.token_urlsafe(24)


def login_form_token(db: Session, nonce: str) -> str:
    """The login form's CSRF token for a pre-login cookie: signed with the shared secret,
    so another site can neither read it nor make one for a cookie it planted."""
    key = shared_secret(db, "login-form").encode()
    return hmac.new(key, nonce.encode(), hashlib.sha256).hexdigest()


def login_form_valid(db: Session, nonce: str | None, sent: str | None) -> bool:
    """Whether a login post carries the token of its own pre-login cookie."""
    if not nonce or not sent or len(nonce) > 100:
        return False
    return secrets.compare_digest(login_form_token(db, nonce), str(sent))


def public_form_token(db: Session, nonce: str, purpose: str) -> str:
    """The CSRF token of another form shown before login ("forgot password", "set your
    password"), bound to the visitor's pre-login cookie like the login form's; `purpose`
    keeps a token of one form from passing for another's."""
    key = shared_secret(db, "login-form").encode()
    return hmac.new(key, f"{purpose}:{nonce}".encode(), hashlib.sha256).hexdigest()


def public_form_valid(db: Session, nonce: str | None, sent: str | None, purpose: str) -> bool:
    """Whether a post of a login-free form carries the token of its own pre-login cookie."""
    if not nonce or not sent or len(nonce) > 100:
        return False
    return secrets.compare_digest(public_form_token(db, nonce, purpose), str(sent))


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
        user_id=pk(user), token_hash=token_hash(raw), kind=kind,
        csrf_token=secrets.token_urlsafe(24) if kind == "session" else None,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.add(token)
    db.flush()
    return raw, token


_RESOLVE = (select(AuthToken, User)
            .join(User, User.id == AuthToken.user_id)  # type: ignore[arg-type]
            .where(AuthToken.token_hash == bindparam("token_hash"),
                   AuthToken.kind == bindparam("kind")))


def resolve_token(db: Session, raw: str, kind: str) -> tuple[User, AuthToken] | None:
    """The active user behind a token, or None when unknown, expired or revoked."""
    if not raw or len(raw) > 200:
        return None
    row = db.exec(_RESOLVE, params={"token_hash": token_hash(raw), "kind": kind}).first()
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
    forget_principals(db)


@dataclass(frozen=True)
class Principal:
    """Who is asking, as plain data: what the door's hot path needs of a user."""

    id: int
    organization_id: int
    training_id: int | None
    name: str
    role: str
    # A browser session's CSRF secret (unsafe requests must echo it); None for API tokens.
    csrf_token: str | None = None


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a request presents (parsed by middleware.headers.credentials): an API bearer
    token, or a page's session cookie with the CSRF header unsafe requests must send."""

    kind: str  # "api" (Authorization: Bearer) or "session" (the session cookie)
    token: str
    csrf: str | None = None  # X-CSRF-Token, for a session


PRINCIPAL_BY_TOKEN = (
    select(User.id, User.organization_id, User.training_id, User.name,  # type: ignore[call-overload]
           User.role, User.is_active, AuthToken.expires_at, AuthToken.revoked_at,
           AuthToken.csrf_token)
    .join(User, User.id == AuthToken.user_id)
    .where(AuthToken.token_hash == bindparam("token_hash"), AuthToken.kind == bindparam("kind")))
# token hash -> (monotonic deadline, principal): per process. A door phone sends several
# scans a second with one token; each lookup saved is a database round trip.
_PRINCIPALS: dict[str, tuple[float, Principal]] = {}
_PRINCIPALS_MAX = 10_000


def forget_principals(db: Session) -> None:
    """Drop every remembered token (this process): after a revocation or a change of
    role, it takes effect here at once, and in other processes within the cache time.
    Again when `db` commits: a scan between this flush and the commit may still read,
    and remember, the row as it was."""
    _PRINCIPALS.clear()
    db.info["forget_principals"] = True


@event.listens_for(OrmSession, "after_commit")
def _forget_after_commit(session: OrmSession) -> None:
    if session.info.pop("forget_principals", False):
        _PRINCIPALS.clear()


def remembered_principal(raw: str, kind: str) -> Principal | None:
    """The principal of a token this process resolved within the cache time, without
    touching the database; None when it has to be looked up (resolve_principal)."""
    if not raw or len(raw) > 200:
        return None
    hit = _PRINCIPALS.get(f"{kind}:{token_hash(raw)}")
    return hit[1] if hit is not None and hit[0] > time.monotonic() else None


def resolve_principal(db: Session, raw: str, kind: str, cache_seconds: float
                      ) -> Principal | None:
    """resolve_token as plain data, remembered for `cache_seconds` per process."""
    if not raw or len(raw) > 200:
        return None
    found = remembered_principal(raw, kind)
    if found is not None:
        return found
    row = db.execute(PRINCIPAL_BY_TOKEN, {"token_hash": token_hash(raw), "kind": kind}).first()
    return remember_principal(raw, kind, row, cache_seconds)


def remember_principal(raw: str, kind: str, row: Any, cache_seconds: float
                       ) -> Principal | None:
    """The principal of a PRINCIPAL_BY_TOKEN row (None: no such token), if the token is
    still good; remembered for `cache_seconds`."""
    if row is None:
        return None
    user_id, org_id, training_id, name, role, active, expires, revoked, csrf = row
    expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
    if revoked is not None or expires < datetime.now(UTC) or not active:
        return None
    found = Principal(id=user_id, organization_id=org_id, training_id=training_id, name=name,
                      role=role, csrf_token=csrf)
    if cache_seconds > 0:
        if len(_PRINCIPALS) >= _PRINCIPALS_MAX:
            _PRINCIPALS.clear()
        _PRINCIPALS[f"{kind}:{token_hash(raw)}"] = (time.monotonic() + cache_seconds, found)
    return found


def create_user(db: Session, *, email: str, password: str, name: str, role: str,
                organization: Organization) -> User:
    email = normalize_email(email)
    if "@" not in email or len(email) > 254:
        raise FieldError("email", "Not a valid email address.")
    if db.exec(select(User).where(User.email == email)).first():
        raise FieldError("email", "An account with this email already exists.",
                         code="email_taken")
    check_password(password, email=email, organization=organization.name)
    user = User(email=email, name=name, role=role, organization_id=pk(organization),
                password_hash=hash_password(password))
    db.add(user)
    db.flush()
    return user


def verify_current_password(user: User, current: str) -> None:
    """Before a password change: the user's current password, or a FieldError."""
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise FieldError("current_password", N_("The current password is not right."),
                         code="wrong_password") from None


def check_new_password(user: User, new: str, organization: str) -> None:
    """A FieldError on "new_password" when `new` is too weak for this account."""
    try:
        check_password(new, email=user.email, organization=organization)
    except FieldError as weak:
        weak.field = "new_password"
        raise


def set_password(db: Session, user: User, new: str, keep: AuthToken | None = None) -> User:
    """Set a new password (checked by services.passwords); every other session and token
    of the user stops working, `keep` (the one making the change) excepted."""
    org = db.get(Organization, user.organization_id)
    check_new_password(user, new, org.name if org else "")
    user.password_hash = _hasher.hash(new)
    db.add(user)
    others = update(AuthToken).where(col(AuthToken.user_id) == user.id,
                                     col(AuthToken.revoked_at).is_(None))
    if keep is not None:
        others = others.where(col(AuthToken.id) != keep.id)
    db.execute(others.values(revoked_at=utcnow()))
    db.flush()
    forget_principals(db)
    return user


def get_or_create_organization(db: Session, name: str) -> Organization:
    org = db.exec(select(Organization).where(Organization.name == name)).first()
    if org is None:
        org = Organization(name=name)
        db.add(org)
        db.flush()
    return org


def create_admin(db: Session, email: str, password: str, org_name: str,
                 superuser: bool = False) -> User:
    """An admin of `org_name` (made when new); `superuser` also lets it set up new offices
    on /offices (this command makes one; so does the demo, for its operator)."""
    org = get_or_create_organization(db, org_name)
    user = create_user(db, email=email, password=password, name=email.split("@")[0],
                       role="admin", organization=org)
    if superuser:
        user.is_superuser = True
        db.add(user)
        db.flush()
    return user
