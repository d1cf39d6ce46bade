"""Shapes for programmes: trainings that belong together (stages, then the coaching)."""

from datetime import date
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

from service.schemas.common import Id, MultiLine, Title, _blank_to_none

if TYPE_CHECKING:  # the services build these from their read models
    from service.models import Program
    from service.services.programs import ProgramOverview, ProgramSummary

OptDescription = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), MultiLine] | None,
    BeforeValidator(_blank_to_none),
]


def _checkbox(v: object) -> object:
    # An HTML checkbox sends "on" when ticked and nothing when not.
    if isinstance(v, str):
        return v.strip().lower() in ("on", "1", "true", "yes", "ya")
    return v


class ProgramCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    title: Title
    start_date: date
    end_date: date
    description: OptDescription = None


class ProgramUpdate(ProgramCreate):
    pass


class CarryIn(BaseModel):
    """Register the participants of one stage into another stage of the programme."""

    model_config = ConfigDict(extra="ignore")

    from_training_id: Id
    to_training_id: Id
    # Only those present on at least one day of their batch (the default), or everyone
    # registered in the stage (confirmed or waiting).
    only_attended: Annotated[bool, BeforeValidator(_checkbox)] = True


# Responses

class ProgramItem(BaseModel):
    id: int
    title: str
    start_date: date
    end_date: date
    description: str | None
    stages: int


class ProgramList(BaseModel):
    items: list[ProgramItem]
    total: int


class StageRead(BaseModel):
    training_id: int
    title: str
    kind: str
    stage: int | None
    start_date: date
    end_date: date
    # Not cancelled: confirmed in a batch or waiting for one.
    registered: int
    confirmed: int
    # Present on at least one day of their batch.
    attended: int
    present_days: int
    expected_days: int


class WaitingRead(BaseModel):
    """Someone of an earlier stage who is in no later one yet."""

    participant_id: int
    name: str
    district: str | None
    after_training_id: int
    after_stage: int | None
    attended: bool


class AreaRead(BaseModel):
    district: str | None
    people: int
    present_days: int
    expected_days: int
    rate: float


class ProgramRead(BaseModel):
    id: int
    title: str
    start_date: date
    end_date: date
    description: str | None
    stages: list[StageRead]
    people: int
    waiting: list[WaitingRead]
    by_district: list[AreaRead]


class CarryResult(BaseModel):
    # Newly registered in the target stage (waitlisted ones included).
    carried: int
    # Already registered there (not cancelled): left as they were.
    already: int
    # Of the carried, those waiting for a batch (no batch, or no seat left in the only one).
    waitlisted: int


def program_item(summary: "ProgramSummary") -> ProgramItem:
    p = summary.program
    return ProgramItem(id=p.id or 0, title=p.title, start_date=p.start_date,
                       end_date=p.end_date, description=p.description, stages=summary.stages)


def program_created(program: "Program") -> dict[str, int]:
    return {"id": program.id or 0}


def program_read(ov: "ProgramOverview") -> ProgramRead:
    p = ov.program
    return ProgramRead(
        id=p.id or 0, title=p.title, start_date=p.start_date, end_date=p.end_date,
        description=p.description, people=ov.people,
        stages=[StageRead(training_id=s.training.id or 0, title=s.training.title,
                          kind=s.training.kind, stage=s.training.program_stage,
                          start_date=s.training.start_date, end_date=s.training.end_date,
                          registered=s.registered, confirmed=s.confirmed, attended=s.attended,
                          present_days=s.present_days, expected_days=s.expected_days)
                for s in ov.stages],
        waiting=[WaitingRead(participant_id=w.participant_id, name=w.name, district=w.district,
                             after_training_id=w.after.training.id or 0,
                             after_stage=w.after.training.program_stage, attended=w.attended)
                 for w in ov.waiting],
        by_district=[AreaRead(district=a.name, people=a.people, present_days=a.present_days,
                              expected_days=a.expected_days, rate=a.rate)
                     for a in ov.by_district])
