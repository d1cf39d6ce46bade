"""Pages: a province office's read-only table of the offices that share their aggregates
with it (and one office's detail); an office's sharing with province offices; the
superuser marking an organization as a province office."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError, FieldError
from service.i18n import N_
from service.i18n.formats import fmt_number, fmt_percent
from service.models.kampung_kb import POKTAN
from service.routers.deps import PageAdmin, PagePlanner, PageSuperuser
from service.routers.pages.forms import SubmittedForm, render_form, submit
from service.routers.pages.rendering import redirect, render, render_error
from service.services import offices
from service.services.coverage import GROUPS, OTHER
from service.services.province import figures, sharing

router = APIRouter(include_in_schema=False)

# A filter as a GET form sends it: "" when left empty.
Filter = Annotated[str, Query(max_length=20)]


def _year(text: str) -> int | None:
    """The year filter of a GET form: "" is every year."""
    when = text.strip()
    if not when:
        return None
    if not (when.isdigit() and 1945 <= int(when) <= 2100):
        raise FieldError("year", N_("Not a valid year (1945 to 2100)."), code="invalid_year")
    return int(when)


def _common(year: int | None) -> dict[str, Any]:
    return {"num": fmt_number, "pct": fmt_percent, "poktan": POKTAN, "groups": GROUPS,
            "other": OTHER, "year": year, "year_query": f"?year={year}" if year else ""}


@router.get("/province")
def province_page(request: Request, db: DB, user: PagePlanner, year: Filter = "") -> Response:
    """The offices sharing their aggregates with this province office, in one table."""
    when = _year(year)
    view = figures.province_view(db, user.organization_id, when)
    most = max((o.figures.people_trained for o in view.offices), default=0)
    return render(request, "province/offices.html", {
        **_common(when), "view": view, "most": most})


@router.get("/province/offices/{organization_id}")
def office_page(request: Request, organization_id: int, db: DB, user: PagePlanner,
                year: Filter = "") -> Response:
    """One sharing office: per year and training, and coverage per kecamatan."""
    when = _year(year)
    detail = figures.office_detail(db, user.organization_id, organization_id, when)
    return render(request, "province/office.html", {**_common(when), "d": detail})


# --- an office's sharing -----------------------------------------------------------------

def _sharing_page(request: Request, db: DB, user: PagePlanner,
                  exc: DomainError | None = None, done: str = "") -> Response:
    return render_form(request, "province/sharing.html", {
        "choices": sharing.choices(db, user.organization_id),
        "is_province": sharing.is_province(db, user.organization_id), "done": done}, exc)


@router.get("/province-sharing")
def sharing_page(request: Request, db: DB, user: PagePlanner, done: Filter = "") -> Response:
    """The province offices, and whether this office shares its aggregates with each."""
    return _sharing_page(request, db, user, done=done if done in ("shared", "stopped") else "")


@router.post("/province-sharing")
def share(request: Request, form: SubmittedForm, db: DB, admin: PageAdmin) -> Response:
    """Share this office's aggregates with the chosen province office."""
    chosen = form.get("province_id").strip()

    def work() -> None:
        if not chosen.isdigit():
            raise sharing.ProvinceNotFound()
        sharing.share(db, admin.organization_id, int(chosen), admin)

    return submit(db, work, lambda _none: redirect(request, "/province-sharing?done=shared"),
                  lambda exc: _sharing_page(request, db, admin, exc))


@router.post("/province-sharing/{province_id}/stop")
def stop_sharing(request: Request, province_id: int, form: SubmittedForm, db: DB,
                 admin: PageAdmin) -> Response:
    """Stop sharing with a province office: it sees nothing of this office from now on."""
    return submit(db, lambda: sharing.withdraw(db, admin.organization_id, province_id),
                  lambda _none: redirect(request, "/province-sharing?done=stopped"),
                  lambda exc: _sharing_page(request, db, admin, exc))


# --- the superuser -------------------------------------------------------------------------

@router.post("/offices/{organization_id}/kind")
def set_kind(request: Request, organization_id: int, form: SubmittedForm, db: DB,
             _superuser: PageSuperuser) -> Response:
    """Mark an office as a province office (BKKBN Perwakilan), or as an ordinary one."""
    org = offices.get_office(db, organization_id)
    kind = form.get("kind")
    return submit(db, lambda: sharing.set_kind(db, org, kind),
                  lambda _org: redirect(request, f"/offices#office-{organization_id}"),
                  lambda exc: render_error(request, exc.status, exc.payload()))
