"""Door logins: scanner accounts limited to one training, signed in on a staff phone by a
one-time link (shown as a QR), and revoked at once when a phone is lost or the day ends.

A door login has no usable password: the committee hands out a link, the phone's camera
opens it, and the phone gets an ordinary session. Only the link's hash is stored, so a
link can be shown once; the committee issues a new one when it is lost.
"""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from service.errors import Conflict, DomainError, FieldError, NotFound
from service.i18n import N_
from service.models import AuthToken, Training, User
from service.models.base import as_utc, pk, utcnow
from service.services import auth, users

LINK_KIND = "setup"
LINK_DAYS = 3
# Leaves room for every gate and desk of a large event, but not for a runaway script.
MAX_ACTIVE_LOGINS = 100
EMAIL_DOMAIN = "scanner.invalid"


class LinkUnknown(DomainError):
    code, status, message = "link_invalid", 404, N_(
        "This login link is not valid. Ask the committee for a new one.")


class LinkUsed(DomainError):
    code, status, message = "link_used", 410, N_(
        "This login link was already used, or a newer link replaced it. Each link signs in "
        "one phone once; ask the committee for a new one.")


class LinkExpired(DomainError):
    code, status, message = "link_expired", 410, N_(
        "This login link has expired. Ask the committee for a new one.")


class LoginRevoked(DomainError):
    code, status, message = "login_revoked", 410, N_(
        "This door login was revoked. Ask the committee for a new one.")


@dataclass(frozen=True)
class ScannerLogin:
    """A door login as the committee's list shows it."""

    user: User
    # The last time a phone signed in with it (a link used), if ever.
    last_sign_in: datetime | None
    # The newest unused link's expiry, while one is still open.
    link_expires_at: datetime | None


@dataclass(frozen=True)
class LoginLink:
    user: User
    raw: str
    expires_at: datetime

    @property
    def path(self) -> str:
        return f"/scan/login/{self.raw}"


def training_over_at(training: Training) -> datetime:
    """The end of the day after the training's last day, where it takes place."""
    day_after = training.end_date + timedelta(days=2)
    return datetime.combine(day_after, time(0), tzinfo=ZoneInfo(training.timezone)).astimezone(UTC)


def is_door_login(user: User) -> bool:
    """Created here (rather than on the Users page with a password)."""
    return user.role == "scanner" and user.email.endswith("." + EMAIL_DOMAIN)


def _logins_query(training_id: int) -> SelectOfScalar[User]:
    return select(User).where(User.training_id == training_id, User.role == "scanner")


def list_logins(db: Session, training: Training) -> list[ScannerLogin]:
    """The training's scanner logins, active first, each with its last sign-in."""
    logins = list(db.exec(_logins_query(pk(training))
                          .order_by(col(User.is_active).desc(), col(User.created_at),
                                    col(User.id))).all())
    if not logins:
        return []
    ids = [u.id for u in logins]
    signed_in = dict(db.exec(
        select(AuthToken.user_id, func.max(AuthToken.created_at))
        .where(col(AuthToken.user_id).in_(ids), AuthToken.kind == "session")
        .group_by(col(AuthToken.user_id))).all())
    now = datetime.now(UTC)
    open_links: dict[int, datetime] = {}
    for user_id, expires in db.exec(
            select(AuthToken.user_id, AuthToken.expires_at)
            .where(col(AuthToken.user_id).in_(ids), AuthToken.kind == LINK_KIND,
                   col(AuthToken.revoked_at).is_(None))).all():
        expires = as_utc(expires)
        if expires > now and expires > open_links.get(user_id, now):
            open_links[user_id] = expires
    return [ScannerLogin(user=u, last_sign_in=as_utc(signed_in[u.id]) if u.id in signed_in
                         else None,
                         link_expires_at=open_links.get(pk(u)) if u.is_active else None)
            for u in logins]


def get_login(db: Session, org_id: int, user_id: int, training_id: int | None = None) -> User:
    """A scanner login limited to a training of the organization; anything else is not found."""
    user = db.get(User, user_id)
    if (user is None or user.organization_id != org_id or user.role != "scanner"
            or user.training_id is None
            or (training_id is not None and user.training_id != training_id)):
        raise NotFound("Door login not found.")
    return user


