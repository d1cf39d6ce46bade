"""Pages: the organization's units register (OPD, kecamatan, kabupaten/kota, Kampung KB)
with each unit's focal point."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.models import OrgUnit
from service.models.units import UNIT_KINDS
from service.routers.deps import PagePlanner
from service.routers.pages.forms import SubmittedForm, parse, render_form, submit
from service.routers.pages.rendering import redirect
from service.schemas.meetings import UnitIn
from service.services import units

router = APIRouter(include_in_schema=False)


def page_unit(unit_id: int, user: PagePlanner, db: DB) -> OrgUnit:
    return units.get_unit(db, user.organization_id, unit_id)


PageUnit = Annotated[OrgUnit, Depends(page_unit)]


def _list_page(request: Request, db: DB, user: Any, values: dict[str, Any] | None = None,
               exc: DomainError | None = None) -> Response:
    admin = user.role == "admin"
    used = units.units_in_use(db, user.organization_id)
    rows = [(u, units.shown_phone(u, admin), u.id in used)
            for u in units.list_units(db, user.organization_id)]
    return render_form(request, "units/list.html", {
        "rows": rows, "kinds": UNIT_KINDS, "values": values or {"kind": "opd"},
        "admin_view": admin}, exc)


@router.get("/units")
def units_page(request: Request, db: DB, user: PagePlanner) -> Response:
    """The register of units with their focal points, and a form for a new one."""
    return _list_page(request, db, user)


def _save(db: DB, user: Any, data: dict[str, Any], unit: OrgUnit | None) -> OrgUnit:
    clean = parse(UnitIn, data)
    fields = {"focal_name": clean.focal_name, "focal_phone": clean.focal_phone,
              "focal_email": clean.focal_email}
    if unit is None:
        return units.create_unit(db, user.organization_id, clean.name, clean.kind, **fields)
    return units.update_unit(db, unit, clean.name, clean.kind, **fields)


@router.post("/units")
def create(request: Request, form: SubmittedForm, db: DB, user: PagePlanner) -> Response:
    data = form.values()
    return submit(db, lambda: _save(db, user, data, None),
                  lambda unit: redirect(request, f"/units#unit-{unit.id}"),
                  lambda exc: _list_page(request, db, user, data, exc))


def _edit_page(request: Request, unit: OrgUnit, values: dict[str, Any], admin: bool,
               exc: DomainError | None = None) -> Response:
    return render_form(request, "units/form.html", {
        "unit": unit, "values": values, "kinds": UNIT_KINDS, "admin": admin}, exc)


@router.get("/units/{unit_id}/edit")
def edit_page(request: Request, unit: PageUnit, user: PagePlanner) -> Response:
    """A unit's name, kind and focal point (the whole phone only for admins to see)."""
    admin = user.role == "admin"
    return _edit_page(request, unit, {
        "name": unit.name, "kind": unit.kind, "focal_name": unit.focal_name,
        "focal_phone": unit.focal_phone if admin else "", "focal_email": unit.focal_email},
        admin)


@router.post("/units/{unit_id}/edit")
def update(request: Request, unit: PageUnit, form: SubmittedForm, db: DB,
           user: PagePlanner) -> Response:
    data = form.values()
    admin = user.role == "admin"
    if not admin and not data.get("focal_phone", "").strip():
        # A committee member never sees the number: left empty, it stays as it was.
        data["focal_phone"] = unit.focal_phone
    return submit(db, lambda: _save(db, user, data, unit),
                  lambda done: redirect(request, f"/units#unit-{done.id}"),
                  lambda exc: _edit_page(request, unit, data, admin, exc))


@router.post("/units/{unit_id}/delete")
def delete(request: Request, unit: PageUnit, db: DB, user: PagePlanner) -> Response:
    return submit(db, lambda: units.delete_unit(db, unit),
                  lambda _none: redirect(request, "/units"),
                  lambda exc: _list_page(request, db, user, exc=exc))
