"""A training's invited guests and committee: the lists, their attendance per day (ticked,
or scanned at the door from their QR card), their daftar hadir and cards; and narasumber
attendance per session."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from service.db import DB
from service.models import EventPerson, Training
from service.models.base import pk
from service.rendering.guest_sheet_pdf import render_guest_sheets_pdf
from service.rendering.ticket_cards_pdf import ticket_cards_pdf
from service.routers import files
from service.routers.deps import ApiPlanner, ApiScanner, ApiTraining
from service.routers.urls import public_base
from service.schemas.guests import (
    AttendanceGrid,
    GuestCheckin,
    PeopleList,
    PersonAttendanceRead,
    PersonCreate,
    PersonCreated,
    PersonPatch,
    PersonRead,
    Presence,
    SpeakerAttendanceList,
    SpeakerAttendanceRead,
)
from service.services.guests import attendance, documents, people, speaker_attendance
from service.services.guests.views import person_read, slot_read

router = APIRouter(prefix="/api", tags=["guests"])


def api_person(guest_id: int, user: ApiPlanner, db: DB) -> tuple[EventPerson, Training]:
    return people.get_person(db, user.organization_id, guest_id)


ApiPerson = Annotated[tuple[EventPerson, Training], Depends(api_person)]


@router.get("/trainings/{training_id}/guests")
def list_guests(training: ApiTraining, db: DB, user: ApiPlanner) -> PeopleList:
    """The invited guests and the committee, in their list order, with the days each was
    present; NIP and phone masked but for admins."""
    grid = attendance.grid(db, training)
    admin = user.role == "admin"
    rows = [person_read(p, grid.days_present(p), admin) for p in grid.people]
    return PeopleList(guests=[r for r in rows if r.kind == "guest"],
                      committee=[r for r in rows if r.kind == "committee"])


@router.post("/trainings/{training_id}/guests", status_code=201)
def add_guest(training: ApiTraining, data: PersonCreate, db: DB,
              user: ApiPlanner) -> PersonCreated:
    """Add a guest (`kind` "guest") or a committee member ("committee", with its
    `committee_role`); NIP, when given, has 18 digits."""
    return PersonCreated(id=pk(people.add_person(db, training, data)))


@router.patch("/guests/{guest_id}")
def update_guest(found: ApiPerson, data: PersonPatch, db: DB, user: ApiPlanner) -> PersonRead:
    """Change a guest's or committee member's details, or their place in the list."""
    person, training = found
    people.update_person(db, person, data)
    grid = attendance.grid(db, training)
    return person_read(person, grid.days_present(person), user.role == "admin")


@router.delete("/guests/{guest_id}", status_code=204)
def delete_guest(found: ApiPerson, db: DB, user: ApiPlanner) -> Response:
    """Remove a guest or committee member, with their attendance."""
    people.delete_person(db, found[0])
    return Response(status_code=204)


@router.put("/guests/{guest_id}/attendance/{day}")
def set_guest_attendance(found: ApiPerson, day: date, data: Presence, db: DB,
                         user: ApiPlanner) -> PersonAttendanceRead:
    """Tick (present true) or untick a person on one of the training's days; another day
    is a 422."""
    person, training = found
    row = attendance.set_attendance(db, training, person, day, data.present, user)
    return PersonAttendanceRead(person_id=row.person_id, day=row.day, present=row.present,
                                via=row.via, recorded_at=row.recorded_at)


@router.get("/trainings/{training_id}/guests/attendance")
def guest_attendance(training: ApiTraining, db: DB) -> AttendanceGrid:
    """The training's days and every recorded presence of its guests and committee."""
    grid = attendance.grid(db, training)
    return AttendanceGrid(days=grid.days, items=[
        PersonAttendanceRead(person_id=r.person_id, day=r.day, present=r.present, via=r.via,
                             recorded_at=r.recorded_at)
        for r in sorted(grid.rows.values(), key=lambda r: (r.day, r.person_id))])


@router.get("/trainings/{training_id}/guests/attendance-sheet.pdf")
def guest_sheet(training: ApiTraining, db: DB,
                kind: Literal["guest", "committee"] = "guest",
                day: Annotated[date | None, Query()] = None) -> Response:
    """The daftar hadir of the guests or of the committee: one sheet per training day
    (or only `day`)."""
    if day is not None:
        people.check_day(db, training, day)
    sheets = documents.sheets(db, training, kind, [day] if day else None)
    return files.pdf(render_guest_sheets_pdf(sheets, title=training.title),
                     documents.filename(kind, training, "pdf"))


@router.get("/trainings/{training_id}/guests/cards.pdf")
def guest_cards(request: Request, training: ApiTraining, db: DB,
                kind: Literal["guest", "committee"] | None = None) -> Response:
    """Printable QR cards of the guests and committee (8 a page), scanned at the door."""
    cards = documents.cards(db, training, public_base(request), kind)
    return files.pdf(ticket_cards_pdf(cards, title=training.title),
                     f"kartu-tamu-panitia-{pk(training)}.pdf")


@router.post("/trainings/{training_id}/guest-checkins", status_code=201,
             responses={200: {"description": "already checked in today"}})
def guest_checkin(training_id: int, data: GuestCheckin, db: DB,
                  user: ApiScanner) -> JSONResponse:
    """The door scanner read a guest's or committee member's card: present today (201), or
    already (200); 404 invalid_guest_card, 422 not_training_day. A scan kept offline
    sends `scanned_at` (it counts for that day; 422 invalid_time if in the future,
    scan_too_old past 14 days) and `nonce` (sent again: 200 already, nothing changed)."""
    training = attendance.scanner_training(db, user, training_id)
    outcome = attendance.scan(db, user, training, data.code, scanned_at=data.scanned_at,
                              nonce=data.nonce)
    body = {"status": outcome.status, "person_id": pk(outcome.person),
            "name": outcome.person.name, "kind": outcome.person.kind,
            "kind_label": documents.kind_label(outcome.person.kind),
            "day": outcome.day.isoformat(),
            "first_at": outcome.first_at.isoformat() if outcome.first_at else None}
    return JSONResponse(body, status_code=201 if outcome.status == "checked_in" else 200)


# --- narasumber attendance ---------------------------------------------------------------

@router.put("/sessions/{session_id}/speakers/{speaker_id}/attendance")
def set_speaker_attendance(session_id: int, speaker_id: int, data: Presence, db: DB,
                           user: ApiPlanner) -> SpeakerAttendanceRead:
    """Whether the narasumber was there for the session; only a narasumber of that
    session (else 422 not_session_speaker)."""
    session, _training = speaker_attendance.get_session(db, user.organization_id, session_id)
    row = speaker_attendance.record(db, session, speaker_id, data.present, user)
    return SpeakerAttendanceRead(session_id=row.session_id, speaker_id=row.speaker_id,
                                 present=row.present, via_link=row.via_link,
                                 recorded_by=user.name, recorded_at=row.recorded_at)


@router.get("/trainings/{training_id}/speaker-attendance")
def speaker_attendance_list(training: ApiTraining, db: DB) -> SpeakerAttendanceList:
    """Every session's narasumber with their presence (null: not recorded yet)."""
    return SpeakerAttendanceList(items=[slot_read(s) for s in
                                        speaker_attendance.slots(db, training)])


