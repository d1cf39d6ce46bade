"""The Kampung KB register, linking participants to it, and coverage by trained cadres."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import Response

from service.db import DB
from service.models import KampungKB, Organization
from service.rendering.coverage_pdf import render_coverage_pdf
from service.rendering.roster_sheets import roster_xlsx
from service.routers import files
from service.routers.deps import ApiPlanner
from service.schemas.kampung_kb import (
    CoverageRead,
    ImportResult,
    KampungKBCreate,
    KampungKBList,
    KampungKBRead,
    KampungKBUpdate,
    MappingIn,
    MatchResult,
    TargetIn,
    UnmatchedItem,
    UnmatchedList,
    coverage_read,
    kampung_kb_read,
)
from service.services import coverage, coverage_doc, kampung_kb

router = APIRouter(prefix="/api", tags=["kampung_kb"])

ProgramId = Annotated[int | None, Query(ge=1, le=2**63 - 1)]
Year = Annotated[int | None, Query(ge=1945, le=2100)]


def api_kampung_kb(kkb_id: int, user: ApiPlanner, db: DB) -> KampungKB:
    return kampung_kb.get_kampung_kb(db, user.organization_id, kkb_id)


ApiKampungKB = Annotated[KampungKB, Depends(api_kampung_kb)]


@router.get("/kampung-kb")
def list_register(db: DB, user: ApiPlanner) -> KampungKBList:
    """The organization's Kampung KB register, by kecamatan and kelurahan."""
    items = [kampung_kb_read(k) for k in kampung_kb.list_register(db, user.organization_id)]
    return KampungKBList(items=items, total=len(items),
                         target=kampung_kb.target_of(db, user.organization_id))


@router.post("/kampung-kb", status_code=201)
def create(data: KampungKBCreate, db: DB, user: ApiPlanner) -> KampungKBRead:
    """Add a Kampung KB; participants naming it are linked to it."""
    return kampung_kb_read(kampung_kb.create_kampung_kb(db, user.organization_id, data))


@router.post("/kampung-kb/import")
def import_register(db: DB, user: ApiPlanner,
                    file: Annotated[UploadFile, File()]) -> ImportResult:
    """Import the register from .xlsx or .csv: every row or none (422
    register_rows_invalid lists each bad row); an entry already there is updated."""
    done = kampung_kb.import_register(db, user.organization_id, file.file.read(),
                                      file.filename or "")
    return ImportResult(created=done.created, updated=done.updated, linked=done.linked)


@router.post("/kampung-kb/match")
def match(db: DB, user: ApiPlanner) -> MatchResult:
    """Link participants to the register by their Kampung KB text (and kelurahan)."""
    return MatchResult(linked=kampung_kb.match_participants(db, user.organization_id))


@router.get("/kampung-kb/unmatched")
def unmatched(db: DB, user: ApiPlanner) -> UnmatchedList:
    """Kampung KB texts of participants that name no single register entry."""
    return UnmatchedList(items=[UnmatchedItem(text=u.text, participants=u.participants)
                                for u in kampung_kb.unmatched(db, user.organization_id)])


@router.post("/kampung-kb/map")
def map_text(data: MappingIn, db: DB, user: ApiPlanner) -> MatchResult:
    """Link every unlinked participant with this Kampung KB text to the chosen entry."""
    return MatchResult(linked=kampung_kb.map_text(db, user.organization_id, data.text,
                                                  data.kampung_kb_id))


@router.put("/kampung-kb-target")
def set_target(data: TargetIn, db: DB, user: ApiPlanner) -> dict[str, int | None]:
    """How many Kampung KB the office aims at (Padang: 104)."""
    org = kampung_kb.set_target(db, user.organization_id, data.target)
    return {"target": org.kampung_kb_target}


@router.put("/kampung-kb/{kkb_id}")
def update(kkb: ApiKampungKB, data: KampungKBUpdate, db: DB) -> KampungKBRead:
    """Change a Kampung KB's name, kelurahan, kecamatan, year or poktan."""
    return kampung_kb_read(kampung_kb.update_kampung_kb(db, kkb, data))


@router.delete("/kampung-kb/{kkb_id}", status_code=204)
def delete(kkb: ApiKampungKB, db: DB) -> Response:
    """Remove a Kampung KB; its participants keep their text, unmatched."""
    kampung_kb.delete_kampung_kb(db, kkb)
    return Response(status_code=204)


@router.get("/coverage")
def get_coverage(db: DB, user: ApiPlanner, program_id: ProgramId = None,
                 year: Year = None) -> CoverageRead:
    """Trained cadres per Kampung KB and kecamatan for each poktan, the poktan without any,
    and the register against the target."""
    return coverage_read(coverage.coverage(db, user.organization_id, program_id, year))


@router.get("/coverage.xlsx")
def coverage_xlsx(db: DB, user: ApiPlanner, program_id: ProgramId = None,
                  year: Year = None) -> Response:
    """The coverage table per Kampung KB as a spreadsheet."""
    cov = coverage.coverage(db, user.organization_id, program_id, year)
    org = db.get(Organization, user.organization_id)
    return files.xlsx(roster_xlsx(coverage.sheet(cov, org.name if org else "")),
                      "cakupan-kampung-kb.xlsx")


@router.get("/coverage.pdf")
def coverage_pdf(db: DB, user: ApiPlanner, program_id: ProgramId = None,
                 year: Year = None) -> Response:
    """The coverage per kecamatan with its chart, the register against the target and the
    Kampung KB nobody has been trained from, as a PDF."""
    cov = coverage.coverage(db, user.organization_id, program_id, year)
    doc = coverage_doc.coverage_doc(db, user.organization_id, cov, date.today())
    return files.pdf(render_coverage_pdf(doc), coverage_doc.filename(cov), attachment=True)
