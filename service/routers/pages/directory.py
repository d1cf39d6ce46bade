"""Pages: the organization's narasumber and venues with rooms."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.i18n.formats import fmt_phone
from service.routers.deps import PagePlanner
from service.routers.pages.forms import (
    SubmittedForm,
    errors_by_field,
    parse,
    render_form,
    submit,
)
from service.routers.pages.rendering import redirect, render
from service.schemas.planning import RoomCreate, SpeakerCreate, VenueCreate, VenueUpdate
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
def add_speaker(request: Request, form: SubmittedForm, db: DB, user: PagePlanner) -> Response:
    data = form.values()
    return submit(db, lambda: speakers.create_speaker(db, user.organization_id,
                                                      parse(SpeakerCreate, data)),
                  lambda _: redirect(request, "/speakers"),
                  lambda exc: _speakers_page(request, db, user, data, exc))


def _speaker_form(request: Request, db: DB, user: PagePlanner, speaker_id: int,
                  values: dict[str, Any] | None = None, exc: DomainError | None = None
                  ) -> Response:
    speaker = speakers.get_speaker(db, user.organization_id, speaker_id)
    if values is None:
        # The stored +62 number as people write it, as on every page (formats.fmt_phone).
        # Only the form's own fields: never the finance fields (NPWP, account), which
        # only the treasurer's page (/speakers/{id}/finance) shows.
        values = {**speaker.model_dump(include=set(SpeakerCreate.model_fields)),
                  "phone": fmt_phone(speaker.phone)}
    return render_form(request, "speakers/form.html", {"speaker": speaker, "values": values},
                       exc)


@router.get("/speakers/{speaker_id}/edit")
def edit_speaker_page(request: Request, speaker_id: int, db: DB, user: PagePlanner) -> Response:
    return _speaker_form(request, db, user, speaker_id)


@router.post("/speakers/{speaker_id}/edit")
def update_speaker(request: Request, speaker_id: int, form: SubmittedForm, db: DB,
                   user: PagePlanner) -> Response:
    speaker = speakers.get_speaker(db, user.organization_id, speaker_id)
    data = form.values()
    return submit(db, lambda: speakers.update_speaker(db, speaker, parse(SpeakerCreate, data)),
                  lambda _: redirect(request, "/speakers"),
                  lambda exc: _speaker_form(request, db, user, speaker_id, data, exc))


def _venues_page(request: Request, db: DB, user: PagePlanner, extra: dict[str, Any] | None = None,
                 status_code: int = 200) -> Response:
    return render(request, "venues/list.html", {
        "venues": venues.list_venues(db, user.organization_id), "values": {}, "errors": {},
        "room_venue": None, **(extra or {})}, status_code)


@router.get("/venues")
def venues_page(request: Request, db: DB, user: PagePlanner) -> Response:
    return _venues_page(request, db, user)


@router.post("/venues")
def add_venue(request: Request, form: SubmittedForm, db: DB, user: PagePlanner) -> Response:
    data = form.values()
    rooms = [r.strip() for r in str(data.get("rooms", "")).splitlines() if r.strip()]

    def refused(exc: DomainError) -> Response:
        values = {**data, "rooms": "\n".join(rooms)}
        return _venues_page(request, db, user,
                            {"values": values, "errors": errors_by_field(exc)}, exc.status)

    return submit(db, lambda: venues.create_venue(db, user.organization_id,
                                                  parse(VenueCreate, {**data, "rooms": rooms})),
                  lambda _: redirect(request, "/venues"), refused)


@router.post("/venues/{venue_id}/rooms")
def add_room(request: Request, venue_id: int, form: SubmittedForm, db: DB,
             user: PagePlanner) -> Response:
    venue = venues.get_venue(db, user.organization_id, venue_id)
    data = form.values()
    return submit(db, lambda: venues.add_room(db, venue, parse(RoomCreate, data)),
                  lambda _: redirect(request, "/venues"),
                  lambda exc: _venues_page(request, db, user, {
                      "room_venue": venue_id, "room_values": data,
                      "room_errors": errors_by_field(exc)}, exc.status))


def _venue_form(request: Request, db: DB, user: PagePlanner, venue_id: int,
                values: dict[str, Any] | None = None, exc: DomainError | None = None
                ) -> Response:
    venue = venues.get_venue(db, user.organization_id, venue_id)
    uses = venues.venue_uses(db, venue)
    return render_form(request, "venues/form.html", {
        "venue": venue, "uses": venues.describe_uses(uses) if uses else "",
        "values": values if values is not None else venue.model_dump()}, exc)


@router.get("/venues/{venue_id}/edit")
def edit_venue_page(request: Request, venue_id: int, db: DB, user: PagePlanner) -> Response:
    """A venue's name, address and city, and deleting it while nothing uses it."""
    return _venue_form(request, db, user, venue_id)


@router.post("/venues/{venue_id}/edit")
def update_venue(request: Request, venue_id: int, form: SubmittedForm, db: DB,
                 user: PagePlanner) -> Response:
    venue = venues.get_venue(db, user.organization_id, venue_id)
    data = form.values()
    return submit(db, lambda: venues.update_venue(db, venue, parse(VenueUpdate, data)),
                  lambda _: redirect(request, f"/venues#venue-{venue_id}"),
                  lambda exc: _venue_form(request, db, user, venue_id, data, exc))


@router.post("/venues/{venue_id}/delete")
def delete_venue(request: Request, venue_id: int, form: SubmittedForm, db: DB,
                 user: PagePlanner) -> Response:
    """Delete a venue nobody uses; otherwise the form says what uses it (409)."""
    venue = venues.get_venue(db, user.organization_id, venue_id)
    return submit(db, lambda: venues.delete_venue(db, venue),
                  lambda _: redirect(request, "/venues"),
                  lambda exc: _venue_form(request, db, user, venue_id, exc=exc))


@router.post("/speakers/{speaker_id}/delete")
def delete_speaker(request: Request, speaker_id: int, db: DB, user: PagePlanner) -> Response:
    speaker = speakers.get_speaker(db, user.organization_id, speaker_id)
    return submit(db, lambda: speakers.delete_speaker(db, speaker),
                  lambda _: redirect(request, "/speakers"),
                  lambda exc: _speaker_form(request, db, user, speaker_id, exc=exc))
