"""The committee's page of a training's units (/trainings/{id}/units, "Unit pengirim &
nominasi"): each unit's fill against its quota, its surat tugas, its focal point and its
private link; adding units, reminding those that lag and accepting their delegates."""

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from fastapi.routing import APIRouter

from service.db import DB
from service.errors import DomainError, FieldError
from service.models import Training, TrainingUnit, User
from service.models.units import UNIT_KINDS
from service.routers import files
from service.routers.deps import PagePlanner, PageTraining
from service.routers.pages.forms import SubmittedForm, render_form, submit
from service.routers.pages.rendering import redirect
from service.routers.urls import public_base
from service.services import training_clock
from service.services import units as register
from service.services.messaging.outbox import configured_channels
from service.services.nominations import accept, links, nominees, reminders, status, surat_tugas
from service.services.nominations import units as training_units
from service.services.people.identity import mask_phone
from service.services.registrations import mask_nip

router = APIRouter(include_in_schema=False)
KINDS = training_units.NOMINATING_KINDS
MESSAGES = {"saved": "saved", "revoked": "revoked", "removed": "removed",
            "accepted": "accepted"}


def page_training_unit(training_id: int, training_unit_id: int, user: PagePlanner,
                       db: DB) -> tuple[TrainingUnit, Training]:
    """A unit of this training of the user's organization; anything else is a 404."""
    tu, training = training_units.get_training_unit(db, user.organization_id,
                                                    training_unit_id)
    if training.id != training_id:
        raise training_units.TrainingUnitNotFound()
    return tu, training


PageTrainingUnit = Annotated[tuple[TrainingUnit, Training], Depends(page_training_unit)]


def _page(request: Request, db: DB, training: Training, user: User, *,
          exc: DomainError | None = None, values: dict[str, Any] | None = None,
          fresh: tuple[TrainingUnit, str] | None = None, message: str = "",
          queued: reminders.Queued | None = None, count: int = 0) -> Response:
    admin = user.role == "admin"
    rows, totals = status.fill(db, training)
    people = {r.training_unit.id: [
        {"n": n, "nip": n.nip if admin else (mask_nip(n.nip) or ""),
         "phone": n.phone if admin else mask_phone(n.phone) or ""}
        for n in nominees.list_nominees(db, r.training_unit)] for r in rows}
    invited = {r.unit.id for r in rows}
    choices = [u for u in register.list_units(db, training.organization_id)
               if u.id not in invited and u.kind in KINDS]
    fresh_ctx: dict[str, Any] = {}
    if fresh is not None:
        tu, url = fresh
        unit = training_units.org_unit(db, tu)
        fresh_ctx = {"fresh_unit": unit, "fresh_url": url,
                     "fresh_whatsapp": links.whatsapp_share(unit.name, training.title, url,
                                                            unit.focal_name)}
    return render_form(request, "nominations/units.html", {
        "training": training, "crumb_training": training, "rows": rows, "totals": totals,
        "people": people, "choices": choices, "kinds": KINDS, "unit_kinds": UNIT_KINDS,
        "deadline_text": lambda d: training_units.deadline_text(training, d),
        "deadline_date": lambda d: training_clock.local(training, d).date().isoformat()
        if d else "",
        "values": values or {"kind": "kabupaten_kota"}, "message": MESSAGES.get(message, ""),
        "queued": queued, "count": count, "channels": configured_channels(),
        "admin_view": admin, **fresh_ctx}, exc)


@router.get("/trainings/{training_id}/units")
def units_page(request: Request, training: PageTraining, db: DB, user: PagePlanner,
               done: str = "", n: int = 0) -> Response:
    """The training's units, their fill and their delegates."""
    return _page(request, db, training, user, message=done, count=max(0, n))


