"""Programmes: trainings that belong together. Pontianak ran its bimtek for Kampung KB
managers in stages by kecamatan (Tahap 1, Tahap 2), then coached them every month for a
year; each of those is a training of the programme, in order of Training.program_stage.

Here: creating and changing programmes, linking a training to one, the programme's
figures (who went through which stage, who is still waiting for a later one, attendance
per person, kecamatan and month) and carrying a stage's participants into another stage.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.errors import Conflict, FieldError, NotFound
from service.models import Batch, Participant, Program, Registration, Training, TrainingCategory
from service.models.base import pk
from service.schemas.programs import CarryIn, ProgramCreate
from service.services import presence, seats, training_clock
from service.services.meeting_days import days_of
from service.services.participant_fields import contact_key
from service.services.registrations import by_sort_name, new_ticket_token

# A programme runs "a year or a period": five years of monthly coaching fit, a typo of a
# century does not.
MAX_PROGRAM_DAYS = 5 * 366
PER_PAGE = 50
# The matrix's and the waiting list's people: the page shows this many at once.
WAITING_SHOWN = 20


# --- programmes ----------------------------------------------------------------------------

@dataclass
class ProgramSummary:
    program: Program
    stages: int


def _check_dates(start: date, end: date) -> None:
    if end < start:
        raise FieldError("end_date", "The end date is before the start date.",
                         code="invalid_dates")
    if (end - start).days > MAX_PROGRAM_DAYS:
        raise FieldError("end_date", "A programme can last at most {n} days.",
                         code="invalid_dates", n=MAX_PROGRAM_DAYS)


def create_program(db: Session, org_id: int, data: ProgramCreate) -> Program:
    _check_dates(data.start_date, data.end_date)
    program = Program(organization_id=org_id, title=data.title, start_date=data.start_date,
                      end_date=data.end_date, description=data.description)
    db.add(program)
    db.flush()
    return program


def update_program(db: Session, program: Program, data: ProgramCreate) -> Program:
    _check_dates(data.start_date, data.end_date)
    program.title, program.description = data.title, data.description
    program.start_date, program.end_date = data.start_date, data.end_date
    db.add(program)
    db.flush()
    return program


def get_program(db: Session, org_id: int, program_id: int) -> Program:
    """The programme if it belongs to the organization; another's is simply not found."""
    program = db.get(Program, program_id)
    if program is None or program.organization_id != org_id:
        raise NotFound("Programme not found.")
    return program


def list_programs(db: Session, org_id: int) -> list[ProgramSummary]:
    """The organization's programmes, newest first, with their number of stages."""
    counts = dict(db.exec(select(Training.program_id, func.count())
                          .where(Training.organization_id == org_id,
                                 col(Training.program_id).is_not(None))
                          .group_by(col(Training.program_id))).all())
    programs = db.exec(select(Program).where(Program.organization_id == org_id)
                       .order_by(col(Program.start_date).desc(), col(Program.id).desc())).all()
    return [ProgramSummary(p, int(counts.get(p.id, 0))) for p in programs]


def stages_of(db: Session, program: Program) -> list[Training]:
    """The programme's trainings in order: by stage number, then by date."""
    return list(db.exec(select(Training).where(Training.program_id == program.id)
                        .order_by(col(Training.program_stage).is_(None),
                                  col(Training.program_stage), col(Training.start_date),
                                  col(Training.id))).all())


def program_of(db: Session, training: Training) -> Program | None:
    """The programme a training belongs to, for its overview's link."""
    return db.get(Program, training.program_id) if training.program_id else None


# --- the programme's figures -----------------------------------------------------------------

NONE, WAITING, UPCOMING, PRESENT, ABSENT = "none", "waiting", "upcoming", "present", "absent"


@dataclass
class Cell:
    """One person in one stage: not registered, waiting for a batch, registered for days
    to come, or present on some (or none) of the days that have passed."""

    status: str = NONE
    present: int = 0
    days: int = 0  # the batch's days that have passed


@dataclass
class StageStats:
    training: Training
    index: int  # 0-based place among the programme's stages
    batches: list[Batch]
    registered: int = 0
    confirmed: int = 0
    attended: int = 0
    present_days: int = 0
    expected_days: int = 0

    @property
    def rate(self) -> float:
        return self.present_days / self.expected_days if self.expected_days else 0.0

    @property
    def label(self) -> int:
        """The stage's number as the page shows it."""
        return self.training.program_stage or self.index + 1


@dataclass
class PersonRow:
    participant_id: int
    name: str
    sort_name: str
    district: str | None
    cells: list[Cell]

    @property
    def present_days(self) -> int:
        return sum(c.present for c in self.cells)

    @property
    def expected_days(self) -> int:
        return sum(c.days for c in self.cells)

    @property
    def rate(self) -> float:
        return self.present_days / self.expected_days if self.expected_days else 0.0

    @property
    def last_index(self) -> int:
        return max(i for i, c in enumerate(self.cells) if c.status != NONE)


