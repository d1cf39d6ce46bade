"""Importing a participant spreadsheet into a training: all rows or none.

The file is read and every row validated first (service/imports); only a file with no
problem is written, in the request's one transaction, with bulk statements so 10,000
rows take seconds. Imported registrations wait for a batch: the assignment step
places them.

What the committee decides on the preview page (the header row, each column's field,
what an unfamiliar category spelling means) is remembered per organization and sheet
layout (ImportLayout) and offered again for the next file of that layout; corrections
typed into the preview are kept with the upload and applied on every check.

A row is a person the organization may know already, found by the one rule of
people.matching (NIK, else NIP, else phone and name): a known person gains what only the
row says, and their Kampung KB text, like a new person's, is linked to the register where
it names one entry; the import reports how many name none, for the mapping page. A row
that is a person already registered for the training, or the same person as an earlier
row, is a problem of the file like any other.
"""

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, insert, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.errors import Conflict, DomainError, FieldError, NotFound
from service.i18n import N_, gettext
from service.i18n.names import sort_key
from service.imports.columns import FIELDS, ColumnMapping, header_mapping, header_rank, signature
from service.imports.reader import HeaderRank, Table, read_table
from service.imports.validate import (
    NEW_CATEGORY,
    ImportedRow,
    RowError,
    ValidatedImport,
    apply_corrections,
    validate_rows,
)
from service.models import (
    ImportLayout,
    ImportUpload,
    Participant,
    Registration,
    Training,
    TrainingCategory,
    User,
)
from service.models.base import pk, utcnow
from service.services import kampung_kb, seats
from service.services.participant_fields import contact_key
from service.services.people import matching
from service.services.registrations import (
    PARTICIPANT_FIELDS,
    categories_of,
    fill_blanks,
    new_ticket_token,
)
from service.settings import get_settings

CHUNK = 500  # ids per IN (...) list: well under every database's parameter limit
# Corrections typed on one preview: far more than a list that needs fixing by hand has.
MAX_CORRECTIONS = 1000
MAX_CORRECTION_LENGTH = 300
_CONTROLS = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]} - {" "}

Cell = tuple[int, int]  # (row number as Excel shows it, column index)


class ImportInvalid(DomainError):
    code, status = "import_invalid", 422
    message = N_("{count} problems found; nothing was imported. Fix the file and upload it "
                 "again.")

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(params={"count": len(errors)},
                         errors=[{"row": e.row, "column": e.column, "message": e.message}
                                 for e in errors])
        self.row_errors = list(errors)


class ImportRace(Conflict):
    code, message = "import_conflict", N_(
        "Someone registered one of these people while the file was being imported. "
        "Nothing was imported; upload the file again.")


@dataclass(frozen=True)
class ImportDone:
    imported: int
    # People of the import linked to the Kampung KB register by their text, and those
    # whose text names no single entry (to map on /kampung-kb/unmatched).
    kampung_kb_linked: int = 0
    kampung_kb_unmatched: int = 0


@dataclass
class ImportCheck:
    """A read and validated file, before anything is written."""

    filename: str
    table: Table
    mapping: ColumnMapping
    result: ValidatedImport
    # The choices in effect: the committee's, or those remembered for this layout.
    overrides: dict[str, str] = field(default_factory=dict)
    category_choices: dict[str, str] = field(default_factory=dict)
    # The remembered layout the choices came from, when they did.
    layout: ImportLayout | None = None
    corrections: dict[Cell, str] = field(default_factory=dict)

    @property
    def needs_mapping(self) -> bool:
        return bool(self.mapping.unrecognised)


def _existing(db: Session, training_id: int) -> tuple[set[str], set[str]]:
    rows = db.exec(select(Participant.nik, Registration.contact_key)
                   .join(Registration, col(Registration.participant_id) == Participant.id)
                   .where(Registration.training_id == training_id,
                          Registration.status != "cancelled")).all()
    return {n for n, _ in rows if n}, {c for _, c in rows if c}


def _ranker(db: Session, org_id: int, overrides: Mapping[str, str]) -> HeaderRank:
    """The header search, told this organization's remembered layouts and the columns the
    committee named, so their header row is found under any title block."""
    known = set(db.exec(select(ImportLayout.signature)
                        .where(ImportLayout.organization_id == org_id)).all())
    return lambda cells: header_rank(cells, overrides, known)


