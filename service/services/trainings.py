"""Trainings, their participant categories and their batches (angkatan)."""

from datetime import date

from sqlalchemy import delete, update
from sqlmodel import Session, col, func, select

from service.errors import Conflict, FieldError, NotFound
from service.models import (
    AttendanceMark,
    AuthToken,
    Batch,
    CheckIn,
    Program,
    Registration,
    Scan,
    Training,
    TrainingCategory,
    User,
)
from service.models.base import pk
from service.schemas.planning import (
    MAX_STAGE,
    BatchCreate,
    CategoryIn,
    RecurringBatches,
    TrainingCreate,
)
from service.services import batch_dates, meeting_days, ticket_codes
from service.services.venues import resolve_venue

MAX_TRAINING_DAYS = 400  # a year of monthly coaching fits; a typo of a decade does not


def list_trainings(db: Session, org_id: int) -> list[Training]:
    return list(db.exec(select(Training).where(Training.organization_id == org_id)
                        .order_by(col(Training.start_date).desc(), col(Training.id).desc())).all())


def get_training(db: Session, org_id: int, training_id: int) -> Training:
    """The training if it belongs to the organization; another's is simply not found."""
    training = db.get(Training, training_id)
    if training is None or training.organization_id != org_id:
        raise NotFound("Training not found.")
    return training


def get_batch(db: Session, org_id: int, batch_id: int) -> tuple[Batch, Training]:
    row = db.exec(select(Batch, Training).join(Training, Training.id == Batch.training_id)  # type: ignore[arg-type]
                  .where(Batch.id == batch_id, Training.organization_id == org_id)).first()
    if row is None:
        raise NotFound("Batch not found.")
    return row


def _check_dates(start: date, end: date) -> None:
    if end < start:
        raise FieldError("end_date", "The end date is before the start date.", code="invalid_dates")
    if (end - start).days > MAX_TRAINING_DAYS:
        raise FieldError("end_date", "A training can last at most {n} days.", code="invalid_dates",
                         n=MAX_TRAINING_DAYS)


def _set_categories(db: Session, training: Training, categories: list[CategoryIn]) -> None:
    names = [c.name.casefold() for c in categories]
    if len(set(names)) != len(names):
        raise FieldError("categories", "A category is listed twice.", code="duplicate")
    existing = {c.name.casefold(): c for c in db.exec(
        select(TrainingCategory).where(TrainingCategory.training_id == training.id)).all()}
    for pos, cat in enumerate(categories):
        row = existing.pop(cat.name.casefold(), None) or TrainingCategory(training_id=pk(training),
                                                                          name=cat.name)
        row.name, row.quota, row.position = cat.name, cat.quota, pos
        db.add(row)
    for gone in existing.values():
        in_use = db.exec(select(func.count()).select_from(Registration)
                         .where(Registration.category_id == gone.id)).one()
        if in_use:
            raise Conflict("Category {name} still has registrations.", code="category_in_use",
                           params={"name": gone.name})
        db.delete(gone)
    db.flush()


def _set_program(db: Session, training: Training, data: TrainingCreate) -> None:
    """Put the training into a programme of its organization (None: out of any), at the
    stage given, else where it already is, else as the programme's next stage. A request
    that names neither field leaves the training where it is."""
    sent = data.model_fields_set
    if "program_id" not in sent and "program_stage" not in sent:
        return
    program_id = data.program_id if "program_id" in sent else training.program_id
    if program_id is None:
        training.program_id, training.program_stage = None, None
        return
    program = db.get(Program, program_id)
    if program is None or program.organization_id != training.organization_id:
        raise FieldError("program_id", "This programme does not exist.", code="unknown_program")
    stage = data.program_stage
    if stage is None and training.program_id == program_id:
        stage = training.program_stage
    if stage is None:
        last = db.exec(select(func.max(Training.program_stage))
                       .where(Training.program_id == program_id,
                              Training.id != training.id)).one()
        stage = min(int(last or 0) + 1, MAX_STAGE)
    training.program_id, training.program_stage = program_id, stage


def create_training(db: Session, org_id: int, data: TrainingCreate) -> Training:
    _check_dates(data.start_date, data.end_date)
    training = Training(
        organization_id=org_id, title=data.title, kind=data.kind,
        start_date=data.start_date, end_date=data.end_date, timezone=data.timezone,
        description=data.description, checkin_mode=data.checkin_mode,
        region_level=data.region_level,
        venue_id=resolve_venue(db, org_id, data.venue_id, data.venue),
    )
    _set_program(db, training, data)
    # The ticket-signing key pair exists from the start, so showing a ticket never writes.
    training.ticket_private_key, training.ticket_public_key = ticket_codes.generate_keypair()
    db.add(training)
    db.flush()
    _set_categories(db, training, data.categories)
    return training


