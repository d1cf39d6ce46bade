"""An organization's register of Kampung KB, and linking its participants to it.

The register: name, kelurahan/desa (village), kecamatan (district), year formed and the
poktan it runs (POKTAN: BKB, BKR, BKL, UPPKA, PIK-R), entered by hand or imported from a
spreadsheet (.xlsx or .csv, title blocks above the header allowed; headers "Nama Kampung
KB", "Kelurahan/Desa", "Kecamatan", "Tahun Terbentuk", "Poktan"). An import is all or
nothing: one bad row refuses the file, with every bad row listed. A row naming an entry
already there (same name and kelurahan) updates it.

Matching: a participant belongs to a Kampung KB through `Participant.kampung_kb_id`.
`match_participants` links the participants whose free-text `kampung_kb` names exactly
one register entry: names compare normalised (case, spacing and a leading "Kampung KB"
ignored); when the participant gave a kelurahan/desa, the entry's must match too. Texts
left unmatched (unknown, or naming several entries) are listed for the committee, who
map a text to an entry: saved for every unlinked participant with that text. A link once
made is never undone by matching.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.errors import Conflict, FieldError, NotFound, field_errors
from service.i18n import N_
from service.i18n import gettext as _
from service.imports.errors import ColumnProblem, ImportRefused
from service.imports.reader import read_table
from service.models import KampungKB, Organization, Participant
from service.models.base import pk
from service.models.kampung_kb import POKTAN
from service.schemas.kampung_kb import KampungKBCreate

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
_CHUNK = 500  # ids per UPDATE ... IN (...), well under SQLite's parameter limit

# A poktan as offices write it, in a category name ("Kader BKB") or a register cell.
_POKTAN_RE = re.compile(
    r"(?<![a-z])(?:(?P<bkb>bkb)|(?P<bkr>bkr)|(?P<bkl>bkl)|(?P<uppka>uppk[as])"
    r"|(?P<pikr>pik[\s_-]*(?:r|remaja)))(?![a-z])")
_POKTAN_GROUPS = {"bkb": "BKB", "bkr": "BKR", "bkl": "BKL", "uppka": "UPPKA", "pikr": "PIK-R"}
_KKB_PREFIX = re.compile(r"^kampung\s*kb\b[\s.:,-]*")
_VILLAGE_PREFIX = re.compile(r"^(?:kelurahan|kel\.?|desa|ds\.?)\s+")


# --- normalising ------------------------------------------------------------------------

def poktan_in(text: str | None) -> str | None:
    """The first poktan a text names ("Kader BKB" -> "BKB", "pik r" -> "PIK-R",
    "UPPKS" -> "UPPKA"), or None."""
    found = _POKTAN_RE.search((text or "").casefold())
    if found is None:
        return None
    return next(_POKTAN_GROUPS[g] for g, v in found.groupdict().items() if v)


def _spaced(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def name_key(text: str | None) -> str:
    """A Kampung KB name as it is compared: "  KAMPUNG KB  Melati " -> "melati"."""
    spaced = _spaced(text)
    return _KKB_PREFIX.sub("", spaced).strip() or spaced


def village_key(text: str | None) -> str:
    """A kelurahan/desa as it is compared: "Kel. Air Tawar Barat" -> "air tawar barat"."""
    spaced = _spaced(text)
    return _VILLAGE_PREFIX.sub("", spaced).strip() or spaced


def _poktan_text(names: Iterable[str], field: str = "poktan") -> str:
    chosen = set()
    for name in names:
        found = poktan_in(name)
        if found is None or _spaced(name).replace(" ", "") not in _spellings(found):
            raise FieldError(field, "Unknown poktan {name}: use {expected}.",
                             code="unknown_poktan", name=name, expected=", ".join(POKTAN))
        chosen.add(found)
    return ",".join(p for p in POKTAN if p in chosen)


def _spellings(poktan: str) -> set[str]:
    return {"BKB": {"bkb"}, "BKR": {"bkr"}, "BKL": {"bkl"}, "UPPKA": {"uppka", "uppks"},
            "PIK-R": {"pik-r", "pikr", "pik_r", "pikremaja", "pik-remaja"}}[poktan]


# --- the register --------------------------------------------------------------------------

def list_register(db: Session, org_id: int) -> list[KampungKB]:
    """The organization's Kampung KB by kecamatan, kelurahan and name."""
    rows = db.exec(select(KampungKB).where(KampungKB.organization_id == org_id)).all()
    return sorted(rows, key=lambda k: (_spaced(k.district), village_key(k.village),
                                       name_key(k.name), k.id or 0))


def get_kampung_kb(db: Session, org_id: int, kkb_id: int) -> KampungKB:
    """The entry if it belongs to the organization; another's is simply not found."""
    kkb = db.get(KampungKB, kkb_id)
    if kkb is None or kkb.organization_id != org_id:
        raise NotFound("Kampung KB not found.")
    return kkb


