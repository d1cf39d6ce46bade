"""Shapes for the Kampung KB register and the coverage of its poktan by trained cadres."""

from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from service.models.kampung_kb import POKTAN
from service.schemas.common import Id, Name, Short, _blank_to_none

if TYPE_CHECKING:  # the services build these from their read models
    from service.models import KampungKB
    from service.services.coverage import Coverage


def _poktan_list(v: object) -> object:
    # A form or a sheet sends "BKB, BKR"; JSON may send a list.
    if isinstance(v, str):
        return [p for p in (x.strip() for x in v.replace(";", ",").split(",")) if p]
    return v


Year = Annotated[int | None, Field(ge=1945, le=2100), BeforeValidator(_blank_to_none)]
PoktanList = Annotated[list[Annotated[str, Field(max_length=20)]], Field(max_length=20),
                       BeforeValidator(_poktan_list)]


class KampungKBCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Name
    village: Short  # kelurahan/desa
    district: Short  # kecamatan
    year_formed: Year = None
    # POKTAN names; spellings such as "pik r" or "UPPKS" are read as theirs (services).
    poktan: PoktanList = []


class KampungKBUpdate(KampungKBCreate):
    pass


class TargetIn(BaseModel):
    """How many Kampung KB the office aims at; empty for none."""

    model_config = ConfigDict(extra="ignore")

    target: Annotated[int | None, Field(ge=0, le=100_000), BeforeValidator(_blank_to_none)]


class MappingIn(BaseModel):
    """A participant's Kampung KB text, and the register entry it means."""

    model_config = ConfigDict(extra="ignore")

    text: Annotated[str, Field(min_length=1, max_length=200)]
    kampung_kb_id: Id


# Responses

class KampungKBRead(BaseModel):
    id: int
    name: str
    village: str
    district: str
    year_formed: int | None
    poktan: list[str]


class KampungKBList(BaseModel):
    items: list[KampungKBRead]
    total: int
    target: int | None


class ImportResult(BaseModel):
    created: int
    updated: int
    linked: int  # participants linked to an entry by their Kampung KB text afterwards


class MatchResult(BaseModel):
    linked: int


class UnmatchedItem(BaseModel):
    text: str
    participants: int


class UnmatchedList(BaseModel):
    items: list[UnmatchedItem]


class DistrictCoverage(BaseModel):
    district: str
    kampung_kb: int
    covered: int
    by_poktan: dict[str, int]


class KampungKBCoverage(BaseModel):
    id: int
    name: str
    village: str
    district: str
    poktan: list[str]
    trained: dict[str, int]
    missing: list[str]


class CoverageRead(BaseModel):
    target: int | None
    registered: int
    covered: int
    # Trained cadres whose Kampung KB is not (yet) linked to the register.
    unlinked: int
    by_district: list[DistrictCoverage]
    items: list[KampungKBCoverage]


def poktan_names(text: str) -> list[str]:
    """The stored "BKB,BKR" as a list, in POKTAN order."""
    chosen = {p for p in text.split(",") if p}
    return [p for p in POKTAN if p in chosen]


def kampung_kb_read(kkb: "KampungKB") -> KampungKBRead:
    return KampungKBRead(id=kkb.id or 0, name=kkb.name, village=kkb.village,
                         district=kkb.district, year_formed=kkb.year_formed,
                         poktan=poktan_names(kkb.poktan))


def coverage_read(cov: "Coverage") -> CoverageRead:
    return CoverageRead(
        target=cov.target, registered=cov.registered, covered=cov.covered,
        unlinked=cov.unlinked,
        by_district=[DistrictCoverage(district=d.district, kampung_kb=d.kampung_kb,
                                      covered=d.covered, by_poktan=dict(d.by_poktan))
                     for d in cov.by_district],
        items=[KampungKBCoverage(id=i.id, name=i.name, village=i.village,
                                 district=i.district, poktan=list(i.poktan),
                                 trained=dict(i.trained), missing=list(i.missing))
               for i in cov.items])
