"""A unit's focal point's private link (/nominasi/{token}) where they name the unit's
delegates to one training and upload its surat tugas, without an account.

Like a unit's link to its actions (services/actions/links.py): only the SHA-256 of the
token is stored, so a link is shown once, when it is made. It works until 30 days after
the training ends (a link made later: 30 days after it is made), or until the committee
revokes the unit's links (a new link from the committee revokes the old ones). A reminder
or an invitation letter carries a fresh link of its own (`revoke_others=False`: the old
ones keep working). Another unit's delegates are simply not found through a link.
"""

from datetime import UTC, datetime, time, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from service.errors import NotFound
from service.i18n import N_
from service.models import NominationLink, Training, TrainingUnit, User
from service.models.base import as_utc, pk, utcnow
from service.services import private_links
from service.services.auth import token_hash
from service.services.private_links import TOKEN_SHAPE

DAYS_AFTER_TRAINING = 30


class NominationLinkNotFound(NotFound):
    code, message = "nomination_link_not_found", N_(
        "This link does not open anything: it may be mistyped, revoked or expired. "
        "Ask the committee for a new link.")


def url(base_url: str, raw: str) -> str:
    return f"{base_url.rstrip('/')}/nominasi/{raw}"


def expires_at(training: Training, now: datetime | None = None) -> datetime:
    """Midnight after the 30th day past the training's end (or past the day the link is
    made, when later), where the training is held; stored in UTC."""
    zone = ZoneInfo(training.timezone)
    made = as_utc(now or utcnow()).astimezone(zone).date()
    last = max(training.end_date, made) + timedelta(days=DAYS_AFTER_TRAINING + 1)
    return datetime.combine(last, time(0), tzinfo=zone).astimezone(UTC)


def issue(db: Session, training_unit: TrainingUnit, user: User | None, *,
          revoke_others: bool = True, now: datetime | None = None
          ) -> tuple[str, NominationLink]:
    """A new link for the unit (its earlier links stop working unless `revoke_others` is
    False: a reminder's or a letter's link); the raw token, which is never stored."""
    training = db.get(Training, training_unit.training_id)
    if training is None:  # the foreign key keeps it
        raise NominationLinkNotFound()
    if revoke_others:
        revoke(db, training_unit)
    raw, hashed = private_links.new_token()
    made = as_utc(now or utcnow())
    link = NominationLink(training_unit_id=pk(training_unit), token_hash=hashed,
                          created_by=user.id if user else None, created_at=made,
                          expires_at=expires_at(training, made))
    db.add(link)
    db.flush()
    return raw, link


def revoke(db: Session, training_unit: TrainingUnit) -> int:
    """Stop every live link of the unit; how many."""
    return private_links.revoke_live(
        db, NominationLink, col(NominationLink.training_unit_id) == training_unit.id)


def active(db: Session, training_unit: TrainingUnit,
           now: datetime | None = None) -> NominationLink | None:
    """The unit's newest working link (the committee's page says until when)."""
    moment = as_utc(now or utcnow())
    for link in db.exec(select(NominationLink)
                        .where(NominationLink.training_unit_id == training_unit.id,
                               col(NominationLink.revoked_at).is_(None))
                        .order_by(col(NominationLink.id).desc())).all():
        if private_links.works(link, moment):
            return link
    return None


def resolve(db: Session, raw: str, now: datetime | None = None) -> TrainingUnit:
    """The link's training unit while the link works; anything else is not found."""
    if not TOKEN_SHAPE.match(raw):
        raise NominationLinkNotFound()
    row = db.exec(select(NominationLink, TrainingUnit)
                  .join(TrainingUnit, col(TrainingUnit.id) == NominationLink.training_unit_id)
                  .where(NominationLink.token_hash == token_hash(raw))
                  .options(defer(TrainingUnit.surat_tugas))).first()  # type: ignore[arg-type]
    if row is None:
        raise NominationLinkNotFound()
    link, training_unit = row
    if not private_links.works(link, now):
        raise NominationLinkNotFound()
    return training_unit


def whatsapp_share(unit: str, training: str, link: str, focal_name: str = "") -> str:
    """A wa.me link with no number (the committee picks the chat) and the message filled
    in: the unit's focal point, what to do, and the link."""
    text = (f"Yth. Bapak/Ibu {focal_name or 'Penanggung jawab ' + unit},\n"
            f"Mohon isi nama peserta {unit} untuk {training} dan unggah surat tugasnya "
            f"melalui tautan berikut (khusus unit Anda):\n{link}\nTerima kasih.")
    return f"https://wa.me/?text={quote(text, safe='')}"
