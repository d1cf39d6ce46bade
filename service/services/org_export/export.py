"""Write everything an organization owns into one ZIP: a JSON file per table (what the
import reads), a workbook of the main lists for the office, a manifest with the row
counts and each file's SHA-256."""

from __future__ import annotations

import json
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Column, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from service.models import AppSecret, Message, MessageOptOut, Organization, Participant
from service.services.org_export import archive, graph, sheets

INSTALLATION_KEY = "installation_id"
Progress = Callable[[str], None]


def installation_id(db: Session) -> str:
    """This installation's id: random, made once, kept with the installation's secrets
    (the id is no secret; it names where an archive came from)."""
    query = select(col(AppSecret.value)).where(col(AppSecret.name) == INSTALLATION_KEY)
    found = db.execute(query).scalar_one_or_none()
    if found is None:
        dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
        db.execute(dialect.insert(AppSecret).values(name=INSTALLATION_KEY,
                                                    value=secrets.token_hex(16))
                   .on_conflict_do_nothing(index_elements=["name"]))
        found = db.execute(query).scalar_one()
    return str(found)


@dataclass
class Selection:
    """Which rows of each table go: the owned ones whose every link stays inside the
    export; links to users outside it (a superuser's audit trail) are left empty."""

    present: dict[str, set[Any]] = field(default_factory=dict)  # table -> referred ids
    dropped: dict[str, int] = field(default_factory=dict)


def _fk_columns(table: Table) -> list[tuple[Column[Any], Column[Any]]]:
    return graph.fk_pairs(table)


def _referred(table: Table) -> Column[Any] | None:
    key = graph.int_pk(table)
    return key if key is not None else None


def select_rows(db: Session, org_id: int) -> Selection:
    """The ids of each exported table, settled over the links until nothing changes."""
    every = graph.tables()
    plan = graph.plan()
    keys: dict[str, list[tuple[Any, dict[str, Any]]]] = {}
    for name in plan.exported:
        table = every[name]
        own = _referred(table)
        fks = _fk_columns(table)
        cols = [own] if own is not None else []
        cols += [c for c, _ in fks]
        if not cols:
            keys[name] = []
            continue
        result = db.execute(select(*cols).where(graph.owned_condition(name, org_id)))
        rows = []
        for row in result:
            mapping = row._mapping
            rows.append((mapping[own.name] if own is not None else None,
                         {c.name: mapping[c.name] for c, _ in fks}))
        keys[name] = rows
    selection = Selection()
    while True:
        # Only a table's own integer id is looked up (every link points at one).
        selection.present = {n: {k for k, _ in rows} for n, rows in keys.items()
                             if graph.int_pk(every[n]) is not None}
        changed = False
        for name, rows in keys.items():
            fks = _fk_columns(every[name])
            kept = [r for r in rows if _links_hold(r[1], fks, selection.present)]
            if len(kept) != len(rows):
                selection.dropped[name] = selection.dropped.get(name, 0) + len(rows) - len(kept)
                keys[name] = kept
                changed = True
        if not changed:
            return selection


def _links_hold(values: dict[str, Any], fks: list[tuple[Column[Any], Column[Any]]],
                present: dict[str, set[Any]]) -> bool:
    for column, ref in fks:
        value = values.get(column.name)
        target = ref.table.name
        if value is None or target == "user" or target not in present:
            continue
        if value not in present[target]:
            return False
    return True


@dataclass
class Written:
    counts: dict[str, int]
    files: dict[str, str]  # path -> sha256


def _write(zf: zipfile.ZipFile, path: str, data: bytes, files: dict[str, str]) -> None:
    zf.writestr(path, data)
    files[path] = archive.sha256(data)


def _table_json(db: Session, table: Table, org_id: int, selection: Selection,
                zf: zipfile.ZipFile, files: dict[str, str]) -> int:
    """Stream one table's rows into the archive; how many."""
    name = table.name
    secret = graph.SECRET_COLUMNS.get(name, frozenset())
    columns = [c for c in table.columns if c.name not in secret]
    fks = _fk_columns(table)
    own = graph.int_pk(table)
    order = list(table.primary_key.columns)
    path = archive.data_file(name)
    digest = archive.hashlib.sha256()
    count = 0
    with zf.open(path, "w", force_zip64=True) as out:
        def emit(chunk: bytes) -> None:
            out.write(chunk)
            digest.update(chunk)

        emit(archive.dumps({"table": name, "columns": [c.name for c in columns]})[:-1]
             + b',"rows":[')
        query = (select(*table.columns).where(graph.owned_condition(name, org_id))
                 .order_by(*order).execution_options(yield_per=2000))
        for row in db.execute(query):
            values = dict(row._mapping)
            if own is not None and values[own.name] not in selection.present.get(name, set()):
                continue
            if own is None and not _links_hold(values, fks, selection.present):
                continue
            for column, ref in fks:
                # A link to a user outside the export (another office's superuser) goes.
                if (ref.table.name == "user" and values[column.name] is not None
                        and values[column.name] not in selection.present.get("user", set())):
                    values[column.name] = None
            line = archive.dumps([archive.encode(c, values[c.name]) for c in columns])
            emit((b"\n" if count == 0 else b",\n") + line)
            count += 1
        emit(b"\n]}\n")
    files[path] = digest.hexdigest()
    return count


