"""The export over HTTP: POST /api/export -> 202 {id}, its status, its download (admins
only, logged without personal data), the page, and `bimtek import-org`."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models.base import pk
from service.rendering.org_export_sheets import lists_xlsx
from service.services.org_export import jobs
from service.settings import get_settings
from tests import factories, org_export_world
from tests.conftest import PASSWORD


@pytest.fixture
def inline_jobs(db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Jobs built at once, in the test's transaction, under a data directory of its own."""
    @contextmanager
    def session() -> Iterator[Session]:
        yield db

    monkeypatch.setattr(get_settings(), "data_dir", str(tmp_path))
    monkeypatch.setattr(jobs, "INLINE", True)
    monkeypatch.setattr(jobs, "SESSION", session)
    return tmp_path


def _bearer(client: TestClient, email: str) -> dict[str, str]:
    r = client.post("/api/auth/token", data={"username": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_export_over_the_api(client: TestClient, db: Session, inline_jobs: Path,
                             caplog: Any) -> None:
    office = org_export_world.build(db)
    headers = _bearer(client, office.admin.email)
    started = client.post("/api/export", headers=headers)
    assert started.status_code == 202
    job_id = started.json()["id"]
    status = client.get(f"/api/export/{job_id}", headers=headers).json()
    assert status["status"] == "done" and status["counts"]["registration"] == 6
    assert status["download_url"] == f"/api/export/{job_id}/download"
    with caplog.at_level("INFO"):
        got = client.get(status["download_url"], headers=headers)
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert got.headers["cache-control"] == "no-store"
    log = (inline_jobs / "exports" / str(pk(office.org)) / "downloads.log").read_text()
    assert f'"user_id": {pk(office.admin)}' in log and job_id in log
    for reg in office.regs:  # no personal data in the download log or the app's log
        person = factories.kader(office.regs.index(reg))
        assert person["nik"] not in log and person["nik"] not in caplog.text


def test_only_the_offices_admin_exports(client: TestClient, db: Session,
                                        inline_jobs: Path) -> None:
    office = org_export_world.build(db)
    committee = factories.user(db, office.org, role="committee")
    other = factories.organization(db, "DP3AP2KB Kota Pontianak")
    other_admin = factories.user(db, other, role="admin")
    factories.committed(db)
    assert client.post("/api/export", headers=_bearer(client, committee.email)
                       ).status_code == 403
    job_id = client.post("/api/export", headers=_bearer(client, office.admin.email)
                         ).json()["id"]
    stranger = _bearer(client, other_admin.email)
    assert client.get(f"/api/export/{job_id}", headers=stranger).status_code == 404
    assert client.get(f"/api/export/{job_id}/download", headers=stranger).status_code == 404
    assert client.get("/api/export/../../etc", headers=stranger).status_code == 404


def test_the_export_page_prepares_then_offers_the_download(
        client: TestClient, db: Session, inline_jobs: Path) -> None:
    from tests.helpers import login_page_client

    office = org_export_world.build(db)
    csrf = login_page_client(client, office.admin.email)
    page = client.get("/export")
    assert page.status_code == 200 and "id=\"no-exports\"" in page.text
    made = client.post("/export", data={"csrf_token": csrf}, follow_redirects=False)
    assert made.status_code == 303
    page = client.get("/export")
    assert "export-download" in page.text
    href = page.text.split('class="button export-download" href="')[1].split('"')[0]
    assert client.get(href).content[:2] == b"PK"


def test_import_org_command(db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: Any) -> None:
    import io

    from service import cli
    from service.services.org_export import export
    from tests.dbutil import fresh_database

    office = org_export_world.build(db)
    out = io.BytesIO()
    export.write_archive(db, pk(office.org), out, lists_xlsx)
    path = tmp_path / "padang.zip"
    path.write_bytes(out.getvalue())
    broken = tmp_path / "broken.zip"
    broken.write_bytes(out.getvalue()[:5000])
    with fresh_database("sqlite", "cli") as url:
        from service.db import get_engine
        from service.settings import get_settings

        monkeypatch.setenv("BIMTEK_DATABASE_URL", url)
        get_settings.cache_clear()
        get_engine.cache_clear()
        try:
            assert cli.main(["import-org", str(broken)]) == 1
            assert "ZIP" in capsys.readouterr().err
            assert cli.main(["import-org", str(path), "--name", "Padang baru"]) == 0
            said = capsys.readouterr().out
            assert "imported Padang baru" in said
            # The first admin gets a one-time setup link, as after an upload on /offices.
            assert "sets a password at http://127.0.0.1:8000/" in said
            assert cli.main(["import-org", str(path), "--name", "Padang lagi"]) == 1
        finally:
            get_engine().dispose()
            monkeypatch.undo()
            get_settings.cache_clear()
            get_engine.cache_clear()
