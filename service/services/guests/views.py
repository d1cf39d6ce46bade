"""Guests, committee and narasumber attendance as the API shows them."""

from datetime import date

from service.models.base import pk
from service.models.guests import EventPerson
from service.schemas.guests import PersonRead, SpeakerSessionRead
from service.services.guests.speaker_attendance import SpeakerSlot
from service.services.people.identity import mask_phone
from service.services.registrations import mask_nip


def person_read(person: EventPerson, days_present: list[date], admin: bool) -> PersonRead:
    """NIP and phone whole for an admin, their last 4 digits for others."""
    return PersonRead(
        id=pk(person), kind=person.kind, name=person.name, position=person.position,
        institution=person.institution, committee_role=person.committee_role,
        nip=(person.nip if admin else mask_nip(person.nip)) or None,
        phone=(person.phone if admin else mask_phone(person.phone)) or None,
        sort_order=person.sort_order, days_present=days_present)


def slot_read(slot: SpeakerSlot) -> SpeakerSessionRead:
    s, record = slot.session, slot.record
    return SpeakerSessionRead(
        session_id=pk(s), batch_id=pk(slot.batch), batch=slot.batch.name, date=s.date,
        start_time=s.start_time.strftime("%H:%M"), end_time=s.end_time.strftime("%H:%M"),
        title=s.title, jpl=s.counted_jpl, speaker_id=pk(slot.speaker),
        speaker=slot.speaker.name,
        present=slot.present, via_link=bool(record and record.via_link),
        recorded_by=slot.recorded_by, recorded_at=record.recorded_at if record else None)
