"""A meeting's presenters by unit: who presents for which OPD or kecamatan, on what, in
which time slot of the meeting's days, with one presentation each."""

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from service.errors import FieldError, NotFound
from service.i18n import N_
from service.i18n.formats import fmt_date
from service.models import Batch, MeetingPresenter, OrgUnit, Training
from service.models.base import pk, utcnow
from service.schemas.meetings import PresenterIn, PresenterPatch
from service.services import units
from service.services.meeting_days import meets_on
from service.services.meetings import uploads


class PresenterNotFound(NotFound):
    code, message = "presenter_not_found", N_("Presenter not found.")


@dataclass(frozen=True)
class PresenterRow:
    presenter: MeetingPresenter
    unit: OrgUnit
    batch: Batch


def _light() -> Any:
    # The presentation's bytes stay in the database until someone downloads it.
    return defer(MeetingPresenter.file_data)  # type: ignore[arg-type]


def list_presenters(db: Session, training: Training) -> list[PresenterRow]:
    """The meeting's presenters in time order (day, start, then the committee's order)."""
    rows = db.exec(select(MeetingPresenter, OrgUnit, Batch).options(_light())
                   .join(OrgUnit, col(OrgUnit.id) == MeetingPresenter.unit_id)
                   .join(Batch, col(Batch.id) == MeetingPresenter.batch_id)
                   .where(MeetingPresenter.training_id == training.id)
                   .order_by(col(MeetingPresenter.day), col(MeetingPresenter.start_time),
                             col(MeetingPresenter.sort_order),
                             col(MeetingPresenter.id))).all()
    return [PresenterRow(p, u, b) for p, u, b in rows]


def get_presenter(db: Session, org_id: int, presenter_id: int
                  ) -> tuple[MeetingPresenter, Training]:
    """A presenter of one of the organization's trainings; any other is not found."""
    row = db.exec(select(MeetingPresenter, Training).options(_light())
                  .join(Training, col(Training.id) == MeetingPresenter.training_id)
                  .where(MeetingPresenter.id == presenter_id,
                         Training.organization_id == org_id)).first()
    if row is None:
        raise PresenterNotFound()
    return row[0], row[1]


def row_of(db: Session, presenter: MeetingPresenter) -> PresenterRow:
    unit = db.get(OrgUnit, presenter.unit_id)
    batch = db.get(Batch, presenter.batch_id)
    if unit is None or batch is None:
        raise PresenterNotFound()
    return PresenterRow(presenter, unit, batch)


def _batch_for(db: Session, training: Training, batch_id: int | None, day: date) -> Batch:
    """The batch whose meeting the slot lies in: the one named, or the first that meets
    on that day. A day the meeting does not meet on is refused."""
    batches = list(db.exec(select(Batch).where(Batch.training_id == training.id)
                           .order_by(col(Batch.position), col(Batch.id))).all())
    if batch_id is not None:
        batches = [b for b in batches if b.id == batch_id]
        if not batches:
            raise FieldError("batch_id", N_("This batch is not part of the meeting."),
                             code="invalid_batch")
    for batch in batches:
        if meets_on(batch, day):
            return batch
    if not batches:
        raise FieldError("day", N_("The meeting has no batch yet: add one with its days "
                                   "first."), code="no_batch")
    raise FieldError("day", N_("The meeting does not meet on {day}: choose one of its "
                               "meeting days."), code="not_meeting_day", day=fmt_date(day))


def _check_times(start: time, end: time) -> None:
    if end <= start:
        raise FieldError("end_time", N_("The end time must be after the start time."),
                         code="invalid_time")


def _unit(db: Session, training: Training, unit_id: int | None, name: str | None) -> OrgUnit:
    unit = units.resolve_unit(db, training.organization_id, unit_id, name)
    if unit is None:
        raise FieldError("unit", N_("Choose the unit from the register or type its name."),
                         code="required")
    return unit


