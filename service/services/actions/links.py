"""A unit's focal point's private link (/u/{token}) to that unit's follow-up actions, from
every meeting of the organization: they set the status, write a note and upload the
evidence there, without an account.

Like a narasumber's link (services/roster_links.py): only the SHA-256 of the token is
stored, so a link is shown once, when it is made; it dies DAYS_VALID days after it is
made or when the committee revokes the unit's links (a new link from the committee revokes
the old ones). A reminder carries a fresh link of its own (the old ones keep working).
Another unit's action is simply not found through a link.
"""

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from service.errors import NotFound
from service.i18n import N_
from service.models import FollowUpAction, OrgUnit, UnitLink, User
from service.models.base import as_utc, pk, utcnow
from service.services import private_links
from service.services.auth import token_hash
from service.services.private_links import TOKEN_SHAPE

DAYS_VALID = 180


class UnitLinkNotFound(NotFound):
    code, message = "unit_link_not_found", N_(
        "This link does not open anything: it may be mistyped, revoked or expired. "
        "Ask the committee for a new link.")


def url(base_url: str, raw: str) -> str:
    return f"{base_url.rstrip('/')}/u/{raw}"


def issue(db: Session, unit: OrgUnit, user: User | None, *, revoke_others: bool = True,
          now: datetime | None = None) -> tuple[str, UnitLink]:
    """A new link for the unit (its earlier links stop working unless `revoke_others` is
    False: a reminder's link); the raw token, which is never stored."""
    if revoke_others:
        revoke(db, unit)
    raw, hashed = private_links.new_token()
    made = as_utc(now or utcnow())
    link = UnitLink(unit_id=pk(unit), token_hash=hashed,
                    created_by=user.id if user else None, created_at=made,
                    expires_at=made + timedelta(days=DAYS_VALID))
    db.add(link)
    db.flush()
    return raw, link


def revoke(db: Session, unit: OrgUnit) -> int:
    """Stop every live link of the unit; how many."""
    return private_links.revoke_live(db, UnitLink, col(UnitLink.unit_id) == unit.id)


def active(db: Session, unit: OrgUnit) -> UnitLink | None:
    """The unit's newest working link (the committee's page shows until when)."""
    now = utcnow()
    for link in db.exec(select(UnitLink).where(UnitLink.unit_id == unit.id,
                                               col(UnitLink.revoked_at).is_(None))
                        .order_by(col(UnitLink.id).desc())).all():
        if as_utc(link.expires_at) > now:
            return link
    return None


def resolve(db: Session, raw: str, now: datetime | None = None) -> tuple[UnitLink, OrgUnit]:
    """The link's unit while it works; anything else is simply not found."""
    if not TOKEN_SHAPE.match(raw):
        raise UnitLinkNotFound()
    row = db.exec(select(UnitLink, OrgUnit).join(OrgUnit, col(OrgUnit.id) == UnitLink.unit_id)
                  .where(UnitLink.token_hash == token_hash(raw))).first()
    if row is None:
        raise UnitLinkNotFound()
    link, unit = row
    if not private_links.works(link, now):
        raise UnitLinkNotFound()
    return link, unit


def unit_action(db: Session, unit: OrgUnit, action_id: int) -> FollowUpAction:
    """One of the unit's actions; any other id is not found (whoever guesses one)."""
    action = db.get(FollowUpAction, action_id)
    if (action is None or action.unit_id != unit.id
            or action.organization_id != unit.organization_id):
        raise UnitLinkNotFound()
    return action
