"""Read models: a training with its batches and agenda, loaded in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from service.models import (
    TIMEZONES,
    AgendaSession,
    Batch,
    Room,
    SessionSpeaker,
    Speaker,
    Training,
    TrainingCategory,
    Venue,
)
from service.services.meeting_days import days_of
from service.services.places import day_places, venues_by_id
from service.services.trainings import list_batches, list_categories


@dataclass
class SessionItem:
    session: AgendaSession
    speakers: list[Speaker] = field(default_factory=list)
    room: Room | None = None
    venue: Venue | None = None  # the session's own place (a field visit), if it has one


@dataclass
class BatchInfo:
    batch: Batch
    days: list[date]
    venue: Venue | None
    sessions: list[SessionItem]
    # Days held away from the batch's venue (places.set_day_place).
    day_venues: dict[date, Venue] = field(default_factory=dict)

    @property
    def total_jpl(self) -> int:
        return sum(i.session.counted_jpl for i in self.sessions)

    def sessions_on(self, day: date) -> list[SessionItem]:
        return [i for i in self.sessions if i.session.date == day]

    def place_on(self, day: date) -> Venue | None:
        """Where the batch is that day: the day's own place, else its venue."""
        return self.day_venues.get(day) or self.venue

    def own_place_on(self, day: date) -> Venue | None:
        """The day's place when it differs from the batch's venue (worth printing)."""
        own = self.day_venues.get(day)
        return own if own is not None and (self.venue is None or own.id != self.venue.id) \
            else None

    def session_place(self, item: SessionItem) -> Venue | None:
        """A session's place when it differs from its day's (worth printing beside it)."""
        day = self.place_on(item.session.date)
        if item.venue is None or (day is not None and item.venue.id == day.id):
            return None
        return item.venue


@dataclass
class DayColumn:
    batch: BatchInfo
    sessions: list[SessionItem]


@dataclass
class AgendaDay:
    date: date
    columns: list[DayColumn]


@dataclass
class TrainingOverview:
    training: Training
    venue: Venue | None
    categories: list[TrainingCategory]
    batches: list[BatchInfo]

    @property
    def timezone_label(self) -> str:
        return TIMEZONES.get(self.training.timezone, self.training.timezone)

    @property
    def capacity(self) -> int:
        return sum(b.batch.capacity for b in self.batches)

    def agenda_days(self) -> list[AgendaDay]:
        """Every day any batch runs, each with a column per batch running that day."""
        days = sorted({d for b in self.batches for d in b.days})
        return [AgendaDay(d, [DayColumn(b, b.sessions_on(d)) for b in self.batches if d in b.days])
                for d in days]


def load_sessions(db: Session, batch_ids: list[int],
                  session_ids: list[int] | None = None) -> list[SessionItem]:
    """Sessions of these batches (or just these sessions) in time order, with speakers
    and rooms: three queries whatever the count."""
    if not batch_ids and not session_ids:
        return []
    where = (col(AgendaSession.id).in_(session_ids) if session_ids
             else col(AgendaSession.batch_id).in_(batch_ids))
    sessions = db.exec(select(AgendaSession).where(where)
                       .order_by(col(AgendaSession.date), col(AgendaSession.start_time),
                                 col(AgendaSession.id))).all()
    items = {s.id: SessionItem(s) for s in sessions}
    if not items:
        return []
    for sid, speaker in db.exec(
            select(SessionSpeaker.session_id, Speaker)
            .join(Speaker, Speaker.id == SessionSpeaker.speaker_id)  # type: ignore[arg-type]
            .where(col(SessionSpeaker.session_id).in_(list(items)))
            .order_by(col(Speaker.name))):
        items[sid].speakers.append(speaker)
    room_ids = {s.room_id for s in sessions if s.room_id}
    if room_ids:
        rooms = {r.id: r for r in db.exec(select(Room).where(col(Room.id).in_(room_ids)))}
        for item in items.values():
            item.room = rooms.get(item.session.room_id)
    places = venues_by_id(db, {s.venue_id for s in sessions if s.venue_id})
    for item in items.values():
        if item.session.venue_id:
            item.venue = places.get(item.session.venue_id)
    return list(items.values())


def training_overview(db: Session, training: Training) -> TrainingOverview:
    batches = list_batches(db, training.id or 0)
    venue_ids = {v for v in [training.venue_id, *(b.venue_id for b in batches)] if v}
    venues = {v.id: v for v in db.exec(select(Venue).where(col(Venue.id).in_(venue_ids)))} \
        if venue_ids else {}
    by_batch: dict[int, list[SessionItem]] = defaultdict(list)
    for item in load_sessions(db, [b.id for b in batches if b.id]):
        by_batch[item.session.batch_id].append(item)
    days = day_places(db, [b.id for b in batches if b.id])
    infos = [BatchInfo(b, days_of(b),
                       venues.get(b.venue_id or training.venue_id), by_batch[b.id or 0],
                       days.get(b.id or 0, {}))
             for b in batches]
    return TrainingOverview(training, venues.get(training.venue_id),
                            list_categories(db, training.id or 0), infos)


def batch_info(db: Session, batch: Batch, training: Training) -> BatchInfo:
    venue_id = batch.venue_id or training.venue_id
    return BatchInfo(batch, days_of(batch),
                     db.get(Venue, venue_id) if venue_id else None,
                     load_sessions(db, [batch.id or 0]),
                     day_places(db, [batch.id or 0]).get(batch.id or 0, {}))