def read_upload(db: Session, training: Training, content: bytes, filename: str,
                overrides: Mapping[str, str] | None = None, header_row: int | None = None
                ) -> Table:
    """The file's table without checking its columns (so the page can let the committee
    name them); raises ImportRefused for a file that cannot be read."""
    settings = get_settings()
    return read_table(content, filename, max_bytes=settings.import_max_bytes,
                      max_rows=settings.import_max_rows, max_cells=settings.import_max_cells,
                      max_seconds=settings.import_max_seconds, header_row=header_row,
                      rank_header=_ranker(db, training.organization_id, overrides or {}))


def check_file(db: Session, training: Training, content: bytes, filename: str,
               overrides: Mapping[str, str] | None = None, *, header_row: int | None = None,
               category_choices: Mapping[str, str] | None = None,
               corrections: Mapping[Cell, str] | None = None,
               recall: bool = False) -> ImportCheck:
    """Read and validate a file; raises ImportRefused for a file that cannot be read.

    `overrides` name columns (header -> field, "" to leave out), `header_row` picks the
    header row, `category_choices` say what a category spelling the training lacks means
    (-> one of its categories, or NEW_CATEGORY); `recall` fills in the choices
    remembered for this layout when none are given."""
    settings = get_settings()
    org_id = training.organization_id
    chosen = dict(overrides or {})
    recalled: list[ImportLayout] = []

    def check_header(headers: list[str]) -> ColumnMapping:
        # The header is checked as soon as it is read: a file without a name column is
        # refused before the rest of it costs anything, unless a remembered layout
        # names that column.
        if recall and not chosen:
            layout = _layout(db, org_id, headers)
            if layout is not None:
                recalled.append(layout)
                chosen.update(_layout_columns(layout, headers))
        return header_mapping(headers, chosen)

    table = read_table(content, filename, max_bytes=settings.import_max_bytes,
                       max_rows=settings.import_max_rows, check_header=check_header,
                       max_cells=settings.import_max_cells,
                       max_seconds=settings.import_max_seconds, header_row=header_row,
                       rank_header=_ranker(db, org_id, chosen))
    fixes = dict(corrections or {})
    table = apply_corrections(table, fixes)
    mapping = header_mapping(table.headers, chosen)
    niks, contacts = _existing(db, pk(training))
    known = {c.name.casefold(): c.name for c in categories_of(db, pk(training))}
    layout = recalled[0] if recalled else None
    choices = dict(category_choices or {})
    if layout is not None and not choices:
        choices = _layout_categories(layout, known)
    resolved = resolve_category_choices(choices, known)
    result = validate_rows(table, mapping, categories=known, existing_niks=niks,
                           existing_contacts=contacts, category_choices=resolved,
                           adopt_categories=not known)
    _refuse_known_twice(db, training, result, mapping)
    return ImportCheck(filename, table, mapping, result, overrides=chosen,
                       category_choices=choices, layout=layout, corrections=fixes)


def resolve_category_choices(choices: Mapping[str, str], known: Mapping[str, str]
                             ) -> dict[str, str]:
    """Casefolded spelling -> the training's own spelling of the chosen category, or
    NEW_CATEGORY; "" (undecided) is left out, a category the training lacks refused."""
    resolved: dict[str, str] = {}
    for spelling, target in choices.items():
        if not target:
            continue
        if target == NEW_CATEGORY:
            resolved[spelling.casefold()] = NEW_CATEGORY
            continue
        canonical = known.get(target.casefold())
        if canonical is None:
            raise FieldError("categories", '"{category}" is not a category of this training.',
                             code="unknown_category", category=target)
        resolved[spelling.casefold()] = canonical
    return resolved


# --- remembered layouts ------------------------------------------------------------------

def _layout(db: Session, org_id: int, headers: Sequence[str]) -> ImportLayout | None:
    return db.exec(select(ImportLayout).where(ImportLayout.organization_id == org_id,
                                              ImportLayout.signature == signature(headers))
                   ).first()


def _layout_columns(layout: ImportLayout, headers: Sequence[str]) -> dict[str, str]:
    """The remembered field of each column, keyed by the header as this file writes it."""
    try:
        fields = json.loads(layout.columns)
    except ValueError:
        return {}
    if not isinstance(fields, list) or len(fields) != len(headers):
        return {}
    return {header: value for header, value in zip(headers, fields, strict=True)
            if header and isinstance(value, str) and (value in FIELDS or value == "")}


