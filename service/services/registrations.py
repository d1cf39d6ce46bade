"""Registering participants in a training: duplicates, seats, the waitlist, cancelling, moving."""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.errors import Conflict, DomainError, FieldError, InvalidInput, NotFound
from service.i18n import N_
from service.i18n import gettext as _
from service.models import Batch, Participant, Registration, Training, TrainingCategory
from service.models.base import pk, utcnow
from service.services import kampung_kb, seats
from service.services.participant_fields import (
    ParticipantFields,
    Problem,
    clean_participant,
    clean_text,
    contact_key,
    name_key,
)
from service.services.people import matching

PER_PAGE = 50
PARTICIPANT_FIELDS = ("name", "nik", "nip", "gender", "birth_date", "phone", "email",
                      "institution", "position", "rank", "village", "district", "regency",
                      "province", "kampung_kb")


class AlreadyRegistered(Conflict):
    code, message = "already_registered", N_(
        "{name} is already registered for this training.")


class NotTheSamePerson(Conflict):
    """The NIK typed on the public form belongs to someone the organization knows under
    another name. Linking them would hand a stranger that person's ticket and name."""

    code, message = "identity_mismatch", N_(
        "These details do not match what the committee has on file. Contact the committee "
        "to register.")


class CategoryFull(Conflict):
    code, message = "category_full", N_("The category {category} is full ({quota} places).")


class BatchFull(Conflict):
    code, message = "batch_full", N_("{batch} is full ({capacity} seats).")


@dataclass
class RegistrationRow:
    """A registration with what a list or a ticket shows beside it."""

    registration: Registration
    participant: Participant
    batch: Batch | None
    category: TrainingCategory | None


def new_ticket_token() -> str:
    # 144 random bits, URL-safe: the ticket page's only key.
    return secrets.token_urlsafe(18)


def mask_nik(nik: str | None) -> str | None:
    return f"{'•' * 12}{nik[-4:]}" if nik else None


def mask_nip(nip: str | None) -> str | None:
    """A NIP as everyone but an admin sees it: its last 4 digits (UU PDP, like a NIK)."""
    return f"{'•' * 14}{nip[-4:]}" if nip else None


def problems_to_input(problems: Sequence[Problem]) -> InvalidInput:
    return InvalidInput([{"field": p.field, "message": _(p.message, **p.params)}
                         for p in problems])


def clean_or_raise(raw: Mapping[str, object]) -> ParticipantFields:
    fields, problems = clean_participant(raw)
    if fields is None:
        raise problems_to_input(problems)
    return fields


def categories_of(db: Session, training_id: int) -> list[TrainingCategory]:
    return list(db.exec(select(TrainingCategory).where(TrainingCategory.training_id == training_id)
                        .order_by(col(TrainingCategory.position))).all())


def resolve_category(db: Session, training: Training, name: str | None
                     ) -> TrainingCategory | None:
    if not name:
        return None
    cats = categories_of(db, pk(training))
    for cat in cats:
        if cat.name.casefold() == name.casefold():
            return cat
    if not cats:
        raise FieldError("category", "This training has no categories.")
    raise FieldError("category", "Choose one of: {expected}.",
                     expected=", ".join(c.name for c in cats))


def resolve_batch(db: Session, training: Training, batch_id: int | None) -> Batch | None:
    if batch_id is None:
        return None
    batch = db.get(Batch, batch_id)
    if batch is None or batch.training_id != training.id:
        raise FieldError("batch_id", "This batch does not belong to the training.")
    return batch


def batches_of(db: Session, training_id: int) -> list[Batch]:
    return list(db.exec(select(Batch).where(Batch.training_id == training_id)
                        .order_by(col(Batch.position), col(Batch.id))).all())


def find_participant(db: Session, org_id: int, fields: ParticipantFields) -> Participant | None:
    """The same person already known to the organization: by NIK, else by NIP, else by
    phone and name (service.services.people.matching)."""
    found = matching.find_person(db, org_id, fields)
    return found.person if found is not None else None


def fill_blanks(person: Participant, fields: ParticipantFields, keep_nip: bool = False
                ) -> None:
    """A person registering again keeps what we knew and gains what was missing; but not
    a NIP another person holds (`keep_nip`, matching.Found.nip_elsewhere)."""
    for name in PARTICIPANT_FIELDS:
        value = getattr(fields, name)
        if keep_nip and name == "nip":
            continue
        if value is not None and getattr(person, name) in (None, ""):
            setattr(person, name, value)


