"""A narasumber's private link to the rosters of the batches where they teach.

The committee creates one per narasumber and training; it opens the roster of every
batch holding one of their sessions, and nothing else. Only the SHA-256 of the link's
token is stored, so the link is shown once, when it is made: a lost link is replaced
by a new one (which revokes the old). It stops working when revoked, or 30 days after
the training's last day (in the training's time zone); a link made later than that (the
committee reissuing one after the expiry, for a narasumber who asks months on) works for
30 days from the day it is made.
"""

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, select

from service.errors import DomainError, NotFound
from service.i18n import N_, use_locale
from service.i18n.formats import fmt_date
from service.models import AgendaSession, Batch, SessionSpeaker, Speaker, Training, User
from service.models.base import as_utc, pk, utcnow
from service.models.roster_links import RosterLink
from service.services import private_links
from service.services.auth import token_hash
from service.services.private_links import TOKEN_SHAPE
from service.services.whatsapp import whatsapp_link

DAYS_AFTER_TRAINING = 30


class LinkNotFound(NotFound):
    code, message = "roster_link_not_found", N_(
        "This link does not open anything: it may be mistyped, revoked or expired. "
        "Ask the committee for a new link.")


class NotTeaching(DomainError):
    code, status, message = "speaker_not_in_training", 422, N_(
        "This narasumber teaches no session in this training.")


@dataclass(frozen=True)
class TaughtSession:
    session: AgendaSession
    batch: Batch


@dataclass(frozen=True)
class SpeakerLinks:
    """A narasumber of the training: their sessions and their working link, if any."""

    speaker: Speaker
    sessions: list[TaughtSession]
    active: RosterLink | None
    # Their latest link when it has run out (not revoked): the committee may reissue it.
    expired: RosterLink | None = None


@dataclass(frozen=True)
class LinkBatch:
    batch: Batch
    sessions: list[AgendaSession]


def expires_at(training: Training, now: datetime | None = None) -> datetime:
    """Midnight after the 30th day past the training's end, where the training is held;
    for a link made after that, midnight after the 30th day past the day it is made."""
    zone = ZoneInfo(training.timezone)
    made = as_utc(now or utcnow()).astimezone(zone).date()
    last = max(training.end_date, made) + timedelta(days=DAYS_AFTER_TRAINING + 1)
    # Stored in UTC: SQLite keeps no offset, and every stored moment is read back as UTC.
    return datetime.combine(last, time(0), tzinfo=zone).astimezone(UTC)


def last_day(training: Training, moment: datetime) -> date:
    """The last day a link expiring at `moment` still works, where the training is held."""
    local = as_utc(moment).astimezone(ZoneInfo(training.timezone))
    return (local - timedelta(microseconds=1)).date()


def _taught(db: Session, training_id: int, speaker_id: int | None = None
            ) -> list[tuple[int, AgendaSession, Batch]]:
    query = (select(col(SessionSpeaker.speaker_id), AgendaSession, Batch)
             .join(AgendaSession, col(AgendaSession.id) == SessionSpeaker.session_id)
             .join(Batch, col(Batch.id) == AgendaSession.batch_id)
             .where(Batch.training_id == training_id)
             .order_by(col(AgendaSession.date), col(AgendaSession.start_time),
                       col(Batch.position), col(Batch.id)))
    if speaker_id is not None:
        query = query.where(SessionSpeaker.speaker_id == speaker_id)
    return [(sid, s, b) for sid, s, b in db.exec(query).all()]


def training_speakers(db: Session, training: Training) -> list[SpeakerLinks]:
    """Every narasumber with a session in the training, by name, with their link."""
    taught: dict[int, list[TaughtSession]] = {}
    for sid, session, batch in _taught(db, pk(training)):
        taught.setdefault(sid, []).append(TaughtSession(session, batch))
    if not taught:
        return []
    people = db.exec(select(Speaker).where(col(Speaker.id).in_(taught))
                     .order_by(col(Speaker.name), col(Speaker.id))).all()
    now = utcnow()
    active: dict[int, RosterLink] = {}
    expired: dict[int, RosterLink] = {}
    for link in db.exec(select(RosterLink).where(
            RosterLink.training_id == training.id, col(RosterLink.revoked_at).is_(None))
            .order_by(col(RosterLink.id))).all():
        if as_utc(link.expires_at) > now:
            active[link.speaker_id] = link
        else:
            expired[link.speaker_id] = link
    return [SpeakerLinks(p, taught[pk(p)], active.get(pk(p)),
                         None if pk(p) in active else expired.get(pk(p)))
            for p in people]


