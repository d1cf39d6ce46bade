"""Pages: a training's participants: the list with its filters, adding one by hand,
correcting details, cancelling and moving between batches."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.i18n import N_
from service.i18n import gettext as _
from service.i18n.formats import fmt_phone
from service.models import Batch, Registration, Training, User
from service.routers.deps import PagePlanner, PageTraining
from service.routers.pages.forms import SubmittedForm, errors_by_field, parse, submit
from service.routers.pages.messages import CHANNEL_SHORT
from service.routers.pages.messages import STATUS_LABELS as MESSAGE_STATUS_LABELS
from service.routers.pages.rendering import redirect, render
from service.routers.urls import public_base
from service.schemas.participants import MoveRequest, RegistrationCreate
from service.services import kampung_kb, regions, ticket_delivery
from service.services import registrations as regs
from service.services.meetings import delegates
from service.services.messaging import log as message_log

router = APIRouter(include_in_schema=False)

STATUS_LABELS = {"confirmed": N_("Confirmed"), "waitlisted": N_("Waitlisted"),
                 "cancelled": N_("Cancelled")}
# Query parameters that carry the message after a redirect: registration ids, never
# names, so no personal data ends up in URLs, histories or access logs.
FLASH_KEYS = ("added", "updated", "cancelled", "promoted", "moved")
UNASSIGNED = "none"
FORM_FIELDS = ("nik", "nip", "name", "gender", "phone", "email", "category", "institution",
               "position", "rank", "village", "district", "regency", "province", "kampung_kb")


@dataclass(frozen=True)
class BatchView:
    id: int
    name: str
    start_date: date
    end_date: date
    capacity: int
    confirmed: int
    meeting_dates: list[str] | None = None

    @property
    def free(self) -> int:
        return max(self.capacity - self.confirmed, 0)


@dataclass(frozen=True)
class RowView:
    """One registration as the list shows it: plain data, NIK already masked."""

    id: int
    name: str
    category: str | None
    nik: str | None
    nip: str | None  # masked like the NIK
    phone: str | None
    village: str | None
    district: str | None
    regency: str | None
    position: str | None  # jabatan
    rank: str | None  # pangkat/golongan
    institution: str | None
    batch_id: int | None
    batch: str | None
    status: str
    ticket_url: str
    whatsapp_url: str | None
    # The newest message to this person (its state, channel and any reason it failed).
    last_message: message_log.LastState | None = None
    participant_id: int = 0  # the person's page: /people/{participant_id}


@dataclass(frozen=True)
class Filters:
    batch: str = ""  # "", a batch id, or UNASSIGNED
    status: str = ""
    q: str = ""
    page: int = 1
    regency: str = ""  # kabupaten/kota, as the list offers it
    position: str = ""  # jabatan
    unit: str = ""  # a unit's id (OPD, kecamatan), as the list offers it

    @property
    def active(self) -> bool:
        return bool(self.batch or self.status or self.q or self.regency or self.position
                    or self.unit)

    def service(self) -> regs.RegistrationFilter:
        return regs.RegistrationFilter(
            batch_id=_int(self.batch),
            status=self.status or None, q=self.q or None,
            unassigned=self.batch == UNASSIGNED, regency=self.regency or None,
            position=self.position or None, unit_id=_int(self.unit))

    def url(self, training_id: int, page: int | None = None) -> str:
        page = self.page if page is None else page
        query = [(k, v) for k, v in (("batch", self.batch), ("status", self.status),
                                     ("regency", self.regency), ("position", self.position),
                                     ("unit", self.unit), ("q", self.q)) if v]
        if page > 1:
            query.append(("page", str(page)))
        path = f"/trainings/{training_id}/registrations"
        return f"{path}?{urlencode(query)}" if query else path


def _batch_views(batches: list[Batch]) -> list[BatchView]:
    return [BatchView(b.id or 0, b.name, b.start_date, b.end_date, b.capacity,
                      b.confirmed_count, b.meeting_dates) for b in batches]


def _int(raw: str) -> int | None:
    # ASCII digits only ("²".isdigit() is true), and short enough for an INTEGER column.
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


def _offered(value: str, offered: list[str]) -> str:
    """The offered spelling of a chosen value, or "" for one the list does not offer."""
    wanted = " ".join(value.split()).casefold()
    return next((o for o in offered if o.casefold() == wanted), "") if wanted else ""


def _filters(params: Mapping[str, str], batch_ids: set[int],
             offered: Mapping[str, list[str]] | None = None) -> Filters:
    # Lenient: a hand-edited or stale URL shows the unfiltered list, never an error page.
    offered = offered or {}
    batch = params.get("batch", "")
    if batch != UNASSIGNED and _int(batch) not in batch_ids:
        batch = ""
    status = params.get("status", "")
    status = status if status in STATUS_LABELS else ""
    # The search itself drops control characters (list_registrations).
    q = params.get("q", "")[:100]
    page = min(max(_int(params.get("page", "")) or 1, 1), 100_000)
    return Filters(batch, status, q, page,
                   regency=_offered(params.get("regency", "")[:120], offered.get("regency", [])),
                   position=_offered(params.get("position", "")[:200],
                                     offered.get("position", [])),
                   unit=params.get("unit", "") if params.get("unit", "") in offered.get(
                       "unit", []) else "")


def _local(target: str | None) -> str | None:
    """A same-site path, or None: `next` must never send anyone to another site."""
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(ch) < 33 for ch in target) or urlsplit(target).netloc):
        return None
    return target


def _back(target: str | None, training_id: int, **flash: int) -> str:
    """Where a form goes after success: `next` (or the list), with the flash ids set."""
    parts = urlsplit(_local(target) or f"/trainings/{training_id}/registrations")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k not in FLASH_KEYS]
    query += [(k, str(v)) for k, v in flash.items()]
    path = quote(parts.path, safe="/%")
    return f"{path}?{urlencode(query)}" if query else path


def _flash(db: DB, training: Training, org_id: int, params: Mapping[str, str]
           ) -> dict[str, Any] | None:
    """The message after a redirect, rebuilt from the registrations the ids name."""
    rows: dict[str, regs.RegistrationRow] = {}
    for key in FLASH_KEYS:
        reg_id = _int(params.get(key, ""))
        if reg_id is None:
            continue
        try:
            reg, owner = regs.get_registration(db, org_id, reg_id)
        except DomainError:
            continue
        if owner.id == training.id:
            rows[key] = regs.registration_row(db, reg)
    if not rows:
        return None
    lines: list[str] = []
    if row := rows.get("added"):
        name = row.participant.name
        if row.registration.status == "confirmed" and row.batch:
            lines.append(_("{name} is registered and confirmed in {batch}.", name=name,
                           batch=row.batch.name))
        elif row.registration.status == "waitlisted":
            lines.append(_("{name} is registered and on the waitlist: there is no free seat "
                           "in the batches.", name=name))
        else:
            lines.append(_("{name} is registered.", name=name))
    if row := rows.get("updated"):
        lines.append(_("The details of {name} are saved.", name=row.participant.name))
    if row := rows.get("moved"):
        if row.batch:
            lines.append(_("{name} is now in {batch}.", name=row.participant.name,
                           batch=row.batch.name))
    if row := rows.get("cancelled"):
        lines.append(_("The registration of {name} is cancelled.", name=row.participant.name))
        promoted = rows.get("promoted")
        if promoted and promoted.batch:
            lines.append(_("{name} moves up from the waitlist into {batch}.",
                           name=promoted.participant.name, batch=promoted.batch.name))
        elif row.batch and not promoted:
            lines.append(_("Nobody was waiting: a seat in {batch} is free.",
                           batch=row.batch.name))
    return {"lines": lines, "add_another": "added" in rows} if lines else None


def _list_context(request: Request, db: DB, training: Training, org_id: int,
                  params: Mapping[str, str], row_errors: dict[int, str] | None = None,
                  with_flash: bool = True) -> dict[str, Any]:
    tid = training.id or 0
    batches = _batch_views(regs.batches_of(db, tid))
    offered = regs.filter_values(db, training)
    units_offered = delegates.training_units(db, training)
    offered["unit"] = [str(u.id) for u in units_offered]
    f = _filters(params, {b.id for b in batches}, offered)
    rows, total = regs.list_registrations(db, training, f.service(), f.page)
    pages = regs.page_count(total)
    if f.page > pages:
        f = replace(f, page=pages)
        rows, total = regs.list_registrations(db, training, f.service(), f.page)
    delivery = ticket_delivery.context(db, training)
    base = public_base(request)
    # One query for the page's people, however many.
    last = message_log.last_states(db, training, [r.registration.id or 0 for r in rows])
    views = [RowView(
        id=r.registration.id or 0, name=r.participant.name,
        category=r.category.name if r.category else None,
        nik=regs.mask_nik(r.participant.nik), nip=regs.mask_nip(r.participant.nip),
        phone=fmt_phone(r.participant.phone),
        village=r.participant.village, district=r.participant.district,
        regency=r.participant.regency, position=r.participant.position,
        rank=r.participant.rank, institution=r.participant.institution,
        batch_id=r.registration.batch_id, batch=r.batch.name if r.batch else None,
        status=r.registration.status, ticket_url=f"/t/{r.registration.ticket_token}",
        whatsapp_url=ticket_delivery.whatsapp_url(delivery, r, base),
        last_message=last.get(r.registration.id or 0),
        participant_id=r.registration.participant_id) for r in rows]
    counts = regs.status_counts(db, tid)
    return {
        "training": training, "batches": batches, "counts": counts,
        "has_any": sum(counts.values()) > 0, "rows": views, "total": total, "pages": pages,
        "filters": f, "current_list": f.url(tid),
        "prev_url": f.url(tid, f.page - 1) if f.page > 1 else None,
        "next_url": f.url(tid, f.page + 1) if f.page < pages else None,
        "status_labels": STATUS_LABELS, "unassigned": UNASSIGNED,
        "message_status_labels": MESSAGE_STATUS_LABELS, "channel_short": CHANNEL_SHORT,
        # The column is left out while nobody on the page has had a message: the list is
        # wide enough already.
        "with_messages": any(v.last_message for v in views),
        "offered": offered, "by_regency": regions.level(training) == "regency",
        "units_offered": units_offered,
        "row_errors": row_errors or {},
        "flash": _flash(db, training, org_id, params) if with_flash else None,
        "imported": _imported(db, training, org_id, params) if with_flash else None,
    }


def _imported(db: DB, training: Training, org_id: int, params: Mapping[str, str]
              ) -> dict[str, int] | None:
    """After an import (its redirect says how many rows): that number, and how many of
    the training's people name a Kampung KB the register cannot place, to map on
    /kampung-kb/unmatched."""
    count = _int(params.get("imported", ""))
    if count is None:
        return None
    return {"imported": count,
            "kkb_unmatched": kampung_kb.unlinked_in_training(db, org_id, training.id or 0)}


def _list_response(request: Request, db: DB, training: Training, org_id: int,
                   params: Mapping[str, str], row_errors: dict[int, str] | None = None,
                   status_code: int = 200) -> Response:
    # htmx restoring history after a reload asks with HX-Request too, but needs the page.
    fragment = bool(request.headers.get("hx-request")
                    and not request.headers.get("hx-history-restore-request"))
    ctx = _list_context(request, db, training, org_id, params, row_errors,
                        with_flash=row_errors is None and not fragment)
    response = render(request, "registrations/list.html", ctx, status_code,
                      block="table" if fragment else None)
    response.headers["Vary"] = "HX-Request"
    if fragment and request.method == "GET":
        # The address bar shows the tidy URL (no empty q=&batch=), page 1 left out.
        response.headers["HX-Push-Url"] = ctx["current_list"]
    return response


def _params_of(target: str | None, training_id: int) -> dict[str, str]:
    """The list filters inside a `next` URL, when it points at this training's list."""
    local = _local(target)
    if not local:
        return {}
    parts = urlsplit(local)
    if parts.path != f"/trainings/{training_id}/registrations":
        return {}
    return {k: v for k, v in parse_qsl(parts.query) if k not in FLASH_KEYS}