def opt_outs(db: Session, org_id: int) -> list[dict[str, Any]]:
    """The opt-outs of addresses the office's own messages went to or its people give
    (a phone that said STOP is not messaged again after the move), oldest first."""
    wanted: dict[str, set[str]] = {"whatsapp": set(), "email": set()}
    sent = select(col(Message.channel), col(Message.recipient)).where(
        col(Message.organization_id) == org_id).distinct()
    for channel, recipient in db.execute(sent):
        wanted.setdefault(str(channel), set()).add(str(recipient).strip())
    people = select(col(Participant.phone), col(Participant.email)).where(
        col(Participant.organization_id) == org_id)
    for phone, email in db.execute(people):
        if phone and phone.strip():
            wanted["whatsapp"].add(phone.strip())
        if email and email.strip():
            wanted["email"].add(email.strip())
    found: list[dict[str, Any]] = []
    table = MessageOptOut.__table__  # type: ignore[attr-defined]
    for channel, addresses in sorted(wanted.items()):
        ordered = sorted(addresses)
        for start in range(0, len(ordered), 500):  # bounded IN lists
            rows = db.execute(select(MessageOptOut).where(
                col(MessageOptOut.channel) == channel,
                col(MessageOptOut.address).in_(ordered[start:start + 500]))).scalars()
            found += [{c.name: archive.encode(c, getattr(r, c.name)) for c in table.columns}
                      for r in rows]
    return sorted(found, key=lambda r: (str(r["created_at"]), r["channel"], r["address"]))


README_TEXT = """Ekspor data {org}
Dibuat {created} (UTC) oleh Bimtek, format {fmt} versi {version}.

sheets/daftar.xlsx  daftar untuk dibuka di Excel: peserta, pendaftaran, kehadiran per
                    hari, sertifikat, pesan.
data/*.json         satu berkas per tabel, dibaca oleh `bimtek import-org` di instalasi
                    lain; manifest.json mencatat jumlah baris dan SHA-256 tiap berkas.

Berkas ini berisi data pribadi (NIK, nomor HP) milik kantor Anda: simpan dengan aman.
Kata sandi dan token tidak ikut; akun pengguna perlu tautan atur ulang kata sandi
setelah impor. QR tiket lama tidak berlaku di instalasi baru (kirim ulang tiket);
QR sertifikat tetap dapat diverifikasi.
"""


def write_archive(db: Session, org_id: int, out: BinaryIO, render: sheets.Render,
                  progress: Progress | None = None) -> dict[str, Any]:
    """Write the organization's archive to `out`; the manifest."""
    org = db.get(Organization, org_id)
    if org is None:
        raise LookupError(org_id)
    say = progress or (lambda _step: None)
    every = graph.tables()
    say("selecting")
    selection = select_rows(db, org_id)
    files: dict[str, str] = {}
    counts: dict[str, int] = {}
    created = datetime.now(UTC)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for name in graph.plan().exported:
            say(name)
            counts[name] = _table_json(db, every[name], org_id, selection, zf, files)
        stopped = opt_outs(db, org_id)
        _write(zf, archive.OPT_OUTS, archive.dumps(stopped), files)
        say("sheets")
        _write(zf, archive.SHEETS, sheets.workbook(db, org, render), files)
        _write(zf, archive.README, README_TEXT.format(
            org=org.name, created=created.strftime("%Y-%m-%d %H:%M"), fmt=archive.FORMAT,
            version=archive.FORMAT_VERSION).encode("utf-8"), files)
        manifest = {
            "format": archive.FORMAT, "format_version": archive.FORMAT_VERSION,
            "alembic_revision": archive.alembic_revision(db),
            "installation_id": installation_id(db),
            "organization": {"id": org_id, "name": org.name},
            "created_at": created.isoformat(),
            "tables": counts,
            "dropped_rows": selection.dropped,
            "opt_outs": len(stopped),
            "left_out_columns": {t: sorted(c) for t, c in graph.SECRET_COLUMNS.items()},
            "not_exported": sorted(graph.NOT_EXPORTED),
            "files": files,
        }
        body = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
        zf.writestr(archive.MANIFEST, body)
        zf.writestr(archive.MANIFEST_CHECK, archive.sha256(body) + "\n")
    return manifest


def export_to_path(db: Session, org_id: int, path: Path, render: sheets.Render,
                   progress: Progress | None = None) -> dict[str, Any]:
    """The archive written to a file (a temporary name first: a half-written file is never
    taken for a finished one)."""
    partial = path.with_suffix(".part")
    with partial.open("wb") as out:
        manifest = write_archive(db, org_id, out, render, progress)
    partial.replace(path)
    return manifest
