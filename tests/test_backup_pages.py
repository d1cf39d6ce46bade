"""/backups (superusers) and /readyz's backup detail."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from service.models import BackupRun
from service.models.base import utcnow
from service.services.backups import runs
from service.settings import get_settings
from tests import factories
from tests.helpers import login_page_client


@pytest.fixture
def backup_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "backups"
    folder.mkdir()
    monkeypatch.setenv("BIMTEK_BACKUP_DIR", str(folder))
    monkeypatch.setenv("BIMTEK_BACKUP_EVERY_HOURS", "24")
    get_settings.cache_clear()
    yield folder
    monkeypatch.undo()
    get_settings.cache_clear()


def _run(db: Session, status: str, hours_ago: float, error: str = "", size: int | None = None,
         kind: str = "scheduled") -> BackupRun:
    moment = utcnow() - timedelta(hours=hours_ago)
    run = BackupRun(slot=f"test:{status}:{hours_ago}", kind=kind, status=status,
                    started_at=moment, finished_at=None if status == "running" else moment,
                    size=size, error=error, path="")
    db.add(run)
    db.commit()
    return run


@pytest.fixture
def superuser_client(client: TestClient, db: Session, org: Any) -> tuple[TestClient, str]:
    factories.superuser(db, org)
    db.commit()
    return client, login_page_client(client, "pusat@bimtek.test")


def test_readyz_says_nothing_more_before_any_backup(client: TestClient,
                                                    backup_dir: Path) -> None:
    assert client.get("/readyz").json() == {"status": "ok"}


@pytest.fixture
def real(engine: Engine) -> Iterator[Session]:
    """Rows committed for real: /readyz reads through the app's engine, outside the test's
    transaction. Removed afterwards."""
    with Session(engine) as session:
        yield session
        session.rollback()
        session.execute(delete(BackupRun))
        session.commit()


def test_readyz_tells_a_failed_backup_and_stays_200(client: TestClient, real: Session,
                                                    backup_dir: Path) -> None:
    _run(real, "ok", 30, size=1000)
    _run(real, "failed", 2, error="OSError: No space left on device")
    r = client.get("/readyz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["backup"]["failing"] is True and body["backup"]["stale"] is False
    assert body["backup"]["last_ok"] is not None and body["backup"]["last_failure"]
    # Moments and flags only: /readyz answers anyone.
    assert "space" not in r.text


def test_readyz_tells_a_stale_backup(client: TestClient, real: Session,
                                     backup_dir: Path) -> None:
    _run(real, "ok", 49, size=1000)
    body = client.get("/readyz").json()
    assert body["backup"]["stale"] is True and body["backup"]["failing"] is False
    _run(real, "ok", 1, size=1000)
    assert client.get("/readyz").json()["backup"]["stale"] is False


def test_only_a_superuser_sees_the_page(client: TestClient, db: Session, org: Any,
                                        backup_dir: Path) -> None:
    admin = factories.user(db, org, role="admin", email="admin@padang.test")
    db.commit()
    login_page_client(client, admin.email)
    assert client.get("/backups").status_code == 404
    (backup_dir / runs.archive_name(utcnow(), 1)).write_bytes(b"PK")
    assert client.get(f"/backups/files/{runs.archive_name(utcnow(), 1)}").status_code == 404


def test_the_page_shows_the_last_success_failure_and_archives(
        superuser_client: tuple[TestClient, str], db: Session, backup_dir: Path) -> None:
    client, _csrf = superuser_client
    _run(db, "ok", 3, size=5 * 1048576)
    _run(db, "failed", 1, error="pg_dump: connection refused")
    name = runs.archive_name(utcnow() - timedelta(hours=3), 7)
    (backup_dir / name).write_bytes(b"PK" + b"\0" * 3000)
    page = client.get("/backups")
    assert page.status_code == 200
    text = page.text
    assert "pg_dump: connection refused" in text and "5.0 MB" in text
    assert f"/backups/files/{name}" in text and "bimtek restore" in text
    assert 'id="backup-stale"' not in text
    got = client.get(f"/backups/files/{name}")
    assert got.status_code == 200 and got.content == b"PK" + b"\0" * 3000
    assert got.headers["cache-control"] == "no-store"
    assert "attachment" in got.headers["content-disposition"]
    for bad in ("..%2F..%2Fetc%2Fpasswd", "notes.zip", "bimtek-backup-x.zip",
                runs.archive_name(utcnow(), 99)):
        assert client.get(f"/backups/files/{bad}").status_code == 404


def test_backup_now_queues_a_run_and_starts_it_outside_the_request(
        superuser_client: tuple[TestClient, str], db: Session, backup_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    client, csrf = superuser_client
    started: list[int] = []
    monkeypatch.setattr(runs, "start_in_thread",
                        lambda _engine, _settings, run_id: started.append(run_id))
    r = client.post("/backups/now", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/backups?started=1"
    run = db.exec(select(BackupRun).where(BackupRun.kind == "manual")).one()
    assert started == [run.id] and run.status == "running"
    page = client.get("/backups?started=1")
    assert 'id="backup-running"' in page.text and "hx-trigger=\"every" in page.text
    # A second press while it runs: refused in words, nothing queued.
    again = client.post("/backups/now", data={"csrf_token": csrf}, follow_redirects=False)
    assert again.status_code == 409 and 'id="backups-error"' in again.text
    assert len(db.exec(select(BackupRun).where(BackupRun.kind == "manual")).all()) == 1
    assert started == [run.id]
