"""A batch's timetable: sessions, their narasumber and rooms, and the clashes between them."""

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from sqlmodel import Session, col, select

from service.errors import Conflict, FieldError, NotFound
from service.i18n import N_
from service.i18n.formats import fmt_date, fmt_time
from service.models import (
    AgendaSession,
    Batch,
    Room,
    SessionSpeaker,
    Speaker,
    Training,
    Venue,
)
from service.models.base import pk
from service.schemas.planning import SessionCreate
from service.services.meeting_days import check_meeting, days_of
from service.services.overview import load_sessions
from service.services.speakers import display_name, speakers_by_ids
from service.services.venues import find_or_create_room, resolve_venue


@dataclass(frozen=True)
class Clash:
    session_id: int
    title: str
    batch: str
    training: str
    date: date
    start_time: time
    end_time: time
    speaker: str | None = None
    room: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"session_id": self.session_id, "title": self.title, "batch": self.batch,
                "training": self.training, "date": self.date.isoformat(),
                "start_time": self.start_time.strftime("%H:%M"),
                "end_time": self.end_time.strftime("%H:%M"),
                "speaker": self.speaker, "room": self.room}


class SpeakerConflict(Conflict):
    code = "speaker_conflict"
    message = N_("{speaker} is already teaching then: {title} ({batch}, {date} {start}–{end}).")


class RoomConflict(Conflict):
    code = "room_conflict"
    message = N_("Room {room} is already booked then: {title} ({batch}, {date} {start}–{end}).")


def _clash_params(c: Clash) -> dict[str, str]:
    return {"speaker": c.speaker or "", "room": c.room or "", "title": c.title, "batch": c.batch,
            "date": fmt_date(c.date), "start": fmt_time(c.start_time),
            "end": fmt_time(c.end_time)}


def _overlapping(day: date, start: time, end: time, exclude_id: int | None) -> Any:
    # Half-open intervals: a session ending at 10:00 does not clash with one starting at 10:00.
    q = (select(AgendaSession, Batch, Training)
         .join(Batch, Batch.id == AgendaSession.batch_id)  # type: ignore[arg-type]
         .join(Training, Training.id == Batch.training_id)  # type: ignore[arg-type]
         .where(AgendaSession.date == day, col(AgendaSession.start_time) < end,
                col(AgendaSession.end_time) > start))
    if exclude_id is not None:
        q = q.where(AgendaSession.id != exclude_id)
    return q


def speaker_clashes(db: Session, speakers: list[Speaker], day: date, start: time, end: time,
                    exclude_id: int | None = None) -> list[Clash]:
    """Sessions, in any batch or training of the organization, where these speakers teach then."""
    if not speakers:
        return []
    names = {s.id: display_name(s) for s in speakers}
    rows = db.exec(_overlapping(day, start, end, exclude_id)
                   .add_columns(SessionSpeaker.speaker_id)
                   .join(SessionSpeaker, SessionSpeaker.session_id == AgendaSession.id)
                   .where(col(SessionSpeaker.speaker_id).in_(list(names)))
                   .order_by(col(AgendaSession.start_time))).all()
    return [Clash(s.id or 0, s.title, b.name, t.title, s.date, s.start_time, s.end_time,
                  speaker=names[sid]) for s, b, t, sid in rows]


def room_clashes(db: Session, room: Room, day: date, start: time, end: time,
                 exclude_id: int | None = None) -> list[Clash]:
    rows = db.exec(_overlapping(day, start, end, exclude_id)
                   .where(AgendaSession.room_id == room.id)).all()
    return [Clash(s.id or 0, s.title, b.name, t.title, s.date, s.start_time, s.end_time,
                  room=room.name) for s, b, t in rows]


def _resolve_room(db: Session, org_id: int, batch: Batch, training: Training,
                  room_id: int | None, room_name: str | None,
                  place_id: int | None = None) -> Room | None:
    if room_id is not None:
        row = db.exec(select(Room).join(Venue, Venue.id == Room.venue_id)  # type: ignore[arg-type]
                      .where(Room.id == room_id, Venue.organization_id == org_id)).first()
        if row is None:
            raise FieldError("room_id", "Unknown room.")
        return row
    if not room_name:
        return None
    # A room typed for a session with a place of its own is a room of that place.
    venue_id = place_id or batch.venue_id or training.venue_id
    if venue_id is None:
        raise FieldError("room", "Set a venue for the batch or the training first, "
                                 "so the room can be found.", code="no_venue")
    return find_or_create_room(db, venue_id, room_name)


def _lock(db: Session, speakers: list[Speaker], room: Room | None) -> None:
    # On PostgreSQL two committee members booking the same speaker at once queue
    # here, so the second sees the first's session. SQLite writers already hold
    # the database write lock (BEGIN IMMEDIATE).
    ids = [s.id for s in speakers]
    if ids and db.get_bind().dialect.name != "sqlite":
        db.exec(select(Speaker.id).where(col(Speaker.id).in_(ids))
                .order_by(col(Speaker.id)).with_for_update()).all()
    if room is not None and db.get_bind().dialect.name != "sqlite":
        db.exec(select(Room.id).where(Room.id == room.id).with_for_update()).all()


