"""Taking a backup and restoring one; the `backup_run` rows; what /backups and /readyz say;
which archives are kept.

A run's row is committed before its snapshot starts (so of two workers reaching one
scheduled slot only one goes on: `slot` is unique) and gets its outcome after: ok with
the archive's path and size, or failed with an error that names a step and an exception's
kind, never a row's values (no personal data in it).
"""

import importlib.metadata
import logging
import re
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service import migrate as migrations
from service.db import make_engine, writer_bind
from service.errors import Conflict, DomainError, NotFound
from service.i18n import N_
from service.models.backups import BackupRun
from service.models.base import as_utc, utcnow
from service.services.backups import archive, snapshot
from service.settings import Settings

log = logging.getLogger(__name__)
NAME = re.compile(r"^bimtek-backup-(\d{8}-\d{6})(?:-\d+)?\.zip$")
# A run still "running" after this long died with its process.
INTERRUPTED_AFTER = timedelta(hours=12)
LEFTOVER_AFTER = timedelta(days=1)
INTERRUPTED = "interrupted (the process ended during the backup)"


class NewerArchive(archive.ArchiveRefused):
    code = "backup_newer"
    message = N_("The backup {name} comes from a newer Bimtek (database revision {revision} "
                 "is unknown here). Update Bimtek first. Nothing was restored.")


class AlreadyRunning(Conflict):
    code = "backup_running"
    message = N_("A backup is being taken right now; wait until it has finished.")


@dataclass(frozen=True)
class Outcome:
    run_id: int | None
    path: Path
    size: int
    manifest: dict[str, Any]


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    counts: dict[str, int]
    migrated: bool


@dataclass(frozen=True)
class Archive:
    name: str
    size: int
    created_at: datetime


@dataclass
class BackupStatus:
    every_hours: float
    keep_days: int
    directory: Path
    last_ok: BackupRun | None
    last_failure: BackupRun | None
    running: BackupRun | None
    failing: bool  # the latest finished run failed
    stale: bool  # the schedule is on and no success within twice its interval
    recent: list[BackupRun] = field(default_factory=list)
    archives: list[Archive] = field(default_factory=list)


# --- settings -------------------------------------------------------------------------------

def every_hours(settings: Settings) -> float:
    """Hours between scheduled backups; 0 is none (the PostgreSQL default)."""
    if settings.backup_every_hours is not None:
        return max(0.0, float(settings.backup_every_hours))
    return 24.0 if snapshot.kind_of(settings.database_url) == "sqlite" else 0.0


def backup_dir(settings: Settings) -> Path:
    if settings.backup_dir.strip():
        return Path(settings.backup_dir.strip())
    if snapshot.kind_of(settings.database_url) == "sqlite":
        try:
            return snapshot.sqlite_file(settings.database_url).resolve().parent / "backups"
        except DomainError:
            pass
    return Path("data") / "backups"


def archive_name(moment: datetime, run_id: int | None) -> str:
    stamp = as_utc(moment).strftime("%Y%m%d-%H%M%S")
    return f"bimtek-backup-{stamp}" + (f"-{run_id}" if run_id else "") + ".zip"


# --- run rows -------------------------------------------------------------------------------

def begin(engine: Engine, kind: str, now: datetime, slot: str | None = None) -> int | None:
    """A new run, committed; None when its slot is already someone's."""
    slot = slot or f"now:{as_utc(now):%Y%m%dT%H%M%S}:{secrets.token_hex(6)}"
    with Session(writer_bind(engine), expire_on_commit=False) as db:
        if db.exec(select(BackupRun.id).where(BackupRun.slot == slot)).first() is not None:
            return None
        run = BackupRun(slot=slot, kind=kind, status="running", started_at=now)
        db.add(run)
        try:
            db.commit()
        except IntegrityError:
            db.rollback()
            return None
        return run.id


def _finish(engine: Engine, run_id: int | None, status: str, path: str = "",
            size: int | None = None, error: str = "") -> None:
    if run_id is None:
        return
    with Session(writer_bind(engine)) as db:
        run = db.get(BackupRun, run_id)
        if run is None:
            return
        run.status, run.finished_at, run.path, run.size = status, utcnow(), path, size
        run.error = error[:500]
        db.add(run)
        db.commit()


def describe(exc: BaseException) -> str:
    """An error's words for the run's row and the logs: our own messages (they name no
    person), an OS error's reason, otherwise only the exception's kind."""
    if isinstance(exc, DomainError):
        return exc.text()
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"
    return type(exc).__name__


def request_now(db: Session, now: datetime) -> BackupRun:
    """A backup asked for on /backups: its row (the caller commits, then starts it)."""
    running = _running(db, now)
    if running is not None:
        raise AlreadyRunning()
    run = BackupRun(slot=f"now:{as_utc(now):%Y%m%dT%H%M%S}:{secrets.token_hex(6)}",
                    kind="manual", status="running", started_at=now)
    db.add(run)
    db.flush()
    return run


