"""Pages: a training's rosters and attendance sheets with the narasumber links (committee),
the organizer's logo, and the narasumber's own page behind their private link."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError, NotFound
from service.i18n.formats import fmt_date
from service.models import Organization, Training
from service.models.roster_links import RosterLink
from service.routers.deps import PageAdmin, PageBatch, PagePlanner, PageTraining
from service.routers.files import PRIVATE, attendance_sheet_file, png, roster_file
from service.routers.pages.forms import errors_by_field, submit
from service.routers.pages.rendering import redirect, render
from service.routers.urls import public_base
from service.schemas.rosters import NikMode, SheetGrouping
from service.services import org_logo, regions, roster_links, rosters, trainings
from service.services import training_clock as clock
from service.services.guests import speaker_attendance
from service.services.meeting_days import days_of
from service.services.meetings import materials as speaker_materials

router = APIRouter(include_in_schema=False)


def _page(request: Request, db: DB, training: Training, user: Any, *,
          fresh: tuple[str, RosterLink] | None = None, exc: DomainError | None = None,
          status: int = 200) -> Response:
    org = db.get(Organization, training.organization_id)
    fresh_url = f"{public_base(request)}/n/{fresh[0]}" if fresh else None
    speakers = roster_links.training_speakers(db, training)
    fresh_speaker = next((s.speaker for s in speakers
                          if fresh and s.speaker.id == fresh[1].speaker_id), None)
    return render(request, "rosters/page.html", {
        "training": training,
        "batches": [(b, days_of(b)) for b in trainings.list_batches(db, training.id or 0)],
        "speakers": speakers, "has_logo": bool(org and org.logo_png),
        "is_admin": user.role == "admin", "region_label": regions.label(training),
        "fresh": fresh[1] if fresh else None, "fresh_url": fresh_url,
        "fresh_speaker": fresh_speaker,
        "fresh_whatsapp": roster_links.share_whatsapp(fresh_speaker, training, fresh_url,
                                                      fresh[1].expires_at)
        if fresh and fresh_speaker and fresh_url else None,
        "until": lambda link: fmt_date(roster_links.last_day(training, link.expires_at)),
        "errors": errors_by_field(exc) if exc else {},
    }, exc.status if exc else status, block="links")


@router.get("/trainings/{training_id}/rosters")
def rosters_page(request: Request, training: PageTraining, user: PagePlanner,
                 db: DB) -> Response:
    """Rosters and attendance sheets per batch, and the narasumber's roster links."""
    return _page(request, db, training, user)


@router.post("/trainings/{training_id}/rosters/links")
def create_link(request: Request, training: PageTraining, user: PagePlanner, db: DB,
                speaker_id: Annotated[int, Form()]) -> Response:
    return submit(db, lambda: roster_links.create_link(db, training, speaker_id, user),
                  lambda fresh: _page(request, db, training, user, fresh=fresh),
                  lambda exc: _page(request, db, training, user, exc=exc))


@router.post("/trainings/{training_id}/rosters/links/{link_id}/revoke")
def revoke_link(request: Request, training: PageTraining, user: PagePlanner, db: DB,
                link_id: int) -> Response:
    roster_links.revoke_link(db, training, link_id)
    return _page(request, db, training, user)


# --- committee downloads (the page session's cookie, like the agenda PDF) ---------------

@router.get("/batches/{batch_id}/roster.{fmt}")
def roster_download(found: PageBatch, user: PagePlanner, fmt: str, db: DB,
                    nik: NikMode = "masked") -> Response:
    batch, training = found
    return roster_file(db, training, batch, fmt, "committee",
                       rosters.check_nik_access(user, nik))


@router.get("/batches/{batch_id}/daftar-hadir.pdf")
def attendance_sheet_download(found: PageBatch, db: DB, day: date | None = None,
                              group: SheetGrouping = "none") -> Response:
    batch, training = found
    return attendance_sheet_file(db, training, batch, day, group == "region")


# --- the organizer's logo ---------------------------------------------------------------

@router.post("/organization/logo")
def upload_logo(request: Request, user: PageAdmin, db: DB,
                logo: Annotated[UploadFile, File()],
                training_id: Annotated[int, Form()]) -> Response:
    training = trainings.get_training(db, user.organization_id, training_id)
    org = db.get(Organization, user.organization_id)
    if org is None:
        raise NotFound()
    # Read one byte past the limit: enough to refuse a large file without holding it all.
    data = logo.file.read(org_logo.MAX_BYTES + 1)
    return submit(db, lambda: org_logo.set_logo(db, org, data),
                  lambda _: redirect(request, f"/trainings/{training.id}/rosters#logo"),
                  lambda exc: _page(request, db, training, user, exc=exc))


@router.post("/organization/logo/remove")
def remove_logo(request: Request, user: PageAdmin, db: DB,
                training_id: Annotated[int, Form()]) -> Response:
    training = trainings.get_training(db, user.organization_id, training_id)
    org = db.get(Organization, user.organization_id)
    if org is not None:
        org_logo.remove_logo(db, org)
    return redirect(request, f"/trainings/{training.id}/rosters#logo")


@router.get("/organization/logo.png")
def logo_png(user: PagePlanner, db: DB) -> Response:
    org = db.get(Organization, user.organization_id)
    if org is None or not org.logo_png:
        raise NotFound()
    return png(org.logo_png)


# --- the narasumber's page behind their private link ------------------------------------

def _not_found(request: Request, exc: DomainError) -> Response:
    response = render(request, "rosters/link_not_found.html", {"message": exc.text()},
                      status_code=404)
    response.headers.update(PRIVATE)
    return response


@router.get("/n/{token}")
def narasumber_page(request: Request, token: str, db: DB) -> Response:
    """A narasumber's batches and sessions, with their rosters to download."""
    try:
        link, speaker, training = roster_links.resolve(db, token)
    except DomainError as exc:
        return _not_found(request, exc)
    org = db.get(Organization, training.organization_id)
    response = render(request, "rosters/narasumber.html", {
        "token": token, "speaker": speaker, "training": training,
        "organization": org.name if org else "",
        "batches": roster_links.link_batches(db, link),
        "until": fmt_date(roster_links.last_day(training, link.expires_at)),
        "today": clock.today(training),
        # "Saya hadir" per session, on its day (services/guests/speaker_attendance.py).
        "hadir": speaker_attendance.link_context(db, link, training),
        **speaker_materials.link_context(db, link)})
    response.headers.update(PRIVATE)
    return response


@router.get("/n/{token}/batches/{batch_id}/roster.{fmt}")
def narasumber_roster(request: Request, token: str, batch_id: int, fmt: str,
                      db: DB) -> Response:
    try:
        link, _, training = roster_links.resolve(db, token)
        batch = roster_links.link_batch(db, link, batch_id)
        return roster_file(db, training, batch, fmt, "narasumber")
    except DomainError as exc:
        return _not_found(request, exc)
