"""Turn read models into response schemas."""

from service.models import Room, Speaker, Venue
from service.schemas.participants import RegistrationRead
from service.schemas.planning import (
    BatchRead,
    CategoryRead,
    RoomRead,
    SessionRead,
    SpeakerRead,
    TrainingRead,
    VenueRead,
)
from service.services.overview import BatchInfo, SessionItem, TrainingOverview
from service.services.registrations import RegistrationRow, mask_nik


def speaker_read(s: Speaker) -> SpeakerRead:
    return SpeakerRead.model_validate(s, from_attributes=True)


def session_read(item: SessionItem) -> SessionRead:
    s = item.session
    return SessionRead(
        id=s.id or 0, batch_id=s.batch_id, title=s.title, date=s.date, start_time=s.start_time,
        end_time=s.end_time, kind=s.kind, jpl=s.jpl, room_id=s.room_id,
        room=item.room.name if item.room else None, description=s.description,
        speaker_ids=[sp.id or 0 for sp in item.speakers],
        speakers=[speaker_read(sp) for sp in item.speakers])


def batch_read(info: BatchInfo) -> BatchRead:
    b = info.batch
    return BatchRead(id=b.id or 0, training_id=b.training_id, name=b.name,
                     start_date=b.start_date, end_date=b.end_date, days=info.days,
                     capacity=b.capacity, confirmed=b.confirmed_count, venue_id=b.venue_id,
                     venue=info.venue.name if info.venue else None, total_jpl=info.total_jpl)


def training_read(ov: TrainingOverview) -> TrainingRead:
    t = ov.training
    return TrainingRead(
        id=t.id or 0, title=t.title, kind=t.kind, start_date=t.start_date, end_date=t.end_date,
        timezone=t.timezone, timezone_label=ov.timezone_label, venue_id=t.venue_id,
        venue=ov.venue.name if ov.venue else None, description=t.description,
        checkin_mode=t.checkin_mode,
        categories=[CategoryRead(id=c.id or 0, name=c.name, quota=c.quota)
                    for c in ov.categories],
        batches=[batch_read(b) for b in ov.batches])


def venue_read(venue: Venue, rooms: list[Room]) -> VenueRead:
    return VenueRead(id=venue.id or 0, name=venue.name, address=venue.address, city=venue.city,
                     rooms=[RoomRead(id=r.id or 0, name=r.name, capacity=r.capacity)
                            for r in rooms])


def registration_read(row: RegistrationRow, base_url: str, full_nik: bool = False
                      ) -> RegistrationRead:
    reg, person = row.registration, row.participant
    return RegistrationRead(
        id=reg.id or 0, participant_id=person.id or 0, training_id=reg.training_id,
        batch_id=reg.batch_id, batch=row.batch.name if row.batch else None,
        preferred_batch_id=reg.preferred_batch_id, status=reg.status,
        name=person.name, nik_masked=mask_nik(person.nik),
        nik=person.nik if full_nik else None, gender=person.gender,
        phone=person.phone, email=person.email,
        category=row.category.name if row.category else None,
        institution=person.institution, position=person.position, village=person.village,
        district=person.district, regency=person.regency, kampung_kb=person.kampung_kb,
        source=reg.source, ticket_url=f"{base_url}/t/{reg.ticket_token}",
        created_at=reg.created_at, cancelled_at=reg.cancelled_at)
