"""A session's slides (materi): uploaded by its narasumber through their private /n/ link
or by the committee; a participant downloads them from their ticket page once the
session has started (before that they are not listed), and only their own batch's."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from service.errors import FieldError, NotFound
from service.i18n import N_
from service.models import (
    AgendaSession,
    Batch,
    Registration,
    SessionMaterial,
    Speaker,
    Training,
    User,
)
from service.models.base import as_utc, pk, utcnow
from service.models.roster_links import RosterLink
from service.services import roster_links
from service.services.meetings import uploads

MAX_PER_SESSION = 10  # a deck, its handout, an exercise... not a whole drive


class MaterialNotFound(NotFound):
    code, message = "material_not_found", N_("Material not found.")


@dataclass(frozen=True)
class MaterialRow:
    material: SessionMaterial
    session: AgendaSession
    batch: Batch
    speaker: str | None  # the narasumber who uploaded it through their link


def _light() -> Any:
    return defer(SessionMaterial.data)  # type: ignore[arg-type]


def _rows(db: Session, *where: object) -> list[MaterialRow]:
    rows = db.exec(select(SessionMaterial, AgendaSession, Batch, Speaker.name)
                   .options(_light())
                   .join(AgendaSession, col(AgendaSession.id) == SessionMaterial.session_id)
                   .join(Batch, col(Batch.id) == AgendaSession.batch_id)
                   .outerjoin(Speaker, col(Speaker.id) == SessionMaterial.speaker_id)
                   .where(*where)  # type: ignore[arg-type]
                   .order_by(col(AgendaSession.date), col(AgendaSession.start_time),
                             col(Batch.position), col(SessionMaterial.id))).all()
    return [MaterialRow(m, s, b, name) for m, s, b, name in rows]


def training_materials(db: Session, training: Training) -> list[MaterialRow]:
    """Every material of the training's sessions, in agenda order."""
    return _rows(db, SessionMaterial.training_id == training.id)


def session_of(db: Session, org_id: int, session_id: int) -> tuple[AgendaSession, Training]:
    """A session of one of the organization's trainings; any other is not found."""
    row = db.exec(select(AgendaSession, Training)
                  .join(Batch, col(Batch.id) == AgendaSession.batch_id)
                  .join(Training, col(Training.id) == Batch.training_id)
                  .where(AgendaSession.id == session_id,
                         Training.organization_id == org_id)).first()
    if row is None:
        raise NotFound(N_("Session not found."), code="session_not_found")
    return row[0], row[1]


def get_material(db: Session, org_id: int, material_id: int
                 ) -> tuple[SessionMaterial, Training]:
    row = db.exec(select(SessionMaterial, Training).options(_light())
                  .join(Training, col(Training.id) == SessionMaterial.training_id)
                  .where(SessionMaterial.id == material_id,
                         Training.organization_id == org_id)).first()
    if row is None:
        raise MaterialNotFound()
    return row[0], row[1]


def _title(title: str, checked: uploads.Checked) -> str:
    clean = " ".join(title.split())[:200]
    return clean or checked.name.rsplit(".", 1)[0][:200]


def add_material(db: Session, session: AgendaSession, training: Training, data: bytes,
                 filename: str, title: str = "", *, user: User | None = None,
                 speaker: Speaker | None = None) -> SessionMaterial:
    """Check and store one file for the session."""
    checked = uploads.check(data, filename)
    count = len(db.exec(select(SessionMaterial.id)
                        .where(SessionMaterial.session_id == session.id)).all())
    if count >= MAX_PER_SESSION:
        raise FieldError("file", N_("A session holds at most {n} files: delete one first."),
                         code="too_many_materials", n=MAX_PER_SESSION)
    row = SessionMaterial(session_id=pk(session), training_id=pk(training),
                          speaker_id=speaker.id if speaker else None,
                          uploaded_by=user.id if user else None,
                          title=_title(title, checked), file_name=checked.name,
                          file_type=checked.kind, file_size=len(data), data=data)
    db.add(row)
    db.flush()
    return row


def delete_material(db: Session, material: SessionMaterial) -> None:
    db.delete(material)
    db.flush()


def file_of(db: Session, material: SessionMaterial) -> tuple[bytes, str, str]:
    data = db.exec(select(SessionMaterial.data)
                   .where(SessionMaterial.id == material.id)).one()
    return data, uploads.MEDIA[material.file_type], material.file_name


# --- the narasumber's link ------------------------------------------------------------------

def link_session(db: Session, link: RosterLink, session_id: int) -> AgendaSession:
    """A session the link's narasumber teaches; any other is not found."""
    for lb in roster_links.link_batches(db, link):
        for session in lb.sessions:
            if session.id == session_id:
                return session
    raise NotFound(N_("You do not teach this session."), code="session_not_found")


def link_materials(db: Session, link: RosterLink) -> dict[int, list[SessionMaterial]]:
    """The materials of the sessions the link's narasumber teaches, by session."""
    ids = [pk(s) for lb in roster_links.link_batches(db, link) for s in lb.sessions]
    out: dict[int, list[SessionMaterial]] = {}
    for row in _rows(db, col(SessionMaterial.session_id).in_(ids)):
        out.setdefault(pk(row.session), []).append(row.material)
    return out


def link_material(db: Session, link: RosterLink, material_id: int) -> SessionMaterial:
    for items in link_materials(db, link).values():
        for material in items:
            if material.id == material_id:
                return material
    raise MaterialNotFound()


# --- the participant's ticket -----------------------------------------------------------------

def started(session: AgendaSession, training: Training, now: datetime | None = None) -> bool:
    """Whether the session has begun, on the wall clock where the training is held."""
    begins = datetime.combine(session.date, session.start_time,
                              tzinfo=ZoneInfo(training.timezone))
    return as_utc(now or utcnow()) >= begins


def ticket_materials(db: Session, registration: Registration, training: Training,
                     now: datetime | None = None) -> list[MaterialRow]:
    """The materials of the holder's own batch's sessions that have started; none for a
    cancelled or unassigned registration."""
    if registration.status == "cancelled" or registration.batch_id is None:
        return []
    rows = _rows(db, SessionMaterial.training_id == registration.training_id,
                 Batch.id == registration.batch_id)
    return [r for r in rows if started(r.session, training, now)]


def ticket_material(db: Session, token: str, material_id: int,
                    now: datetime | None = None) -> SessionMaterial:
    """One material the ticket's holder may download now; anything else is not found."""
    row = db.exec(select(Registration, Training)
                  .join(Training, col(Training.id) == Registration.training_id)
                  .where(Registration.ticket_token == token)).first()
    if row is None:
        raise MaterialNotFound()
    for item in ticket_materials(db, row[0], row[1], now):
        if item.material.id == material_id:
            return item.material
    raise MaterialNotFound()


def link_context(db: Session, link: RosterLink) -> dict[str, object]:
    """What the narasumber's page shows of their materials: by session, with the limits."""
    return {"speaker_materials": link_materials(db, link), "accept": uploads.ACCEPT,
            "max_mb": uploads.max_bytes() // (1024 * 1024)}
