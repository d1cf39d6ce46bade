"""Rosters with attendance per day (PDF, XLSX, CSV), the printed attendance sheet, and the
narasumber's private roster links."""

from datetime import date

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import NotFound
from service.routers.deps import ApiBatch, ApiPlanner, ApiTraining, api_planner, api_user
from service.routers.files import ROSTER_RENDERERS, attendance_sheet_file, roster_file
from service.routers.urls import public_base
from service.schemas.rosters import (
    NikMode,
    RosterLinkCreate,
    RosterLinkCreated,
    RosterLinkSession,
    RosterLinkSpeaker,
    SheetGrouping,
)
from service.services import roster_links, rosters, trainings

router = APIRouter(prefix="/api", tags=["rosters"])


@router.get("/batches/{batch_id}/roster.{fmt}")
def batch_roster(batch_id: int, fmt: str, request: Request, db: DB,
                 key: str | None = Query(None, max_length=200),
                 nik: NikMode = "masked") -> Response:
    """The batch's roster with attendance per day, as pdf, xlsx or csv. The committee
    sees NIK masked (an admin may ask nik=full) and phone numbers; with key= a
    narasumber's link opens the batches of their own sessions, without phone or NIK."""
    if fmt not in ROSTER_RENDERERS:
        raise NotFound()
    if key is not None:
        link, _, training = roster_links.resolve(db, key)
        rosters.check_nik_access(None, nik)
        batch = roster_links.link_batch(db, link, batch_id)
        return roster_file(db, training, batch, fmt, "narasumber")
    user = api_planner(api_user(request, db))
    batch, training = trainings.get_batch(db, user.organization_id, batch_id)
    full = rosters.check_nik_access(user, nik)
    return roster_file(db, training, batch, fmt, "committee", full)


@router.get("/batches/{batch_id}/attendance-sheet.pdf")
def batch_attendance_sheet(found: ApiBatch, db: DB, day: date | None = None,
                           group: SheetGrouping = "none") -> Response:
    """The printed attendance sheet (daftar hadir) of a batch day (default: today, else
    the batch's first day), to sign; `group=region`: one section per region."""
    batch, training = found
    return attendance_sheet_file(db, training, batch, day, group == "region")


@router.get("/trainings/{training_id}/roster-links")
def list_roster_links(training: ApiTraining, db: DB) -> list[RosterLinkSpeaker]:
    """The training's narasumber with their sessions and their working link, if any."""
    return [RosterLinkSpeaker(
        speaker_id=s.speaker.id or 0, name=s.speaker.name, institution=s.speaker.institution,
        sessions=[RosterLinkSession(id=t.session.id or 0, batch_id=t.batch.id or 0,
                                    batch=t.batch.name, date=t.session.date,
                                    title=t.session.title) for t in s.sessions],
        link_id=s.active.id if s.active else None,
        link_expires_at=s.active.expires_at if s.active else None,
        expired_link_id=s.expired.id if s.expired else None,
        expired_at=s.expired.expires_at if s.expired else None)
        for s in roster_links.training_speakers(db, training)]


@router.post("/trainings/{training_id}/roster-links", status_code=201)
def create_roster_link(request: Request, training: ApiTraining, data: RosterLinkCreate,
                       user: ApiPlanner, db: DB) -> RosterLinkCreated:
    """A private roster link for a narasumber of the training; their earlier links stop
    working. The url is shown only now. After the training's 30 days it is a reissue,
    working for 30 days from now."""
    raw, link = roster_links.create_link(db, training, data.speaker_id, user)
    return RosterLinkCreated(id=link.id or 0, speaker_id=link.speaker_id,
                             url=f"{public_base(request)}/n/{raw}", expires_at=link.expires_at)


@router.post("/trainings/{training_id}/roster-links/{link_id}/revoke", status_code=204)
def revoke_roster_link(training: ApiTraining, link_id: int, db: DB) -> Response:
    """Stop a narasumber's roster link from opening anything."""
    roster_links.revoke_link(db, training, link_id)
    return Response(status_code=204)
