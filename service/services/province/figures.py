"""The figures a province office sees of each office that shares with it: aggregates only,
never a person (no name, NIK, NIP, phone or email leaves this module; people are counted,
not listed).

For the trainings of the office (ending in `year` when given, as the coverage page
counts them):

- trainings: how many, and how many per year (the year a training ends);
- registrations: confirmed registrations;
- people trained: people present on at least one day of their batch (presence.load, the
  one answer for who was present), each once however many trainings they attended: the
  coverage page's *trained cadre* (services/coverage.py);
- days attended: days present, summed over registrations;
- JPL: the JPL each registration accrued, as a person's record counts it
  (services/people/record.py): a valid certificate counts its batch's agenda, otherwise
  the sessions attended;
- certificates: valid (not revoked) certificates issued;
- Kampung KB: the register against the office's target, and the entries with at least
  one trained cadre (coverage's *covered*);
- per poktan: trained people per poktan of their registration's category (coverage's
  groups: BKB, BKR, BKL, UPPKA, PIK-R, and "lainnya"), each once per poktan.

A fixed number of queries however many offices, trainings and people: the trainings, their
batches, the registrations, the certificates, the agenda, the register, and presence
(three queries per check-in mode).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from service.models import (
    AgendaSession,
    Batch,
    Certificate,
    KampungKB,
    Participant,
    Registration,
    Training,
    TrainingCategory,
)
from service.models.base import pk
from service.services import coverage, presence
from service.services.coverage import GROUPS, OTHER, DistrictCoverage
from service.services.kampung_kb import poktan_in
from service.services.meeting_days import days_of
from service.services.province.sharing import Share, require_province, shared_office, shares_of


@dataclass
class _Tally:
    """Counts of some trainings; the sets (of ids, which never leave the module) let a
    person or a Kampung KB count once when tallies are added up."""

    trainings: int = 0
    registrations: int = 0
    days_attended: int = 0
    jpl: int = 0
    certificates: int = 0
    trained: set[int] = field(default_factory=set)
    kampung_kb: set[int] = field(default_factory=set)
    poktan: dict[str, set[int]] = field(default_factory=lambda: {g: set() for g in GROUPS})

    def add(self, other: "_Tally") -> "_Tally":
        self.trainings += other.trainings
        self.registrations += other.registrations
        self.days_attended += other.days_attended
        self.jpl += other.jpl
        self.certificates += other.certificates
        self.trained |= other.trained
        self.kampung_kb |= other.kampung_kb
        for g in GROUPS:
            self.poktan[g] |= other.poktan[g]
        return self


@dataclass(frozen=True)
class Figures:
    """Aggregates of some trainings: numbers only."""

    trainings: int
    registrations: int
    people_trained: int
    days_attended: int
    jpl: int
    certificates: int
    kampung_kb_covered: int
    by_poktan: dict[str, int]

    @classmethod
    def of(cls, tally: _Tally) -> "Figures":
        return cls(tally.trainings, tally.registrations, len(tally.trained),
                   tally.days_attended, tally.jpl, tally.certificates, len(tally.kampung_kb),
                   {g: len(tally.poktan[g]) for g in GROUPS})

    @classmethod
    def total(cls, parts: Iterable["Figures"]) -> "Figures":
        """The sum of several offices' figures: a person belongs to one office, so people
        add up."""
        rows = list(parts)
        return cls(trainings=sum(r.trainings for r in rows),
                   registrations=sum(r.registrations for r in rows),
                   people_trained=sum(r.people_trained for r in rows),
                   days_attended=sum(r.days_attended for r in rows),
                   jpl=sum(r.jpl for r in rows),
                   certificates=sum(r.certificates for r in rows),
                   kampung_kb_covered=sum(r.kampung_kb_covered for r in rows),
                   by_poktan={g: sum(r.by_poktan[g] for r in rows) for g in GROUPS})


@dataclass(frozen=True)
class OfficeRow:
    organization_id: int
    name: str
    city: str | None
    sharing_since: date
    kampung_kb_target: int | None
    kampung_kb_registered: int
    trainings_by_year: dict[int, int]  # newest year first
    figures: Figures

    @property
    def register_share(self) -> float | None:
        """The register against the target (None without a target)."""
        if not self.kampung_kb_target:
            return None
        return self.kampung_kb_registered / self.kampung_kb_target

    @property
    def covered_share(self) -> float:
        """Kampung KB with trained cadres, of the register."""
        if not self.kampung_kb_registered:
            return 0.0
        return self.figures.kampung_kb_covered / self.kampung_kb_registered


@dataclass(frozen=True)
class Totals:
    kampung_kb_target: int | None
    kampung_kb_registered: int
    figures: Figures


@dataclass(frozen=True)
class ProvinceView:
    province: str
    year: int | None
    years: list[int]  # the years the sharing offices held trainings in, newest first
    offices: list[OfficeRow]
    totals: Totals


@dataclass(frozen=True)
class TrainingRow:
    """One training of a sharing office: its title and counts, no one in it."""

    title: str
    kind: str
    start_date: date
    end_date: date
    figures: Figures


@dataclass(frozen=True)
class YearRow:
    year: int
    figures: Figures
    trainings: list[TrainingRow]


@dataclass(frozen=True)
class OfficeDetail:
    row: OfficeRow
    years: list[YearRow]  # newest first
    by_district: list[DistrictCoverage]  # coverage per kecamatan (services/coverage.py)
    unlinked: int  # trained cadres not linked to a register entry
    year: int | None
    held_in: list[int]  # the years it held trainings in, newest first


# --- the one pass over the trainings -----------------------------------------------------

@dataclass
class _Pass:
    trainings: list[Training]  # every training of the offices, all years
    tallies: dict[int, _Tally]  # per training of the chosen year(s)
    registered: dict[int, int]  # office -> Kampung KB in its register


def _presence(db: Session, trainings: dict[int, Training], batches: Sequence[Batch]
              ) -> dict[str, presence.Presence]:
    """Presence in all the batches, one load per check-in mode: presence.load reads the
    mode from the training it is given and the batches only from the list."""
    groups: dict[str, tuple[Training, list[Batch]]] = {}
    for b in batches:
        training = trainings[b.training_id]
        groups.setdefault(training.checkin_mode, (training, []))[1].append(b)
    return {mode: presence.load(db, training, chosen)
            for mode, (training, chosen) in groups.items()}


def _tally(db: Session, office_ids: list[int], year: int | None) -> _Pass:
    if not office_ids:
        return _Pass([], {}, {})
    every = list(db.exec(select(Training)
                         .where(col(Training.organization_id).in_(office_ids))
                         .order_by(col(Training.start_date), col(Training.id))).all())
    chosen = {pk(t): t for t in every if year is None or t.end_date.year == year}
    tallies = {tid: _Tally(trainings=1) for tid in chosen}
    registered = dict(db.exec(select(KampungKB.organization_id, func.count(col(KampungKB.id)))
                              .where(col(KampungKB.organization_id).in_(office_ids))
                              .group_by(col(KampungKB.organization_id))).all())
    if not chosen:
        return _Pass(every, tallies, registered)
    ids = list(chosen)
    batches = {pk(b): b for b in db.exec(select(Batch).where(col(Batch.training_id).in_(ids)))}
    regs = db.exec(
        select(Registration.id, Registration.training_id,  # type: ignore[call-overload]
               Registration.batch_id, Registration.participant_id, Participant.kampung_kb_id,
               TrainingCategory.name)
        .join(Participant, col(Participant.id) == Registration.participant_id)
        .outerjoin(TrainingCategory, col(TrainingCategory.id) == Registration.category_id)
        .where(col(Registration.training_id).in_(ids),
               Registration.status == "confirmed")).all()
    certified: set[int] = set()
    for tid, rid in db.exec(select(Certificate.training_id, Certificate.registration_id)
                            .where(col(Certificate.training_id).in_(ids),
                                   col(Certificate.revoked_at).is_(None))).all():
        tallies[tid].certificates += 1
        certified.add(rid)
    agenda: dict[int, list[AgendaSession]] = defaultdict(list)
    if batches:
        for s in db.exec(select(AgendaSession)
                         .where(col(AgendaSession.batch_id).in_(list(batches)))):
            agenda[s.batch_id].append(s)
    seen = _presence(db, chosen, list(batches.values()))
    days = {bid: days_of(b) for bid, b in batches.items()}
    for rid, tid, bid, pid, kkb_id, category in regs:
        tally = tallies[tid]
        tally.registrations += 1
        batch = batches.get(bid) if bid is not None else None
        if batch is None:
            continue  # confirmed, not yet placed in a batch: nothing attended yet
        mode = chosen[tid].checkin_mode
        present = seen[mode].days_present(rid, days[bid])
        sessions = agenda.get(bid, [])
        if rid in certified:
            jpl = sum(s.counted_jpl for s in sessions)
        elif mode == "session":
            jpl = sum(s.counted_jpl for s in sessions if seen[mode].present(rid, s.date, pk(s)))
        else:
            on = set(present)
            jpl = sum(s.counted_jpl for s in sessions if s.date in on)
        tally.jpl += jpl
        tally.days_attended += len(present)
        if present:
            tally.trained.add(pid)
            tally.poktan[poktan_in(category) or OTHER].add(pid)
            if kkb_id is not None:
                tally.kampung_kb.add(kkb_id)
    return _Pass(every, tallies, registered)


def _by_year(trainings: Iterable[Training]) -> dict[int, int]:
    years: dict[int, int] = defaultdict(int)
    for t in trainings:
        years[t.end_date.year] += 1
    return dict(sorted(years.items(), reverse=True))


def _row(share: Share, done: _Pass, year: int | None) -> OfficeRow:
    office = share.office
    own = [t for t in done.trainings if t.organization_id == pk(office)]
    tally = _Tally()
    for t in own:
        if pk(t) in done.tallies:
            tally.add(done.tallies[pk(t)])
    shown = [t for t in own if year is None or t.end_date.year == year]
    return OfficeRow(organization_id=pk(office), name=office.name, city=office.city,
                     sharing_since=share.since.date(),
                     kampung_kb_target=office.kampung_kb_target,
                     kampung_kb_registered=done.registered.get(pk(office), 0),
                     trainings_by_year=_by_year(shown), figures=Figures.of(tally))


# --- what the province asks ---------------------------------------------------------------

def province_view(db: Session, province_id: int, year: int | None = None) -> ProvinceView:
    """One row per office sharing with the province, and their total (NotProvince for an
    organization that is not a province office)."""
    province = require_province(db, province_id)
    shares = shares_of(db, province_id)
    done = _tally(db, [pk(s.office) for s in shares], year)
    rows = [_row(s, done, year) for s in shares]
    targets = [r.kampung_kb_target for r in rows if r.kampung_kb_target is not None]
    totals = Totals(kampung_kb_target=sum(targets) if targets else None,
                    kampung_kb_registered=sum(r.kampung_kb_registered for r in rows),
                    figures=Figures.total(r.figures for r in rows))
    return ProvinceView(province=province.name, year=year,
                        years=sorted({t.end_date.year for t in done.trainings}, reverse=True),
                        offices=rows, totals=totals)


def office_detail(db: Session, province_id: int, office_id: int,
                  year: int | None = None) -> OfficeDetail:
    """One sharing office in more detail: per year and training, and coverage per
    kecamatan. OfficeNotShared (404) when the office does not share with this province."""
    require_province(db, province_id)
    share = shared_office(db, province_id, office_id)
    done = _tally(db, [office_id], year)
    years: dict[int, list[Training]] = defaultdict(list)
    for t in done.trainings:
        if pk(t) in done.tallies:
            years[t.end_date.year].append(t)
    year_rows = []
    for when, held in sorted(years.items(), reverse=True):
        lines = [TrainingRow(t.title, t.kind, t.start_date, t.end_date,
                             Figures.of(done.tallies[pk(t)]))
                 for t in sorted(held, key=lambda t: (t.start_date, pk(t)), reverse=True)]
        merged = _Tally()
        for t in held:
            merged.add(done.tallies[pk(t)])
        year_rows.append(YearRow(when, Figures.of(merged), lines))
    # Per kecamatan, exactly as the office's own coverage page counts it.
    cov = coverage.coverage(db, office_id, year=year)
    return OfficeDetail(row=_row(share, done, year), years=year_rows,
                        by_district=cov.by_district, unlinked=cov.unlinked, year=year,
                        held_in=sorted({t.end_date.year for t in done.trainings}, reverse=True))
