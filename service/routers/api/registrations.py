"""Registrations of a training: add, list, correct, cancel, move."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from service.db import DB
from service.models import Registration, User
from service.routers.deps import ApiPlanner, ApiTraining
from service.routers.urls import public_base
from service.schemas.participants import (
    MoveRequest,
    RegistrationCreate,
    RegistrationPage,
    RegistrationRead,
    registration_read,
)
from service.services import registrations

router = APIRouter(prefix="/api", tags=["registrations"])


def _read(db: DB, reg: Registration, request: Request, user: User) -> RegistrationRead:
    # Only admins see whole NIKs; everyone else gets the last four digits.
    return registration_read(registrations.registration_row(db, reg), public_base(request),
                             full_nik=user.role == "admin")


@router.post("/trainings/{training_id}/registrations", status_code=201)
def create_registration(training: ApiTraining, data: RegistrationCreate, db: DB,
                        request: Request, user: ApiPlanner) -> RegistrationRead:
    """Register a participant: confirmed while a batch has a seat, else waitlisted."""
    reg = registrations.register(db, training, data.raw(), data.batch_id)
    return _read(db, reg, request, user)


@router.get("/trainings/{training_id}/registrations")
def list_registrations(
        training: ApiTraining, db: DB, request: Request, user: ApiPlanner,
        batch_id: int | None = None,
        status: Literal["confirmed", "waitlisted", "cancelled"] | None = None,
        unit_id: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
        q: Annotated[str | None, Query(max_length=100)] = None,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=500)] = registrations.PER_PAGE,
) -> RegistrationPage:
    """One page of registrations, by name; filter by batch, status or a search term."""
    rows, total = registrations.list_registrations(
        db, training, registrations.RegistrationFilter(batch_id=batch_id, status=status, q=q,
                                                      unit_id=unit_id),
        page, per_page)
    base = public_base(request)
    full = user.role == "admin"
    return RegistrationPage(items=[registration_read(r, base, full) for r in rows], total=total,
                            page=page, per_page=per_page,
                            pages=registrations.page_count(total, per_page))


@router.get("/registrations/{registration_id}")
def get_registration(registration_id: int, db: DB, user: ApiPlanner,
                     request: Request) -> RegistrationRead:
    """One registration."""
    reg, _ = registrations.get_registration(db, user.organization_id, registration_id)
    return _read(db, reg, request, user)


@router.put("/registrations/{registration_id}")
def update_registration(registration_id: int, data: RegistrationCreate, db: DB,
                        user: ApiPlanner, request: Request) -> RegistrationRead:
    """Correct a participant's details or category."""
    reg, training = registrations.get_registration(db, user.organization_id, registration_id)
    registrations.update_registration(db, training, reg, data.raw())
    return _read(db, reg, request, user)


@router.post("/registrations/{registration_id}/cancel")
def cancel_registration(registration_id: int, db: DB, user: ApiPlanner,
                        request: Request) -> dict[str, object]:
    """Cancel; its ticket stops working and the first on the waitlist takes the seat."""
    reg, _ = registrations.get_registration(db, user.organization_id, registration_id)
    promoted = registrations.cancel(db, reg)
    return {"registration": _read(db, reg, request, user),
            "promoted": _read(db, promoted, request, user) if promoted else None}


@router.post("/registrations/{registration_id}/move")
def move_registration(registration_id: int, data: MoveRequest, db: DB, user: ApiPlanner,
                      request: Request) -> RegistrationRead:
    """Move into another batch of the same training; 409 batch_full when it has no seat."""
    reg, training = registrations.get_registration(db, user.organization_id, registration_id)
    registrations.move(db, training, reg, data.batch_id)
    return _read(db, reg, request, user)
