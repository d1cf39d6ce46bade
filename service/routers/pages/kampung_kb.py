"""Pages: the Kampung KB register (by hand or imported), mapping participants' Kampung KB
texts to it, and the coverage of its poktan by trained cadres."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError, FieldError, NotFound
from service.i18n.formats import fmt_number, fmt_percent
from service.models import KampungKB, Organization
from service.models.kampung_kb import POKTAN
from service.rendering.coverage_pdf import render_coverage_pdf
from service.rendering.roster_sheets import roster_xlsx
from service.routers import files
from service.routers.deps import PagePlanner
from service.routers.pages.forms import SubmittedForm, parse, render_form, submit
from service.routers.pages.rendering import redirect
from service.schemas.kampung_kb import KampungKBCreate, MappingIn, TargetIn, poktan_names
from service.services import coverage, coverage_doc, kampung_kb, programs
from service.services.kampung_kb import RegisterRowsRefused

router = APIRouter(include_in_schema=False)

Count = Annotated[int | None, Query(ge=0, le=1_000_000)]
# A filter as a GET form sends it: "" when left empty.
Filter = Annotated[str, Query(max_length=20)]


def page_kampung_kb(kkb_id: int, user: PagePlanner, db: DB) -> KampungKB:
    return kampung_kb.get_kampung_kb(db, user.organization_id, kkb_id)


PageKampungKB = Annotated[KampungKB, Depends(page_kampung_kb)]


def _form_values(data: dict[str, Any], poktan: list[str]) -> dict[str, Any]:
    return {**data, "poktan": poktan}


# --- the register ----------------------------------------------------------------------------

def _register_page(request: Request, db: DB, user: PagePlanner,
                   values: dict[str, Any] | None = None, exc: DomainError | None = None,
                   import_exc: DomainError | None = None,
                   done: dict[str, int] | None = None) -> Response:
    org_id = user.organization_id
    context = {
        "register": kampung_kb.list_register(db, org_id), "poktan_names": poktan_names,
        "all_poktan": POKTAN, "target": kampung_kb.target_of(db, org_id),
        "unmatched": len(kampung_kb.unmatched(db, org_id)), "values": values or {"poktan": []},
        "import_error": import_exc,
        "import_rows": import_exc.rows if isinstance(import_exc, RegisterRowsRefused) else [],
        "done": done or {}}
    return render_form(request, "kampung_kb/register.html", context, exc or import_exc)


@router.get("/kampung-kb")
def register_page(request: Request, db: DB, user: PagePlanner, created: Count = None,
                  updated: Count = None, linked: Count = None) -> Response:
    """The register, a form for a new entry, the import and the target."""
    done = {k: v for k, v in (("created", created), ("updated", updated), ("linked", linked))
            if v is not None}
    return _register_page(request, db, user, done=done)


@router.post("/kampung-kb")
def create(request: Request, form: SubmittedForm, db: DB, user: PagePlanner) -> Response:
    data = form.values()
    data["poktan"] = form.getlist("poktan")
    return submit(db, lambda: kampung_kb.create_kampung_kb(db, user.organization_id,
                                                           parse(KampungKBCreate, data)),
                  lambda _kkb: redirect(request, "/kampung-kb#register"),
                  lambda exc: _register_page(request, db, user, data, exc))


@router.post("/kampung-kb/import")
def import_register(request: Request, form: SubmittedForm, db: DB,
                    user: PagePlanner) -> Response:
    """Import the register from a spreadsheet: every row or none."""
    file = form.file("file")

    def work() -> kampung_kb.ImportSummary:
        if file is None:
            raise FieldError("file", "Choose a file to upload.", code="no_file")
        return kampung_kb.import_register(db, user.organization_id, file.file.read(),
                                          file.filename or "")

    return submit(db, work, lambda s: redirect(
        request, f"/kampung-kb?created={s.created}&updated={s.updated}&linked={s.linked}"),
        lambda exc: _register_page(request, db, user, import_exc=exc))


@router.post("/kampung-kb/target")
def set_target(request: Request, form: SubmittedForm, db: DB, user: PagePlanner) -> Response:
    data = form.values()
    return submit(db, lambda: kampung_kb.set_target(db, user.organization_id,
                                                    parse(TargetIn, data).target),
                  lambda _org: redirect(request, "/kampung-kb"),
                  lambda exc: _register_page(request, db, user, exc=exc))


@router.post("/kampung-kb/match")
def match(request: Request, db: DB, user: PagePlanner) -> Response:
    """Link participants to the register by their Kampung KB text."""
    return submit(db, lambda: kampung_kb.match_participants(db, user.organization_id),
                  lambda n: redirect(request, f"/kampung-kb/unmatched?linked={n}"),
                  lambda exc: _register_page(request, db, user, exc=exc))


def _edit_page(request: Request, kkb: KampungKB, values: dict[str, Any],
               exc: DomainError | None = None) -> Response:
    return render_form(request, "kampung_kb/form.html", {
        "kkb": kkb, "values": values, "all_poktan": POKTAN}, exc)


@router.get("/kampung-kb/{kkb_id}/edit")
def edit_page(request: Request, kkb: PageKampungKB) -> Response:
    return _edit_page(request, kkb, {
        "name": kkb.name, "village": kkb.village, "district": kkb.district,
        "year_formed": kkb.year_formed or "", "poktan": poktan_names(kkb.poktan)})


@router.post("/kampung-kb/{kkb_id}/edit")
def update(request: Request, kkb: PageKampungKB, form: SubmittedForm, db: DB) -> Response:
    data = form.values()
    data["poktan"] = form.getlist("poktan")
    return submit(db, lambda: kampung_kb.update_kampung_kb(db, kkb, parse(KampungKBCreate, data)),
                  lambda _kkb: redirect(request, "/kampung-kb#register"),
                  lambda exc: _edit_page(request, kkb, data, exc))


@router.post("/kampung-kb/{kkb_id}/delete")
def delete(request: Request, kkb: PageKampungKB, db: DB, user: PagePlanner) -> Response:
    return submit(db, lambda: kampung_kb.delete_kampung_kb(db, kkb),
                  lambda _none: redirect(request, "/kampung-kb#register"),
                  lambda exc: _register_page(request, db, user, exc=exc))


# --- texts that match no entry -----------------------------------------------------------------

def _unmatched_page(request: Request, db: DB, user: PagePlanner, linked: int | None = None,
                    values: dict[str, Any] | None = None,
                    exc: DomainError | None = None) -> Response:
    org_id = user.organization_id
    return render_form(request, "kampung_kb/unmatched.html", {
        "unmatched": kampung_kb.unmatched(db, org_id),
        "register": kampung_kb.list_register(db, org_id), "linked": linked,
        "values": values or {}}, exc)


@router.get("/kampung-kb/unmatched")
def unmatched_page(request: Request, db: DB, user: PagePlanner,
                   linked: Count = None) -> Response:
    """Participants' Kampung KB texts that name no single register entry, to map."""
    return _unmatched_page(request, db, user, linked)


