"""The organization's units register (OPD, kecamatan, kabupaten/kota, Kampung KB)."""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from service.db import DB
from service.models import OrgUnit
from service.routers.deps import ApiPlanner
from service.schemas.meetings import UnitIn, UnitList, UnitPatch, UnitRead, unit_read
from service.services import units

router = APIRouter(prefix="/api", tags=["units"])


def api_unit(unit_id: int, user: ApiPlanner, db: DB) -> OrgUnit:
    return units.get_unit(db, user.organization_id, unit_id)


ApiUnit = Annotated[OrgUnit, Depends(api_unit)]


@router.get("/units")
def list_units(db: DB, user: ApiPlanner) -> UnitList:
    """The register by name; the focal point's phone whole for admins only."""
    used = units.units_in_use(db, user.organization_id)
    items = [unit_read(u, user.role == "admin", u.id in used)
             for u in units.list_units(db, user.organization_id)]
    return UnitList(items=items, total=len(items))


@router.post("/units", status_code=201)
def create_unit(data: UnitIn, db: DB, user: ApiPlanner) -> UnitRead:
    """Add a unit; 422 `duplicate` when the name is taken."""
    unit = units.create_unit(db, user.organization_id, data.name, data.kind,
                             focal_name=data.focal_name, focal_phone=data.focal_phone,
                             focal_email=data.focal_email)
    return unit_read(unit, user.role == "admin")


@router.patch("/units/{unit_id}")
def update_unit(unit: ApiUnit, data: UnitPatch, db: DB, user: ApiPlanner) -> UnitRead:
    """Change what is sent of a unit's name, kind and focal point."""
    sent = data.model_dump(exclude_unset=True, exclude_none=True)
    current = {"focal_name": unit.focal_name, "focal_phone": unit.focal_phone,
               "focal_email": unit.focal_email}
    current.update({k: v for k, v in sent.items() if k in current})
    done = units.update_unit(db, unit, sent.get("name", unit.name), sent.get("kind", unit.kind),
                             **current)
    return unit_read(done, user.role == "admin")


@router.delete("/units/{unit_id}", status_code=204)
def delete_unit(unit: ApiUnit, db: DB) -> Response:
    """Delete a unit nothing names; 409 `unit_in_use` otherwise."""
    units.delete_unit(db, unit)
    return Response(status_code=204)
