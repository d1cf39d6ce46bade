"""Programmes: their stages (trainings), figures, and carrying people from stage to stage."""

from typing import Annotated

from fastapi import APIRouter, Depends

from service.db import DB
from service.models import Program
from service.routers.deps import ApiPlanner
from service.schemas.programs import (
    CarryIn,
    CarryResult,
    ProgramCreate,
    ProgramList,
    ProgramRead,
    ProgramUpdate,
    program_created,
    program_item,
    program_read,
)
from service.services import programs

router = APIRouter(prefix="/api", tags=["programs"])


def api_program(program_id: int, user: ApiPlanner, db: DB) -> Program:
    return programs.get_program(db, user.organization_id, program_id)


ApiProgram = Annotated[Program, Depends(api_program)]


@router.post("/programs", status_code=201)
def create_program(data: ProgramCreate, db: DB, user: ApiPlanner) -> dict[str, int]:
    """Create a programme; its trainings join it with `program_id`."""
    return program_created(programs.create_program(db, user.organization_id, data))


@router.get("/programs")
def list_programs(db: DB, user: ApiPlanner) -> ProgramList:
    """The organization's programmes, newest first."""
    items = [program_item(s) for s in programs.list_programs(db, user.organization_id)]
    return ProgramList(items=items, total=len(items))


@router.get("/programs/{program_id}")
def get_program(program: ApiProgram, db: DB) -> ProgramRead:
    """A programme with its stages in order, its people, who waits for a later stage, and
    attendance per kecamatan."""
    return program_read(programs.program_overview(db, program))


@router.put("/programs/{program_id}")
def update_program(program: ApiProgram, data: ProgramUpdate, db: DB) -> ProgramRead:
    """Change a programme's title, dates and description."""
    programs.update_program(db, program, data)
    return program_read(programs.program_overview(db, program))


@router.post("/programs/{program_id}/carry")
def carry(program: ApiProgram, data: CarryIn, db: DB) -> CarryResult:
    """Register the (attended) participants of one stage into another, never twice."""
    done = programs.carry(db, program, data)
    return CarryResult(carried=done.carried, already=done.already, waitlisted=done.waitlisted)