def _participant_for(db: Session, org_id: int, fields: ParticipantFields,
                     public: bool = False) -> Participant:
    found = matching.find_person(db, org_id, fields)
    if found is not None:
        person = found.person
        if public and name_key(person.name) != name_key(fields.name):
            # Anyone can type a NIK or NIP on the public form: only the name on file
            # proves it is theirs (phone matches already compare the name).
            raise NotTheSamePerson()
        fill_blanks(person, fields, keep_nip=found.nip_elsewhere)
        kampung_kb.link_person(db, person)
        db.add(person)
        return person
    person = Participant(organization_id=org_id,
                         **{k: getattr(fields, k) for k in PARTICIPANT_FIELDS})
    kampung_kb.link_person(db, person)
    try:
        with db.begin_nested():
            db.add(person)
            db.flush()
    except IntegrityError:
        # Someone registered the same NIK a moment ago: use theirs.
        theirs = find_participant(db, org_id, fields)
        if theirs is None:
            raise
        if public and name_key(theirs.name) != name_key(fields.name):
            raise NotTheSamePerson() from None
        return theirs
    return person


def place(db: Session, training: Training, registration: Registration,
          preferred: Batch | None) -> None:
    """Give a seat in the preferred batch, else in the first batch with room; else waitlist."""
    registration.preferred_batch_id = preferred.id if preferred else None
    candidates = [preferred] if preferred else batches_of(db, pk(training))
    for batch in candidates:
        if batch is not None and seats.take_seats(db, pk(batch)):
            registration.batch_id, registration.status = batch.id, "confirmed"
            return
    registration.batch_id, registration.status = None, "waitlisted"


def register(db: Session, training: Training, raw: Mapping[str, object],
             batch_id: int | None = None, source: str = "manual") -> Registration:
    """Register a person; the same person twice (NIK, or phone and name) is refused."""
    fields = clean_or_raise(raw)
    category = resolve_category(db, training, fields.category)
    preferred = resolve_batch(db, training, batch_id)
    person = _participant_for(db, training.organization_id, fields, public=source == "self")
    key = contact_key(person.phone, person.name)
    registration = db.exec(select(Registration).where(
        Registration.training_id == training.id,
        Registration.participant_id == pk(person))).first()
    if registration is not None and registration.status != "cancelled":
        raise AlreadyRegistered(params={"name": person.name})
    if registration is None:
        registration = Registration(training_id=pk(training), participant_id=pk(person),
                                    ticket_token=new_ticket_token())
    # A cancelled registration comes back to life rather than being duplicated.
    registration.status, registration.cancelled_at = "waitlisted", None
    registration.source, registration.contact_key = source, key
    registration.category_id = category.id if category else None
    try:
        with db.begin_nested():
            db.add(registration)
            db.flush()
    except IntegrityError:
        raise AlreadyRegistered(params={"name": person.name}) from None
    if category is not None and not seats.take_quota(db, pk(category)):
        raise CategoryFull(params={"category": category.name, "quota": category.quota})
    place(db, training, registration, preferred)
    db.add(registration)
    db.flush()
    return registration


def get_registration(db: Session, org_id: int, registration_id: int
                     ) -> tuple[Registration, Training]:
    row = db.exec(select(Registration, Training)
                  .join(Training, col(Training.id) == Registration.training_id)
                  .where(Registration.id == registration_id,
                         Training.organization_id == org_id)).first()
    if row is None:
        raise NotFound("Registration not found.")
    return row[0], row[1]


def _first_waitlisted(db: Session, training_id: int, batch_id: int) -> Registration | None:
    """Who gets a freed seat: the earliest waiting for this batch, else the earliest
    waiting for any batch."""
    for preferred in (col(Registration.preferred_batch_id) == batch_id,
                      col(Registration.preferred_batch_id).is_(None)):
        query = (select(Registration)
                 .where(Registration.training_id == training_id,
                        Registration.status == "waitlisted", preferred)
                 .order_by(col(Registration.id)).limit(1))
        if db.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        found = db.exec(query).first()
        if found is not None:
            return found
    return None