def _running(db: Session, now: datetime) -> BackupRun | None:
    since = now - INTERRUPTED_AFTER
    return db.exec(select(BackupRun).where(BackupRun.status == "running",
                                           col(BackupRun.started_at) >= since)
                   .order_by(col(BackupRun.started_at).desc())).first()


# --- taking one -----------------------------------------------------------------------------

def take(engine: Engine, settings: Settings, run_id: int | None, target: Path | None = None,
         prune_after: bool = False) -> Outcome:
    """Snapshot the database into an archive (default: a new file in the backup folder)
    and record the outcome on the run's row. Raises after recording a failure."""
    started = utcnow()
    target = target or backup_dir(settings) / archive_name(started, run_id)
    work: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Beside the archive: a big database may not fit in /tmp.
        work = Path(tempfile.mkdtemp(prefix=".bimtek-tmp-", dir=target.parent))
        url = engine.url.render_as_string(hide_password=False)
        kind = snapshot.kind_of(url)
        member = archive.DATABASE_MEMBERS[kind]
        if kind == "sqlite":
            snap = snapshot.snapshot_sqlite(url, work / member)
        else:
            snap = snapshot.snapshot_postgres(engine, url, work / member, settings)
        manifest = {
            "format": archive.FORMAT, "format_version": archive.FORMAT_VERSION,
            "app_version": _app_version(), "alembic_revision": snap.revision,
            "database": kind, "database_server": snap.server_version,
            "created_at": started.isoformat(), "run_id": run_id,
            "organizations": snap.counts.get("organization", 0),
            "row_counts": snap.counts, "uploads": snap.uploads,
            "consistency": ("SQLite online backup API, one step (one read transaction)"
                            if kind == "sqlite" else
                            "pg_dump --snapshot of a REPEATABLE READ READ ONLY transaction, "
                            "in which the row counts were taken"),
        }
        # pg_dump's custom format is compressed already.
        size = archive.write(target, manifest, [(member, snap.path, kind == "sqlite")])
    except BaseException as exc:
        _finish(engine, run_id, "failed", error=describe(exc))
        log.warning("backup failed: %s", describe(exc))
        raise
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    _finish(engine, run_id, "ok", str(target), size)
    log.info("backup taken: %s (%d bytes)", target.name, size)
    if prune_after:
        prune(settings, utcnow())
    return Outcome(run_id, target, size, manifest)


def backup(engine: Engine, settings: Settings, target: Path | None = None,
           kind: str = "command") -> Outcome:
    """`bimtek backup [PATH]`: a run of its own, taken now. PATH may be a folder."""
    if target is not None and target.is_dir():
        target = target / archive_name(utcnow(), None)
    run_id = begin(engine, kind, utcnow())
    return take(engine, settings, run_id, target)


def _take_quietly(engine: Engine, settings: Settings, run_id: int) -> None:
    try:
        take(engine, settings, run_id, prune_after=True)
    except Exception:  # noqa: BLE001 (recorded on the run's row and logged in take())
        log.debug("backup run %d ended with an error (recorded on its row)", run_id)


def start_in_thread(engine: Engine, settings: Settings, run_id: int) -> threading.Thread:
    """Take a begun run in a thread of its own (the worker's schedule, "Backup now")."""
    thread = threading.Thread(target=_take_quietly, args=(engine, settings, run_id),
                              name=f"backup-{run_id}", daemon=True)
    thread.start()
    return thread


def _app_version() -> str:
    try:
        return importlib.metadata.version("bimtek")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


# --- restoring one --------------------------------------------------------------------------

def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(migrations.alembic_config())
    return {s.revision for s in script.walk_revisions()}


def restore(path: Path, url: str, settings: Settings) -> Restored:
    """Verify the archive wholly, then restore it into the empty database at `url` and
    migrate it to this code's schema. Refuses (ArchiveRefused, NotEmpty, WrongKind) with
    nothing changed."""
    kind = snapshot.kind_of(url)

    def acceptable(manifest: dict[str, Any]) -> None:
        if manifest.get("database") not in archive.DATABASE_MEMBERS:
            raise archive.Foreign(params={"name": path.name})
        if manifest.get("database") != kind:
            raise snapshot.WrongKind(params={"archive": manifest.get("database"),
                                             "target": kind})
        revision = str(manifest.get("alembic_revision") or "")
        if revision not in _known_revisions():
            raise NewerArchive(params={"name": path.name, "revision": revision or "?"})

    work = Path(tempfile.mkdtemp(prefix="bimtek-restore-"))
    engine = make_engine(url, pool_size=1)
    try:
        archive.check_sum(path)
        manifest = archive.read_manifest(path)
        acceptable(manifest)
        if kind == "sqlite":
            snapshot.check_sqlite_empty(url)
        else:
            snapshot.check_postgres_empty(engine)
        files = archive.extract(path, manifest, work)
        source = files[archive.DATABASE_MEMBERS[kind]]
        if kind == "sqlite":
            counts = snapshot.restore_sqlite(url, source)
        else:
            counts = snapshot.restore_postgres(engine, url, source, settings)
        expected = {str(k): int(v) for k, v in dict(manifest.get("row_counts") or {}).items()}
        if counts != expected:
            differ = sorted(t for t in set(counts) | set(expected)
                            if counts.get(t) != expected.get(t))
            raise snapshot.BackupFailed(N_("The restore failed: {why}"), params={
                "why": "row counts differ from the manifest in " + ", ".join(differ[:5])})
        engine.dispose()
        head = manifest.get("alembic_revision")
        migrations.upgrade(url)
        _settle(make_engine(url, pool_size=1), manifest, path)
        return Restored(manifest, counts, migrated=head != _head_revision())
    finally:
        engine.dispose()
        shutil.rmtree(work, ignore_errors=True)