def _layout_categories(layout: ImportLayout, known: Mapping[str, str]) -> dict[str, str]:
    """The remembered meaning of each spelling, where it still makes sense for this
    training: a category it has, or a new one (a training without categories takes the
    file's as they are)."""
    try:
        saved = json.loads(layout.categories)
    except ValueError:
        return {}
    if not known or not isinstance(saved, dict):
        return {}
    return {spelling: target for spelling, target in saved.items()
            if isinstance(spelling, str) and isinstance(target, str)
            and (target == NEW_CATEGORY or target.casefold() in known)}


def remember_layout(db: Session, org_id: int, check: ImportCheck) -> None:
    """Keep the committee's choices for this sheet layout, to offer them next time.

    Category choices made for earlier files of the layout stay, unless chosen anew."""
    sig = signature(check.table.headers)
    columns = json.dumps([f or "" for f in check.mapping.fields])
    chosen = {k.casefold(): v for k, v in check.category_choices.items() if v}
    for attempt in range(2):
        layout = db.exec(select(ImportLayout).where(ImportLayout.organization_id == org_id,
                                                    ImportLayout.signature == sig)).first()
        try:
            with db.begin_nested():
                if layout is None:
                    layout = ImportLayout(organization_id=org_id, signature=sig,
                                          columns=columns, categories=json.dumps(chosen))
                else:
                    merged = {**_saved_categories(layout), **chosen}
                    layout.columns, layout.categories = columns, json.dumps(merged)
                    layout.updated_at = utcnow()
                db.add(layout)
                db.flush()
            return
        except IntegrityError:
            # Another committee member saved this layout a moment ago: update theirs.
            if attempt:
                raise


def _saved_categories(layout: ImportLayout) -> dict[str, str]:
    try:
        saved = json.loads(layout.categories)
    except ValueError:
        return {}
    return saved if isinstance(saved, dict) else {}


# --- corrections typed on the preview page ----------------------------------------------

def corrections_of(upload: ImportUpload) -> dict[Cell, str]:
    """The upload's corrections, as (row, column index) -> text."""
    try:
        saved = json.loads(upload.corrections or "{}")
    except ValueError:
        return {}
    out: dict[Cell, str] = {}
    for key, value in saved.items() if isinstance(saved, dict) else ():
        row, _, column = str(key).partition(":")
        if row.isdigit() and column.isdigit() and isinstance(value, str):
            out[(int(row), int(column))] = value
    return out


def save_corrections(db: Session, training: Training, upload: ImportUpload,
                     submitted: Mapping[Cell, str], header_row: int | None = None) -> int:
    """Keep the cells the committee corrected on the preview; returns how many cells are
    corrected in all. A cell typed back to what the file holds is no longer a correction.

    Refuses (422) a cell outside the list, a value that is too long or holds a control
    character, and more corrections than anyone types by hand."""
    table = read_upload(db, training, upload.content, upload.filename, header_row=header_row)
    cells = {number: values for number, values in table.rows}
    current = corrections_of(upload)
    for (row, column), value in submitted.items():
        if row not in cells or not 0 <= column < len(table.headers):
            raise FieldError("fix", "Row {row} has no such cell to correct; choose the file "
                             "again.", code="unknown_cell", row=row)
        if len(value) > MAX_CORRECTION_LENGTH:
            raise FieldError("fix", "Too long: at most {max_length} characters.",
                             code="too_long", max_length=MAX_CORRECTION_LENGTH)
        if any(ch in _CONTROLS for ch in value):
            raise FieldError("fix", "Holds an invisible control character (often copied "
                             "along from another program): remove it.",
                             code="control_character")
        if value == cells[row][column]:
            current.pop((row, column), None)
        else:
            current[(row, column)] = value
    if len(current) > MAX_CORRECTIONS:
        raise FieldError("fix", "At most {limit} cells can be corrected on this page; fix the "
                         "file in Excel and upload it again.", code="too_many_corrections",
                         limit=MAX_CORRECTIONS)
    upload.corrections = json.dumps({f"{r}:{c}": v for (r, c), v in sorted(current.items())})
    db.add(upload)
    db.flush()
    return len(current)


def _chunks(values: Sequence[Any]) -> list[Sequence[Any]]:
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


