"""Venues and rooms of an organization."""

from sqlmodel import Session, col, select

from service.errors import FieldError, NotFound
from service.models import Room, Venue
from service.models.base import pk
from service.schemas.planning import RoomCreate, VenueCreate


def list_venues(db: Session, org_id: int) -> list[tuple[Venue, list[Room]]]:
    venues = db.exec(select(Venue).where(Venue.organization_id == org_id)
                     .order_by(col(Venue.name))).all()
    rooms = db.exec(select(Room).where(col(Room.venue_id).in_([v.id for v in venues]))
                    .order_by(Room.name)).all() if venues else []
    by_venue: dict[int, list[Room]] = {}
    for r in rooms:
        by_venue.setdefault(r.venue_id, []).append(r)
    return [(v, by_venue.get(v.id or 0, [])) for v in venues]


def get_venue(db: Session, org_id: int, venue_id: int) -> Venue:
    venue = db.get(Venue, venue_id)
    if venue is None or venue.organization_id != org_id:
        raise NotFound("Venue not found.")
    return venue


def find_or_create_venue(db: Session, org_id: int, name: str) -> Venue:
    venue = db.exec(select(Venue).where(Venue.organization_id == org_id,
                                        Venue.name == name)).first()
    if venue is None:
        venue = Venue(organization_id=org_id, name=name)
        db.add(venue)
        db.flush()
    return venue


def resolve_venue(db: Session, org_id: int, venue_id: int | None, name: str | None) -> int | None:
    """A venue given by id (checked to be ours) or by name (created when new)."""
    if venue_id is not None:
        return get_venue(db, org_id, venue_id).id
    if name:
        return find_or_create_venue(db, org_id, name).id
    return None


def create_venue(db: Session, org_id: int, data: VenueCreate) -> Venue:
    if db.exec(select(Venue).where(Venue.organization_id == org_id,
                                   Venue.name == data.name)).first():
        raise FieldError("name", "A venue with this name already exists.", code="duplicate")
    venue = Venue(organization_id=org_id, name=data.name, address=data.address, city=data.city)
    db.add(venue)
    db.flush()
    for room_name in dict.fromkeys(data.rooms):
        db.add(Room(venue_id=pk(venue), name=room_name))
    db.flush()
    return venue


def add_room(db: Session, venue: Venue, data: RoomCreate) -> Room:
    if db.exec(select(Room).where(Room.venue_id == venue.id, Room.name == data.name)).first():
        raise FieldError("name", "This venue already has a room with this name.", code="duplicate")
    room = Room(venue_id=pk(venue), name=data.name, capacity=data.capacity)
    db.add(room)
    db.flush()
    return room


def find_or_create_room(db: Session, venue_id: int, name: str) -> Room:
    room = db.exec(select(Room).where(Room.venue_id == venue_id, Room.name == name)).first()
    if room is None:
        room = Room(venue_id=venue_id, name=name)
        db.add(room)
        db.flush()
    return room