def _next_order(db: Session, training: Training) -> int:
    last = db.exec(select(MeetingPresenter.sort_order)
                   .where(MeetingPresenter.training_id == training.id)
                   .order_by(col(MeetingPresenter.sort_order).desc()).limit(1)).first()
    return (last or 0) + 1


def create_presenter(db: Session, training: Training, data: PresenterIn) -> MeetingPresenter:
    _check_times(data.start_time, data.end_time)
    batch = _batch_for(db, training, data.batch_id, data.day)
    unit = _unit(db, training, data.unit_id, data.unit)
    presenter = MeetingPresenter(
        training_id=pk(training), batch_id=pk(batch), unit_id=pk(unit), name=data.name,
        position=data.position, topic=data.topic, day=data.day,
        start_time=data.start_time, end_time=data.end_time,
        sort_order=data.sort_order if data.sort_order is not None else _next_order(db,
                                                                                  training))
    if not presenter.name:
        raise FieldError("name", N_("Enter the presenter's name."), code="required")
    if not presenter.topic:
        raise FieldError("topic", N_("Enter the topic."), code="required")
    db.add(presenter)
    db.flush()
    return presenter


def update_presenter(db: Session, presenter: MeetingPresenter, training: Training,
                     data: PresenterPatch) -> MeetingPresenter:
    """Change what is sent; the slot is checked again as a whole."""
    sent = data.model_fields_set
    for name in ("name", "topic"):
        if name in sent:
            value = getattr(data, name)
            if not value:
                raise FieldError(name, N_("This field is required."), code="required")
            setattr(presenter, name, value)
    if "position" in sent:
        presenter.position = data.position or ""
    if "sort_order" in sent and data.sort_order is not None:
        presenter.sort_order = data.sort_order
    if sent & {"unit_id", "unit"}:
        presenter.unit_id = pk(_unit(db, training, data.unit_id, data.unit))
    day = data.day if data.day is not None else presenter.day
    start = data.start_time if data.start_time is not None else presenter.start_time
    end = data.end_time if data.end_time is not None else presenter.end_time
    _check_times(start, end)
    batch_id = data.batch_id if "batch_id" in sent and data.batch_id is not None \
        else presenter.batch_id
    batch = _batch_for(db, training, batch_id, day)
    presenter.day, presenter.start_time, presenter.end_time = day, start, end
    presenter.batch_id = pk(batch)
    db.add(presenter)
    db.flush()
    return presenter


def delete_presenter(db: Session, presenter: MeetingPresenter) -> None:
    db.delete(presenter)
    db.flush()


def set_file(db: Session, presenter: MeetingPresenter, data: bytes,
             filename: str) -> MeetingPresenter:
    """Store (or replace) the presenter's presentation, once it is checked."""
    checked = uploads.check(data, filename)
    presenter.file_data, presenter.file_type = data, checked.kind
    presenter.file_name, presenter.file_size = checked.name, len(data)
    presenter.file_uploaded_at = utcnow()
    db.add(presenter)
    db.flush()
    return presenter


def remove_file(db: Session, presenter: MeetingPresenter) -> None:
    presenter.file_data, presenter.file_type = None, ""
    presenter.file_name, presenter.file_size = "", 0
    presenter.file_uploaded_at = None
    db.add(presenter)
    db.flush()


def file_of(db: Session, presenter: MeetingPresenter) -> tuple[bytes, str, str]:
    """The presentation's bytes, media type and name; not found when there is none."""
    data = db.exec(select(MeetingPresenter.file_data)
                   .where(MeetingPresenter.id == presenter.id)).first()
    if not data or not presenter.file_type:
        raise NotFound(N_("This presenter has no presentation yet."),
                       code="presentation_not_found")
    return data, uploads.MEDIA[presenter.file_type], presenter.file_name


def by_unit(rows: list[PresenterRow]) -> list[tuple[OrgUnit, list[PresenterRow]]]:
    """Presenters grouped by unit, the units in order of their first slot."""
    out: dict[int, tuple[OrgUnit, list[PresenterRow]]] = {}
    for row in rows:
        out.setdefault(pk(row.unit), (row.unit, []))[1].append(row)
    return list(out.values())
