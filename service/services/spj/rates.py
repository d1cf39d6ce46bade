"""The rate table of an organization for a year: entered by its treasurer, never
hard-coded. Stored as one validated JSON document (schemas/spj.py RateTableIn); amounts
in whole rupiah, percentages as decimal strings.

Places are matched by name the way offices write them: "Kota Palembang", "Palembang"
and "KOTA PALEMBANG" are one place; "Kabupaten Solok" and "Kota Solok" are two."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from service.errors import Conflict, InvalidInput, NotFound
from service.i18n import N_
from service.i18n import gettext as _
from service.models import Organization, User
from service.models.base import utcnow
from service.models.spj import RateTable
from service.schemas.spj import RateTableIn

FIRST_YEAR, LAST_YEAR = 2000, 2100

_PREFIX = re.compile(r"^(kota administrasi|kabupaten|kab|kota|kotamadya|kodya)\b\.?\s*")


class NoRateTable(Conflict):
    code = "no_rate_table"
    message = N_("There is no rate table for {year} yet: the treasurer enters it under "
                 "Rates.")


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NotFound("Rate table not found.")
    return year


def place_key(name: str) -> tuple[str, str]:
    """(kind, name) of a place as written: kind "kota", "kab" or "" when not said."""
    plain = re.sub(r"[^a-z0-9 ]+", " ", name.casefold().replace(".", ". "))
    plain = re.sub(r"\s+", " ", plain).strip()
    found = _PREFIX.match(plain)
    if not found:
        return "", plain
    prefix = found.group(1)
    kind = "kab" if prefix.startswith("kab") else "kota"
    return kind, plain[found.end():].strip()


def same_place(a: str, b: str) -> bool:
    (kind_a, name_a), (kind_b, name_b) = place_key(a), place_key(b)
    return bool(name_a) and name_a == name_b and (not kind_a or not kind_b or kind_a == kind_b)


def validate(data: RateTableIn) -> RateTableIn:
    """What the schema cannot say: names unique, a place in one row or zone only."""
    problems: list[dict[str, str]] = []
    seen: set[str] = set()
    for i, c in enumerate(data.classes):
        key = c.name.casefold()
        if key in seen:
            problems.append({"field": f"classes.{i}.name", "message": _(
                "The class {name} is listed twice: each class once.", name=c.name)})
        seen.add(key)
    zones: set[str] = set()
    for i, z in enumerate(data.transport.zones):
        if z.name.casefold() in zones:
            problems.append({"field": f"transport.zones.{i}.name", "message": _(
                "The zone {name} is listed twice.", name=z.name)})
        zones.add(z.name.casefold())
    places: list[str] = []
    named = [(f"transport.regencies.{i}.name", r.name)
             for i, r in enumerate(data.transport.regencies)]
    named += [(f"transport.zones.{i}.regencies", p) for i, z in enumerate(data.transport.zones)
              for p in z.regencies]
    for field, name in named:
        if any(same_place(name, other) for other in places):
            problems.append({"field": field, "message": _(
                "{place} has two transport rates: list it once.", place=name)})
        places.append(name)
    if problems:
        raise InvalidInput(problems)
    return data


def find(db: Session, org_id: int, year: int) -> RateTable | None:
    return db.exec(select(RateTable).where(RateTable.organization_id == org_id,
                                           RateTable.year == year)).first()


def years(db: Session, org_id: int) -> list[int]:
    return list(db.exec(select(RateTable.year).where(RateTable.organization_id == org_id)
                        .order_by(col(RateTable.year).desc())).all())


def parsed(table: RateTable) -> RateTableIn:
    return RateTableIn.model_validate(table.document)


def get(db: Session, org_id: int, year: int) -> RateTable:
    table = find(db, org_id, check_year(year))
    if table is None:
        raise NotFound("There is no rate table for {year} yet.", code="no_rate_table",
                       params={"year": year})
    return table


def for_training_year(db: Session, org_id: int, day: date) -> tuple[int, RateTableIn]:
    """The rate table of the year a training starts in, or a 409 that says to enter it."""
    table = find(db, org_id, day.year)
    if table is None:
        raise NoRateTable(params={"year": day.year})
    return day.year, parsed(table)


def save(db: Session, org_id: int, year: int, data: RateTableIn, user: User) -> RateTable:
    """Create or replace the year's table (as a whole: the treasurer's form holds it all)."""
    check_year(year)
    validate(data)
    table = find(db, org_id, year) or RateTable(organization_id=org_id, year=year)
    table.document = data.model_dump(mode="json")
    table.updated_by = user.id
    table.updated_at = utcnow()
    db.add(table)
    db.flush()
    return table


def copy_previous(db: Session, org_id: int, year: int, user: User) -> RateTable:
    """Start a year's table as a copy of the latest earlier year's (or empty)."""
    check_year(year)
    if find(db, org_id, year) is not None:
        raise Conflict("The rate table for {year} already exists.", code="rate_table_exists",
                       params={"year": year})
    earlier = db.exec(select(RateTable).where(RateTable.organization_id == org_id,
                                              col(RateTable.year) < year)
                      .order_by(col(RateTable.year).desc())).first()
    data = parsed(earlier) if earlier else RateTableIn()
    return save(db, org_id, year, data, user)


@dataclass(frozen=True)
class TransportRate:
    rate: int  # per day: transport + daily allowance + meals
    transport: int
    origin_kind: str  # within_city | regency | zone | default | unknown
    zone: str | None = None


def transport_rate(data: RateTableIn, org: Organization, origin: str | None) -> TransportRate:
    """A participant's rate per day present, by where they come from."""
    extra = data.daily_allowance + data.meals
    t = data.transport
    if not origin:
        return TransportRate(t.default + extra, t.default, "unknown")
    if org.city and same_place(origin, org.city):
        return TransportRate(t.within_city + extra, t.within_city, "within_city")
    for r in t.regencies:
        if same_place(origin, r.name):
            return TransportRate(r.rate + extra, r.rate, "regency")
    for z in t.zones:
        if any(same_place(origin, p) for p in z.regencies):
            return TransportRate(z.rate + extra, z.rate, "zone", z.name)
    return TransportRate(t.default + extra, t.default, "default")


def pph21(data: RateTableIn, golongan: str | None, has_npwp: bool) -> Decimal:
    pair = data.tax.pph21.get(golongan or "non_asn")  # type: ignore[call-overload]
    if pair is None:
        return Decimal(0)
    return pair.with_npwp if has_npwp else pair.without_npwp


def class_rate(data: RateTableIn, name: str | None) -> int | None:
    if not name:
        return None
    for c in data.classes:
        if c.name.casefold() == name.casefold():
            return c.rate
    return None
