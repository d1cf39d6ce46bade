"""Requests to erase a person's data: the committee records who asked and why; an admin
other than the one who recorded it approves (the data goes at once) or refuses. An
organization with a single admin lets that admin approve their own request, and the
request says so."""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from service.errors import Conflict, FieldError, Forbidden, NotFound
from service.i18n import N_
from service.models import Participant, User
from service.models.base import pk, utcnow
from service.models.erasure import ErasureRequest
from service.services.erasure import scrub
from service.services.people.identity import get_person

log = logging.getLogger(__name__)

AUTOMATIC = "retensi otomatis"
SOLE_ADMIN = "satu-satunya admin penyelenggara"


class ErasureNotFound(NotFound):
    code, message = "erasure_request_not_found", N_("Erasure request not found.")


class AlreadyDecided(Conflict):
    code, message = "erasure_decided", N_("This erasure request has already been decided.")


class AlreadyErased(Conflict):
    code, message = "already_erased", N_("This person's data has already been erased.")


class AlreadyPending(Conflict):
    code, message = "erasure_pending", N_(
        "An erasure request for this person is already waiting for an admin.")


class SameUser(Forbidden):
    code, message = "erasure_same_user", N_(
        "Another admin must approve this request: you recorded it.")


@dataclass(frozen=True)
class RequestRow:
    request: ErasureRequest
    person_name: str  # as the list may show it: the pseudonym label once erased
    recorded_by: str | None
    decided_by: str | None


def erased_request(db: Session, person_id: int) -> ErasureRequest | None:
    """The approved request that erased the person, if any."""
    return db.exec(select(ErasureRequest).where(ErasureRequest.participant_id == person_id,
                                                ErasureRequest.status == "approved")).first()


def pending_request(db: Session, person_id: int) -> ErasureRequest | None:
    return db.exec(select(ErasureRequest).where(ErasureRequest.participant_id == person_id,
                                                ErasureRequest.status == "pending")).first()


def record(db: Session, org_id: int, person_id: int, requested_by_text: str, reason: str,
           user_id: int) -> ErasureRequest:
    """Record a request to erase the organization's person (pending an admin)."""
    person = get_person(db, org_id, person_id)
    who = " ".join(requested_by_text.split())
    if not who:
        raise FieldError("requested_by_text", N_(
            "Write who asked for the erasure, and how (e.g. the person, by WhatsApp on "
            "3 December)."))
    if len(who) > 300:
        raise FieldError("requested_by_text", N_("At most {n} characters."), n=300)
    if len(reason) > 2000:
        raise FieldError("reason", N_("At most {n} characters."), n=2000)
    if erased_request(db, pk(person)) is not None:
        raise AlreadyErased()
    if pending_request(db, pk(person)) is not None:
        raise AlreadyPending()
    request = ErasureRequest(organization_id=org_id, participant_id=pk(person),
                             requested_by_text=who, reason=reason.strip(), recorded_by=user_id)
    db.add(request)
    db.flush()
    log.info("erasure request %s recorded for person %s", request.id, person_id)
    return request


def get_request(db: Session, org_id: int, request_id: int) -> ErasureRequest:
    request = db.get(ErasureRequest, request_id) if 0 < request_id < 2**31 else None
    if request is None or request.organization_id != org_id:
        raise ErasureNotFound()
    return request


def admins_count(db: Session, org_id: int) -> int:
    return int(db.exec(select(func.count()).select_from(User).where(
        User.organization_id == org_id, User.role == "admin",
        col(User.is_active).is_(True))).one())


def _claim(db: Session, request: ErasureRequest, status: str, values: dict[str, object]
           ) -> None:
    """Move a pending request on, once: of two admins deciding at once one wins, the
    other gets a 409 (the database settles it)."""
    result = db.execute(update(ErasureRequest)
                        .where(col(ErasureRequest.id) == pk(request),
                               col(ErasureRequest.status) == "pending")
                        .values(status=status, **values)
                        .execution_options(synchronize_session=False))
    if getattr(result, "rowcount", 0) != 1:
        raise AlreadyDecided()
    db.refresh(request)


