"""A province office's read-only view of the offices that share their aggregates with it,
and an office's own sharing with province offices."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from service.db import DB
from service.routers.deps import ApiAdmin, ApiPlanner
from service.schemas.province import (
    OfficeDetailRead,
    ProvinceChoiceRead,
    ProvinceOfficesRead,
    ShareIn,
    SharingRead,
    detail_read,
    province_read,
    sharing_read,
)
from service.services.province import figures, sharing

router = APIRouter(prefix="/api", tags=["province"])

Year = Annotated[int | None, Query(ge=1945, le=2100)]


@router.get("/province/offices")
def province_offices(db: DB, user: ApiPlanner, year: Year = None) -> ProvinceOfficesRead:
    """For a province office: one row of aggregates per office sharing with it, and their
    total (403 not_province for any other organization). Counts only, never a person."""
    return province_read(figures.province_view(db, user.organization_id, year))


@router.get("/province/offices/{organization_id}")
def province_office(organization_id: int, db: DB, user: ApiPlanner,
                    year: Year = None) -> OfficeDetailRead:
    """One sharing office per year and training, and its coverage per kecamatan (404
    office_not_shared when it does not share with this province)."""
    return detail_read(figures.office_detail(db, user.organization_id, organization_id,
                                             year))


@router.get("/province-sharing")
def get_sharing(db: DB, user: ApiPlanner) -> SharingRead:
    """The province offices, and whether this office shares its aggregates with each."""
    return sharing_read(sharing.choices(db, user.organization_id))


@router.post("/province-sharing", status_code=201)
def share(data: ShareIn, db: DB, admin: ApiAdmin) -> ProvinceChoiceRead:
    """Share this office's aggregates with a province office (admins; asked again, the
    agreement already there stays)."""
    sharing.share(db, admin.organization_id, data.province_id, admin)
    chosen = next(c for c in sharing.choices(db, admin.organization_id)
                  if c.province_id == data.province_id)
    return sharing_read([chosen]).items[0]


@router.delete("/province-sharing/{province_id}", status_code=204)
def withdraw(province_id: int, db: DB, admin: ApiAdmin) -> Response:
    """Stop sharing with a province office (404 not_shared when this office does not)."""
    sharing.withdraw(db, admin.organization_id, province_id)
    return Response(status_code=204)
