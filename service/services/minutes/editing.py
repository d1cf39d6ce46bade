"""Reading and saving a meeting's minutes, several committee members at once.

Each save carries the version its editor started from. When that is no longer the newest
(someone else saved in between), the editor's change is merged three-way into the newest
text (services/minutes/merge.py) and the merged text is answered, so their page shows the
others' words. The minutes' row is locked for the save (FOR UPDATE on PostgreSQL; on
SQLite a writing request's transaction begins IMMEDIATE), so two saves at the same moment
are settled one after the other, and the revision's (minutes, version) is unique besides.

Decisions are a list of items. A save removes only the decisions its editor knew of (added
at or before its base version): one added by another member meanwhile is kept.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from service.errors import FieldError
from service.i18n import N_
from service.models import Minutes, MinutesDecision, MinutesRevision, Training, User
from service.models.base import pk, utcnow
from service.schemas.minutes import DecisionIn, MinutesSave
from service.services import report_signature
from service.services.minutes.merge import merge

HEADING_FIELDS = ("chair_name", "chair_nip", "chair_position", "note_taker_name",
                  "note_taker_nip", "place")


@dataclass
class MinutesState:
    """The minutes as the page and the API show them (defaults where nothing is saved)."""

    training_id: int
    version: int
    text: str
    decisions: list[MinutesDecision]
    chair_name: str = ""
    chair_nip: str = ""
    chair_position: str = ""
    note_taker_name: str = ""
    note_taker_nip: str = ""
    place: str = ""
    held_on: date | None = None
    updated_at: datetime | None = None
    updated_by: str = ""
    merged: bool = False
    conflict: bool = False
    saved: bool = field(default=False)


def find(db: Session, training: Training) -> Minutes | None:
    return db.exec(select(Minutes).where(Minutes.training_id == training.id)).first()


def decisions_of(db: Session, minutes_id: int | None) -> list[MinutesDecision]:
    if minutes_id is None:
        return []
    return list(db.exec(select(MinutesDecision).where(MinutesDecision.minutes_id == minutes_id)
                        .order_by(col(MinutesDecision.position), col(MinutesDecision.id))).all())


def _last_editor(db: Session, row: Minutes) -> str:
    name = db.exec(select(MinutesRevision.user_name)
                   .where(MinutesRevision.minutes_id == row.id,
                          MinutesRevision.version == row.version)).first()
    return name or ""


def current(db: Session, training: Training) -> MinutesState:
    row = find(db, training)
    place = report_signature.default_place(db, training)
    if row is None:
        return MinutesState(pk(training), 0, "", [], place=place, held_on=training.start_date)
    return _state(db, training, row, place)


def _state(db: Session, training: Training, row: Minutes, default_place: str = "",
           merged: bool = False, conflict: bool = False) -> MinutesState:
    return MinutesState(
        pk(training), row.version, row.text, decisions_of(db, row.id),
        chair_name=row.chair_name, chair_nip=row.chair_nip, chair_position=row.chair_position,
        note_taker_name=row.note_taker_name, note_taker_nip=row.note_taker_nip,
        place=row.place or default_place, held_on=row.held_on or training.start_date,
        updated_at=row.updated_at if row.version else None,
        updated_by=_last_editor(db, row) if row.version else "", merged=merged,
        conflict=conflict, saved=row.version > 0)


def _locked(db: Session, training: Training) -> Minutes:
    """The training's minutes row, made when missing, locked until the commit."""
    table = Minutes.__table__  # type: ignore[attr-defined]
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    # Two first saves at once: one row is made, the other insert does nothing.
    db.connection().execute(
        dialect.insert(table).values(training_id=pk(training), text="", version=0,
                                     chair_name="", chair_nip="", chair_position="",
                                     note_taker_name="", note_taker_nip="", place="",
                                     updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["training_id"]))
    row = db.exec(select(Minutes).where(Minutes.training_id == training.id)
                  .with_for_update().execution_options(populate_existing=True)).one()
    return row