def approve(db: Session, org_id: int, request_id: int, admin: User,
            now: datetime | None = None) -> ErasureRequest:
    """Approve and erase at once (the admin must not be the one who recorded it, unless
    the organization has no other admin)."""
    request = get_request(db, org_id, request_id)
    if request.status != "pending":
        raise AlreadyDecided()
    note = None
    if request.recorded_by == admin.id:
        if admins_count(db, org_id) > 1:
            raise SameUser()
        note = SOLE_ADMIN
    person = db.get(Participant, request.participant_id) if request.participant_id else None
    if person is None:
        raise ErasureNotFound()
    if erased_request(db, pk(person)) is not None:
        raise AlreadyErased()
    pseudonym = scrub.new_pseudonym(db)
    _claim(db, request, "approved", {
        "decided_by": admin.id, "decided_by_text": admin.name, "decision_note": note,
        "decided_at": now or utcnow(), "pseudonym": pseudonym})
    return _erase(db, request, person, pseudonym)


def _erase(db: Session, request: ErasureRequest, person: Participant, pseudonym: str
           ) -> ErasureRequest:
    request_id = pk(request)
    done = scrub.erase(db, person, pseudonym)
    request = db.get(ErasureRequest, request_id) or request
    request.fields = ",".join(done.fields)
    request.fields_count = len(done.fields)
    request.copies_count = done.copies
    db.add(request)
    db.flush()
    log.info("erasure request %s approved: person %s erased (%d fields, %d copies)",
             request_id, request.participant_id, len(done.fields), done.copies)
    return request


def erase_by_retention(db: Session, person: Participant, years: int, now: datetime
                       ) -> ErasureRequest:
    """Erase a person the retention setting listed, recorded as an approved request."""
    pseudonym = scrub.new_pseudonym(db)
    request = ErasureRequest(
        organization_id=person.organization_id, participant_id=pk(person), source="retention",
        requested_by_text=AUTOMATIC,
        reason=f"Pelatihan terakhir berakhir lebih dari {years} tahun yang lalu",
        status="approved", recorded_at=now, decided_by_text=AUTOMATIC, decided_at=now,
        pseudonym=pseudonym)
    db.add(request)
    db.flush()
    return _erase(db, request, person, pseudonym)


def refuse(db: Session, org_id: int, request_id: int, admin: User, note: str = "",
           now: datetime | None = None) -> ErasureRequest:
    """Refuse a pending request (with the admin's note); the data stays."""
    request = get_request(db, org_id, request_id)
    if request.status != "pending":
        raise AlreadyDecided()
    if len(note) > 500:
        raise FieldError("note", N_("At most {n} characters."), n=500)
    _claim(db, request, "refused", {"decided_by": admin.id, "decided_by_text": admin.name,
                                    "decided_at": now or utcnow(),
                                    "decision_note": note.strip() or None})
    log.info("erasure request %s refused", request_id)
    return request


def list_requests(db: Session, org_id: int, status: str | None = None,
                  limit: int = 200) -> list[RequestRow]:
    """The organization's requests, pending first then newest first."""
    recorder = select(User.name).where(col(User.id) == ErasureRequest.recorded_by)
    query = (select(ErasureRequest, Participant.name, recorder.scalar_subquery())
             .outerjoin(Participant, col(Participant.id) == ErasureRequest.participant_id)
             .where(ErasureRequest.organization_id == org_id))
    if status:
        query = query.where(ErasureRequest.status == status)
    rows = db.exec(query.order_by(col(ErasureRequest.status) != "pending",
                                  col(ErasureRequest.id).desc()).limit(limit)).all()
    return [RequestRow(r, name or "—", by, r.decided_by_text) for r, name, by in rows]


def row_of(db: Session, request: ErasureRequest) -> RequestRow:
    """One request as the list shows it."""
    person = db.get(Participant, request.participant_id) if request.participant_id else None
    recorder = db.get(User, request.recorded_by) if request.recorded_by else None
    return RequestRow(request, person.name if person else "—",
                      recorder.name if recorder else None, request.decided_by_text)


@dataclass(frozen=True)
class PersonErasure:
    """What the person page says about erasure."""

    erased: ErasureRequest | None
    pending: ErasureRequest | None


def person_state(db: Session, person_id: int) -> PersonErasure:
    return PersonErasure(erased_request(db, person_id), pending_request(db, person_id))