def _int(raw: str, field: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        raise FieldError(field, "Enter a whole number.", code="invalid")
    return int(raw)


def _date(raw: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FieldError("deadline", "Not a valid date.", code="invalid") from None


def _quota(raw: str) -> int:
    quota = _int(raw, "quota")
    if quota is None:
        raise FieldError("quota", "This field is required.", code="required")
    return training_units.check_quota(quota)


@router.post("/trainings/{training_id}/units")
def add_unit(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
             user: PagePlanner) -> Response:
    """Invite a unit (chosen from the register, or a new name) and show its first link."""
    data = form.values()

    def work() -> tuple[TrainingUnit, str]:
        unit_id = _int(data.get("unit_id", ""), "unit_id")
        kind = data.get("kind") or "kabupaten_kota"
        tu = training_units.add_unit(db, training, quota=_quota(data.get("quota", "")),
                                     deadline=_date(data.get("deadline", "")),
                                     unit_id=unit_id,
                                     name=None if unit_id else data.get("name"), kind=kind)
        raw, _link = links.issue(db, tu, user)
        return tu, links.url(public_base(request), raw)

    return submit(db, work, lambda fresh: _page(request, db, training, user, fresh=fresh),
                  lambda exc: _page(request, db, training, user, exc=exc, values=data))


@router.post("/trainings/{training_id}/units/remind")
def remind(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
           user: PagePlanner) -> Response:
    """Queue reminders to the units that lag (WhatsApp and/or email to the focal point)."""
    channel = form.get("channel") or "both"
    if channel not in reminders.CHANNEL_CHOICES:
        channel = "both"
    return submit(db, lambda: reminders.queue(db, training, public_base(request),
                                              channel=channel, user=user),
                  lambda done: _page(request, db, training, user, queued=done),
                  lambda exc: _page(request, db, training, user, exc=exc))


def _back(request: Request, training: Training, done: str, n: int = 0, anchor: str = ""
          ) -> Response:
    return redirect(request, f"/trainings/{training.id}/units?done={done}&n={n}{anchor}")


@router.post("/trainings/{training_id}/units/{training_unit_id}/edit")
def edit_unit(request: Request, found: PageTrainingUnit, form: SubmittedForm, db: DB,
              user: PagePlanner) -> Response:
    """Change a unit's quota and deadline."""
    tu, training = found
    data = form.values()

    def work() -> None:
        deadline = _date(data.get("deadline", ""))
        training_units.update_unit(db, training, tu, quota=_quota(data.get("quota", "")),
                                   deadline=deadline, clear_deadline=deadline is None)

    return submit(db, work, lambda _: _back(request, training, "saved", anchor=f"#tu-{tu.id}"),
                  lambda exc: _page(request, db, training, user, exc=exc))


@router.post("/trainings/{training_id}/units/{training_unit_id}/link")
def new_link(request: Request, found: PageTrainingUnit, db: DB, user: PagePlanner
             ) -> Response:
    """A new link for the unit (shown once); the earlier ones stop working."""
    tu, training = found

    def work() -> tuple[TrainingUnit, str]:
        raw, _link = links.issue(db, tu, user)
        return tu, links.url(public_base(request), raw)

    return submit(db, work, lambda fresh: _page(request, db, training, user, fresh=fresh),
                  lambda exc: _page(request, db, training, user, exc=exc))


@router.post("/trainings/{training_id}/units/{training_unit_id}/link/revoke")
def revoke_links(request: Request, found: PageTrainingUnit, db: DB, user: PagePlanner
                 ) -> Response:
    tu, training = found
    return submit(db, lambda: links.revoke(db, tu),
                  lambda n: _back(request, training, "revoked", n),
                  lambda exc: _page(request, db, training, user, exc=exc))


@router.post("/trainings/{training_id}/units/{training_unit_id}/delete")
def remove_unit(request: Request, found: PageTrainingUnit, db: DB, user: PagePlanner
                ) -> Response:
    tu, training = found
    return submit(db, lambda: training_units.remove_unit(db, tu),
                  lambda _: _back(request, training, "removed"),
                  lambda exc: _page(request, db, training, user, exc=exc))


@router.post("/trainings/{training_id}/units/{training_unit_id}/accept")
def accept_nominees(request: Request, found: PageTrainingUnit, form: SubmittedForm, db: DB,
                    user: PagePlanner) -> Response:
    """Accept one delegate (`nominee_id`) or all of the unit's ("Terima semua")."""
    tu, training = found
    one = form.get("nominee_id")

    def work() -> int:
        ids = [_int(one, "nominee_id") or 0] if one else None
        return accept.accept(db, training, tu, ids)

    return submit(db, work, lambda n: _back(request, training, "accepted", n,
                                            f"#tu-{tu.id}-people"),
                  lambda exc: _page(request, db, training, user, exc=exc))


@router.get("/trainings/{training_id}/units/{training_unit_id}/surat-tugas")
def download_surat_tugas(found: PageTrainingUnit, db: DB) -> Response:
    """The unit's surat tugas as uploaded."""
    letter = surat_tugas.get(db, found[0])
    return files.file_response(letter.data, letter.media_type, letter.name,
                               attachment=letter.media_type == "application/pdf",
                               fallback="surat-tugas")
