"""Erasure of a person's data under UU PDP No. 27/2022: requests recorded by the
committee and approved or refused by an admin, and the retention setting."""

from typing import Annotated

from fastapi import APIRouter, Query

from service.db import DB
from service.models.base import pk
from service.routers.deps import ApiAdmin, ApiPlanner
from service.schemas.erasure import (
    Created,
    ErasureRequestIn,
    ErasureRequestList,
    ErasureRequestRead,
    RefuseIn,
    RetentionIn,
    RetentionPreviewRead,
    preview_read,
    request_read,
)
from service.services.erasure import requests, retention

router = APIRouter(prefix="/api", tags=["erasure"])


@router.post("/people/{person_id}/erasure-requests", status_code=201)
def record_request(person_id: int, data: ErasureRequestIn, user: ApiPlanner, db: DB
                   ) -> Created:
    """Record a request to erase the person's data (who asked and how, why); an admin
    approves it (409 erasure_pending or already_erased)."""
    made = requests.record(db, user.organization_id, person_id, data.requested_by_text,
                           data.reason, pk(user))
    return Created(id=pk(made))


@router.get("/erasure-requests")
def list_requests(user: ApiPlanner, db: DB,
                  status: Annotated[str | None, Query(pattern="^(pending|approved|refused)$")]
                  = None) -> ErasureRequestList:
    """The organization's erasure requests, pending first, then newest first."""
    rows = requests.list_requests(db, user.organization_id, status)
    return ErasureRequestList(items=[request_read(r) for r in rows], total=len(rows))


@router.post("/erasure-requests/{request_id}/approve")
def approve_request(request_id: int, user: ApiAdmin, db: DB) -> ErasureRequestRead:
    """Approve and erase at once (admins; another admin than the one who recorded it,
    unless the organization has one admin); 409 erasure_decided when already decided."""
    done = requests.approve(db, user.organization_id, request_id, user)
    return request_read(requests.row_of(db, done))


@router.post("/erasure-requests/{request_id}/refuse")
def refuse_request(request_id: int, user: ApiAdmin, db: DB,
                   data: RefuseIn | None = None) -> ErasureRequestRead:
    """Refuse a pending request (admins), with an optional note; the data stays."""
    done = requests.refuse(db, user.organization_id, request_id, user,
                           data.note if data else "")
    return request_read(requests.row_of(db, done))


@router.get("/erasure/retention-preview")
def retention_preview(user: ApiAdmin, db: DB) -> RetentionPreviewRead:
    """Who the retention setting would erase (the first 500), their last training, and the
    day each goes (GRACE_DAYS after being listed)."""
    return preview_read(retention.preview(db, user.organization_id), retention.GRACE_DAYS)


@router.put("/erasure/retention")
def set_retention(data: RetentionIn, user: ApiAdmin, db: DB) -> RetentionPreviewRead:
    """Erase participants of trainings that ended more than `years` years ago (1-50), or
    turn it off (null); answers the preview."""
    retention.set_years(db, user.organization_id, data.years)
    return preview_read(retention.preview(db, user.organization_id), retention.GRACE_DAYS)
