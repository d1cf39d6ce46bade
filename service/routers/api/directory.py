"""The organization's narasumber and venues."""

from fastapi import APIRouter, Response

from service.db import DB
from service.routers.deps import ApiPlanner
from service.schemas.planning import (
    RoomCreate,
    RoomRead,
    SpeakerCreate,
    SpeakerRead,
    VenueCreate,
    VenueRead,
    VenueUpdate,
    speaker_read,
    venue_read,
)
from service.services import speakers, venues

router = APIRouter(prefix="/api", tags=["directory"])


@router.get("/speakers")
def list_speakers(db: DB, user: ApiPlanner) -> list[SpeakerRead]:
    """Every narasumber of the organization."""
    return [speaker_read(s) for s in speakers.list_speakers(db, user.organization_id)]


@router.post("/speakers", status_code=201)
def create_speaker(data: SpeakerCreate, db: DB, user: ApiPlanner) -> SpeakerRead:
    """Add a narasumber."""
    return speaker_read(speakers.create_speaker(db, user.organization_id, data))


@router.put("/speakers/{speaker_id}")
def update_speaker(speaker_id: int, data: SpeakerCreate, db: DB, user: ApiPlanner) -> SpeakerRead:
    """Change a narasumber's details."""
    speaker = speakers.get_speaker(db, user.organization_id, speaker_id)
    return speaker_read(speakers.update_speaker(db, speaker, data))


@router.get("/venues")
def list_venues(db: DB, user: ApiPlanner) -> list[VenueRead]:
    """Venues with their rooms."""
    return [venue_read(v, rooms) for v, rooms in venues.list_venues(db, user.organization_id)]


@router.post("/venues", status_code=201)
def create_venue(data: VenueCreate, db: DB, user: ApiPlanner) -> VenueRead:
    """Add a venue, optionally with room names."""
    venue = venues.create_venue(db, user.organization_id, data)
    return next(venue_read(v, r) for v, r in venues.list_venues(db, user.organization_id)
                if v.id == venue.id)


@router.put("/venues/{venue_id}")
def update_venue(venue_id: int, data: VenueUpdate, db: DB, user: ApiPlanner) -> VenueRead:
    """Change a venue's name, address and city (the report's signature block prints the
    city)."""
    venue = venues.update_venue(db, venues.get_venue(db, user.organization_id, venue_id), data)
    return next(venue_read(v, r) for v, r in venues.list_venues(db, user.organization_id)
                if v.id == venue.id)


@router.delete("/venues/{venue_id}", status_code=204,
               responses={409: {"description": "venue_in_use: a training, batch, session or "
                                               "day still uses it (`uses` counts them)"}})
def delete_venue(venue_id: int, db: DB, user: ApiPlanner) -> Response:
    """Delete a venue, with its rooms, that no training, batch, session or day uses."""
    venues.delete_venue(db, venues.get_venue(db, user.organization_id, venue_id))
    return Response(status_code=204)


@router.post("/venues/{venue_id}/rooms", status_code=201)
def add_room(venue_id: int, data: RoomCreate, db: DB, user: ApiPlanner) -> RoomRead:
    """Add a room to a venue."""
    venue = venues.get_venue(db, user.organization_id, venue_id)
    room = venues.add_room(db, venue, data)
    return RoomRead(id=room.id or 0, name=room.name, capacity=room.capacity)


@router.delete("/speakers/{speaker_id}", status_code=204)
def delete_speaker(speaker_id: int, db: DB, user: ApiPlanner) -> Response:
    """Remove a narasumber who teaches no session."""
    speakers.delete_speaker(db, speakers.get_speaker(db, user.organization_id, speaker_id))
    return Response(status_code=204)
