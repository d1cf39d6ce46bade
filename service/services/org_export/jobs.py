"""Export jobs, kept as files (no table of their own): data/exports/<org>/<id>/ holds
status.json and, once done, the archive. A thread of the app process builds it with its
own session; any process serving the data directory can report and hand it out."""

from __future__ import annotations

import json
import logging
import re
import secrets
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session

from service.errors import DomainError, NotFound
from service.i18n import N_
from service.services.org_export.sheets import Render
from service.settings import get_settings

log = logging.getLogger("bimtek.org_export")
ARCHIVE = "export.zip"
KEEP = timedelta(days=7)  # a finished archive (personal data) is deleted after a week
STALE = timedelta(hours=2)  # a "running" job not touched for this long died with its process
_ID = re.compile(r"^[a-f0-9]{24}$")
# Tests build the archive at once, in the test's own transaction.
INLINE = False
SESSION: Callable[[], AbstractContextManager[Session]] | None = None


class ExportBusy(DomainError):
    code, status = "export_running", 409
    message = N_("An export of this office is already being prepared.")


def data_dir() -> Path:
    """Where files live: BIMTEK_DATA_DIR, else beside the SQLite database, else ./data."""
    settings = get_settings()
    if settings.data_dir:
        return Path(settings.data_dir)
    url = settings.database_url
    if url.startswith("sqlite:///") and ":memory:" not in url:
        return Path(url.split("///", 1)[1]).resolve().parent
    return Path("data")


def _org_dir(org_id: int) -> Path:
    return data_dir() / "exports" / str(int(org_id))


@dataclass
class Job:
    id: str
    status: str  # running | done | failed
    created_at: datetime
    finished_at: datetime | None = None
    step: str = ""
    size: int = 0
    counts: dict[str, int] | None = None
    error: str = ""

    @property
    def ready(self) -> bool:
        return self.status == "done"


def _write_status(folder: Path, data: dict[str, Any]) -> None:
    tmp = folder / "status.json.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(folder / "status.json")


def _read(folder: Path) -> Job | None:
    try:
        data = json.loads((folder / "status.json").read_text(encoding="utf-8"))
        job = Job(id=folder.name, status=str(data["status"]),
                  created_at=datetime.fromisoformat(data["created_at"]),
                  finished_at=datetime.fromisoformat(data["finished_at"])
                  if data.get("finished_at") else None, step=str(data.get("step", "")),
                  size=int(data.get("size", 0)), counts=data.get("counts"),
                  error=str(data.get("error", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if job.status == "running":
        touched = datetime.fromtimestamp((folder / "status.json").stat().st_mtime, UTC)
        if datetime.now(UTC) - touched > STALE:
            job.status, job.error = "failed", "interrupted"
    return job


def get_job(org_id: int, job_id: str) -> Job:
    """The organization's job (another office's id, or a made-up one, is not found)."""
    folder = _org_dir(org_id) / job_id
    job = _read(folder) if _ID.match(job_id) else None
    if job is None:
        raise NotFound(N_("Export not found."))
    return job


def list_jobs(org_id: int) -> list[Job]:
    root = _org_dir(org_id)
    if not root.is_dir():
        return []
    jobs = [j for f in root.iterdir() if f.is_dir() and _ID.match(f.name)
            for j in [_read(f)] if j is not None]
    return sorted(jobs, key=lambda j: j.created_at, reverse=True)


def archive_path(org_id: int, job_id: str) -> Path:
    job = get_job(org_id, job_id)
    path = _org_dir(org_id) / job_id / ARCHIVE
    if not job.ready or not path.is_file():
        raise NotFound(N_("This export is not ready yet."))
    return path


def _clean(org_id: int) -> None:
    import shutil

    now = datetime.now(UTC)
    for job in list_jobs(org_id):
        if job.status != "running" and now - job.created_at > KEEP:
            shutil.rmtree(_org_dir(org_id) / job.id, ignore_errors=True)


def run(org_id: int, job_id: str, render: Render) -> None:
    """Build the archive of a created job with a session of its own (a thread, or a test
    calling it directly)."""
    from service.db import open_session
    from service.services.org_export.export import export_to_path, installation_id

    folder = _org_dir(org_id) / job_id
    status: dict[str, Any] = json.loads((folder / "status.json").read_text(encoding="utf-8"))

    def step(name: str) -> None:
        status["step"] = name
        _write_status(folder, status)

    try:
        # The installation's id (made on the first export) in a short write of its own
        # first: made inside the export's long read, on SQLite that write failed
        # ("database is locked") whenever a request had written since the export began.
        with (SESSION or open_session)() as db:
            installation_id(db)
            db.commit()
        with (SESSION or (lambda: open_session(write=False)))() as db:
            manifest = export_to_path(db, org_id, folder / ARCHIVE, render, step)
        status.update(status="done", counts=manifest["tables"],
                      size=(folder / ARCHIVE).stat().st_size)
    except Exception as exc:  # noqa: BLE001  (the page shows it failed; the log says why)
        log.exception("organization export %s failed", job_id)
        status.update(status="failed", error=type(exc).__name__)
    status["finished_at"] = datetime.now(UTC).isoformat()
    status["step"] = ""
    _write_status(folder, status)


def start(org_id: int, render: Render, background: bool = True) -> Job:
    """A new export job of the organization, built in a thread (or now); `render` makes
    the workbook (rendering/org_export_sheets.lists_xlsx)."""
    _clean(org_id)
    if any(j.status == "running" for j in list_jobs(org_id)):
        raise ExportBusy()
    job_id = secrets.token_hex(12)
    folder = _org_dir(org_id) / job_id
    folder.mkdir(parents=True, exist_ok=False)
    now = datetime.now(UTC)
    _write_status(folder, {"status": "running", "created_at": now.isoformat(), "step": ""})
    if background and not INLINE:
        threading.Thread(target=run, args=(org_id, job_id, render), name=f"org-export-{job_id}",
                         daemon=True).start()
    else:
        run(org_id, job_id, render)
    return get_job(org_id, job_id)


def log_download(org_id: int, user_id: int, job_id: str) -> None:
    """Who downloaded which export, when: ids only, no personal data."""
    folder = _org_dir(org_id) / job_id
    line = json.dumps({"at": datetime.now(UTC).isoformat(), "user_id": user_id,
                       "export": job_id})
    with (folder.parent / "downloads.log").open("a", encoding="utf-8") as out:
        out.write(line + "\n")
    log.info("organization export downloaded: org=%s export=%s user=%s", org_id, job_id,
             user_id)


def downloads(org_id: int) -> list[dict[str, Any]]:
    path = _org_dir(org_id) / "downloads.log"
    if not path.is_file():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[-50:]:
        try:
            rows.append(json.loads(line))
        except ValueError:
            continue
    return list(reversed(rows))


def downloads_with_accounts(db: Session, org_id: int) -> list[dict[str, Any]]:
    """The download log for the admins' page: each line with its account's name and email
    (the log itself keeps ids only); an account since deleted shows its id."""
    from sqlmodel import col, select

    from service.models import User

    rows = downloads(org_id)
    ids = {int(r["user_id"]) for r in rows if isinstance(r.get("user_id"), int)}
    found = {u.id: u for u in db.exec(select(User).where(
        col(User.id).in_(sorted(ids)), col(User.organization_id) == org_id)).all()} \
        if ids else {}
    for row in rows:
        user = found.get(row.get("user_id"))
        row["name"] = user.name if user else ""
        row["email"] = user.email if user else ""
        try:
            row["when"] = datetime.fromisoformat(str(row.get("at")))
        except ValueError:
            row["when"] = None
    return rows