@dataclass
class Tally:
    """Present person-days against expected ones, for a kecamatan or a month."""

    name: str | None
    people: int = 0
    present_days: int = 0
    expected_days: int = 0
    month: date | None = None  # a month's tally: its first day

    @property
    def rate(self) -> float:
        return self.present_days / self.expected_days if self.expected_days else 0.0


@dataclass
class Waiting:
    participant_id: int
    name: str
    district: str | None
    after: StageStats
    attended: bool


@dataclass
class ProgramOverview:
    program: Program
    stages: list[StageStats]
    people: int
    rows: list[PersonRow]  # one page of the matrix
    matched: int  # people the matrix's search matches
    page: int
    pages: int
    waiting: list[Waiting]
    by_district: list[Tally]
    by_month: list[Tally]
    waiting_by_stage: dict[int, int] = field(default_factory=dict)

    @property
    def present_days(self) -> int:
        return sum(s.present_days for s in self.stages)

    @property
    def expected_days(self) -> int:
        return sum(s.expected_days for s in self.stages)

    @property
    def rate(self) -> float:
        return self.present_days / self.expected_days if self.expected_days else 0.0


def _blank_last(t: Tally) -> tuple[bool, str]:
    return (t.name is None, (t.name or "").casefold())


def program_overview(db: Session, program: Program, page: int = 1, q: str = "",
                     per_page: int = PER_PAGE) -> ProgramOverview:
    """Everything the programme page shows, in a number of queries that depends on the
    number of stages, never on the number of people: the stages, their batches, the
    registrations with their people, and each stage's presence (presence.load)."""
    trainings = stages_of(db, program)
    stages = [StageStats(t, i, []) for i, t in enumerate(trainings)]
    by_training = {pk(s.training): s for s in stages}
    batches: dict[int, Batch] = {}
    if trainings:
        for b in db.exec(select(Batch).where(col(Batch.training_id).in_(list(by_training)))
                         .order_by(col(Batch.position), col(Batch.id))).all():
            by_training[b.training_id].batches.append(b)
            batches[pk(b)] = b
    people: dict[int, PersonRow] = {}
    regs: list[tuple[int, int, int | None, str, int]] = []
    if trainings:
        for rid, tid, bid, status, pid, name, sort_name, district in db.exec(
                select(Registration.id,  # type: ignore[call-overload]
                       Registration.training_id, Registration.batch_id, Registration.status,
                       Participant.id, Participant.name, Participant.sort_name,
                       Participant.district)
                .join(Participant, col(Participant.id) == Registration.participant_id)
                .where(col(Registration.training_id).in_(list(by_training)),
                       Registration.status != "cancelled")).all():
            regs.append((rid or 0, tid, bid, status, pid or 0))
            if pid not in people:
                people[pid or 0] = PersonRow(pid or 0, name, sort_name, district,
                                             [Cell() for _ in stages])
    loaded = {pk(s.training): presence.load(db, s.training) for s in stages
              if any(r[1] == s.training.id and r[3] == "confirmed" for r in regs)}
    today = {pk(s.training): training_clock.today(s.training) for s in stages}
    months: dict[tuple[int, int], Tally] = {}
    for rid, tid, bid, status, pid in regs:
        stage = by_training[tid]
        cell = people[pid].cells[stage.index]
        stage.registered += 1
        batch = batches.get(bid) if bid is not None else None
        if status != "confirmed" or batch is None:
            cell.status = WAITING
            continue
        stage.confirmed += 1
        past = [d for d in days_of(batch) if d <= today[tid]]
        if not past:
            cell.status = UPCOMING
            continue
        seen = set(loaded[tid].days_present(rid, past))
        cell.present, cell.days = len(seen), len(past)
        cell.status = PRESENT if seen else ABSENT
        stage.attended += 1 if seen else 0
        stage.present_days += len(seen)
        stage.expected_days += len(past)
        for d in past:
            month = months.setdefault((d.year, d.month), Tally(f"{d.year}-{d.month:02d}",
                                                                  month=d.replace(day=1)))
            month.expected_days += 1
            month.present_days += d in seen

    districts: dict[str | None, Tally] = {}
    for row in people.values():
        name = (row.district or "").strip() or None
        key = name.casefold() if name else None
        area = districts.setdefault(key, Tally(name))
        area.people += 1
        area.present_days += row.present_days
        area.expected_days += row.expected_days

    ordered = sorted(people.values(), key=lambda r: (r.sort_name, r.participant_id))
    last = len(stages) - 1
    waiting = [Waiting(r.participant_id, r.name, r.district, stages[r.last_index],
                       r.cells[r.last_index].status == PRESENT)
               for r in ordered if r.last_index < last]
    waiting.sort(key=lambda w: w.after.index)  # stable: by name within a stage
    waiting_by_stage: dict[int, int] = defaultdict(int)
    for w in waiting:
        waiting_by_stage[w.after.index] += 1

    term = " ".join(q.split()).casefold()
    matched = [r for r in ordered if term in r.name.casefold()] if term else ordered
    pages = max(1, -(-len(matched) // per_page))
    page = min(max(page, 1), pages)
    return ProgramOverview(
        program=program, stages=stages, people=len(people),
        rows=matched[(page - 1) * per_page:page * per_page], matched=len(matched), page=page,
        pages=pages, waiting=waiting,
        by_district=sorted(districts.values(), key=_blank_last),
        by_month=[months[k] for k in sorted(months)], waiting_by_stage=dict(waiting_by_stage))


# --- carrying a stage's participants into another ---------------------------------------------

@dataclass
class CarryResult:
    carried: int = 0
    already: int = 0
    waitlisted: int = 0


def _stage(db: Session, program: Program, training_id: int, name: str) -> Training:
    training = db.get(Training, training_id)
    if training is None or training.organization_id != program.organization_id:
        raise NotFound("Training not found.")
    if training.program_id != program.id:
        raise FieldError(name, "{title} is not a stage of this programme.",
                         code="not_in_program", title=training.title)
    return training


def _attended(db: Session, training: Training, rows: list[tuple[int, int | None]]) -> set[int]:
    """The registrations (of `rows`: id and batch) present on at least one day."""
    days = {pk(b): days_of(b)
            for b in db.exec(select(Batch).where(Batch.training_id == training.id)).all()}
    here = presence.load(db, training)
    return {rid for rid, bid in rows
            if bid in days and here.days_present(rid, days[bid])}


def carry(db: Session, program: Program, data: CarryIn) -> CarryResult:
    """Register the (attended) participants of one stage into another, never twice.

    Someone already registered there (not cancelled) is counted in `already` and left
    alone; a cancelled registration comes back. The carried wait for a batch, unless the
    stage has exactly one: then they take its free seats (the rest wait). A category of
    the same name in the target stage is kept while its quota allows."""
    source = _stage(db, program, data.from_training_id, "from_training_id")
    target = _stage(db, program, data.to_training_id, "to_training_id")
    if source.id == target.id:
        raise FieldError("to_training_id", "Choose another stage to carry them into.",
                         code="same_stage")
    rows = db.exec(select(Registration.id,  # type: ignore[call-overload, misc]
                          Registration.batch_id, Registration.status, Registration.category_id,
                          Participant.id, Participant.name, Participant.phone,
                          Participant.sort_name)
                   .join(Participant, col(Participant.id) == Registration.participant_id)
                   .where(Registration.training_id == source.id,
                          Registration.status != "cancelled")
                   .order_by(by_sort_name(db), col(Registration.id))).all()
    if data.only_attended:
        present = _attended(db, source, [(r[0] or 0, r[1]) for r in rows
                                         if r[2] == "confirmed"])
        rows = [r for r in rows if r[0] in present]
    existing = {r.participant_id: r for r in db.exec(
        select(Registration).where(Registration.training_id == target.id)).all()}
    keys_taken = {r.contact_key for r in existing.values()
                  if r.status != "cancelled" and r.contact_key}
    source_categories = {c.id: c.name.casefold() for c in db.exec(
        select(TrainingCategory).where(TrainingCategory.training_id == source.id)).all()}
    target_categories = {c.name.casefold(): c for c in db.exec(
        select(TrainingCategory).where(TrainingCategory.training_id == target.id)).all()}

    result = CarryResult()
    carried: list[Registration] = []
    for _rid, _bid, _status, category_id, pid, name, phone, _sort in rows:
        old = existing.get(pid or 0)
        key = contact_key(phone, name)
        # The same phone and name registered under another person is the same person.
        if (old is not None and old.status != "cancelled") or (key and key in keys_taken):
            result.already += 1
            continue
        reg = old or Registration(training_id=pk(target), participant_id=pid or 0,
                                  ticket_token=new_ticket_token())
        reg.status, reg.cancelled_at, reg.batch_id = "waitlisted", None, None
        reg.preferred_batch_id, reg.contact_key, reg.source = None, key, "program"
        reg.category_id = None
        wanted = target_categories.get(source_categories.get(category_id or 0, ""))
        if wanted is not None and seats.take_quota(db, pk(wanted)):
            reg.category_id = wanted.id
        if key:
            keys_taken.add(key)
        carried.append(reg)
    try:
        with db.begin_nested():
            db.add_all(carried)
            db.flush()
    except IntegrityError:
        # Someone registered one of them a moment ago (or another carry ran at once).
        raise Conflict("The stage changed while carrying its participants. Try again.",
                       code="carry_conflict") from None
    result.carried = len(carried)
    _seat(db, target, carried)
    result.waitlisted = sum(1 for r in carried if r.status == "waitlisted")
    return result


def _seat(db: Session, target: Training, carried: list[Registration]) -> None:
    """Into the stage's only batch, as far as its seats go (a stage of several batches
    is assigned by the committee, by kecamatan or balanced)."""
    query = select(Batch).where(Batch.training_id == target.id)
    if db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    batches = list(db.exec(query).all())
    if len(batches) != 1 or not carried:
        return
    batch = batches[0]
    db.refresh(batch)
    n = min(len(carried), max(0, batch.capacity - batch.confirmed_count))
    if n and seats.take_seats(db, pk(batch), n):
        for reg in carried[:n]:
            reg.batch_id, reg.status = batch.id, "confirmed"
            db.add(reg)
        db.flush()
    db.expire(batch, ["confirmed_count"])
