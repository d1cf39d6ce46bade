"""Pages: the organization's narasumber and venues with rooms."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.routers.deps import PagePlanner
from service.routers.pages.forms import errors_by_field, form_data, parse, render_form
from service.routers.pages.rendering import redirect, render
from service.schemas.planning import RoomCreate, SpeakerCreate, VenueCreate
from service.services import speakers, venues

router = APIRouter(include_in_schema=False)


def _speakers_page(request: Request, db: DB, user: PagePlanner,
                   values: dict[str, Any] | None = None,
                   exc: DomainError | None = None) -> Response:
    return render_form(request, "speakers/list.html", {
        "speakers": speakers.list_speakers(db, user.organization_id), "values": values or {}},
        exc)


@router.get("/speakers")
def speakers_page(request: Request, db: DB, user: PagePlanner) -> Response:
    return _speakers_page(request, db, user)


@router.post("/speakers")
async def add_speaker(request: Request, db: DB, user: PagePlanner) -> Response:
    data = await form_data(request)
    try:
        speakers.create_speaker(db, user.organization_id, parse(SpeakerCreate, data))
    except DomainError as exc:
        db.rollback()
        return _speakers_page(request, db, user, data, exc)
    return redirect(request, "/speakers")


def _speaker_form(request: Request, db: DB, user: PagePlanner, speaker_id: int,
                  values: dict[str, Any] | None = None, exc: DomainError | None = None
                  ) -> Response:
    speaker = speakers.get_speaker(db, user.organization_id, speaker_id)
    if values is None:
        values = speaker.model_dump()
    return render_form(request, "speakers/form.html", {"speaker": speaker, "values": values},
                       exc)


@router.get("/speakers/{speaker_id}/edit")
def edit_speaker_page(request: Request, speaker_id: int, db: DB, user: PagePlanner) -> Response:
    return _speaker_form(request, db, user, speaker_id)


@router.post("/speakers/{speaker_id}/edit")
async def update_speaker(request: Request, speaker_id: int, db: DB,
                         user: PagePlanner) -> Response:
    speaker = speakers.get_speaker(db, user.organization_id, speaker_id)
    data = await form_data(request)
    try:
        speakers.update_speaker(db, speaker, parse(SpeakerCreate, data))
    except DomainError as exc:
        db.rollback()
        return _speaker_form(request, db, user, speaker_id, data, exc)
    return redirect(request, "/speakers")


def _venues_page(request: Request, db: DB, user: PagePlanner, extra: dict[str, Any] | None = None,
                 status_code: int = 200) -> Response:
    return render(request, "venues/list.html", {
        "venues": venues.list_venues(db, user.organization_id), "values": {}, "errors": {},
        "room_venue": None, **(extra or {})}, status_code)


@router.get("/venues")
def venues_page(request: Request, db: DB, user: PagePlanner) -> Response:
    return _venues_page(request, db, user)


@router.post("/venues")
async def add_venue(request: Request, db: DB, user: PagePlanner) -> Response:
    data = await form_data(request)
    data["rooms"] = [r.strip() for r in str(data.get("rooms", "")).splitlines() if r.strip()]
    try:
        venues.create_venue(db, user.organization_id, parse(VenueCreate, data))
    except DomainError as exc:
        db.rollback()
        data["rooms"] = "\n".join(data["rooms"])
        return _venues_page(request, db, user, {"values": data, "errors": errors_by_field(exc)},
                            exc.status)
    return redirect(request, "/venues")


@router.post("/venues/{venue_id}/rooms")
async def add_room(request: Request, venue_id: int, db: DB, user: PagePlanner) -> Response:
    venue = venues.get_venue(db, user.organization_id, venue_id)
    data = await form_data(request)
    try:
        venues.add_room(db, venue, parse(RoomCreate, data))
    except DomainError as exc:
        db.rollback()
        return _venues_page(request, db, user, {"room_venue": venue_id, "room_values": data,
                                                "room_errors": errors_by_field(exc)}, exc.status)
    return redirect(request, "/venues")


@router.post("/speakers/{speaker_id}/delete")
def delete_speaker(request: Request, speaker_id: int, db: DB, user: PagePlanner) -> Response:
    speaker = speakers.get_speaker(db, user.organization_id, speaker_id)
    try:
        speakers.delete_speaker(db, speaker)
    except DomainError as exc:
        db.rollback()
        return _speaker_form(request, db, user, speaker_id, exc=exc)
    return redirect(request, "/speakers")
