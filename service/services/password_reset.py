"""One-time links that let someone set their own password: a reset link (an admin of the
user's organization hands it over, or the login page's "Forgot password?" emails it) and
a new office's first admin's setup link (services/offices.py makes those).

A link is a row of auth_token holding only the SHA-256 of 256 random bits, so whoever
reads the database cannot use it; it works once (an atomic UPDATE takes it), expires
(24 hours for a reset, WELCOME_HOURS for a new office), and a newer link of the same
kind replaces an older one. Setting the password checks its strength
(services/passwords.py) and ends every session and token of the account.
"""

import hashlib
import html
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from service.errors import Conflict, DomainError
from service.i18n import N_, gettext
from service.models import AuthToken, Organization, User
from service.models.base import as_utc, utcnow
from service.services import auth, housekeeping
from service.services.mailer import SmtpConfig, TicketEmail, send_emails
from service.services.scanner_logins import is_door_login
from service.settings import get_settings

RESET = "reset"
WELCOME = "welcome"
KINDS = (RESET, WELCOME)
RESET_HOURS = 24
# A new office's admin may open the superuser's message a few days later.
WELCOME_HOURS = 72
# The first path part of each kind of link (log_redaction.py cuts what follows).
PATHS = {RESET: "/reset", WELCOME: "/welcome"}
# What a password hash of an account made without a password starts with: argon2 never
# verifies it, so the only way in is the setup link.
SETUP_HASH_PREFIX = "!welcome:"

log = logging.getLogger(__name__)


class LinkUnknown(DomainError):
    code, status, message = "link_invalid", 404, N_(
        "This link is not valid. Ask an admin of your office for a new one.")


class LinkUsed(DomainError):
    code, status, message = "link_used", 410, N_(
        "This link was already used, or a newer link replaced it. Each link sets a password "
        "once; ask an admin of your office for a new one.")


class LinkExpired(DomainError):
    code, status, message = "link_expired", 410, N_(
        "This link has expired. Ask an admin of your office for a new one, or use "
        "\"Forgot password?\" on the login page.")


class ResetRateLimited(DomainError):
    code, status, message = "reset_rate_limited", 429, N_(
        "Too many password reset requests. Please wait {minutes} minutes and try again.")


@dataclass(frozen=True)
class PasswordLink:
    """A link just made: the only moment its secret exists outside a hash."""

    user: User
    kind: str
    raw: str
    expires_at: datetime

    @property
    def path(self) -> str:
        return f"{PATHS[self.kind]}/{self.raw}"


def issue_link(db: Session, user: User, kind: str = RESET) -> PasswordLink:
    """A fresh one-time link for `user`; the user's earlier unused links of this kind stop
    working."""
    if kind not in KINDS:
        raise ValueError(kind)
    if not user.is_active:
        raise Conflict(N_("This account is deactivated: reactivate it first."),
                       code="user_inactive")
    if is_door_login(user):
        raise Conflict(N_("A door login has no password: it signs in by a link from the "
                          "training's Door logins page."), code="door_login")
    db.execute(update(AuthToken)
               .where(col(AuthToken.user_id) == user.id, col(AuthToken.kind) == kind,
                      col(AuthToken.revoked_at).is_(None))
               .values(revoked_at=utcnow()))
    raw, token = auth.issue_token(db, user, kind, 1)
    token.expires_at = utcnow() + timedelta(hours=RESET_HOURS if kind == RESET
                                            else WELCOME_HOURS)
    db.add(token)
    db.flush()
    return PasswordLink(user=user, kind=kind, raw=raw, expires_at=token.expires_at)


def _find(db: Session, raw: str, kind: str) -> tuple[AuthToken, User]:
    if not raw or len(raw) > 200 or kind not in KINDS:
        raise LinkUnknown()
    row = db.exec(select(AuthToken, User)
                  .join(User, col(User.id) == col(AuthToken.user_id))
                  .where(AuthToken.token_hash == auth.token_hash(raw),
                         AuthToken.kind == kind)).first()
    if row is None:
        raise LinkUnknown()
    token, user = row
    if not user.is_active:
        # A deactivated account is nobody's to take over.
        raise LinkUnknown()
    if token.revoked_at is not None:
        raise LinkUsed()
    if as_utc(token.expires_at) <= datetime.now(UTC):
        raise LinkExpired()
    return token, user


