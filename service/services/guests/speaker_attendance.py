"""Whether each narasumber was there for each session they teach: ticked by the committee,
or by the narasumber through their own link ("Saya hadir", on the session's day). The SPJ
pays honorarium only for the sessions a narasumber was present for (`present_sessions`)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.errors import DomainError, NotFound
from service.i18n import N_
from service.models import AgendaSession, Batch, SessionSpeaker, Speaker, Training, User
from service.models.base import as_utc, pk, utcnow
from service.models.roster_links import RosterLink
from service.models.speaker_attendance import SpeakerAttendance

# The narasumber may say "Saya hadir" from an hour before their session starts until the
# end of that day, where the training is held.
LINK_OPENS_BEFORE = timedelta(minutes=60)


class SessionNotFound(NotFound):
    code, message = "session_not_found", N_("Session not found.")


class NotSessionSpeaker(DomainError):
    code, status, message = "not_session_speaker", 422, N_(
        "This narasumber does not teach this session.")


class NotNowForLink(DomainError):
    code, status, message = "attendance_not_open", 422, N_(
        "You can mark yourself present from an hour before the session starts until the "
        "end of its day.")


@dataclass(frozen=True)
class SpeakerSlot:
    """One narasumber of one session, with the latest word on their presence."""

    session: AgendaSession
    batch: Batch
    speaker: Speaker
    record: SpeakerAttendance | None
    recorded_by: str | None

    @property
    def present(self) -> bool | None:
        return self.record.present if self.record else None


def get_session(db: Session, org_id: int, session_id: int) -> tuple[AgendaSession, Training]:
    row = db.exec(select(AgendaSession, Training)
                  .join(Batch, col(Batch.id) == AgendaSession.batch_id)
                  .join(Training, col(Training.id) == Batch.training_id)
                  .where(AgendaSession.id == session_id,
                         Training.organization_id == org_id)).first()
    if row is None:
        raise SessionNotFound()
    return row[0], row[1]


def _assigned(db: Session, session_id: int, speaker_id: int) -> bool:
    return db.get(SessionSpeaker, (session_id, speaker_id)) is not None


def record(db: Session, session: AgendaSession, speaker_id: int, present: bool,
           user: User | None, via_link: bool = False) -> SpeakerAttendance:
    """Set whether the speaker was there for the session; only a speaker assigned to it."""
    if not _assigned(db, pk(session), speaker_id):
        raise NotSessionSpeaker()
    user_id = user.id if user else None
    for _attempt in range(2):
        row = db.get(SpeakerAttendance, (pk(session), speaker_id))
        if row is None:
            try:
                with db.begin_nested():
                    row = SpeakerAttendance(session_id=pk(session), speaker_id=speaker_id,
                                            present=present, user_id=user_id,
                                            via_link=via_link, recorded_at=utcnow())
                    db.add(row)
                    db.flush()
                return row
            except IntegrityError:
                continue  # the other tap won: update its row
        row.present, row.user_id, row.via_link = present, user_id, via_link
        row.recorded_at = utcnow()
        db.add(row)
        db.flush()
        return row
    raise AssertionError("unreachable")  # pragma: no cover


def slots(db: Session, training: Training, speaker_id: int | None = None
          ) -> list[SpeakerSlot]:
    """Every (session, narasumber) of the training by day, time and batch."""
    query = (select(AgendaSession, Batch, Speaker, SpeakerAttendance, User)  # type: ignore[call-overload]
             .join(Batch, col(Batch.id) == AgendaSession.batch_id)
             .join(SessionSpeaker, col(SessionSpeaker.session_id) == AgendaSession.id)
             .join(Speaker, col(Speaker.id) == SessionSpeaker.speaker_id)
             .outerjoin(SpeakerAttendance,
                        (col(SpeakerAttendance.session_id) == AgendaSession.id)
                        & (col(SpeakerAttendance.speaker_id) == Speaker.id))
             .outerjoin(User, col(User.id) == SpeakerAttendance.user_id)
             .where(Batch.training_id == training.id)
             .order_by(col(AgendaSession.date), col(Batch.position), col(Batch.id),
                       col(AgendaSession.start_time), col(AgendaSession.id),
                       col(Speaker.name)))
    if speaker_id is not None:
        query = query.where(Speaker.id == speaker_id)
    out = []
    for session, batch, speaker, row, user in db.exec(query).all():
        by = None
        if row is not None:
            by = user.name if user else (speaker.name if row.via_link else None)
        out.append(SpeakerSlot(session, batch, speaker, row, by))
    return out


def present_sessions(db: Session, training: Training) -> set[tuple[int, int]]:
    """(session_id, speaker_id) of every session a narasumber was recorded present for."""
    rows = db.exec(select(SpeakerAttendance.session_id, SpeakerAttendance.speaker_id)
                   .join(AgendaSession, col(AgendaSession.id) == SpeakerAttendance.session_id)
                   .join(Batch, col(Batch.id) == AgendaSession.batch_id)
                   .where(Batch.training_id == training.id,
                          col(SpeakerAttendance.present).is_(True))).all()
    return {(s, p) for s, p in rows}


# --- the narasumber's own link ----------------------------------------------------------

def link_window(training: Training, session: AgendaSession) -> tuple[datetime, datetime]:
    """From an hour before the session starts to midnight after its day, local time."""
    zone = ZoneInfo(training.timezone)
    start = datetime.combine(session.date, session.start_time, tzinfo=zone)
    end = datetime.combine(session.date + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return start - LINK_OPENS_BEFORE, end


def link_open(training: Training, session: AgendaSession, now: datetime | None = None
              ) -> bool:
    opens, closes = link_window(training, session)
    moment = as_utc(now or utcnow())
    return opens <= moment < closes


def mark_by_link(db: Session, link: RosterLink, training: Training, session_id: int,
                 now: datetime | None = None) -> SpeakerAttendance:
    """The narasumber says "Saya hadir" for one of their own sessions, on its day."""
    row = db.exec(select(AgendaSession)
                  .join(Batch, col(Batch.id) == AgendaSession.batch_id)
                  .join(SessionSpeaker, col(SessionSpeaker.session_id) == AgendaSession.id)
                  .where(AgendaSession.id == session_id, Batch.training_id == training.id,
                         SessionSpeaker.speaker_id == link.speaker_id)).first()
    if row is None:
        raise SessionNotFound()
    if not link_open(training, row, now):
        raise NotNowForLink()
    return record(db, row, link.speaker_id, True, None, via_link=True)


@dataclass(frozen=True)
class LinkSession:
    """What the narasumber's page shows for one of their sessions."""

    present: bool | None
    via_link: bool
    can_mark: bool


def link_context(db: Session, link: RosterLink, training: Training,
                 now: datetime | None = None) -> dict[int, LinkSession]:
    """By session id: the narasumber's presence and whether "Saya hadir" is open now."""
    out = {}
    for slot in slots(db, training, link.speaker_id):
        out[pk(slot.session)] = LinkSession(
            slot.present, bool(slot.record and slot.record.via_link),
            link_open(training, slot.session, now) and slot.present is not True)
    return out


def days_of_slots(items: list[SpeakerSlot]) -> list[date]:
    return sorted({s.session.date for s in items})