@router.get("/trainings/{training_id}/registrations")
def list_page(request: Request, training: PageTraining, db: DB, user: PagePlanner) -> Response:
    """The participants of a training; for htmx only the table (filters, pages)."""
    return _list_response(request, db, training, user.organization_id,
                          dict(request.query_params))


# --- adding and correcting -------------------------------------------------------------

def _form_errors(exc: DomainError, values: Mapping[str, Any]) -> dict[str, str]:
    errors = errors_by_field(exc)
    if exc.code == "already_registered":
        # Say it beside what identifies the person, too.
        errors["nik" if values.get("nik") else "name"] = exc.text()
    elif exc.code == "category_full":
        errors["category"] = exc.text()
    return errors


def _form_page(request: Request, db: DB, training: Training, values: Mapping[str, Any],
               exc: DomainError | None = None, row: regs.RegistrationRow | None = None,
               next_url: str | None = None, nik_on_file: str | None = None,
               nip_on_file: str | None = None) -> Response:
    tid = training.id or 0
    return render(request, "registrations/form.html", {
        "training": training, "values": values,
        "errors": _form_errors(exc, values) if exc else {},
        "categories": [c.name for c in regs.categories_of(db, tid)],
        "batches": _batch_views(regs.batches_of(db, tid)),
        "units": delegates.unit_names(db, training),
        "reg": {"id": row.registration.id, "status": row.registration.status,
                "batch": row.batch.name if row.batch else None,
                "ticket_url": f"/t/{row.registration.ticket_token}"} if row else None,
        "status_labels": STATUS_LABELS, "next": _local(next_url) or "",
        "nik_on_file": nik_on_file, "nip_on_file": nip_on_file,
        "list_url": _local(next_url) or f"/trainings/{tid}/registrations",
    }, exc.status if exc else 200)


