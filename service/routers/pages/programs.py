"""Pages: the programmes, one programme's stages and people, carrying people onwards."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.i18n import get_locale
from service.i18n.formats import MONTHS, fmt_number, fmt_percent
from service.models import Program
from service.routers.deps import PagePlanner
from service.routers.pages.forms import SubmittedForm, parse, render_form, submit
from service.routers.pages.rendering import redirect
from service.schemas.programs import CarryIn, ProgramCreate
from service.services import programs

router = APIRouter(include_in_schema=False)


def page_program(program_id: int, user: PagePlanner, db: DB) -> Program:
    return programs.get_program(db, user.organization_id, program_id)


PageProgram = Annotated[Program, Depends(page_program)]
Page = Annotated[int, Query(ge=1, le=100_000)]
Count = Annotated[int | None, Query(ge=0, le=1_000_000)]


def fmt_month(d: date) -> str:
    """Maret 2018 (March 2018)."""
    return f"{MONTHS[get_locale()][d.month - 1]} {d.year}"


def _list_page(request: Request, db: DB, user: PagePlanner, values: dict[str, Any],
               exc: DomainError | None = None) -> Response:
    return render_form(request, "programs/list.html", {
        "programs": programs.list_programs(db, user.organization_id), "values": values}, exc)


@router.get("/programs")
def list_page(request: Request, db: DB, user: PagePlanner) -> Response:
    """The programmes, and a form for a new one."""
    return _list_page(request, db, user, {})


@router.post("/programs")
def create(request: Request, form: SubmittedForm, db: DB, user: PagePlanner) -> Response:
    data = form.values()
    return submit(db, lambda: programs.create_program(db, user.organization_id,
                                                      parse(ProgramCreate, data)),
                  lambda program: redirect(request, f"/programs/{program.id}"),
                  lambda exc: _list_page(request, db, user, data, exc))


def _program_page(request: Request, db: DB, program: Program, page: int = 1, q: str = "",
                  carry_values: dict[str, Any] | None = None, done: dict[str, Any] | None = None,
                  exc: DomainError | None = None) -> Response:
    ov = programs.program_overview(db, program, page=page, q=q)
    return render_form(request, "programs/page.html", {
        "ov": ov, "q": q, "num": fmt_number, "pct": fmt_percent, "month": fmt_month, "done": done,
        "carry_values": carry_values or {}, "waiting_shown": programs.WAITING_SHOWN}, exc)


@router.get("/programs/{program_id}")
def program_page(request: Request, program: PageProgram, db: DB, page: Page = 1,
                 q: Annotated[str, Query(max_length=100)] = "",
                 carried: Count = None, already: Count = None, waitlisted: Count = None,
                 source: Annotated[int | None, Query(alias="from", ge=1)] = None,
                 target: Annotated[int | None, Query(alias="to", ge=1)] = None) -> Response:
    """The programme: its stages, who went through which, who waits for a later stage,
    attendance per kecamatan and month; after a carry, its counts."""
    done = None
    if carried is not None:
        done = {"carried": carried, "already": already or 0, "waitlisted": waitlisted or 0,
                "from": source, "to": target}
    return _program_page(request, db, program, page, q, done=done)


@router.post("/programs/{program_id}/carry")
def carry(request: Request, program: PageProgram, form: SubmittedForm, db: DB) -> Response:
    """Carry a stage's participants into another stage (the form asks to confirm first)."""
    data = form.values()
    # An unticked checkbox sends nothing: then everyone registered is carried.
    data["only_attended"] = data.get("only_attended") or "0"

    def work() -> tuple[CarryIn, programs.CarryResult]:
        wanted = parse(CarryIn, data)
        return wanted, programs.carry(db, program, wanted)

    def done(found: tuple[CarryIn, programs.CarryResult]) -> Response:
        wanted, result = found
        return redirect(request, (
            f"/programs/{program.id}?carried={result.carried}&already={result.already}"
            f"&waitlisted={result.waitlisted}&from={wanted.from_training_id}"
            f"&to={wanted.to_training_id}#carry-result"))

    return submit(db, work, done,
                  lambda exc: _program_page(request, db, program, carry_values=data, exc=exc))


def _edit_page(request: Request, program: Program, values: dict[str, Any],
               exc: DomainError | None = None) -> Response:
    return render_form(request, "programs/form.html", {"program": program, "values": values},
                       exc)


@router.get("/programs/{program_id}/edit")
def edit_page(request: Request, program: PageProgram) -> Response:
    return _edit_page(request, program, {
        "title": program.title, "start_date": program.start_date.isoformat(),
        "end_date": program.end_date.isoformat(), "description": program.description or ""})


@router.post("/programs/{program_id}/edit")
def update(request: Request, program: PageProgram, form: SubmittedForm, db: DB) -> Response:
    data = form.values()
    return submit(db, lambda: programs.update_program(db, program, parse(ProgramCreate, data)),
                  lambda _saved: redirect(request, f"/programs/{program.id}"),
                  lambda exc: _edit_page(request, program, data, exc))