def _check_unique(db: Session, org_id: int, name: str, village: str,
                  own_id: int | None = None) -> None:
    key = (name_key(name), village_key(village))
    for other in db.exec(select(KampungKB).where(KampungKB.organization_id == org_id)).all():
        if other.id != own_id and (name_key(other.name), village_key(other.village)) == key:
            raise Conflict(N_("{name} in {village} is already in the register."),
                           code="duplicate_kampung_kb",
                           params={"name": other.name, "village": other.village})


def _save(db: Session, kkb: KampungKB) -> KampungKB:
    db.add(kkb)
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError:
        # Another request saved the same name and kelurahan in the meantime.
        raise Conflict(N_("{name} in {village} is already in the register."),
                       code="duplicate_kampung_kb",
                       params={"name": kkb.name, "village": kkb.village}) from None
    return kkb


def create_kampung_kb(db: Session, org_id: int, data: KampungKBCreate) -> KampungKB:
    poktan = _poktan_text(data.poktan)
    _check_unique(db, org_id, data.name, data.village)
    kkb = _save(db, KampungKB(organization_id=org_id, name=data.name, village=data.village,
                              district=data.district, year_formed=data.year_formed,
                              poktan=poktan))
    match_participants(db, org_id)
    return kkb


def update_kampung_kb(db: Session, kkb: KampungKB, data: KampungKBCreate) -> KampungKB:
    poktan = _poktan_text(data.poktan)
    _check_unique(db, kkb.organization_id, data.name, data.village, own_id=kkb.id)
    kkb.name, kkb.village, kkb.district = data.name, data.village, data.district
    kkb.year_formed, kkb.poktan = data.year_formed, poktan
    _save(db, kkb)
    match_participants(db, kkb.organization_id)
    return kkb


def delete_kampung_kb(db: Session, kkb: KampungKB) -> None:
    """Remove the entry; its participants keep their text and become unmatched."""
    db.execute(update(Participant).where(col(Participant.kampung_kb_id) == pk(kkb))
            .values(kampung_kb_id=None))
    db.delete(kkb)
    db.flush()


def set_target(db: Session, org_id: int, target: int | None) -> Organization:
    org = db.get(Organization, org_id)
    if org is None:
        raise NotFound()
    org.kampung_kb_target = target
    db.add(org)
    db.flush()
    return org


def target_of(db: Session, org_id: int) -> int | None:
    org = db.get(Organization, org_id)
    return org.kampung_kb_target if org else None


# --- import --------------------------------------------------------------------------------

_HEADERS = {
    "name": ("namakampungkb", "kampungkb", "namakampung", "nama"),
    "village": ("kelurahandesa", "desakelurahan", "kelurahan", "desa", "keldesa", "kel"),
    "district": ("kecamatan", "kec"),
    "year_formed": ("tahunterbentuk", "tahunpembentukan", "tahun", "tahunbentuk"),
    "poktan": ("poktan", "kelompokkegiatan", "poktanyangada"),
}
_REQUIRED = ("name", "village", "district")
_LABELS = {"name": "Nama Kampung KB", "village": "Kelurahan/Desa", "district": "Kecamatan",
           "year_formed": "Tahun Terbentuk", "poktan": "Poktan"}


def _header_field(cell: str) -> str | None:
    plain = re.sub(r"[^a-z0-9]", "", cell.casefold())
    return next((f for f, names in _HEADERS.items() if plain in names), None)


def _rank(cells: list[str]) -> tuple[int, int, int]:
    fields = [f for f in (_header_field(c) for c in cells) if f]
    return 0, int("name" in fields), len(set(fields))


class RegisterColumnsMissing(ColumnProblem):
    def __init__(self, missing: Sequence[str]) -> None:
        super().__init__(N_("The header row needs the columns {columns}; missing: {missing}."),
                         code="register_columns_missing",
                         columns=", ".join(_LABELS[f] for f in _REQUIRED),
                         missing=", ".join(_LABELS[f] for f in missing))


def _check_header(headers: list[str]) -> None:
    found = {_header_field(h) for h in headers}
    missing = [f for f in _REQUIRED if f not in found]
    if missing:
        raise RegisterColumnsMissing(missing)


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it
    message: str  # a message id
    params: dict[str, Any]

    def text(self) -> str:
        return _(self.message, **self.params)


class RegisterRowsRefused(ImportRefused):
    """Some rows are wrong: nothing was imported; every wrong row is listed."""

    code, status = "register_rows_invalid", 422
    message = N_("Nothing was imported: {count} rows need correcting first.")

    def __init__(self, rows: list[RowError]) -> None:
        super().__init__(params={"count": len({r.row for r in rows})})
        self.rows = rows

    def payload(self) -> dict[str, Any]:
        return {**super().payload(),
                "errors": [{"row": r.row, "message": r.text()} for r in self.rows]}


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    linked: int