@router.post("/kampung-kb/unmatched")
def map_text(request: Request, form: SubmittedForm, db: DB, user: PagePlanner) -> Response:
    data = form.values()

    def work() -> int:
        wanted = parse(MappingIn, data)
        return kampung_kb.map_text(db, user.organization_id, wanted.text, wanted.kampung_kb_id)

    return submit(db, work, lambda n: redirect(request, f"/kampung-kb/unmatched?linked={n}"),
                  lambda exc: _unmatched_page(request, db, user, values=data, exc=exc))


# --- coverage ------------------------------------------------------------------------------

def _filters(program_id: str, year: str) -> tuple[int | None, int | None]:
    """The filters of the coverage page's GET form: "" is no filter."""
    program, when = program_id.strip(), year.strip()
    if program and not program.isdigit():
        raise NotFound("Programme not found.")
    if when and not (when.isdigit() and 1945 <= int(when) <= 2100):
        raise FieldError("year", "Not a valid year (1945 to 2100).", code="invalid_year")
    return (int(program) if program and int(program) <= 2**63 - 1 else None,
            int(when) if when else None)


@router.get("/coverage")
def coverage_page(request: Request, db: DB, user: PagePlanner, program_id: Filter = "",
                  year: Filter = "") -> Response:
    """Trained cadres per Kampung KB and kecamatan for each poktan, against the target."""
    pid, when = _filters(program_id, year)
    cov = coverage.coverage(db, user.organization_id, pid, when)
    return render_form(request, "kampung_kb/coverage.html", {
        "cov": cov, "groups": coverage.GROUPS, "other": coverage.OTHER,
        "programs": programs.list_programs(db, user.organization_id),
        "program_id": pid, "year": when, "num": fmt_number, "pct": fmt_percent,
        "export_query": "&".join(f"{k}={v}" for k, v in (("program_id", pid), ("year", when))
                          if v is not None)})


@router.get("/coverage.xlsx")
def coverage_xlsx(db: DB, user: PagePlanner, program_id: Filter = "",
                  year: Filter = "") -> Response:
    """The coverage table per Kampung KB as a spreadsheet."""
    pid, when = _filters(program_id, year)
    cov = coverage.coverage(db, user.organization_id, pid, when)
    org = db.get(Organization, user.organization_id)
    return files.xlsx(roster_xlsx(coverage.sheet(cov, org.name if org else "")),
                      "cakupan-kampung-kb.xlsx")


@router.get("/coverage.pdf")
def coverage_pdf(db: DB, user: PagePlanner, program_id: Filter = "",
                 year: Filter = "") -> Response:
    """The coverage per kecamatan, with its chart and the Kampung KB nobody has been
    trained from, as a PDF to print."""
    pid, when = _filters(program_id, year)
    cov = coverage.coverage(db, user.organization_id, pid, when)
    doc = coverage_doc.coverage_doc(db, user.organization_id, cov, date.today())
    return files.pdf(render_coverage_pdf(doc), coverage_doc.filename(cov), attachment=True)