def _base_text(db: Session, row: Minutes, data: MinutesSave) -> str | None:
    """The text the editor's change is measured from; None: no merge (a plain write)."""
    if data.base_version is None:
        return None
    if data.base_version > row.version:
        raise FieldError("base_version", N_("This version of the minutes does not exist: "
                                            "reload the page."), code="unknown_version")
    if data.base_version == 0:
        return ""
    rev = db.exec(select(MinutesRevision).where(MinutesRevision.minutes_id == row.id,
                                                MinutesRevision.version == data.base_version)
                  ).one()
    if data.based_on_own and rev.own_text is not None:
        return rev.own_text
    return rev.text


def _items(data: MinutesSave) -> list[DecisionIn]:
    out = []
    for item in data.decisions:
        d = item if isinstance(item, DecisionIn) else DecisionIn(text=item)
        if d.text.strip():
            out.append(d)
    return out


def _decisions(db: Session, row: Minutes, data: MinutesSave, version: int) -> bool:
    """Apply the sent decisions; whether anything changed."""
    existing = decisions_of(db, row.id)
    by_id = {pk(d): d for d in existing}
    used: set[int] = set()
    ordered: list[MinutesDecision] = []
    changed = False
    for item in _items(data):
        found = by_id.get(item.id) if item.id is not None else None
        if found is None or pk(found) in used:
            # A decision given by its text alone keeps its row when the text is the same.
            found = next((d for d in existing if pk(d) not in used and d.text == item.text),
                         None)
        if found is None:
            found = MinutesDecision(minutes_id=pk(row), text=item.text, since_version=version)
            db.add(found)
            db.flush()
            changed = True
        elif found.text != item.text:
            found.text = item.text
            changed = True
        used.add(pk(found))
        ordered.append(found)
    base = data.base_version
    for d in existing:
        if pk(d) in used:
            continue
        if base is not None and d.since_version > base:
            ordered.append(d)  # added by someone else after this editor's version: kept
        else:
            db.delete(d)
            changed = True
    for position, d in enumerate(ordered, start=1):
        if d.position != position:
            d.position = position
            changed = True
        db.add(d)
    return changed


def save(db: Session, training: Training, data: MinutesSave, user: User) -> MinutesState:
    """Save the editor's text and decisions on top of the newest version (merged when
    they started from an older one); a save that changes nothing makes no version."""
    row = _locked(db, training)
    base_text = _base_text(db, row, data)
    text, merged, conflict = data.text, False, False
    if base_text is not None and base_text != row.text:
        result = merge(base_text, data.text, row.text)
        text, conflict = result.text, result.conflict
        merged = text != data.text
    version = row.version + 1
    changed = text != row.text
    for name in HEADING_FIELDS:
        value = getattr(data, name)
        if value is not None and value != getattr(row, name):
            setattr(row, name, value)
            changed = True
    if data.held_on is not None and data.held_on != row.held_on:
        row.held_on = data.held_on
        changed = True
    changed = _decisions(db, row, data, version) or changed
    if not changed:
        return _state(db, training, row, report_signature.default_place(db, training), merged)
    row.text, row.version = text, version
    row.updated_by, row.updated_at = user.id, utcnow()
    db.add(row)
    db.add(MinutesRevision(minutes_id=pk(row), version=version, text=text,
                           own_text=data.text if merged else None,
                           base_version=data.base_version, merged=merged, conflict=conflict,
                           user_id=user.id, user_name=user.name[:200]))
    db.flush()
    return _state(db, training, row, report_signature.default_place(db, training), merged,
                  conflict)


def revisions(db: Session, training: Training, limit: int = 20) -> list[MinutesRevision]:
    """The newest saved versions, newest first (who saved, when, merged or not)."""
    row = find(db, training)
    if row is None:
        return []
    return list(db.exec(select(MinutesRevision).where(MinutesRevision.minutes_id == row.id)
                        .order_by(col(MinutesRevision.version).desc()).limit(limit)).all())
