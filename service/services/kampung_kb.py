"""An organization's register of Kampung KB, and linking its participants to it.

The register: name, kelurahan/desa (village), kecamatan (district), year formed and the
poktan it runs (POKTAN: BKB, BKR, BKL, UPPKA, PIK-R), entered by hand or imported from a
spreadsheet (.xlsx or .csv, title blocks above the header allowed; headers "Nama Kampung
KB", "Kelurahan/Desa", "Kecamatan", "Tahun Terbentuk", "Poktan"). An import is all or
nothing: one bad row refuses the file, with every bad row listed. A row naming an entry
already there (same name and kelurahan) updates it.

Matching: a participant belongs to a Kampung KB through `Participant.kampung_kb_id`.
A free-text `kampung_kb` links to the register entry it names when it names exactly one
(`match_entry`, the one rule): names compare normalised (case, spacing and a leading
"Kampung KB" ignored); when the participant gave a kelurahan/desa, the entry's must match
too. Every path that writes a participant's text links it at once (a registration by the
API, the committee's form or /daftar, an import, an edit, a merge: `link_person`,
`link_people`), and a change to the register links those still unlinked
(`match_participants`). Texts left unmatched (unknown, or naming several entries) are
listed for the committee, who map a text to an entry: saved for every unlinked
participant with that text. A link once made is never undone by matching; only an edit
of the participant's Kampung KB text or kelurahan drops it, to be matched again
(`relink_person`).
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.errors import Conflict, FieldError, NotFound, field_errors
from service.i18n import N_
from service.imports.errors import ColumnProblem, ImportRefused, SheetRowError, SheetRowsRefused
from service.imports.reader import read_table
from service.models import KampungKB, Organization, Participant, Registration
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


RowError = SheetRowError


class RegisterRowsRefused(SheetRowsRefused):
    code = "register_rows_invalid"


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

# name key -> (entry id, kelurahan key) of each entry with that name
RegisterIndex = dict[str, list[tuple[int, str]]]


def register_index(db: Session, org_id: int) -> RegisterIndex:
    """The organization's register as matching reads it: one query, three columns."""
    index: RegisterIndex = defaultdict(list)
    for kkb_id, name, village in db.exec(
            select(KampungKB.id, KampungKB.name, KampungKB.village)
            .where(KampungKB.organization_id == org_id)).all():
        index[name_key(name)].append((int(kkb_id or 0), village_key(village)))
    return index


def match_entry(index: RegisterIndex, text: str | None, village: str | None) -> int | None:
    """The id of the one register entry a Kampung KB text (and kelurahan, when given)
    names, or None for none or several (see the module's note)."""
    candidates = index.get(name_key(text), []) if (text or "").strip() else []
    if village and village.strip():
        candidates = [c for c in candidates if c[1] == village_key(village)]
    return candidates[0][0] if len(candidates) == 1 else None


def link_person(db: Session, person: Participant) -> bool:
    """Link one participant (new or edited, not yet flushed perhaps) to the entry their
    text names; whether they are linked now. A link already there stays; the caller adds
    and flushes the person."""
    if person.kampung_kb_id is not None:
        return True
    if not (person.kampung_kb or "").strip():
        return False
    person.kampung_kb_id = match_entry(register_index(db, person.organization_id),
                                       person.kampung_kb, person.village)
    return person.kampung_kb_id is not None


def relink_person(db: Session, person: Participant, old_text: str | None,
                  old_village: str | None) -> bool:
    """After an edit of the person: a Kampung KB text or kelurahan that now reads
    differently drops the old link and is matched again; unchanged ones keep their link
    (perhaps mapped by hand)."""
    if (name_key(old_text), village_key(old_village)) != (name_key(person.kampung_kb),
                                                          village_key(person.village)):
        person.kampung_kb_id = None
    return link_person(db, person)


@dataclass(frozen=True)
class LinkResult:
    linked: int  # linked now
    unmatched: int  # with a Kampung KB text that names no single entry: to map by hand


def link_people(db: Session, org_id: int, person_ids: Sequence[int]) -> LinkResult:
    """Link those of these participants (an import's) not linked yet to the entries their
    texts name: a query per 500 people and an UPDATE per entry. An office without a
    register has nothing to link to, and nothing to map: (0, 0)."""
    index = register_index(db, org_id)
    if not index:
        return LinkResult(0, 0)
    links: dict[int, list[int]] = defaultdict(list)
    unmatched = 0
    for start in range(0, len(person_ids), _CHUNK):
        for pid, text, village in db.exec(
                select(Participant.id, Participant.kampung_kb, Participant.village)
                .where(col(Participant.id).in_(person_ids[start:start + _CHUNK]),
                       Participant.organization_id == org_id,
                       col(Participant.kampung_kb).is_not(None),
                       col(Participant.kampung_kb_id).is_(None))).all():
            if not (text or "").strip():
                continue
            found = match_entry(index, text, village)
            if found is None:
                unmatched += 1
            else:
                links[found].append(int(pid or 0))
    for kkb_id, ids in links.items():
        _link(db, kkb_id, ids)
    return LinkResult(sum(len(ids) for ids in links.values()), unmatched)


def unmatched_count(db: Session, org_id: int,
                    texts: Iterable[tuple[str | None, str | None]]) -> int:
    """How many of these (Kampung KB text, kelurahan) name no single register entry: an
    import's preview says so before anything is written (0 for an office without a
    register: nothing to map them to)."""
    wanted = [(t, v) for t, v in texts if (t or "").strip()]
    index = register_index(db, org_id) if wanted else {}
    return sum(match_entry(index, t, v) is None for t, v in wanted) if index else 0


def unlinked_in_training(db: Session, org_id: int, training_id: int) -> int:
    """How many people registered for a training (cancelled ones aside) have a Kampung KB
    text linked to no register entry: what is left to map after an import (0 for an
    office without a register). Two queries."""
    if db.exec(select(KampungKB.id).where(KampungKB.organization_id == org_id)
               .limit(1)).first() is None:
        return 0
    return int(db.exec(
        select(func.count(col(Participant.id).distinct()))
        .join(Registration, col(Registration.participant_id) == Participant.id)
        .where(Registration.training_id == training_id, Registration.status != "cancelled",
               col(Participant.kampung_kb).is_not(None), Participant.kampung_kb != "",
               col(Participant.kampung_kb_id).is_(None))).one())


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
    index = register_index(db, org_id)
    if not index:
        return 0
    links: dict[int, list[int]] = defaultdict(list)
    for pid, text, village in _unlinked(db, org_id):
        found = match_entry(index, text, village)
        if found is not None:
            links[found].append(pid)
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
