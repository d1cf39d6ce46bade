"""Coverage: how many cadres of each Kampung KB, and of each kecamatan, were trained for
each poktan, which poktan have none, and the register against the office's target
(Padang: 104 Kampung KB, one per kelurahan).

Definitions:

- A cadre is *trained* when they have a confirmed registration in a training of the
  organization (of the programme, when `program_id` is given; ending in the year, when
  `year` is given) and were present on at least one day of their batch (presence.load,
  the one answer for who was present).
- A cadre's poktan is read from their registration's category name: it names BKB, BKR,
  BKL, UPPKA (or UPPKS) or PIK-R (or PIK R, PIKR), case-insensitive; any other category
  (or none) counts as "lainnya". A cadre counts once per poktan however many trainings
  they attended.
- A cadre belongs to a Kampung KB through participant.kampung_kb_id
  (services/kampung_kb.match_participants links them by their Kampung KB text).
- A Kampung KB is *covered* when at least one of its cadres was trained; a poktan is
  *missing* when the Kampung KB runs it (its register entry; all five when it lists none)
  and none of its cadres was trained for it.

The queries do not depend on the number of Kampung KB, cadres or trainings: the
trainings, the register, and the trained cadres counted in SQL (coverage_trained).
"""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from service.i18n import gettext as _
from service.models import Training
from service.models.base import pk
from service.models.kampung_kb import POKTAN
from service.rendering.roster_sheets import Column, Sheet
from service.schemas.kampung_kb import poktan_names
from service.services import coverage_trained, programs
from service.services.kampung_kb import list_register, poktan_in, target_of

OTHER = "lainnya"
GROUPS = (*POKTAN, OTHER)


@dataclass
class ItemCoverage:
    id: int
    name: str
    village: str
    district: str
    poktan: list[str]  # what the register says it runs
    trained: dict[str, int]  # GROUPS -> cadres trained
    missing: list[str]

    @property
    def total(self) -> int:
        return sum(self.trained.values())

    @property
    def covered(self) -> bool:
        return self.total > 0


@dataclass
class DistrictCoverage:
    district: str
    kampung_kb: int = 0
    covered: int = 0
    by_poktan: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))

    @property
    def total(self) -> int:
        return sum(self.by_poktan.values())

    @property
    def share(self) -> float:
        return self.covered / self.kampung_kb if self.kampung_kb else 0.0


@dataclass
class Coverage:
    target: int | None
    registered: int
    covered: int
    unlinked: int  # trained cadres not linked to a register entry
    by_district: list[DistrictCoverage]
    items: list[ItemCoverage]
    program_title: str | None = None
    year: int | None = None


def _trainings(db: Session, org_id: int, program_id: int | None,
               year: int | None) -> list[Training]:
    query = select(Training).where(Training.organization_id == org_id)
    if program_id is not None:
        query = query.where(Training.program_id == program_id)
    if year is not None:
        query = query.where(col(Training.end_date) >= date(year, 1, 1),
                            col(Training.end_date) <= date(year, 12, 31))
    return list(db.exec(query.order_by(col(Training.id))).all())


def _group_of(category: str | None) -> str:
    return poktan_in(category) or OTHER


def coverage(db: Session, org_id: int, program_id: int | None = None,
             year: int | None = None) -> Coverage:
    """The coverage figures (see the module's note); another organization's programme is
    not found."""
    program = programs.get_program(db, org_id, program_id) if program_id is not None else None
    found = coverage_trained.trained(db, org_id, _trainings(db, org_id, program_id, year),
                                     _group_of)
    register = list_register(db, org_id)
    counts = {kkb_id: {g: by_group.get(g, 0) for g in GROUPS}
              for kkb_id, by_group in found.counts.items()}
    items: list[ItemCoverage] = []
    districts: dict[str, DistrictCoverage] = {}
    for kkb in register:
        runs = poktan_names(kkb.poktan)
        trained = counts[pk(kkb)] if pk(kkb) in counts else dict.fromkeys(GROUPS, 0)
        item = ItemCoverage(pk(kkb), kkb.name, kkb.village, kkb.district, runs, trained,
                            [p for p in (runs or POKTAN) if not trained[p]])
        items.append(item)
        area = districts.setdefault(" ".join(kkb.district.casefold().split()),
                                    DistrictCoverage(kkb.district))
        area.kampung_kb += 1
        area.covered += item.covered
        for group, n in trained.items():
            area.by_poktan[group] += n
    return Coverage(
        target=target_of(db, org_id), registered=len(register),
        covered=sum(i.covered for i in items), unlinked=found.unlinked,
        by_district=sorted(districts.values(), key=lambda d: d.district.casefold()),
        items=items, program_title=program.title if program else None, year=year)


def sheet(cov: Coverage, organization: str) -> Sheet:
    """The table per Kampung KB, as the XLSX export prints it."""
    heading = [_("Kampung KB: {registered} registered, {covered} with trained cadres",
                 registered=cov.registered, covered=cov.covered)]
    if cov.target is not None:
        heading.append(_("Target: {target} Kampung KB", target=cov.target))
    if cov.program_title:
        heading.append(_("Programme: {title}", title=cov.program_title))
    if cov.year is not None:
        heading.append(_("Year: {year}", year=cov.year))
    columns = (Column(_("Kecamatan"), 20), Column(_("Kelurahan/Desa"), 20),
               Column(_("Kampung KB"), 26), Column(_("Poktan it runs"), 20),
               *(Column(g if g != OTHER else _("Other"), 8, "center") for g in GROUPS),
               Column(_("Not yet trained"), 24))
    rows: list[tuple[str | int | None, ...]] = [(i.district, i.village, i.name, ", ".join(i.poktan),
             *(i.trained[g] for g in GROUPS), ", ".join(i.missing)) for i in cov.items]
    return Sheet(title=_("KAMPUNG KB COVERAGE"), organization=organization,
                 heading=tuple(heading), columns=columns, rows=rows,
                 sheet_name=_("Coverage"))