# A valid row that is someone the organization knows, and whom the training or the file
# has already: by what the person was found (matching.NIK, NIP, PHONE).
_REGISTERED = {
    matching.NIK: N_("This NIK is already registered for this training."),
    matching.NIP: N_("A participant with this NIP is already registered for this training."),
    matching.PHONE: N_("A participant with this phone number and name is already registered "
                       "for this training."),
}
_SAME_PERSON = N_("The same person as row {row}.")


def _refuse_known_twice(db: Session, training: Training, result: ValidatedImport,
                        mapping: ColumnMapping) -> None:
    """Turn into problems the valid rows that are a known person already registered for
    the training, or the same known person as an earlier row: what validation, which
    compares the file's NIKs and contacts only, cannot see (a NIP, a person who gained a
    NIK since)."""
    if not result.rows:
        return
    found = matching.find_people(db, training.organization_id, [r.fields for r in result.rows])
    ids = sorted({pk(f.person) for f in found if f is not None})
    active = {pid for chunk in _chunks(ids) for pid in db.exec(
        select(Registration.participant_id).where(
            Registration.training_id == training.id, Registration.status != "cancelled",
            col(Registration.participant_id).in_(chunk))).all()}
    first_row: dict[int, int] = {}
    kept: list[ImportedRow] = []
    for row, hit in zip(result.rows, found, strict=True):
        pid = pk(hit.person) if hit is not None else 0
        if hit is None or (pid not in active and pid not in first_row):
            first_row.setdefault(pid, row.row)
            kept.append(row)
            continue
        message = (gettext(_REGISTERED[hit.by]) if pid in active
                   else gettext(_SAME_PERSON, row=first_row[pid]))
        result.errors.append(RowError(row=row.row, column=mapping.header_of(hit.by),
                                      message=message, index=mapping.column_of(hit.by)))
    if len(kept) != len(result.rows):
        result.rows = kept
        result.errors.sort(key=lambda e: e.row)


def _known_people(db: Session, org_id: int, rows: Sequence[ImportedRow]) -> dict[int, int]:
    """Row number -> id of a person the organization already knows (people.matching: by
    NIK, else NIP, else phone and name), so returning participants are not duplicated;
    each gains what only their row says."""
    found: dict[int, int] = {}
    for row, hit in zip(rows, matching.find_people(db, org_id, [r.fields for r in rows]),
                        strict=True):
        if hit is not None:
            fill_blanks(hit.person, row.fields, keep_nip=hit.nip_elsewhere)
            db.add(hit.person)
            found[row.row] = pk(hit.person)
    return found


def _insert_people(db: Session, org_id: int, rows: Sequence[ImportedRow]) -> list[int]:
    if not rows:
        return []
    now = utcnow()
    # Core inserts skip the model's events: the sort name is set here.
    values = [{"organization_id": org_id, "created_at": now, "sort_name": sort_key(r.fields.name),
               **{k: getattr(r.fields, k) for k in PARTICIPANT_FIELDS}} for r in rows]
    # Core, not the ORM's bulk path (which ran one statement per few rows here).
    table = Participant.__table__  # type: ignore[attr-defined]
    conn = db.connection()
    if conn.dialect.name == "postgresql":
        # Take the ids from the sequence first, then a plain executemany (pipelined by
        # psycopg): a multi-row INSERT ... RETURNING spends seconds in psycopg merely
        # converting its 16,000 placeholders.
        ids = [int(i) for i in conn.execute(text(
            "SELECT nextval(pg_get_serial_sequence('participant', 'id')) "
            "FROM generate_series(1, :n)"), {"n": len(values)}).scalars()]
        conn.execute(insert(table), [{**v, "id": i} for v, i in zip(values, ids, strict=True)])
        return ids
    result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                          values)
    return [int(i) for i in result.scalars()]


def _add_categories(db: Session, training: Training, names: Sequence[str]) -> None:
    """The file's new categories, after the training's own (no quota: the committee sets
    one on the training's form if it wants)."""
    if not names:
        return
    last = db.exec(select(func.max(TrainingCategory.position))
                   .where(TrainingCategory.training_id == training.id)).one()
    start = -1 if last is None else int(last)
    try:
        with db.begin_nested():
            for offset, name in enumerate(names, start=1):
                db.add(TrainingCategory(training_id=pk(training), name=name,
                                        position=start + offset))
            db.flush()
    except IntegrityError:
        # Another import added one of them meanwhile.
        raise ImportRace() from None


