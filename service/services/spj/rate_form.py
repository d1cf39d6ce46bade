"""The rates page's form, to and from the rate table: rows of classes, kabupaten/kota
and zones (with empty rows to type into), amounts as people type them ("1.400.000",
"Rp 900.000"), percentages with a decimal comma ("2,5").

A row left wholly empty is dropped; a row with a name and no amount (or the other way
round) goes through, so the table's validation says which field is missing."""

import re
from dataclasses import dataclass, field
from typing import Any

from service.schemas.spj import TAX_GROUPS, RateTableIn

EMPTY_ROWS = 3


def money_value(raw: str) -> str | int:
    """ "Rp 1.400.000" -> 1400000; what is not a whole amount is kept for the 422."""
    text = re.sub(r"(?i)^\s*rp\.?\s*", "", raw).strip()
    plain = re.sub(r"[.\s]", "", text)
    if plain.endswith(",00"):
        plain = plain[:-3]
    return int(plain) if plain.isdigit() else (raw.strip() or 0)


def percent_value(raw: str) -> str:
    return raw.strip().replace(",", ".").rstrip("%").strip() or "0"


@dataclass
class RateForm:
    """What the page shows: the values as typed, one list per table of rows."""

    honorarium_unit: str = "jp"
    classes: list[tuple[str, str]] = field(default_factory=list)
    regencies: list[tuple[str, str]] = field(default_factory=list)
    zones: list[tuple[str, str, str]] = field(default_factory=list)
    within_city: str = ""
    default: str = ""
    daily_allowance: str = ""
    meals: str = ""
    tax: dict[str, str] = field(default_factory=dict)
    tax_transport: str = "0"

    def padded(self, extra: int = EMPTY_ROWS) -> "RateForm":
        """The same, with `extra` empty rows under each list to type into."""
        return RateForm(self.honorarium_unit, [*self.classes, *[("", "")] * extra],
                        [*self.regencies, *[("", "")] * extra],
                        [*self.zones, *[("", "", "")] * max(1, extra - 1)], self.within_city,
                        self.default, self.daily_allowance, self.meals, dict(self.tax),
                        self.tax_transport)


def _rp(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _pct(value: Any) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def from_table(data: RateTableIn) -> RateForm:
    tax: dict[str, str] = {}
    for group in TAX_GROUPS:
        pair = data.tax.pph21.get(group)  # type: ignore[call-overload]
        tax[f"{group}_with"] = _pct(pair.with_npwp) if pair else "0"
        tax[f"{group}_without"] = _pct(pair.without_npwp) if pair else "0"
    t = data.transport
    return RateForm(
        data.honorarium_unit, [(c.name, _rp(c.rate)) for c in data.classes],
        [(r.name, _rp(r.rate)) for r in t.regencies],
        [(z.name, _rp(z.rate), "\n".join(z.regencies)) for z in t.zones],
        _rp(t.within_city), _rp(t.default), _rp(data.daily_allowance), _rp(data.meals), tax,
        _pct(data.tax.transport))


def from_rows(fields: dict[str, str], classes: list[tuple[str, ...]],
              regencies: list[tuple[str, ...]], zones: list[tuple[str, ...]]) -> RateForm:
    """The form as submitted (nothing parsed yet: it comes back as typed on an error)."""
    def keep(rows: list[tuple[str, ...]]) -> list[Any]:
        return [tuple(v.strip() for v in r) for r in rows if any(v.strip() for v in r)]

    return RateForm(
        fields.get("honorarium_unit", "jp"), keep(classes), keep(regencies), keep(zones),
        fields.get("within_city", ""), fields.get("default", ""),
        fields.get("daily_allowance", ""), fields.get("meals", ""),
        {f"{g}_{k}": fields.get(f"tax_{g}_{k}", "") for g in TAX_GROUPS
         for k in ("with", "without")}, fields.get("tax_transport", ""))


def document(form: RateForm) -> dict[str, Any]:
    """The form as the rate table's JSON shape (RateTableIn validates it)."""
    return {
        "honorarium_unit": form.honorarium_unit,
        "classes": [{"name": n, "rate": money_value(r)} for n, r in form.classes],
        "transport": {
            "within_city": money_value(form.within_city), "default": money_value(form.default),
            "regencies": [{"name": n, "rate": money_value(r)} for n, r in form.regencies],
            "zones": [{"name": n, "rate": money_value(r),
                       "regencies": [p.strip() for p in re.split(r"[\n,;]", places)
                                     if p.strip()]} for n, r, places in form.zones]},
        "daily_allowance": money_value(form.daily_allowance),
        "meals": money_value(form.meals),
        "tax": {"transport": percent_value(form.tax_transport),
                "pph21": {g: {"with_npwp": percent_value(form.tax.get(f"{g}_with", "")),
                              "without_npwp": percent_value(form.tax.get(f"{g}_without", ""))}
                          for g in TAX_GROUPS}},
    }