def _validate(batch: Batch, data: SessionCreate) -> None:
    if data.end_time <= data.start_time:
        raise FieldError("end_time", "The session ends before it starts.", code="invalid_times")
    check_meeting(batch, data.date, "date", "session_outside_batch")
    if not batch.start_date <= data.date <= batch.end_date:
        raise FieldError("date", "The session must be on a day of {batch} ({start} – {end}).",
                         code="session_outside_batch", batch=batch.name,
                         start=fmt_date(batch.start_date), end=fmt_date(batch.end_date))


def save_session(db: Session, org_id: int, batch: Batch, training: Training, data: SessionCreate,
                 existing: AgendaSession | None = None) -> AgendaSession:
    """Create or update a session, refusing it when a speaker or the room is already booked."""
    _validate(batch, data)
    speakers = speakers_by_ids(db, org_id, data.speaker_ids)
    place_id = resolve_venue(db, org_id, data.venue_id, data.venue)
    room = _resolve_room(db, org_id, batch, training, data.room_id, data.room, place_id)
    _lock(db, speakers, room)
    exclude = existing.id if existing else None
    clashes = speaker_clashes(db, speakers, data.date, data.start_time, data.end_time, exclude)
    if clashes:
        raise SpeakerConflict(params=_clash_params(clashes[0]),
                              clashes=[c.as_dict() for c in clashes])
    if room is not None:
        clashes = room_clashes(db, room, data.date, data.start_time, data.end_time, exclude)
        if clashes:
            raise RoomConflict(params=_clash_params(clashes[0]),
                               clashes=[c.as_dict() for c in clashes])
    session = existing or AgendaSession(batch_id=pk(batch), date=data.date,
                                        start_time=data.start_time, end_time=data.end_time,
                                        title=data.title)
    session.date, session.start_time, session.end_time = data.date, data.start_time, data.end_time
    session.title, session.kind, session.jpl = data.title, data.kind, data.jpl
    session.description = data.description
    session.room_id = room.id if room else None
    session.venue_id = place_id
    db.add(session)
    db.flush()
    _set_speakers(db, session, [s.id for s in speakers if s.id is not None])
    return session


def _set_speakers(db: Session, session: AgendaSession, speaker_ids: list[int]) -> None:
    for link in db.exec(select(SessionSpeaker).where(SessionSpeaker.session_id == session.id)):
        db.delete(link)
    db.flush()
    for sid in speaker_ids:
        db.add(SessionSpeaker(session_id=pk(session), speaker_id=sid))
    db.flush()


def get_session(db: Session, org_id: int, session_id: int) -> tuple[AgendaSession, Batch, Training]:
    row = db.exec(select(AgendaSession, Batch, Training)
                  .join(Batch, Batch.id == AgendaSession.batch_id)  # type: ignore[arg-type]
                  .join(Training, Training.id == Batch.training_id)  # type: ignore[arg-type]
                  .where(AgendaSession.id == session_id,
                         Training.organization_id == org_id)).first()
    if row is None:
        raise NotFound("Session not found.")
    return row


def delete_session(db: Session, session: AgendaSession) -> None:
    db.delete(session)
    db.flush()


@dataclass
class CopyResult:
    copied: int = 0
    warnings: list[dict[str, str]] = field(default_factory=list)


def copy_agenda(db: Session, org_id: int, source: Batch, target: Batch, training: Training,
                replace: bool) -> CopyResult:
    """Copy a timetable day by day onto another batch's dates.

    A speaker or room already booked at the new time (two batches side by side)
    is left off that session and reported, so the committee can adjust instead of
    losing the whole copy.
    """
    if source.id == target.id:
        raise FieldError("target_batch_id", "Choose another batch to copy to.")
    existing = db.exec(select(AgendaSession).where(AgendaSession.batch_id == target.id)).all()
    if existing and not replace:
        raise Conflict("{batch} already has {n} sessions. Tick replace to overwrite them.",
                       code="agenda_not_empty", params={"batch": target.name, "n": len(existing)})
    for old in existing:
        db.delete(old)
    db.flush()
    # The nth meeting's sessions go to the target's nth meeting (for batches meeting on
    # consecutive days: the same offset from the first day).
    source_days, target_days = days_of(source), days_of(target)
    result = CopyResult()
    for item in load_sessions(db, [source.id or 0]):
        s = item.session
        nth = source_days.index(s.date) if s.date in source_days else len(target_days)
        if nth >= len(target_days):
            result.warnings.append({"title": s.title, "reason": "day_missing",
                                    "detail": s.date.isoformat()})
            continue
        day = target_days[nth]
        speakers = [sp for sp in item.speakers
                    if not speaker_clashes(db, [sp], day, s.start_time, s.end_time)]
        for sp in item.speakers:
            if sp not in speakers:
                result.warnings.append({"title": s.title, "reason": "speaker_busy",
                                        "detail": display_name(sp)})
        room_id = s.room_id
        if item.room is not None and room_clashes(db, item.room, day, s.start_time, s.end_time):
            result.warnings.append({"title": s.title, "reason": "room_busy",
                                    "detail": item.room.name})
            room_id = None
        copy = AgendaSession(batch_id=pk(target), date=day, start_time=s.start_time,
                             end_time=s.end_time, title=s.title, kind=s.kind, jpl=s.jpl,
                             room_id=room_id, venue_id=s.venue_id, description=s.description)
        db.add(copy)
        db.flush()
        _set_speakers(db, copy, [sp.id for sp in speakers if sp.id is not None])
        result.copied += 1
    return result
