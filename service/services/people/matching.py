"""Which person of the organization a registration is: the same NIK; else the same NIP;
else the same phone and the same name (case and spacing aside).

A NIK or NIP on both sides that differs means two people, whatever else matches: a
person found by NIP or by phone is only taken when neither number contradicts it. So
someone first registered by phone and name, then with their NIK, stays one person (and
gains the NIK), while two relatives sharing one phone under one name but with their own
NIKs stay two."""

from sqlmodel import Session, col, select

from service.models import Participant
from service.services.participant_fields import ParticipantFields, name_key


def compatible(person: Participant, fields: ParticipantFields) -> bool:
    """No number on both sides that tells them apart."""
    return all(not (mine and theirs) or mine == theirs
               for mine, theirs in ((person.nik, fields.nik), (person.nip, fields.nip)))


def find_person(db: Session, org_id: int, fields: ParticipantFields) -> Participant | None:
    """The person the organization already knows under these details, or None."""
    if fields.nik:
        found = db.exec(select(Participant).where(Participant.organization_id == org_id,
                                                  Participant.nik == fields.nik)).first()
        if found is not None:
            return found
    if fields.nip:
        for person in db.exec(select(Participant)
                              .where(Participant.organization_id == org_id,
                                     Participant.nip == fields.nip)
                              .order_by(col(Participant.id))):
            if compatible(person, fields):
                return person
    if fields.phone:
        key = name_key(fields.name)
        for person in db.exec(select(Participant)
                              .where(Participant.organization_id == org_id,
                                     Participant.phone == fields.phone)
                              .order_by(col(Participant.id))):
            if name_key(person.name) == key and compatible(person, fields):
                return person
    return None
