"""Import an organization's archive into this installation: a new organization, every row
inserted with new ids (links followed through the metadata), certificate verification
codes kept; all or nothing (the caller's transaction), and nothing written for an archive
that is damaged, foreign or newer than this installation."""

from __future__ import annotations

import json
import secrets
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy import Table, UniqueConstraint, func, insert, select, text, tuple_, update
from sqlmodel import Session

from service.errors import DomainError
from service.i18n import N_
from service.services import scanner_logins
from service.services.org_export import archive, graph

MAX_ARCHIVE_BYTES = 2 * 1024 ** 3  # unpacked; a zip bomb stops here
CHUNK = 500


class ArchiveRefused(DomainError):
    code, status = "archive_refused", 422
    message = N_("This archive cannot be imported.")


def _refuse(message: str, **params: Any) -> ArchiveRefused:
    return ArchiveRefused(message, params=params)


@dataclass
class Imported:
    organization_id: int
    name: str
    counts: dict[str, int] = field(default_factory=dict)
    source_installation: str = ""
    opt_outs: int = 0  # opt-outs of the office's addresses added (not already here)


def _revisions() -> list[str]:
    """This code's migrations, oldest first."""
    from alembic.script import ScriptDirectory

    from service.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def read_manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    """The checked manifest: the archive is whole, unaltered, and of a format we read."""
    names = set(zf.namelist())
    if archive.MANIFEST not in names:
        raise _refuse(N_("This is not an office export of Bimtek (it has no manifest)."))
    total = sum(i.file_size for i in zf.infolist())
    if total > MAX_ARCHIVE_BYTES:
        raise _refuse(N_("The archive is too large to import."))
    try:
        body = zf.read(archive.MANIFEST)
        check = zf.read(archive.MANIFEST_CHECK).decode("ascii").strip() \
            if archive.MANIFEST_CHECK in names else ""
        manifest = json.loads(body)
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        raise _refuse(N_("The archive is damaged: its manifest cannot be read.")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != archive.FORMAT:
        raise _refuse(N_("This is not an office export of Bimtek."))
    if check != archive.sha256(body):
        raise _refuse(N_("The archive is damaged or was altered: its manifest does not match "
                         "its checksum."))
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > archive.FORMAT_VERSION:
        raise _refuse(N_("The archive was made by a newer Bimtek (format {version}); update "
                         "this installation first."), version=str(version))
    files = manifest.get("files")
    if not isinstance(files, dict) or not isinstance(manifest.get("tables"), dict):
        raise _refuse(N_("The archive is damaged: its manifest is incomplete."))
    extra = names - set(files) - {archive.MANIFEST, archive.MANIFEST_CHECK}
    if extra:
        raise _refuse(N_("The archive holds files its manifest does not list ({name}): it "
                         "was altered."), name=sorted(extra)[0])
    for path, digest in files.items():
        if path not in names:
            raise _refuse(N_("The archive is incomplete: {name} is missing."), name=path)
        try:
            data = zf.read(path)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise _refuse(N_("The archive is damaged: {name} cannot be read."),
                          name=path) from exc
        if archive.sha256(data) != digest:
            raise _refuse(N_("The archive is damaged or was altered: {name} does not match "
                             "its checksum."), name=path)
    return manifest


def _check_revision(db: Session, revision: object) -> None:
    known = _revisions()
    ours = archive.alembic_revision(db)
    if revision is None or ours is None:
        return
    if revision not in known:
        raise _refuse(N_("The archive comes from a newer version of Bimtek (schema {revision})"
                         "; update this installation first."), revision=str(revision))
    if ours in known and known.index(str(revision)) > known.index(ours):
        raise _refuse(N_("The archive's schema ({revision}) is newer than this database's; "
                         "run `bimtek migrate` first."), revision=str(revision))


def _load_table(zf: zipfile.ZipFile, name: str, expected: int) -> tuple[list[str], list[list[Any]]]:
    try:
        doc = json.loads(zf.read(archive.data_file(name)))
        columns, rows = doc["columns"], doc["rows"]
        ok = (doc.get("table") == name and isinstance(columns, list)
              and isinstance(rows, list) and all(isinstance(r, list) and len(r) == len(columns)
                                                 for r in rows))
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise _refuse(N_("The archive is damaged: the rows of {name} cannot be read."),
                      name=name) from exc
    if not ok or len(rows) != expected:
        raise _refuse(N_("The archive is damaged: the rows of {name} do not match its "
                         "manifest."), name=name)
    return columns, rows


def _global_uniques(table: Table) -> list[tuple[str, ...]]:
    """Column sets unique across the installation: no column of them is a link that the
    import renumbers (those are unique within the new organization anyway)."""
    linked = {c.name for c, _ in graph.fk_pairs(table)}
    own = graph.int_pk(table)
    sets: list[tuple[str, ...]] = []
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            sets.append(tuple(c.name for c in constraint.columns))
    for column in table.columns:
        if column.unique:
            sets.append((column.name,))
    for index in table.indexes:
        if index.unique:
            sets.append(tuple(c.name for c in index.columns))
    keys = [c.name for c in table.primary_key.columns]
    if own is None and not any(k in linked for k in keys):
        sets.append(tuple(keys))
    return [s for s in dict.fromkeys(sets) if s and not any(c in linked for c in s)
            and (own is None or s != (own.name,))]


UNIQUE_MESSAGES: dict[tuple[str, tuple[str, ...]], str] = {
    ("certificate", ("verification_code",)): N_(
        "Certificate verification codes of this archive already exist in this installation "
        "(e.g. {value}): the office was probably imported here already. Nothing was imported."),
    ("user", ("email",)): N_(
        "An account with the email {value} already exists in this installation. Remove or "
        "rename it first. Nothing was imported."),
}


def _check_uniques(db: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Refuse values unique across the installation that it already holds (checked on
    the values as they will be written: renumbered references included)."""
    for unique in _global_uniques(table):
        if table.name == graph.ROOT:
            continue
        values = [tuple(r.get(c) for c in unique) for r in rows]
        values = [v for v in values if all(x is not None for x in v)]
        if not values:
            continue
        if len(set(values)) != len(values):
            raise _refuse(N_("The archive is damaged: {name} repeats a unique value."),
                          name=table.name)
        cols = [table.c[c] for c in unique]
        for start in range(0, len(values), CHUNK):
            part = values[start:start + CHUNK]
            where = (cols[0].in_([v[0] for v in part]) if len(cols) == 1
                     else tuple_(*cols).in_(part))
            clash = db.execute(select(*cols).where(where).limit(1)).first()
            if clash is not None:
                message = UNIQUE_MESSAGES.get((table.name, unique), N_(
                    "A value of this archive ({name}: {value}) already exists in this "
                    "installation: the office was probably imported here already. Nothing was "
                    "imported."))
                raise _refuse(message, name=f"{table.name}.{','.join(unique)}",
                              value=str(clash[0]))


def _new_ids(db: Session, table: Table, n: int) -> list[int]:
    """n fresh ids of the table: from its sequence on PostgreSQL (other writers keep taking
    theirs), after the largest on SQLite (the import holds the write lock)."""
    key = graph.int_pk(table)
    assert key is not None
    if n == 0:
        return []
    if db.get_bind().dialect.name == "postgresql":
        seq = db.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                         {"t": f'"{table.name}"', "c": key.name}).scalar()
        if seq:
            return [int(v) for v in db.execute(
                text("SELECT nextval(:s) FROM generate_series(1, :n)"),
                {"s": seq, "n": n}).scalars()]
    top = db.execute(select(func.max(key))).scalar() or 0
    return list(range(int(top) + 1, int(top) + 1 + n))


def _imported_user(values: dict[str, Any]) -> None:
    # No password travels: an unusable one until the admin sends a reset link; never a
    # superuser of this installation; door logins (made per training) stay off.
    door = str(values.get("email") or "").endswith("." + scanner_logins.EMAIL_DOMAIN)
    values["password_hash"] = "!imported:" + secrets.token_hex(16)
    values["is_superuser"] = False
    if door:
        values["is_active"] = False


def import_archive(db: Session, source: IO[bytes], new_name: str | None = None) -> Imported:
    """Import the archive; raises ArchiveRefused (nothing written by this function's
    caller, who rolls back) for an archive it cannot take."""
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(N_("This file is not a ZIP archive, or it is damaged (truncated?)."
                         )) from exc
    with zf:
        manifest = read_manifest(zf)
        _check_revision(db, manifest.get("alembic_revision"))
        every = graph.tables()
        counts: dict[str, int] = {str(k): v for k, v in manifest["tables"].items()}
        unknown = sorted(t for t in counts if t not in every or t in graph.NOT_EXPORTED)
        if unknown:
            raise _refuse(N_("The archive holds a table this installation does not know "
                             "({name}); update this installation first."), name=unknown[0])
        if graph.ROOT not in counts or counts[graph.ROOT] != 1:
            raise _refuse(N_("The archive is damaged: it holds no organization."))
        loaded = {name: _load_table(zf, name, counts[name]) for name in counts}
        stopped = _load_opt_outs(zf, manifest)
    name = " ".join((new_name or str(manifest["organization"].get("name", ""))).split())
    if not name:
        raise _refuse(N_("Give the new office a name."))
    if len(name) > 200:
        raise _refuse(N_("The office's name is too long (at most 200 characters)."))
    root = every[graph.ROOT]
    taken = db.execute(select(root.c.name).where(func.lower(root.c.name) == name.lower())
                       ).scalar()
    if taken is not None:
        raise _refuse(N_("An office named {name} already exists here: import it under "
                         "another name."), name=str(taken))
    for table_name, (columns, _rows) in loaded.items():
        table = every[table_name]
        missing = [c for c in columns if c not in table.c]
        if missing:
            raise _refuse(N_("The archive's {name} has a column this installation does not "
                             "know ({column}); update this installation first."),
                          name=table_name, column=missing[0])
    _check_known_clashes(db, loaded)
    result = _insert_all(db, loaded, name, manifest)
    result.opt_outs = _add_opt_outs(db, stopped)
    return result


def _check_known_clashes(db: Session,
                         loaded: dict[str, tuple[list[str], list[list[Any]]]]) -> None:
    """The clashes that have a message of their own (certificate codes, emails) looked
    for before anything is written, so that the refusal names them rather than the first
    other unique value the insertion meets."""
    every = graph.tables()
    for table_name, unique in UNIQUE_MESSAGES:
        if table_name not in loaded or not set(unique) <= set(loaded[table_name][0]):
            continue
        columns, raw = loaded[table_name]
        table = every[table_name]
        at = [columns.index(c) for c in unique]
        try:
            rows = [{c: archive.decode(table.c[c], r[i]) for c, i in zip(unique, at,
                                                                         strict=True)}
                    for r in raw]
        except (ValueError, TypeError):
            continue  # the insertion refuses it as damaged
        _check_uniques(db, table, rows)


def _load_opt_outs(zf: zipfile.ZipFile, manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The archive's opt-outs (an archive made before they travelled has none)."""
    if archive.OPT_OUTS not in manifest["files"]:
        return []
    table = graph.tables()["message_opt_out"]
    try:
        raw = json.loads(zf.read(archive.OPT_OUTS))
        if not isinstance(raw, list):
            raise TypeError("not a list")
        rows = [{c.name: archive.decode(c, item[c.name]) for c in table.columns}
                for item in raw]
    except (KeyError, ValueError, TypeError) as exc:
        raise _refuse(N_("The archive is damaged: the rows of {name} cannot be read."),
                      name="message_opt_out") from exc
    return rows


def _add_opt_outs(db: Session, rows: list[dict[str, Any]]) -> int:
    """Add the opt-outs this installation does not hold yet; how many."""
    table = graph.tables()["message_opt_out"]
    added = 0
    for start in range(0, len(rows), CHUNK):
        part = rows[start:start + CHUNK]
        keys = [(r["channel"], r["address"]) for r in part]
        held = {(str(c), str(a)) for c, a in db.execute(
            select(table.c.channel, table.c.address)
            .where(tuple_(table.c.channel, table.c.address).in_(keys)))}
        fresh = list({(r["channel"], r["address"]): r for r in part
                      if (r["channel"], r["address"]) not in held}.values())
        if fresh:
            db.execute(insert(table), fresh)
            added += len(fresh)
    return added


def _insert_all(db: Session, loaded: dict[str, tuple[list[str], list[list[Any]]]], name: str,
                manifest: dict[str, Any]) -> Imported:
    every = graph.tables()
    order, deferred = graph.insert_order(list(loaded))
    maps: dict[str, dict[int, int]] = {}

    def new_id(table_name: str, old: int) -> int:
        try:
            return maps[table_name][old]
        except KeyError:
            raise _refuse(N_("The archive is damaged: a row of {name} points at a row that is "
                             "not in it."), name=table_name) from None

    later: list[tuple[Table, str, int, str, int]] = []  # table, key, new id, column, old ref
    result = Imported(organization_id=0, name=name,
                      source_installation=str(manifest.get("installation_id") or ""))
    for table_name in order:
        table = every[table_name]
        columns, raw = loaded[table_name]
        key = graph.int_pk(table)
        links = {c.name: r for c, r in graph.fk_pairs(table)}
        fresh = _new_ids(db, table, len(raw)) if key is not None else []
        rows: list[dict[str, Any]] = []
        for i, cells in enumerate(raw):
            try:
                values = {c: archive.decode(table.c[c], v)
                          for c, v in zip(columns, cells, strict=True)}
            except (ValueError, TypeError) as exc:
                raise _refuse(N_("The archive is damaged: a value of {name} cannot be read."),
                              name=table_name) from exc
            for column, ref in links.items():
                old = values.get(column)
                if old is None or column not in values:
                    continue
                if graph.int_pk(ref.table) is None:
                    continue  # a link to a key that is not renumbered keeps its value
                if (table_name, column) in deferred:
                    values[column] = None
                    if key is not None:
                        later.append((table, key.name, fresh[i], column, int(old)))
                    continue
                values[column] = new_id(ref.table.name, int(old))
            for (t, column), hidden in graph.HIDDEN_REFERENCES.items():
                if t == table_name and values.get(column) is not None:
                    values[column] = hidden.remap(values[column], new_id)
            if table_name == "user":
                _imported_user(values)
            if table_name == graph.ROOT:
                values["name"] = name
            if key is not None:
                old_id = values.get(key.name)
                if not isinstance(old_id, int):
                    raise _refuse(N_("The archive is damaged: a row of {name} has no id."),
                                  name=table_name)
                maps.setdefault(table_name, {})[old_id] = fresh[i]
                values[key.name] = fresh[i]
            rows.append(values)
        if key is not None and len(maps.get(table_name, {})) != len(rows):
            raise _refuse(N_("The archive is damaged: {name} repeats an id."), name=table_name)
        _check_uniques(db, table, rows)
        for start in range(0, len(rows), CHUNK):
            _insert(db, table, rows[start:start + CHUNK])
        result.counts[table_name] = len(rows)
    for table, key_name, row_id, column, old in later:
        ref = {c.name: r for c, r in graph.fk_pairs(table)}[column]
        db.execute(update(table).where(table.c[key_name] == row_id)
                   .values({column: new_id(ref.table.name, old)}))
    result.organization_id = next(iter(maps[graph.ROOT].values()))
    db.flush()
    return result


def _insert(db: Session, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    batch = list(rows)
    if not batch:
        return
    # Rows of one table may lack different columns (defaults): group by their keys.
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in batch:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    for group in groups.values():
        db.execute(insert(table), group)