def _take_quotas(db: Session, training: Training, rows: Sequence[ImportedRow]
                 ) -> dict[str, int]:
    """Category name -> id, after counting the file's people in each category's quota."""
    cats = {c.name: c for c in categories_of(db, pk(training))}
    wanted: dict[str, int] = {}
    for r in rows:
        if r.fields.category:
            wanted[r.fields.category] = wanted.get(r.fields.category, 0) + 1
    for name, n in wanted.items():
        if not seats.take_quota(db, pk(cats[name]), n):
            cat = cats[name]
            raise Conflict(N_("The category {category} has room for {free} more people; the "
                              "file has {count}. Nothing was imported."),
                           code="category_full",
                           params={"category": name, "count": n,
                                   "free": max(0, (cat.quota or 0) - cat.taken)})
    return {name: pk(c) for name, c in cats.items()}


def import_rows(db: Session, training: Training, check: ImportCheck) -> ImportDone:
    """Write every row of a valid file, or raise ImportInvalid and write nothing; then
    link the imported people's Kampung KB texts to the register."""
    if not check.result.ok:
        raise ImportInvalid(check.result.errors)
    rows = check.result.rows
    org_id = training.organization_id
    _add_categories(db, training, check.result.new_categories)
    category_ids = _take_quotas(db, training, rows)
    known = _known_people(db, org_id, rows)
    try:
        with db.begin_nested():
            db.flush()  # what the known people gained (a NIK someone else took meanwhile)
    except IntegrityError:
        raise ImportRace() from None
    new_rows = [r for r in rows if r.row not in known]
    person_of = dict(known)
    person_of.update(zip((r.row for r in new_rows), _insert_people(db, org_id, new_rows),
                         strict=True))
    # Known people may hold a registration here already; validation refused active ones,
    # so what remains are cancelled registrations, brought back below.
    cancelled = {reg.participant_id: reg for chunk in _chunks(list(known.values()))
                 for reg in db.exec(select(Registration).where(
                     Registration.training_id == training.id,
                     col(Registration.participant_id).in_(chunk)))}
    now = utcnow()
    values = []
    for r in rows:
        pid = person_of[r.row]
        key = contact_key(r.fields.phone, r.fields.name)
        category_id = category_ids.get(r.fields.category or "")
        old = cancelled.get(pid)
        if old is not None:
            # Someone who cancelled earlier comes back on the same registration row.
            old.status, old.cancelled_at, old.batch_id = "waitlisted", None, None
            old.contact_key, old.category_id, old.source = key, category_id, "import"
            db.add(old)
            continue
        values.append({"training_id": pk(training), "participant_id": pid,
                       "status": "waitlisted", "ticket_token": new_ticket_token(),
                       "contact_key": key, "category_id": category_id, "source": "import",
                       "created_at": now})
    try:
        with db.begin_nested():
            if values:
                db.connection().execute(insert(Registration.__table__), values)  # type: ignore[attr-defined]
            db.flush()
    except IntegrityError:
        raise ImportRace() from None
    linked = kampung_kb.link_people(db, org_id, sorted(set(person_of.values())))
    return ImportDone(len(rows), linked.linked, linked.unmatched)


# --- uploads kept between the preview and the committee's confirmation -------------------

def save_upload(db: Session, training: Training, user: User, filename: str,
                content: bytes) -> ImportUpload:
    # Yesterday's abandoned previews are not worth keeping.
    # synchronize_session=False: the session may hold an upload read back from SQLite
    # (naive datetime), which SQLAlchemy's in-Python evaluation cannot compare with an
    # aware one (a 500 on the second upload of a session).
    db.execute(delete(ImportUpload).where(
        col(ImportUpload.created_at) < utcnow() - timedelta(days=1))
        .execution_options(synchronize_session=False))
    upload = ImportUpload(training_id=pk(training), user_id=pk(user), filename=filename[:255],
                          token=secrets.token_urlsafe(24), content=content)
    db.add(upload)
    db.flush()
    return upload


def load_upload(db: Session, training: Training, token: str) -> ImportUpload:
    upload = db.exec(select(ImportUpload).where(ImportUpload.token == token,
                                                ImportUpload.training_id == training.id)).first()
    if upload is None:
        raise NotFound("This upload has expired. Choose the file again.")
    return upload


def discard_upload(db: Session, upload: ImportUpload) -> None:
    db.delete(upload)
    db.flush()
