"""Importing a participant spreadsheet into a training: all rows or none.

The file is read and every row validated first (service/imports); only a file with no
problem is written, in the request's one transaction, with bulk statements so 10,000
rows take seconds. Imported registrations wait for a batch: the assignment step
places them.
"""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, insert, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.errors import Conflict, DomainError, NotFound
from service.i18n import N_
from service.i18n.names import sort_key
from service.imports.columns import ColumnMapping, header_mapping
from service.imports.reader import Table, read_table
from service.imports.validate import ImportedRow, RowError, ValidatedImport, validate_rows
from service.models import ImportUpload, Participant, Registration, Training, User
from service.models.base import pk, utcnow
from service.services import seats
from service.services.participant_fields import contact_key, name_key
from service.services.registrations import (
    PARTICIPANT_FIELDS,
    categories_of,
    new_ticket_token,
)
from service.settings import get_settings

CHUNK = 500  # ids per IN (...) list: well under every database's parameter limit


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


@dataclass
class ImportCheck:
    """A read and validated file, before anything is written."""

    filename: str
    table: Table
    mapping: ColumnMapping
    result: ValidatedImport

    @property
    def needs_mapping(self) -> bool:
        return bool(self.mapping.unrecognised)


def _existing(db: Session, training_id: int) -> tuple[set[str], set[str]]:
    rows = db.exec(select(Participant.nik, Registration.contact_key)
                   .join(Registration, col(Registration.participant_id) == Participant.id)
                   .where(Registration.training_id == training_id,
                          Registration.status != "cancelled")).all()
    return {n for n, _ in rows if n}, {c for _, c in rows if c}


def check_file(db: Session, training: Training, content: bytes, filename: str,
               overrides: Mapping[str, str] | None = None) -> ImportCheck:
    """Read and validate a file; raises ImportRefused for a file that cannot be read."""
    settings = get_settings()
    chosen = overrides or {}
    # The header is checked as soon as it is read: a file without a name column is
    # refused before the rest of it costs anything.
    table = read_table(content, filename, max_bytes=settings.import_max_bytes,
                       max_rows=settings.import_max_rows,
                       check_header=lambda headers: header_mapping(headers, chosen),
                       max_cells=settings.import_max_cells,
                       max_seconds=settings.import_max_seconds)
    mapping = header_mapping(table.headers, chosen)
    niks, contacts = _existing(db, pk(training))
    categories = {c.name.casefold(): c.name for c in categories_of(db, pk(training))}
    result = validate_rows(table, mapping, categories=categories, existing_niks=niks,
                           existing_contacts=contacts)
    return ImportCheck(filename, table, mapping, result)


def _chunks(values: Sequence[Any]) -> list[Sequence[Any]]:
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


def _known_people(db: Session, org_id: int, rows: Sequence[ImportedRow]) -> dict[int, int]:
    """Row number -> id of a person the organization already knows (by NIK, else phone
    and name), so returning participants are not duplicated."""
    by_nik = {r.fields.nik: r.row for r in rows if r.fields.nik}
    by_phone: dict[str, list[ImportedRow]] = {}
    for r in rows:
        if not r.fields.nik and r.fields.phone:
            by_phone.setdefault(r.fields.phone, []).append(r)
    found: dict[int, int] = {}
    for chunk in _chunks(list(by_nik)):
        for pid, nik in db.exec(select(Participant.id, Participant.nik).where(
                Participant.organization_id == org_id, col(Participant.nik).in_(chunk))):
            found[by_nik[nik]] = int(pid or 0)  # type: ignore[index]
    for chunk in _chunks(list(by_phone)):
        for pid, phone, name in db.exec(select(Participant.id, Participant.phone,
                                               Participant.name).where(
                Participant.organization_id == org_id, col(Participant.phone).in_(chunk))):
            for r in by_phone.get(phone or "", []):
                if name_key(r.fields.name) == name_key(name):
                    found.setdefault(r.row, int(pid or 0))
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


def import_rows(db: Session, training: Training, check: ImportCheck) -> int:
    """Write every row of a valid file, or raise ImportInvalid and write nothing."""
    if not check.result.ok:
        raise ImportInvalid(check.result.errors)
    rows = check.result.rows
    org_id = training.organization_id
    category_ids = _take_quotas(db, training, rows)
    known = _known_people(db, org_id, rows)
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
    return len(rows)


# --- uploads kept between the preview and the committee's confirmation -------------------

def save_upload(db: Session, training: Training, user: User, filename: str,
                content: bytes) -> ImportUpload:
    # Yesterday's abandoned previews are not worth keeping.
    db.execute(delete(ImportUpload).where(
        col(ImportUpload.created_at) < utcnow() - timedelta(days=1)))
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
