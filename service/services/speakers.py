"""Narasumber: the organization's list of resource persons."""

from typing import Any

from sqlmodel import Session, col, func, select

from service.errors import Conflict, FieldError, NotFound
from service.models import SessionSpeaker, Speaker
from service.schemas.planning import SpeakerCreate
from service.services.participant_fields import FieldProblem, normalize_phone


def list_speakers(db: Session, org_id: int) -> list[Speaker]:
    return list(db.exec(select(Speaker).where(Speaker.organization_id == org_id)
                        .order_by(Speaker.name)).all())


def get_speaker(db: Session, org_id: int, speaker_id: int) -> Speaker:
    speaker = db.get(Speaker, speaker_id)
    if speaker is None or speaker.organization_id != org_id:
        raise NotFound("Narasumber not found.")
    return speaker


def speakers_by_ids(db: Session, org_id: int, ids: list[int]) -> list[Speaker]:
    """The speakers named, all of them ours, or a field error naming the first unknown."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found = {s.id: s for s in db.exec(select(Speaker).where(
        col(Speaker.id).in_(wanted), Speaker.organization_id == org_id)).all()}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise FieldError("speaker_ids", "Unknown narasumber: {id}.", id=missing[0])
    return [found[i] for i in wanted]


def _fields(data: SpeakerCreate) -> dict[str, Any]:
    """The form's fields, the phone in +62 form like participants' (one shape to send a
    WhatsApp link to, and to show the same way everywhere); FieldError if it is none."""
    fields = data.model_dump()
    if fields.get("phone"):
        try:
            fields["phone"] = normalize_phone(fields["phone"])
        except FieldProblem as problem:
            raise FieldError("phone", problem.message, code="invalid_phone",
                             **problem.params) from None
    return fields


def create_speaker(db: Session, org_id: int, data: SpeakerCreate) -> Speaker:
    speaker = Speaker(organization_id=org_id, **_fields(data))
    db.add(speaker)
    db.flush()
    return speaker


def update_speaker(db: Session, speaker: Speaker, data: SpeakerCreate) -> Speaker:
    for key, value in _fields(data).items():
        setattr(speaker, key, value)
    db.add(speaker)
    db.flush()
    return speaker


def display_name(speaker: Speaker) -> str:
    """Name and degrees as offices print them: "Dr. Siti Rahma, M.Kes."

    Front titles (Dr., Drs., Hj.) are part of the name as written; `title` holds the
    degrees that follow the name.
    """
    return f"{speaker.name}, {speaker.title}" if speaker.title else speaker.name


def delete_speaker(db: Session, speaker: Speaker) -> None:
    """Remove a narasumber who teaches no session (their bookings would silently vanish)."""
    teaching = db.exec(select(func.count()).select_from(SessionSpeaker)
                       .where(SessionSpeaker.speaker_id == speaker.id)).one()
    if teaching:
        raise Conflict("{name} teaches {n} sessions; take them off those sessions first.",
                       code="speaker_in_use", params={"name": speaker.name, "n": teaching})
    db.delete(speaker)
    db.flush()