def _parse(data: Mapping[str, Any]) -> RegistrationCreate:
    return parse(RegistrationCreate, dict(data))


def _values(data: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(data.get(k) or "") for k in (*FORM_FIELDS, "batch_id", "unit")}


@router.get("/trainings/{training_id}/registrations/new")
def new_page(request: Request, training: PageTraining, db: DB) -> Response:
    """The form to register one participant by hand."""
    return _form_page(request, db, training, {})


@router.post("/trainings/{training_id}/registrations")
def create(request: Request, training: PageTraining, form: SubmittedForm, db: DB) -> Response:
    """Register one participant: a seat in a batch, else the waitlist."""
    data = form.values()

    def work() -> Registration:
        parsed = _parse(data)
        reg = regs.register(db, training, parsed.raw(), parsed.batch_id)
        return delegates.set_unit_named(db, reg, training, data.get("unit", ""))

    return submit(db, work,
                  lambda reg: redirect(request, _back(None, training.id or 0, added=reg.id or 0)),
                  lambda exc: _form_page(request, db, training, _values(data), exc))


def _may_see_nik(user: User) -> bool:
    # Only admins see a NIK in full (UU PDP); the committee sees the last four digits.
    return user.role == "admin"


@router.get("/registrations/{registration_id}/edit")
def edit_page(request: Request, registration_id: int, db: DB, user: PagePlanner,
              next: str | None = None) -> Response:
    """The form to correct a participant's details."""
    reg, training = regs.get_registration(db, user.organization_id, registration_id)
    row = regs.registration_row(db, reg)
    person = row.participant
    values = {k: str(getattr(person, k) or "") for k in FORM_FIELDS if k != "category"}
    values["phone"] = fmt_phone(person.phone) or ""
    values["category"] = row.category.name if row.category else ""
    values["unit"] = delegates.unit_name(db, reg)
    on_file = nip_on_file = None
    if not _may_see_nik(user):
        values["nik"], on_file = "", regs.mask_nik(person.nik)
        values["nip"], nip_on_file = "", regs.mask_nip(person.nip)
    return _form_page(request, db, training, values, row=row, next_url=next,
                      nik_on_file=on_file, nip_on_file=nip_on_file)