def _head_revision() -> str:
    return str(ScriptDirectory.from_config(migrations.alembic_config()).get_current_head())


def _settle(engine: Engine, manifest: dict[str, Any], path: Path) -> None:
    """The restored database's runs that were under way when it was copied: the one that
    made this archive succeeded; any other never finished."""
    try:
        with Session(writer_bind(engine)) as db:
            for run in db.exec(select(BackupRun).where(BackupRun.status == "running")):
                if run.id == manifest.get("run_id"):
                    run.status, run.path = "ok", str(path)
                    run.size = path.stat().st_size
                    run.finished_at = datetime.fromisoformat(str(manifest["created_at"]))
                else:
                    run.status, run.error, run.finished_at = "failed", INTERRUPTED, utcnow()
                db.add(run)
            db.commit()
    finally:
        engine.dispose()


# --- what the page and /readyz show --------------------------------------------------------

def _finished_at(run: BackupRun) -> datetime:
    return as_utc(run.finished_at or run.started_at)


def status(db: Session, settings: Settings, now: datetime, archives: bool = True
           ) -> BackupStatus:
    def latest(state: str) -> BackupRun | None:
        return db.exec(select(BackupRun).where(BackupRun.status == state)
                       .order_by(col(BackupRun.started_at).desc()).limit(1)).first()

    last_ok, last_failure = latest("ok"), latest("failed")
    hours = every_hours(settings)
    failing = last_failure is not None and (
        last_ok is None or _finished_at(last_failure) > _finished_at(last_ok))
    stale = False
    if hours > 0:
        limit = now - timedelta(hours=2 * hours)
        if last_ok is not None:
            stale = _finished_at(last_ok) < limit
        else:
            first = db.exec(select(BackupRun).order_by(col(BackupRun.started_at))
                            .limit(1)).first()
            stale = first is not None and as_utc(first.started_at) < limit
    recent = list(db.exec(select(BackupRun).order_by(col(BackupRun.started_at).desc())
                          .limit(10)))
    return BackupStatus(hours, settings.backup_keep_days, backup_dir(settings), last_ok,
                        last_failure, _running(db, now), failing, stale, recent,
                        kept(settings) if archives else [])


def readiness(db: Session, settings: Settings, now: datetime) -> dict[str, Any] | None:
    """/readyz's backup detail: moments and flags only (it answers anyone), or None
    before the first backup run."""
    s = status(db, settings, now, archives=False)
    if s.last_ok is None and s.last_failure is None and not s.stale:
        return None
    return {"last_ok": _finished_at(s.last_ok).isoformat() if s.last_ok else None,
            "last_failure": _finished_at(s.last_failure).isoformat()
            if s.last_failure else None,
            "failing": s.failing, "stale": s.stale, "every_hours": s.every_hours}


# --- the archives kept ----------------------------------------------------------------------

def _created(path: Path) -> datetime:
    match = NAME.match(path.name)
    if match:
        return datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def kept(settings: Settings) -> list[Archive]:
    """The archives in the backup folder, newest first."""
    folder = backup_dir(settings)
    if not folder.is_dir():
        return []
    found = [Archive(p.name, p.stat().st_size, _created(p)) for p in folder.iterdir()
             if p.is_file() and NAME.match(p.name)]
    return sorted(found, key=lambda a: (a.created_at, a.name), reverse=True)


def archive_path(settings: Settings, name: str) -> Path:
    """A kept archive by its name; 404 for anything else (no path from the URL is used)."""
    if not NAME.match(name):
        raise NotFound()
    for item in kept(settings):
        if item.name == name:
            return backup_dir(settings) / item.name
    raise NotFound()


def prune(settings: Settings, now: datetime) -> list[str]:
    """Delete archives older than backup_keep_days (never the newest one), and what an
    interrupted backup left behind; the names deleted."""
    folder = backup_dir(settings)
    if not folder.is_dir():
        return []
    deleted = []
    limit = now - timedelta(days=max(0, settings.backup_keep_days))
    for item in kept(settings)[1:]:
        if item.created_at < limit:
            (folder / item.name).unlink(missing_ok=True)
            deleted.append(item.name)
    old = (now - LEFTOVER_AFTER).timestamp()
    for leftover in folder.iterdir():
        if leftover.name.startswith(".bimtek-tmp-") or leftover.name.endswith(".partial"):
            if leftover.stat().st_mtime < old:
                if leftover.is_dir():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink(missing_ok=True)
    if deleted:
        log.info("backups: %d archives older than %d days deleted", len(deleted),
                 settings.backup_keep_days)
    return deleted
