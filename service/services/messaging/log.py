"""What the committee sees of its messages: a training's log (or one person's), the
count per state, and each person's last message for the participant list."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from service.errors import FieldError
from service.i18n import N_
from service.models import Message, Participant, Registration, Training
from service.models.base import pk
from service.models.messages import STATUSES

PER_PAGE = 50


@dataclass(frozen=True)
class Entry:
    message: Message
    participant_name: str


@dataclass(frozen=True)
class Page:
    items: list[Entry]
    total: int
    page: int
    pages: int


def _filters(training: Training, status: str | None, registration_id: int | None) -> list:
    if status is not None and status not in STATUSES:
        raise FieldError("status", N_("Unknown message status."))
    where = [Message.training_id == pk(training)]
    if status:
        where.append(Message.status == status)
    if registration_id is not None:
        where.append(Message.registration_id == registration_id)
    return where


def page(db: Session, training: Training, status: str | None = None,
         registration_id: int | None = None, number: int = 1,
         per_page: int = PER_PAGE) -> Page:
    """Newest first."""
    where = _filters(training, status, registration_id)
    total = int(db.exec(select(func.count()).select_from(Message).where(*where)).one())
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    rows = db.exec(select(Message, Participant.name)
                   .outerjoin(Registration, col(Registration.id) == Message.registration_id)
                   .outerjoin(Participant, col(Participant.id) == Registration.participant_id)
                   .where(*where).order_by(col(Message.id).desc())
                   .offset((number - 1) * per_page).limit(per_page)).all()
    return Page([Entry(m, name or m.name) for m, name in rows], total, number, pages)


def counts(db: Session, training: Training) -> dict[str, int]:
    found = dict(db.exec(select(Message.status, func.count()).where(
        Message.training_id == pk(training)).group_by(col(Message.status))).all())
    return {s: int(found.get(s, 0)) for s in STATUSES}


@dataclass(frozen=True)
class LastState:
    status: str
    channel: str
    kind: str
    at: datetime
    error: str | None


def last_states(db: Session, training: Training, registration_ids: list[int]
                ) -> dict[int, LastState]:
    """Each registration's newest message (one query for a page of people)."""
    if not registration_ids:
        return {}
    newest = (select(func.max(Message.id)).where(
        Message.training_id == pk(training),
        col(Message.registration_id).in_(registration_ids))
        .group_by(col(Message.registration_id)))
    rows = db.exec(select(Message).where(col(Message.id).in_(newest))).all()
    return {m.registration_id: LastState(m.status, m.channel, m.kind,
                                         m.read_at or m.delivered_at or m.sent_at
                                         or m.failed_at or m.created_at, m.error)
            for m in rows if m.registration_id is not None}