@router.post("/registrations/{registration_id}/edit")
def update(request: Request, registration_id: int, form: SubmittedForm, db: DB,
           user: PagePlanner) -> Response:
    """Save corrected details."""
    reg, training = regs.get_registration(db, user.organization_id, registration_id)
    data = form.values()
    person = regs.registration_row(db, reg).participant
    nik = person.nik
    on_file = None if _may_see_nik(user) else regs.mask_nik(nik)
    # An empty NIP box keeps the NIP on file (the service's rule, as for the NIK).
    nip_on_file = None if _may_see_nik(user) else regs.mask_nip(person.nip)

    def work() -> None:
        raw = _parse(data).raw()
        if on_file and not raw.get("nik"):
            # An empty box means "keep the NIK on file", which this user cannot see.
            raw["nik"] = nik
        regs.update_registration(db, training, reg, raw)
        delegates.set_unit_named(db, reg, training, data.get("unit", ""))

    return submit(db, work,
                  lambda _: redirect(request, _back(data.get("next"), training.id or 0,
                                                    updated=reg.id or 0)),
                  lambda exc: _form_page(request, db, training, _values(data), exc,
                                         regs.registration_row(db, reg), data.get("next"),
                                         on_file, nip_on_file))


# --- cancelling and moving ---------------------------------------------------------------

@router.post("/registrations/{registration_id}/cancel")
def cancel(request: Request, registration_id: int, form: SubmittedForm, db: DB,
           user: PagePlanner) -> Response:
    """Cancel a registration; the first on the waitlist takes the freed seat."""
    reg, training = regs.get_registration(db, user.organization_id, registration_id)
    promoted = regs.cancel(db, reg)
    flash = {"cancelled": reg.id or 0}
    if promoted is not None:
        flash["promoted"] = promoted.id or 0
    return redirect(request, _back(form.get("next") or None, training.id or 0, **flash))


@router.post("/registrations/{registration_id}/move")
def move(request: Request, registration_id: int, form: SubmittedForm, db: DB,
         user: PagePlanner) -> Response:
    """Put a registration into another batch; a full batch is refused beside the row."""
    reg, training = regs.get_registration(db, user.organization_id, registration_id)
    data = form.values()

    def refused(exc: DomainError) -> Response:
        message = next(iter(errors_by_field(exc).values()), exc.text())
        return _list_response(request, db, training, user.organization_id,
                              _params_of(data.get("next"), training.id or 0),
                              {reg.id or 0: message}, exc.status)

    return submit(db, lambda: regs.move(db, training, reg, parse(MoveRequest, data).batch_id),
                  lambda _: redirect(request, _back(data.get("next"), training.id or 0,
                                                    moved=reg.id or 0)),
                  refused)