def update_training(db: Session, training: Training, data: TrainingCreate) -> Training:
    _check_dates(data.start_date, data.end_date)
    outside = db.exec(select(Batch).where(Batch.training_id == training.id).where(
        (col(Batch.start_date) < data.start_date) | (col(Batch.end_date) > data.end_date))).first()
    if outside is not None:
        raise FieldError("start_date", "Batch {name} would fall outside the training's dates.",
                         code="batch_outside_training", name=outside.name)
    if data.checkin_mode != training.checkin_mode and _has_checkins(db, training):
        raise FieldError("checkin_mode", "People were already checked in under the current "
                         "mode, so the check-in mode can no longer change.",
                         code="checkin_mode_locked")
    training.checkin_mode = data.checkin_mode
    training.region_level = data.region_level
    training.title, training.kind = data.title, data.kind
    training.start_date, training.end_date = data.start_date, data.end_date
    training.timezone, training.description = data.timezone, data.description
    training.venue_id = resolve_venue(db, training.organization_id, data.venue_id, data.venue)
    _set_program(db, training, data)
    db.add(training)
    db.flush()
    _set_categories(db, training, data.categories)
    return training


def _has_checkins(db: Session, training: Training) -> bool:
    # The committee's attendance marks count too: a session's mark means nothing per day.
    return any(db.exec(select(model.id).join(Batch, col(Batch.id) == col(model.batch_id))
                       .where(Batch.training_id == training.id).limit(1)).first() is not None
               for model in (CheckIn, AttendanceMark))


def list_categories(db: Session, training_id: int) -> list[TrainingCategory]:
    return list(db.exec(select(TrainingCategory).where(TrainingCategory.training_id == training_id)
                        .order_by(col(TrainingCategory.position))).all())


def list_batches(db: Session, training_id: int) -> list[Batch]:
    return list(db.exec(select(Batch).where(Batch.training_id == training_id)
                        .order_by(col(Batch.start_date), col(Batch.position), col(Batch.id))).all())


def _check_batch(db: Session, training: Training, data: BatchCreate,
                 batch_id: int | None) -> list[date]:
    """The batch's days, if the request is sound."""
    days = batch_dates.requested_days(training, data)
    clash = db.exec(select(Batch).where(Batch.training_id == training.id, Batch.name == data.name,
                                        Batch.id != batch_id)).first()
    if clash is not None:
        raise FieldError("name", "This training already has a batch named {name}.",
                         code="duplicate", name=data.name)
    return days


def create_batch(db: Session, training: Training, data: BatchCreate) -> Batch:
    days = _check_batch(db, training, data, None)
    count = db.exec(select(func.count()).select_from(Batch)
                    .where(Batch.training_id == training.id)).one()
    batch = Batch(training_id=pk(training), name=data.name, start_date=days[0],
                  end_date=days[-1], capacity=data.capacity, position=count,
                  venue_id=resolve_venue(db, training.organization_id, data.venue_id, data.venue))
    meeting_days.set_days(batch, days)
    db.add(batch)
    db.flush()
    return batch


def create_recurring(db: Session, training: Training, data: RecurringBatches) -> list[Batch]:
    """Every batch of the set, each at its own place, meeting on the rule's dates: one
    form for six kecamatan times twelve months, all or nothing."""
    days = batch_dates.rule_dates(training, data)
    names = [line.name.casefold() for line in data.batches]
    if len(set(names)) != len(names):
        raise FieldError("batches", "A batch name is listed twice.", code="duplicate")
    return [create_batch(db, training, BatchCreate(name=line.name, dates=days,
                                                   capacity=line.capacity, venue=line.venue))
            for line in data.batches]


def update_batch(db: Session, training: Training, batch: Batch, data: BatchCreate) -> Batch:
    days = _check_batch(db, training, data, batch.id)
    if data.capacity < batch.confirmed_count:
        raise FieldError("capacity", "{n} participants are already confirmed in this batch.",
                         code="capacity_below_confirmed", n=batch.confirmed_count)
    batch_dates.check_change(db, batch, days)
    batch_dates.apply(db, batch, days)
    batch.name, batch.capacity = data.name, data.capacity
    batch.venue_id = resolve_venue(db, training.organization_id, data.venue_id, data.venue)
    db.add(batch)
    db.flush()
    return batch


def delete_batch(db: Session, batch: Batch) -> None:
    taken = db.exec(select(func.count()).select_from(Registration)
                    .where(Registration.batch_id == batch.id)).one()
    if taken:
        raise Conflict("This batch has {n} registrations; move them first.", code="batch_in_use",
                       params={"n": taken})
    db.delete(batch)
    db.flush()


def delete_training(db: Session, training: Training) -> None:
    """Delete a training with its batches and timetables, while nobody is registered yet."""
    taken = db.exec(select(func.count()).select_from(Registration)
                    .where(Registration.training_id == training.id)).one()
    if taken:
        raise Conflict("This training has {n} registrations and cannot be deleted.",
                       code="training_in_use", params={"n": taken})
    limited = list(db.exec(select(User).where(User.training_id == training.id)).all())
    active = sum(1 for u in limited if u.is_active)
    if active:
        raise Conflict("{n} active door logins are limited to this training; revoke them on "
                       "its Door logins page first.", code="training_in_use",
                       params={"n": active})
    _remove_accounts(db, [pk(u) for u in limited])
    db.delete(training)
    db.flush()


def _remove_accounts(db: Session, user_ids: list[int]) -> None:
    """Revoked logins that only served this training go with it; what they recorded stays,
    unsigned."""
    if not user_ids:
        return
    for model in (CheckIn, Scan):
        db.execute(update(model).where(col(model.user_id).in_(user_ids)).values(user_id=None))
    db.execute(delete(AuthToken).where(col(AuthToken.user_id).in_(user_ids)))
    db.execute(delete(User).where(col(User.id).in_(user_ids)))
