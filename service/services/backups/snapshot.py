"""A consistent copy of the database while the service runs, and its restore.

SQLite: the online backup API (Python's sqlite3 Connection.backup) in one step, which is
one read transaction: in WAL mode writers go on meanwhile, and the copy is the database
as of that transaction's start. The copy's row counts are taken from the copy itself.

PostgreSQL: pg_dump (custom format) on a snapshot this module exports from a REPEATABLE
READ, READ ONLY transaction (`pg_dump --snapshot`), in which the manifest's row counts
are taken too: the counts and the dump are the same moment. pg_dump's major version must
be at least the server's (it refuses otherwise, and so do we, first, in words).
"""

import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import LargeBinary, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlmodel import SQLModel

from service.errors import DomainError
from service.i18n import N_
from service.settings import Settings

# Tables an installation fills by itself, before anyone enters data (a freshly started
# service has a form-signing secret and may have taken a backup): a database holding
# rows only in these is still empty for a restore.
BOOKKEEPING = frozenset({"alembic_version", "backup_run", "appsecret", "ratelimit",
                         "used_form_stamp", "channel_pace"})
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class BackupFailed(DomainError):
    code, status = "backup_failed", 500
    message = N_("The backup could not be taken: {why}")


class ToolMissing(DomainError):
    code, status = "backup_tool", 422
    message = N_("{tool} is needed for a PostgreSQL backup and was not found. Install the "
                 "PostgreSQL client (major version {server} or newer), or set "
                 "BIMTEK_BACKUP_PG_BIN_DIR to its folder.")


class ToolTooOld(DomainError):
    code, status = "backup_tool", 422
    message = N_("{tool} is version {tool_version}, older than the database server "
                 "({server}). Install the PostgreSQL {server} client, or set "
                 "BIMTEK_BACKUP_PG_BIN_DIR to its folder.")


class NotEmpty(DomainError):
    code, status = "restore_not_empty", 409
    message = N_("The target database is not empty ({table} has {rows} rows). Restore "
                 "only into an empty database; nothing was changed.")


class WrongKind(DomainError):
    code, status = "backup_kind", 422
    message = N_("This backup is of a {archive} database and cannot be restored into "
                 "{target}. Nothing was restored.")


@dataclass
class Snapshot:
    kind: str  # sqlite | postgresql
    path: Path
    revision: str
    counts: dict[str, int]
    uploads: dict[str, dict[str, int]] = field(default_factory=dict)
    server_version: str = ""


def kind_of(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupFailed(params={"why": "the SQLite database is not a file"})
    return Path(database)


# --- counting -------------------------------------------------------------------------------

def _blob_columns() -> dict[str, list[str]]:
    """Every column of the models that holds an uploaded file's bytes, by table."""
    import service.models  # noqa: F401  (every table in the metadata)

    out: dict[str, list[str]] = {}
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, LargeBinary):
                out.setdefault(table.name, []).append(column.name)
    return out


def _q(name: str) -> str:
    if not _NAME.match(name):
        raise BackupFailed(params={"why": "an unexpected table name"})
    return f'"{name}"'