def promote(db: Session, training_id: int, batch_id: int) -> Registration | None:
    waiting = _first_waitlisted(db, training_id, batch_id)
    if waiting is None or not seats.take_seats(db, batch_id):
        return None
    waiting.status, waiting.batch_id = "confirmed", batch_id
    db.add(waiting)
    db.flush()
    return waiting


def cancel(db: Session, registration: Registration) -> Registration | None:
    """Cancel; a freed seat goes to the first on the waitlist, who is returned."""
    if registration.status == "cancelled":
        return None
    was_confirmed = registration.status == "confirmed" and registration.batch_id is not None
    registration.status, registration.cancelled_at = "cancelled", utcnow()
    # The person may register again later; the contact key must not block that.
    registration.contact_key = None
    db.add(registration)
    db.flush()
    if registration.category_id is not None:
        seats.free_quota(db, registration.category_id)
    if was_confirmed and registration.batch_id is not None:
        seats.free_seats(db, registration.batch_id)
        return promote(db, registration.training_id, registration.batch_id)
    return None


def move(db: Session, training: Training, registration: Registration, batch_id: int) -> None:
    """Put a registration into another batch (the committee arranging by hand)."""
    target = resolve_batch(db, training, batch_id)
    if target is None:
        return
    if registration.status == "cancelled":
        raise Conflict("A cancelled registration cannot be moved.", code="cancelled")
    if registration.status == "confirmed" and registration.batch_id == target.id:
        return
    if not seats.take_seats(db, pk(target)):
        db.refresh(target)
        raise BatchFull(params={"batch": target.name, "capacity": target.capacity})
    if registration.status == "confirmed" and registration.batch_id is not None:
        seats.free_seats(db, registration.batch_id)
    registration.batch_id, registration.status = target.id, "confirmed"
    db.add(registration)
    db.flush()


def update_registration(db: Session, training: Training, registration: Registration,
                        raw: Mapping[str, object]) -> None:
    """Correct a participant's details and category."""
    fields = clean_or_raise(raw)
    category = resolve_category(db, training, fields.category)
    person = db.get(Participant, registration.participant_id)
    if person is None:
        raise NotFound("Registration not found.")
    if fields.nik and fields.nik != person.nik:
        other = db.exec(select(Participant).where(
            Participant.organization_id == training.organization_id,
            Participant.nik == fields.nik)).first()
        if other is not None:
            raise FieldError("nik", "Another participant already has this NIK: {name}.",
                             code="duplicate_nik", name=other.name)
    old_kampung_kb, old_village = person.kampung_kb, person.village
    for name in PARTICIPANT_FIELDS:
        # No NIK given keeps the one on file (and the birth date it encodes): a
        # committee member who is not an admin never sees the whole NIK to send back.
        if name in ("nik", "birth_date") and fields.nik is None:
            continue
        # The same for a NIP: only admins see it whole.
        if name == "nip" and fields.nip is None:
            continue
        setattr(person, name, getattr(fields, name))
    kampung_kb.relink_person(db, person, old_kampung_kb, old_village)
    new_category = category.id if category else None
    if new_category != registration.category_id and registration.status != "cancelled":
        if category is not None and not seats.take_quota(db, pk(category)):
            raise CategoryFull(params={"category": category.name, "quota": category.quota})
        if registration.category_id is not None:
            seats.free_quota(db, registration.category_id)
    registration.category_id = new_category
    if registration.status != "cancelled":
        registration.contact_key = contact_key(person.phone, person.name)
    try:
        with db.begin_nested():
            db.add(person)
            db.add(registration)
            db.flush()
    except IntegrityError:
        raise AlreadyRegistered(params={"name": person.name}) from None


@dataclass
class RegistrationFilter:
    batch_id: int | None = None
    status: str | None = None
    q: str | None = None
    unassigned: bool = False
    # Exact values as the list offers them (case and spacing aside).
    regency: str | None = None
    position: str | None = None
    unit_id: int | None = None  # the unit (OPD, kecamatan) they are a delegate of


