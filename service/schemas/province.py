"""Shapes for a province office's read-only view of the offices that share with it, and for
an office's sharing. Numbers only: no response here names a person."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field

from service.schemas.common import Id

if TYPE_CHECKING:  # the services build these
    from service.services.province.figures import (
        Figures,
        OfficeDetail,
        OfficeRow,
        ProvinceView,
    )
    from service.services.province.sharing import Choice

Year = Annotated[int | None, Field(ge=1945, le=2100)]


class FiguresRead(BaseModel):
    trainings: int
    registrations: int
    people_trained: int
    days_attended: int
    jpl_total: int
    certificates: int
    kampung_kb_covered: int
    # BKB, BKR, BKL, UPPKA, PIK-R and "lainnya" -> people trained for it
    by_poktan: dict[str, int]


class OfficeRead(FiguresRead):
    organization_id: int
    name: str
    city: str | None
    sharing_since: date
    kampung_kb_target: int | None
    kampung_kb_registered: int
    trainings_by_year: dict[int, int]


class TotalsRead(FiguresRead):
    kampung_kb_target: int | None
    kampung_kb_registered: int


class ProvinceOfficesRead(BaseModel):
    province: str
    year: int | None
    years: list[int]
    items: list[OfficeRead]
    totals: TotalsRead


class DistrictRead(BaseModel):
    district: str
    kampung_kb: int
    covered: int
    by_poktan: dict[str, int]


class TrainingFiguresRead(FiguresRead):
    title: str
    kind: str
    start_date: date
    end_date: date


class YearRead(FiguresRead):
    year: int
    trainings_list: list[TrainingFiguresRead]


class OfficeDetailRead(OfficeRead):
    year: int | None
    by_year: list[YearRead]
    by_district: list[DistrictRead]
    # Trained cadres not linked to a Kampung KB of the office's register.
    unlinked: int


class ShareIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    province_id: Id


class ProvinceChoiceRead(BaseModel):
    organization_id: int
    name: str
    city: str | None
    shared: bool
    agreed_at: datetime | None
    agreed_by: str | None  # the office's own admin who agreed


class SharingRead(BaseModel):
    items: list[ProvinceChoiceRead]


def _figures(f: "Figures") -> dict[str, object]:
    return {"trainings": f.trainings, "registrations": f.registrations,
            "people_trained": f.people_trained, "days_attended": f.days_attended,
            "jpl_total": f.jpl, "certificates": f.certificates,
            "kampung_kb_covered": f.kampung_kb_covered, "by_poktan": dict(f.by_poktan)}


def office_read(row: "OfficeRow") -> OfficeRead:
    return OfficeRead(organization_id=row.organization_id, name=row.name, city=row.city,
                      sharing_since=row.sharing_since, kampung_kb_target=row.kampung_kb_target,
                      kampung_kb_registered=row.kampung_kb_registered,
                      trainings_by_year=row.trainings_by_year, **_figures(row.figures))


def province_read(view: "ProvinceView") -> ProvinceOfficesRead:
    totals = view.totals
    return ProvinceOfficesRead(
        province=view.province, year=view.year, years=view.years,
        items=[office_read(r) for r in view.offices],
        totals=TotalsRead(kampung_kb_target=totals.kampung_kb_target,
                          kampung_kb_registered=totals.kampung_kb_registered,
                          **_figures(totals.figures)))


def detail_read(detail: "OfficeDetail") -> OfficeDetailRead:
    base = office_read(detail.row).model_dump()
    return OfficeDetailRead(
        **base, year=detail.year, unlinked=detail.unlinked,
        by_year=[YearRead(year=y.year, **_figures(y.figures), trainings_list=[
            TrainingFiguresRead(title=t.title, kind=t.kind, start_date=t.start_date,
                                end_date=t.end_date, **_figures(t.figures))
            for t in y.trainings]) for y in detail.years],
        by_district=[DistrictRead(district=d.district, kampung_kb=d.kampung_kb,
                                  covered=d.covered, by_poktan=dict(d.by_poktan))
                     for d in detail.by_district])


def sharing_read(choices: "list[Choice]") -> SharingRead:
    return SharingRead(items=[ProvinceChoiceRead(
        organization_id=c.province_id, name=c.name, city=c.city, shared=c.shared,
        agreed_at=c.agreed_at, agreed_by=c.agreed_by) for c in choices])