def create_link(db: Session, training: Training, speaker_id: int, user: User,
                now: datetime | None = None) -> tuple[str, RosterLink]:
    """A new link for the narasumber (their earlier links stop working), also long after
    the training (a reissue: it works for 30 days from now); returns the raw token, which
    is never stored."""
    speaker = db.get(Speaker, speaker_id)
    if speaker is None or speaker.organization_id != training.organization_id:
        raise NotFound("Narasumber not found.")
    if not _taught(db, pk(training), speaker_id):
        raise NotTeaching()
    ends = expires_at(training, now)
    _revoke_all(db, training, speaker_id)
    raw = secrets.token_urlsafe(24)
    link = RosterLink(speaker_id=speaker_id, training_id=pk(training),
                      token_hash=token_hash(raw), created_by=user.id, expires_at=ends)
    db.add(link)
    db.flush()
    return raw, link


def revoke_link(db: Session, training: Training, link_id: int) -> RosterLink:
    """Stop the link, and any other live link of the same narasumber in the training
    (two "create" clicks racing could have left two): revoking means none works."""
    link = db.get(RosterLink, link_id)
    if link is None or link.training_id != training.id:
        raise NotFound("Link not found.")
    _revoke_all(db, training, link.speaker_id)
    db.refresh(link)
    return link


def _revoke_all(db: Session, training: Training, speaker_id: int) -> None:
    db.execute(update(RosterLink)
               .where(col(RosterLink.training_id) == training.id,
                      col(RosterLink.speaker_id) == speaker_id,
                      col(RosterLink.revoked_at).is_(None))
               .values(revoked_at=utcnow()))


def resolve(db: Session, raw: str) -> tuple[RosterLink, Speaker, Training]:
    """The link's speaker and training while it works; anything else is simply not found
    (a tampered, revoked and expired link look the same to whoever holds them)."""
    if not TOKEN_SHAPE.match(raw):
        raise LinkNotFound()
    row = db.exec(select(RosterLink, Speaker, Training)
                  .join(Speaker, col(Speaker.id) == RosterLink.speaker_id)
                  .join(Training, col(Training.id) == RosterLink.training_id)
                  .where(RosterLink.token_hash == token_hash(raw))).first()
    if row is None:
        raise LinkNotFound()
    link, speaker, training = row
    if not private_links.works(link) or speaker.organization_id != training.organization_id:
        raise LinkNotFound()
    return link, speaker, training


def link_batches(db: Session, link: RosterLink) -> list[LinkBatch]:
    """The batches where the link's narasumber teaches, each with their sessions there."""
    out: dict[int, LinkBatch] = {}
    for _, session, batch in _taught(db, link.training_id, link.speaker_id):
        out.setdefault(pk(batch), LinkBatch(batch, [])).sessions.append(session)
    return sorted(out.values(), key=lambda lb: (lb.batch.start_date, lb.batch.position,
                                                pk(lb.batch)))


def link_batch(db: Session, link: RosterLink, batch_id: int) -> Batch:
    """One batch of the link's narasumber; another batch is not found."""
    for lb in link_batches(db, link):
        if lb.batch.id == batch_id:
            return lb.batch
    raise LinkNotFound()


def share_message(speaker: Speaker, training: Training, url: str, until: datetime) -> str:
    """The WhatsApp message carrying the link: Indonesian, it goes to the narasumber."""
    with use_locale("id"):
        until_text = fmt_date(last_day(training, until))
    return (f"Yth. Bapak/Ibu {speaker.name},\n"
            f"terima kasih telah menjadi narasumber pada {training.title}. Daftar peserta "
            f"angkatan yang Bapak/Ibu ajar (PDF, Excel, CSV) dapat diunduh di:\n{url}\n"
            f"Tautan ini pribadi dan berlaku sampai {until_text}.")


def share_whatsapp(speaker: Speaker, training: Training, url: str, until: datetime
                   ) -> str | None:
    if not speaker.phone:
        return None
    try:
        return whatsapp_link(speaker.phone, share_message(speaker, training, url, until))
    except ValueError:
        return None