def _filtered(training_id: int, f: RegistrationFilter) -> Any:
    query = (select(Registration, Participant, Batch, TrainingCategory)
             .join(Participant, col(Participant.id) == Registration.participant_id)
             .outerjoin(Batch, col(Batch.id) == Registration.batch_id)
             .outerjoin(TrainingCategory, col(TrainingCategory.id) == Registration.category_id)
             .where(Registration.training_id == training_id))
    if f.batch_id:
        query = query.where(Registration.batch_id == f.batch_id)
    if f.unassigned:
        query = query.where(col(Registration.batch_id).is_(None),
                            Registration.status == "waitlisted")
    if f.status:
        query = query.where(Registration.status == f.status)
    if f.unit_id:
        query = query.where(Registration.unit_id == f.unit_id)
    for column, wanted in ((Participant.regency, f.regency), (Participant.position, f.position)):
        if wanted and clean_text(wanted):
            query = query.where(func.lower(func.trim(column)) == clean_text(wanted).casefold())
    term = clean_text(f.q or "")
    if term:
        digits = "".join(ch for ch in term if ch.isdigit())
        conditions = [func.lower(Participant.name).contains(term.casefold())]
        if len(digits) >= 4:
            conditions.append(col(Participant.nik).endswith(digits))
        if len(digits) >= 6:
            # Phones are stored +62...; people type them 0812...
            local = "62" + digits[1:] if digits.startswith("0") else digits
            conditions.append(col(Participant.phone).contains(local))
        query = query.where(or_(*conditions))
    return query


def by_sort_name(db: Session) -> Any:
    """Participant.sort_name as an ORDER BY term that sorts the same on every database:
    byte order ("C"), as Python compares the keys, whatever PostgreSQL's locale."""
    column = col(Participant.sort_name)
    return column.collate("C") if db.get_bind().dialect.name == "postgresql" else column


def _by_name(db: Session, query: Any) -> Any:
    # Front titles left out: "dr. Rina" under R (Participant.sort_name).
    return query.order_by(by_sort_name(db), col(Registration.id))


def filter_values(db: Session, training: Training) -> dict[str, list[str]]:
    """The kabupaten/kota and jabatan of a training's participants, for the list's filters:
    each once (case and spacing aside), alphabetical."""
    out: dict[str, list[str]] = {}
    for name, column in (("regency", Participant.regency), ("position", Participant.position)):
        seen: dict[str, str] = {}
        for value in db.exec(select(column).distinct()
                             .join(Registration, col(Registration.participant_id) == Participant.id)
                             .where(Registration.training_id == training.id,
                                    col(column).is_not(None))).all():
            text = clean_text(value)
            if text:
                seen.setdefault(text.casefold(), text)
        out[name] = [seen[k] for k in sorted(seen)]
    return out


def page_count(total: int, per_page: int = PER_PAGE) -> int:
    """Pages of a list of `total` rows; an empty list still has its one page."""
    return max(1, -(-total // per_page))


def list_registrations(db: Session, training: Training, f: RegistrationFilter,
                       page: int = 1, per_page: int = PER_PAGE
                       ) -> tuple[list[RegistrationRow], int]:
    """One page of the training's registrations, by name, and how many match in all."""
    query = _filtered(pk(training), f)
    total = db.exec(select(func.count()).select_from(query.subquery())).one()
    rows = db.exec(_by_name(db, query).offset((max(page, 1) - 1) * per_page).limit(per_page)).all()
    return [RegistrationRow(*row) for row in rows], int(total)


def all_registrations(db: Session, training: Training, f: RegistrationFilter
                      ) -> list[RegistrationRow]:
    """Every matching registration, by name (ticket cards, emails): no page, no count."""
    return [RegistrationRow(*row)
            for row in db.exec(_by_name(db, _filtered(pk(training), f)))]


def registration_row(db: Session, registration: Registration) -> RegistrationRow:
    person = db.get(Participant, registration.participant_id)
    if person is None:
        raise DomainError("Registration not found.", code="not_found", status=404)
    batch = db.get(Batch, registration.batch_id) if registration.batch_id else None
    category = (db.get(TrainingCategory, registration.category_id)
                if registration.category_id else None)
    return RegistrationRow(registration, person, batch, category)


def status_counts(db: Session, training_id: int) -> dict[str, int]:
    rows = db.exec(select(Registration.status, func.count()).where(
        Registration.training_id == training_id).group_by(Registration.status)).all()
    counts = {"confirmed": 0, "waitlisted": 0, "cancelled": 0}
    counts.update({status: int(n) for status, n in rows})
    return counts