def import_register(db: Session, org_id: int, content: bytes,
                    filename: str) -> ImportSummary:
    """Import the sheet's rows into the register, all or none (see the module's note)."""
    table = read_table(content, filename, max_bytes=MAX_IMPORT_BYTES,
                       max_rows=MAX_IMPORT_ROWS, check_header=_check_header,
                       rank_header=_rank)
    where: dict[str, int] = {}
    for i, h in enumerate(table.headers):
        found = _header_field(h)
        if found and found not in where:
            where[found] = i
    existing = {(name_key(k.name), village_key(k.village)): k
                for k in db.exec(select(KampungKB)
                                 .where(KampungKB.organization_id == org_id)).all()}
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    wanted: list[tuple[KampungKBCreate, str]] = []
    for number, cells in table.rows:
        raw = {f: cells[i].strip() if i < len(cells) else "" for f, i in where.items()}
        if not any(raw.values()):
            continue
        # Every mistake of the row at once: its fields, then its poktan.
        problems: list[RowError] = []
        data: KampungKBCreate | None = None
        try:
            data = KampungKBCreate.model_validate(raw)
        except ValidationError as exc:
            problems += [RowError(number, N_("{column}: {problem}"), {
                "column": _LABELS.get(e["field"].split(".")[0], e["field"]),
                "problem": e["message"]}) for e in field_errors(exc)]
        try:
            poktan = _poktan_text(p.strip() for p in re.split("[,;]", raw.get("poktan", ""))
                                  if p.strip())
        except FieldError as exc:
            problems.append(RowError(number, exc.message, exc.params))
        if problems or data is None:
            errors += problems
            continue
        key = (name_key(data.name), village_key(data.village))
        if key in seen:
            errors.append(RowError(number, N_("The same Kampung KB as row {row}."),
                                   {"row": seen[key]}))
            continue
        seen[key] = number
        wanted.append((data, poktan))
    if errors:
        raise RegisterRowsRefused(errors)
    if not wanted:
        raise ImportRefused(N_("The file has no Kampung KB rows under its header."),
                            code="register_empty")
    created = updated = 0
    for data, poktan in wanted:
        kkb = existing.get((name_key(data.name), village_key(data.village)))
        if kkb is None:
            kkb = KampungKB(organization_id=org_id, name=data.name, village=data.village,
                            district=data.district)
            created += 1
        else:
            updated += 1
        kkb.district, kkb.year_formed, kkb.poktan = data.district, data.year_formed, poktan
        db.add(kkb)
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError:
        raise Conflict(N_("The register changed while importing; try again."),
                       code="register_changed") from None
    return ImportSummary(created, updated, match_participants(db, org_id))


# --- linking participants --------------------------------------------------------------------

def _link(db: Session, kkb_id: int, ids: Sequence[int]) -> None:
    for start in range(0, len(ids), _CHUNK):
        db.execute(update(Participant)
                .where(col(Participant.id).in_(ids[start:start + _CHUNK]))
                .values(kampung_kb_id=kkb_id))


def _unlinked(db: Session, org_id: int) -> list[tuple[int, str, str | None]]:
    return [(pid or 0, text or "", village) for pid, text, village in db.exec(
        select(Participant.id, Participant.kampung_kb, Participant.village)
        .where(Participant.organization_id == org_id,
               col(Participant.kampung_kb).is_not(None),
               col(Participant.kampung_kb_id).is_(None))).all()
        if (text or "").strip()]


def match_participants(db: Session, org_id: int) -> int:
    """Link the unlinked participants whose Kampung KB text names one register entry (see
    the module's note); how many were linked."""
    by_name: dict[str, list[KampungKB]] = defaultdict(list)
    for kkb in db.exec(select(KampungKB).where(KampungKB.organization_id == org_id)).all():
        by_name[name_key(kkb.name)].append(kkb)
    if not by_name:
        return 0
    links: dict[int, list[int]] = defaultdict(list)
    for pid, text, village in _unlinked(db, org_id):
        candidates = by_name.get(name_key(text), [])
        if village and village.strip():
            candidates = [k for k in candidates if village_key(k.village) == village_key(village)]
        if len(candidates) == 1:
            links[pk(candidates[0])].append(pid)
    for kkb_id, ids in links.items():
        _link(db, kkb_id, ids)
    return sum(len(ids) for ids in links.values())


@dataclass(frozen=True)
class Unmatched:
    text: str  # the spelling most participants used
    participants: int


def unmatched(db: Session, org_id: int) -> list[Unmatched]:
    """The Kampung KB texts of unlinked participants, most participants first."""
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    for _pid, text, _village in _unlinked(db, org_id):
        groups[name_key(text)][" ".join(text.split())] += 1
    found = [Unmatched(c.most_common(1)[0][0], sum(c.values())) for c in groups.values()]
    return sorted(found, key=lambda u: (-u.participants, u.text.casefold()))


def map_text(db: Session, org_id: int, text: str, kkb_id: int) -> int:
    """Link every unlinked participant whose Kampung KB text reads as `text` to the entry;
    how many were linked."""
    kkb = get_kampung_kb(db, org_id, kkb_id)
    key = name_key(text)
    ids = [pid for pid, t, _v in _unlinked(db, org_id) if name_key(t) == key]
    if not ids:
        raise FieldError("text", "No unmatched participant has this Kampung KB text.",
                         code="nothing_to_map")
    _link(db, pk(kkb), ids)
    return len(ids)
