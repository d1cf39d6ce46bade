"""Venues and rooms of an organization."""

from sqlalchemy import delete, func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from service.errors import Conflict, FieldError, NotFound
from service.i18n import N_, gettext, ngettext
from service.models import Room, Venue
from service.models.base import pk
from service.schemas.planning import RoomCreate, VenueCreate, VenueUpdate


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


def update_venue(db: Session, venue: Venue, data: VenueUpdate) -> Venue:
    """Change a venue's name, address and city; its rooms and bookings stay."""
    clash = db.exec(select(Venue.id).where(Venue.organization_id == venue.organization_id,
                                           Venue.name == data.name,
                                           col(Venue.id) != venue.id)).first()
    if clash is not None:
        raise FieldError("name", "A venue with this name already exists.", code="duplicate")
    venue.name, venue.address, venue.city = data.name, data.address, data.city
    db.add(venue)
    db.flush()
    return venue


# What uses a venue, by table, as the refusal to delete one names it. A table added later
# that points at a venue or a room still counts (as "other"), it just has no words yet.
_USE_LABELS = {
    "training": (N_("{n} training"), N_("{n} trainings")),
    "batch": (N_("{n} batch"), N_("{n} batches")),
    "agenda_session": (N_("{n} session"), N_("{n} sessions")),
    "batch_day": (N_("{n} day with its own place"), N_("{n} days with their own place")),
}


def venue_uses(db: Session, venue: Venue) -> dict[str, int]:
    """How many rows of each table point at the venue or at one of its rooms: trainings
    and batches held there, sessions in its rooms or held there, days moved there. Read
    from the schema's foreign keys, so a place added to another table later counts too."""
    rooms = select(col(Room.id)).where(Room.venue_id == venue.id)
    uses: dict[str, int] = {}
    for table in SQLModel.metadata.sorted_tables:
        if table.name == Room.__tablename__:
            continue  # the venue's own rooms go with it
        pointing = [fk.parent == venue.id if fk.column.table.name == Venue.__tablename__
                    else fk.parent.in_(rooms)
                    for fk in table.foreign_keys
                    if fk.column.table.name in (Venue.__tablename__, Room.__tablename__)]
        if pointing:
            n = db.execute(select(func.count()).select_from(table)
                           .where(or_(*pointing))).scalar_one()
            if n:
                uses[table.name] = int(n)
    return uses


def describe_uses(uses: dict[str, int]) -> str:
    """ "2 trainings, 1 batch, 3 sessions", in the current language."""
    parts = []
    for table, n in uses.items():
        one, many = _USE_LABELS.get(table, (N_("{n} other record"), N_("{n} other records")))
        parts.append(ngettext(one, many, n))
    return ", ".join(parts)


class VenueInUse(Conflict):
    code, message = "venue_in_use", N_(
        "This venue is still used by {uses}. Choose another place there first; a venue "
        "nobody uses can be deleted.")

    def __init__(self, uses: dict[str, int]) -> None:
        # `uses` (table: rows) also goes out in the API's answer.
        super().__init__(uses=uses)
        self.uses = uses

    def text(self) -> str:
        # Worded when shown, in the language of whoever reads it.
        return gettext(self.message, uses=describe_uses(self.uses))


def delete_venue(db: Session, venue: Venue) -> None:
    """Delete a venue (and its rooms) that no training, batch, session or day uses;
    VenueInUse, naming what uses it, otherwise."""
    uses = venue_uses(db, venue)
    if uses:
        raise VenueInUse(uses)
    try:
        # A savepoint: a batch saved with this venue since the count above makes the
        # delete fail on its foreign key, which is the same refusal, not an error.
        with db.begin_nested():
            db.execute(delete(Room).where(col(Room.venue_id) == venue.id))
            db.delete(venue)
            db.flush()
    except IntegrityError:
        raise VenueInUse(venue_uses(db, venue)) from None