def peek(db: Session, raw: str, kind: str) -> tuple[User, Organization]:
    """Whose password a link would set, and their office, without using it (the page
    that asks for the password)."""
    user = _find(db, raw, kind)[1]
    org = db.get(Organization, user.organization_id)
    if org is None:
        raise LinkUnknown()
    return user, org


def redeem(db: Session, raw: str, kind: str, new_password: str) -> User:
    """Use a link once: set the new password (checked for strength first, so a weak one
    leaves the link usable) and end every session and token of the account. Of two
    requests with one link at the same moment, only one sets a password."""
    token, user = _find(db, raw, kind)
    org = db.get(Organization, user.organization_id)
    auth.check_new_password(user, new_password, org.name if org else "")
    taken = db.execute(update(AuthToken)
                       .where(col(AuthToken.id) == token.id,
                              col(AuthToken.revoked_at).is_(None))
                       .values(revoked_at=utcnow()))
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise LinkUsed()
    auth.set_password(db, user, new_password)
    return user


# --- "Forgot password?" by email ----------------------------------------------------------

def email_enabled() -> bool:
    """Whether the login page offers a reset by email: a mail server to send it, and a
    public address to put in the link. The request's own Host header would not do: whoever
    asks for a stranger's reset could name their own site there, and the stranger's
    inbox would receive a working link to it."""
    settings = get_settings()
    return bool(settings.smtp_host.strip() and settings.public_base_url.strip())


def _account_key(email: str) -> str:
    # Hashed: the rate limit table need not hold anyone's address.
    digest = hashlib.sha256(auth.normalize_email(email).encode()).hexdigest()[:40]
    return f"reset:account:{digest}"


def count_request(db: Session, email: str, address: str) -> None:
    """Count one "Forgot password?" request for the address typed and for the client;
    ResetRateLimited past either limit. Counted alike whether or not the account exists,
    so the limit tells nothing either. Run it in a session that commits on its own."""
    settings = get_settings()
    for key, limit in ((_account_key(email), settings.reset_account_limit),
                       (f"reset:address:{address[:150]}", settings.reset_address_limit)):
        try:
            housekeeping.hit(db, key, limit, settings.reset_window_seconds)
        except housekeeping.RateLimited as limited:
            raise ResetRateLimited(params=limited.params) from None


def request_by_email(db: Session, email: str) -> TicketEmail | None:
    """The reset email for the account behind `email`, with a new link in it; None when
    there is no such active account with a password of its own (the answer on the page
    is the same either way, and the email goes out after it)."""
    if "@" not in email or len(email) > 254:
        return None
    user = db.exec(select(User).where(User.email == auth.normalize_email(email))).first()
    if user is None or not user.is_active or is_door_login(user):
        return None
    link = issue_link(db, user, RESET)
    base = get_settings().public_base_url.rstrip("/")
    return reset_email(user, base + link.path)


def reset_email(user: User, url: str) -> TicketEmail:
    """The email with a reset link, in the language of the page that asked for it."""
    _ = gettext
    lines = [_("Hello {name},", name=user.name), "",
             _("Someone (we hope you) asked to reset the password of your Bimtek account "
               "{email}. Open this link within {hours} hours to choose a new password:",
               email=user.email, hours=RESET_HOURS), "", url, "",
             _("The link works once. If you did not ask for it, ignore this email: your "
               "password stays as it is.")]
    text = "\n".join(lines) + "\n"
    e = html.escape
    body = (f"<!DOCTYPE html><html><body><p>{e(lines[0])}</p><p>{e(lines[2])}</p>"
            f"<p><a href=\"{e(url)}\">{e(_('Choose a new password'))}</a><br>{e(url)}</p>"
            f"<p>{e(lines[6])}</p></body></html>")
    return TicketEmail(to=user.email, name=user.name,
                       subject=_("Reset your Bimtek password"), text=text, html=body)


def send_reset_email(mail: TicketEmail) -> None:
    """Send it (after the answer went out: a known address must not answer slower than
    an unknown one). A failure is logged without the link."""
    try:
        report = send_emails(SmtpConfig.from_settings(get_settings()), [mail])
    except DomainError as exc:
        log.warning("password reset email not sent: %s", exc.code)
        return
    if report.failed:
        log.warning("password reset email refused by the mail server")