def _inventory(rows: Any, tables: list[str]) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Row counts of every table and, per column holding uploads, how many and their bytes.
    `rows(sql)` runs one query and returns its first row."""
    # Table and column names come from the database's catalogue and the models, quoted
    # by _q() after a check of their letters: no input reaches these statements.
    counts = {t: int(rows(f"SELECT count(*) FROM {_q(t)}")[0])  # noqa: S608
              for t in sorted(tables)}
    uploads: dict[str, dict[str, int]] = {}
    for table, columns in _blob_columns().items():
        if table not in counts:
            continue
        for column in columns:
            n, size = rows(f"SELECT count({_q(column)}), "  # noqa: S608
                           f"coalesce(sum(length({_q(column)})), 0) FROM {_q(table)}")
            uploads[f"{table}.{column}"] = {"files": int(n), "bytes": int(size)}
    return counts, uploads


def _revision(rows: Any, tables: list[str]) -> str:
    if "alembic_version" not in tables:
        return ""
    found = rows("SELECT max(version_num) FROM alembic_version")
    return str(found[0] or "")


# --- SQLite ---------------------------------------------------------------------------------

def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]


def snapshot_sqlite(url: str, dest: Path) -> Snapshot:
    source = sqlite_file(url)
    if not source.is_file():
        raise BackupFailed(params={"why": f"no database file at {source}"})
    src = sqlite3.connect(source, timeout=30)
    try:
        src.execute("PRAGMA busy_timeout=30000")
        dst = sqlite3.connect(dest)
        try:
            # pages=-1 (the default): the whole copy in one step, one read transaction, so
            # a write meanwhile neither restarts it nor appears in it halfway.
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file

            def rows(sql: str) -> Any:
                return dst.execute(sql).fetchone()

            tables = _sqlite_tables(dst)
            counts, uploads = _inventory(rows, tables)
            revision = _revision(rows, tables)
        finally:
            dst.close()
    finally:
        src.close()
    return Snapshot("sqlite", dest, revision, counts, uploads, sqlite3.sqlite_version)


def _sqlite_data_rows(conn: sqlite3.Connection) -> tuple[str, int] | None:
    """The first table holding rows (alembic_version aside), or None when all are empty."""
    for table in _sqlite_tables(conn):
        if table in BOOKKEEPING:
            continue
        n = conn.execute(f"SELECT count(*) FROM {_q(table)}").fetchone()[0]  # noqa: S608
        if n:
            return table, int(n)
    return None


def check_sqlite_empty(url: str) -> None:
    target = sqlite_file(url)
    if not target.exists() or target.stat().st_size == 0:
        return
    conn = sqlite3.connect(target, timeout=30)
    try:
        found = _sqlite_data_rows(conn)
    finally:
        conn.close()
    if found:
        raise NotEmpty(params={"table": found[0], "rows": found[1]})


def restore_sqlite(url: str, source: Path) -> dict[str, int]:
    """Copy the archive's database into the target file (created if missing), through
    the backup API, so a WAL file beside the target is taken care of; its row counts."""
    target = sqlite_file(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")

            def rows(sql: str) -> Any:
                return dst.execute(sql).fetchone()

            counts, _ = _inventory(rows, _sqlite_tables(dst))
        finally:
            dst.close()
    finally:
        src.close()
    return counts


# --- PostgreSQL -----------------------------------------------------------------------------

def pg_env(url: str) -> dict[str, str]:
    """libpq's environment for a SQLAlchemy URL (the password never on a command line)."""
    import os

    u = make_url(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, value in (("PGHOST", u.host), ("PGPORT", u.port), ("PGUSER", u.username),
                       ("PGPASSWORD", u.password), ("PGDATABASE", u.database)):
        if value is not None and str(value) != "":
            env[key] = str(value)
    for name, option in u.query.items():
        if isinstance(option, str) and name in ("sslmode", "sslrootcert", "sslcert", "sslkey",
                                                "host", "port"):
            # ?host=/var/run/postgresql: a same-host Unix socket (see README's PostgreSQL).
            env["PG" + name.upper()] = option
    return env


def tool(settings: Settings, name: str, server_major: int) -> str:
    folder = settings.backup_pg_bin_dir.strip()
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found or not Path(found).is_file():
        raise ToolMissing(params={"tool": name, "server": server_major})
    return found


def tool_major(path: str) -> int:
    # The PostgreSQL client's own programs (PATH or BIMTEK_BACKUP_PG_BIN_DIR), no shell.
    out = subprocess.run([path, "--version"], capture_output=True,  # noqa: S603
                         text=True, timeout=30, check=False).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else 0


def server_major(conn: Connection) -> int:
    return int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def checked_tool(settings: Settings, name: str, major: int) -> str:
    path = tool(settings, name, major)
    version = tool_major(path)
    if version < major:
        raise ToolTooOld(params={"tool": name, "tool_version": version, "server": major})
    return path


def _pg_tables(conn: Connection) -> list[str]:
    return list(conn.execute(text(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = "
        "current_schema() AND table_type = 'BASE TABLE'")).scalars())


def _tail(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no message"


def snapshot_postgres(engine: Engine, url: str, dest: Path, settings: Settings) -> Snapshot:
    with engine.connect() as probe:
        major = server_major(probe)
        version = str(probe.execute(text("SHOW server_version")).scalar_one())
    pg_dump = checked_tool(settings, "pg_dump", major)
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        with conn.begin():
            conn.execute(text("SET TRANSACTION READ ONLY"))
            snapshot_id = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()

            def rows(sql: str) -> Any:
                return conn.execute(text(sql)).one()

            tables = _pg_tables(conn)
            counts, uploads = _inventory(rows, tables)
            revision = _revision(rows, tables)
            # The exported snapshot lives as long as this transaction: pg_dump runs inside it.
            done = subprocess.run(  # noqa: S603
                [pg_dump, "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot_id}", f"--file={dest}"],
                env=pg_env(url), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupFailed(params={"why": f"pg_dump: {_tail(done.stderr)}"})
    return Snapshot("postgresql", dest, revision, counts, uploads, version)


def check_postgres_empty(engine: Engine) -> None:
    with engine.connect() as conn:
        for table in sorted(_pg_tables(conn)):
            if table in BOOKKEEPING:
                continue
            n = int(conn.execute(text(
                f"SELECT count(*) FROM {_q(table)}")).scalar_one())  # noqa: S608
            if n:
                raise NotEmpty(params={"table": table, "rows": n})


def restore_postgres(engine: Engine, url: str, source: Path, settings: Settings
                     ) -> dict[str, int]:
    """Drop the (empty) target's tables, so a database `bimtek serve` has already
    migrated takes the archive's schema as it was, then pg_restore in one transaction."""
    with engine.connect() as probe:
        major = server_major(probe)
    pg_restore = checked_tool(settings, "pg_restore", major)
    with engine.begin() as conn:
        for table in _pg_tables(conn):
            conn.execute(text(f"DROP TABLE IF EXISTS {_q(table)} CASCADE"))
    done = subprocess.run(  # noqa: S603
        [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         f"--dbname={make_url(url).database}", str(source)],
        env=pg_env(url), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupFailed(N_("The restore failed: {why}"),
                           params={"why": f"pg_restore: {_tail(done.stderr)}"})
    with engine.connect() as conn:
        counts, _ = _inventory(lambda sql: conn.execute(text(sql)).one(), _pg_tables(conn))
    return counts