def create_login(db: Session, training: Training, name: str) -> LoginLink:
    """A new door login for the training, with its first one-time link."""
    name = name.strip()
    if not name:
        raise FieldError("name", "This field is required.")
    active = list(db.exec(_logins_query(pk(training)).where(col(User.is_active))).all())
    clash = next((u for u in active if u.name.casefold() == name.casefold()), None)
    if clash is not None:
        # Check-ins show who recorded them by this name, so two gates must not share one.
        raise FieldError("name", "This training already has a door login named {name}.",
                         code="duplicate", name=clash.name)
    if len(active) >= MAX_ACTIVE_LOGINS:
        raise Conflict("A training can have at most {n} active door logins; revoke some first.",
                       code="too_many_logins", params={"n": MAX_ACTIVE_LOGINS})
    _check_not_over(training)
    user = User(organization_id=training.organization_id, name=name, role="scanner",
                training_id=pk(training),
                email=f"scanner-{secrets.token_hex(8)}@{training.organization_id}.{EMAIL_DOMAIN}",
                # Not an argon2 hash, so no password ever matches it: the link is the way in.
                password_hash="!door-login:" + secrets.token_hex(16))
    db.add(user)
    db.flush()
    return _issue_link(db, training, user)


def _check_not_over(training: Training) -> None:
    if training_over_at(training) <= datetime.now(UTC):
        raise Conflict("This training is over; door logins are no longer needed.",
                       code="training_over")


def new_link(db: Session, training: Training, user: User) -> LoginLink:
    """A fresh one-time link for a door login; earlier unused links stop working."""
    if not user.is_active:
        raise Conflict("This door login was revoked; add a new one instead.",
                       code="login_revoked")
    _check_not_over(training)
    db.execute(update(AuthToken)
               .where(col(AuthToken.user_id) == user.id, col(AuthToken.kind) == LINK_KIND,
                      col(AuthToken.revoked_at).is_(None))
               .values(revoked_at=utcnow()))
    return _issue_link(db, training, user)


def _issue_link(db: Session, training: Training, user: User) -> LoginLink:
    raw, token = auth.issue_token(db, user, LINK_KIND, LINK_DAYS)
    token.expires_at = min(as_utc(token.expires_at), training_over_at(training))
    db.add(token)
    db.flush()
    return LoginLink(user=user, raw=raw, expires_at=token.expires_at)


def revoke(db: Session, actor: User, user: User) -> User:
    """Deactivate a door login: its phones' sessions and its open links stop at once."""
    return users.set_active(db, actor, user, False)


def _find_link(db: Session, raw: str) -> tuple[AuthToken, User]:
    if not raw or len(raw) > 200:
        raise LinkUnknown()
    row = db.exec(select(AuthToken, User)
                  .join(User, col(User.id) == col(AuthToken.user_id))
                  .where(AuthToken.token_hash == auth.token_hash(raw),
                         AuthToken.kind == LINK_KIND)).first()
    if row is None:
        raise LinkUnknown()
    token, user = row
    if not user.is_active:
        raise LoginRevoked()
    if token.revoked_at is not None:
        raise LinkUsed()
    if as_utc(token.expires_at) <= datetime.now(UTC):
        raise LinkExpired()
    return token, user


def peek_link(db: Session, raw: str) -> tuple[User, Training]:
    """Who a link would sign in as, without using it (the phone's confirmation page)."""
    _token, user = _find_link(db, raw)
    training = db.get(Training, user.training_id) if user.training_id else None
    if training is None:
        raise LinkUnknown()
    return user, training


def redeem_link(db: Session, raw: str) -> tuple[User, Training]:
    """Use a link once: of two phones sending it at the same moment, only one gets in."""
    token, user = _find_link(db, raw)
    training = db.get(Training, user.training_id) if user.training_id else None
    if training is None:
        raise LinkUnknown()
    # Atomic: the UPDATE that finds the link still unused is the one that may sign in.
    taken = db.execute(update(AuthToken)
                       .where(col(AuthToken.id) == token.id, col(AuthToken.revoked_at).is_(None))
                       .values(revoked_at=utcnow()))
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise LinkUsed()
    db.refresh(token)
    return user, training


def sign_in(db: Session, user: User, training: Training, days: int) -> tuple[str, AuthToken]:
    """A session for the phone that used the link; it ends when the training is over."""
    raw, token = auth.issue_token(db, user, "session", days)
    token.expires_at = min(as_utc(token.expires_at), training_over_at(training))
    db.add(token)
    db.flush()
    return raw, token
