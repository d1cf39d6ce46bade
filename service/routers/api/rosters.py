"""Rosters with attendance per day (PDF, XLSX, CSV), the printed attendance sheet, and the
narasumber's private roster links."""

from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from service.db import DB
from service.errors import NotFound
from service.models import Batch, Training
from service.rendering.attendance_sheet_pdf import render_attendance_sheet_pdf
from service.rendering.roster_pdf import render_roster_pdf
from service.rendering.roster_sheets import roster_csv, roster_xlsx
from service.routers.deps import ApiBatch, ApiPlanner, ApiTraining, api_planner, api_user
from service.routers.urls import public_base
from service.services import roster_links, rosters, trainings
from service.services import training_clock as clock
from service.services.rosters import Audience

router = APIRouter(prefix="/api", tags=["rosters"])

NikMode = Literal["masked", "full"]
# Personal data: never cached on the way, never leaked to the next site in a Referer.
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
           "X-Robots-Tag": "noindex"}
MEDIA = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def download(data: bytes, fmt: str, name: str) -> Response:
    # PDFs open in the browser's viewer; spreadsheets download.
    disposition = "inline" if fmt == "pdf" else "attachment"
    return Response(data, media_type=MEDIA[fmt], headers={
        **PRIVATE, "Content-Disposition": f'{disposition}; filename="{name}"'})


def roster_file(db: DB, training: Training, batch: Batch, fmt: str, audience: Audience,
                full_nik: bool = False) -> Response:
    """The roster in one of its three formats (shared with the pages and /n/ links)."""
    if fmt not in MEDIA:
        raise NotFound()
    r = rosters.roster(db, training, batch)
    sheet = rosters.sheet(r, audience, full_nik, today=clock.today(training))
    data = {"pdf": render_roster_pdf, "csv": roster_csv, "xlsx": roster_xlsx}[fmt](sheet)
    kind = "daftar-peserta-nik" if full_nik else "daftar-peserta"
    return download(data, fmt, rosters.filename(kind, batch, fmt))


def attendance_sheet_file(db: DB, training: Training, batch: Batch,
                          day: date | None) -> Response:
    day = day or clock.default_day(batch, clock.today(training))
    doc = rosters.attendance_sheet(rosters.roster(db, training, batch), day)
    return download(render_attendance_sheet_pdf(doc), "pdf",
                    rosters.filename("daftar-hadir", batch, "pdf", day))


@router.get("/batches/{batch_id}/roster.{fmt}")
def batch_roster(batch_id: int, fmt: str, request: Request, db: DB,
                 key: str | None = Query(None, max_length=200),
                 nik: NikMode = "masked") -> Response:
    """The batch's roster with attendance per day, as pdf, xlsx or csv. The committee
    sees NIK masked (an admin may ask nik=full) and phone numbers; with key= a
    narasumber's link opens the batches of their own sessions, without phone or NIK."""
    if fmt not in MEDIA:
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
def batch_attendance_sheet(found: ApiBatch, db: DB, day: date | None = None) -> Response:
    """The printed attendance sheet (daftar hadir) of a batch day (default: today, else
    the batch's first day), to sign."""
    batch, training = found
    return attendance_sheet_file(db, training, batch, day)


class RosterLinkCreate(BaseModel):
    speaker_id: int


class RosterLinkCreated(BaseModel):
    id: int
    speaker_id: int
    url: str  # shown once: only its hash is stored
    expires_at: datetime


class RosterLinkSession(BaseModel):
    id: int
    batch_id: int
    batch: str
    date: date
    title: str


class RosterLinkSpeaker(BaseModel):
    speaker_id: int
    name: str
    institution: str | None
    sessions: list[RosterLinkSession]
    link_id: int | None
    link_expires_at: datetime | None


@router.get("/trainings/{training_id}/roster-links")
def list_roster_links(training: ApiTraining, db: DB) -> list[RosterLinkSpeaker]:
    """The training's narasumber with their sessions and their working link, if any."""
    return [RosterLinkSpeaker(
        speaker_id=s.speaker.id or 0, name=s.speaker.name, institution=s.speaker.institution,
        sessions=[RosterLinkSession(id=t.session.id or 0, batch_id=t.batch.id or 0,
                                    batch=t.batch.name, date=t.session.date,
                                    title=t.session.title) for t in s.sessions],
        link_id=s.active.id if s.active else None,
        link_expires_at=s.active.expires_at if s.active else None)
        for s in roster_links.training_speakers(db, training)]


@router.post("/trainings/{training_id}/roster-links", status_code=201)
def create_roster_link(request: Request, training: ApiTraining, data: RosterLinkCreate,
                       user: ApiPlanner, db: DB) -> RosterLinkCreated:
    """A private roster link for a narasumber of the training; their earlier links stop
    working. The url is shown only now."""
    raw, link = roster_links.create_link(db, training, data.speaker_id, user)
    return RosterLinkCreated(id=link.id or 0, speaker_id=link.speaker_id,
                             url=f"{public_base(request)}/n/{raw}", expires_at=link.expires_at)


@router.post("/trainings/{training_id}/roster-links/{link_id}/revoke", status_code=204)
def revoke_roster_link(training: ApiTraining, link_id: int, db: DB) -> Response:
    """Stop a narasumber's roster link from opening anything."""
    roster_links.revoke_link(db, training, link_id)
    return Response(status_code=204)
