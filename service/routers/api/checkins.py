"""Check-in at the door: scans, offline devices' queues, the scanner manifest, search."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from service.db import DB, AsideDB
from service.routers.deps import ApiScanner, scanner_of
from service.schemas.checkins import CheckinRequest, SyncRequest
from service.services import checkin_manifest, checkins, housekeeping
from service.services import training_clock as clock
from service.services.checkins import ScanIn
from service.settings import get_settings

router = APIRouter(prefix="/api", tags=["check-in"])


@router.post("/checkins", status_code=201, responses={200: {"description": "already checked in"}})
def check_in(request: Request, data: CheckinRequest, db: DB) -> JSONResponse:
    """Check a ticket holder in: 201 checked_in, 200 already_checked_in, 4xx why not.

    A plain sync route (one worker-thread call, never the event loop): the door's common
    scan is answered before routing by the fast lane (middleware/checkin_lane.py), so
    this path takes only what the lane hands on (repeats, refusals, per-session
    attendance, unknown logins) and need not save thread hops."""
    user = scanner_of(request, db)
    outcome = checkins.check_in(db, user, ScanIn.of(data))
    payload = outcome.payload()
    # The request's one commit, in this same thread call: get_db then ends the request
    # without another hop (and SQLite's write lock is released before the next one).
    db.commit()
    return JSONResponse(payload, status_code=201 if outcome.status == "checked_in" else 200)


@router.post("/checkins/sync")
def sync(data: SyncRequest, db: DB, user: ApiScanner) -> dict[str, Any]:
    """Apply a device's queue of offline scans; sending the same queue again adds nothing."""
    scans = [ScanIn(code=s.code, registration_id=s.registration_id, batch_id=s.batch_id,
                    session_id=s.session_id, scanned_at=s.scanned_at, nonce=s.nonce,
                    method=s.method) for s in data.scans]
    return checkins.sync(db, user, data.device_id, scans)


@router.get("/batches/{batch_id}/manifest")
def manifest(batch_id: int, db: DB, user: ApiScanner) -> dict[str, Any]:
    """What an offline scanner needs: public key, ticket hashes with names, revocations,
    check-ins so far."""
    batch, training = checkins.batch_for_scanner(db, user, batch_id)
    return checkin_manifest.batch_manifest(db, batch, training)


@router.get("/batches/{batch_id}/checkin-search")
def search(batch_id: int, db: DB, aside: AsideDB, user: ApiScanner,
           q: Annotated[str, Query(max_length=100)] = "",
           day: date | None = None) -> dict[str, Any]:
    """Find someone at the door by name, or the last 4 to 6 digits of phone or NIK."""
    settings = get_settings()
    # Counted in its own transaction, so refused searches count too.
    try:
        housekeeping.hit(aside, f"checkin-search:{user.id}", settings.checkin_search_limit,
                         settings.checkin_search_window_seconds,
                         message=checkin_manifest.TOO_MANY_SEARCHES)
    finally:
        aside.commit()
    batch, training = checkins.batch_for_scanner(db, user, batch_id)
    found = checkin_manifest.search(db, batch, q, day or clock.today(training))
    # total and more: the door says when it shows only the first ones.
    return {"items": found.items, "total": found.total, "more": found.more}
