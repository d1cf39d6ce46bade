"""An office's move in real Chromium: its admin opens "Ekspor data kantor" from the
menu, prepares the export (being prepared, then ready: a thread of the server builds it),
downloads the ZIP and sees the download logged by name; a superuser imports another
installation's archive on /offices under a new name and sees the counts, and is refused,
with the reason, an archive whose office is already here and a damaged file. Desktop
and 390 px; screenshots also under /tmp/shots/h18d/."""

import io
import secrets
import shutil
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine
from sqlmodel import Session, SQLModel

from service.models.base import pk
from service.rendering.org_export_sheets import lists_xlsx
from service.services.org_export import export
from tests import org_export_world
from tests.browser.conftest import (
    ADMIN_EMAIL,
    ARTIFACTS,
    DESKTOP,
    PHONE,
    SUPERUSER_EMAIL,
    SUPERUSER_PASSWORD,
    login,
    no_horizontal_overflow,
    shoot,
)

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/h18d")


def _shoot(page: Page, name: str) -> None:
    """Desktop and 390 px screenshots (test-artifacts/, and /tmp/shots/h18d/ to look at);
    nothing may push the phone page sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, suffix in ((DESKTOP, "1280"), (PHONE, "390")):
        page.set_viewport_size(size)
        if size == PHONE:
            no_horizontal_overflow(page)
        target = ARTIFACTS / f"{name}-{suffix}.png"
        page.screenshot(path=str(target), full_page=True)
        shutil.copy(target, SHOTS / target.name)
    page.set_viewport_size(DESKTOP)


def _other_installation(tmp: Path) -> tuple[bytes, dict[str, int]]:
    """An office exported from another installation (its own database): the archive and
    its row counts."""
    engine = create_engine(f"sqlite:///{tmp / 'other.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as db:
        office = org_export_world.build(db, "DP3AP2KB Kota Pontianak")
        out = io.BytesIO()
        manifest = export.write_archive(db, pk(office.org), out, lists_xlsx)
    engine.dispose()
    return out.getvalue(), manifest["tables"]


def _a_training(api: httpx.Client) -> None:
    start = date.today() + timedelta(days=20)
    t = api.post("/api/trainings", json={
        "title": "Orientasi Kader Bina Keluarga Balita " + secrets.token_hex(2), "kind": "bimtek",
        "start_date": start.isoformat(), "end_date": (start + timedelta(days=1)).isoformat(),
        "venue": "Aula DP3AP2KB Kota Padang"})
    assert t.status_code == 201, t.text


def test_an_office_exports_and_a_superuser_imports_it(
        browser: Any, page: Page, live_server: str, live_api: httpx.Client,
        tmp_path: Path, dialogs: list[str]) -> None:
    _a_training(live_api)
    login(page)
    # The admin finds the export under Settings in the menu.
    page.locator("header nav a#nav-settings").click()
    page.wait_for_url("**/settings")
    shoot(page, "office-settings")
    link = page.locator("a#settings-export")
    expect(link).to_contain_text("Ekspor data kantor")
    link.click()
    page.wait_for_url("**/export")
    expect(page.locator("h1")).to_have_text("Ekspor data kantor")
    page.locator("#start-export button[type=submit]").click()
    page.wait_for_url("**/export")
    # A server thread builds it: being prepared (the page polls), then ready.
    running = page.locator("#exports .export-running")
    download = page.locator("#exports a.export-download").first
    expect(running.or_(download).first).to_be_visible()
    saw_running = running.count() > 0
    if saw_running:
        expect(page.locator("#start-export button")).to_be_disabled()
        _shoot(page, "org-export-preparing")
    expect(download).to_be_visible(timeout=60_000)
    with page.expect_download() as caught:
        download.click()
    saved = tmp_path / "export.zip"
    caught.value.save_as(saved)
    with zipfile.ZipFile(saved) as zf:
        names = set(zf.namelist())
    assert {"manifest.json", "manifest.sha256", "sheets/daftar.xlsx"} <= names
    page.reload()
    expect(page.locator("#export-downloads")).to_contain_text(ADMIN_EMAIL)
    expect(page.locator("#export-downloads")).not_to_contain_text("akun #")
    _shoot(page, "org-export-ready")

    # The superuser imports an office from another installation.
    archive, counts = _other_installation(tmp_path)
    other = tmp_path / "bimtek-ekspor-pontianak.zip"
    other.write_bytes(archive)
    context = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="id-ID")
    context.set_default_timeout(10_000)
    su = context.new_page()
    try:
        login(su, SUPERUSER_EMAIL, SUPERUSER_PASSWORD)
        su.locator("header nav a#nav-settings").click()
        su.locator("a#settings-offices").click()
        form = su.locator("#import-office")
        expect(form).to_contain_text("Impor penyelenggara dari instalasi lain")
        _shoot(su, "offices-import-form")
        name = "DP3AP2KB Kota Pontianak " + secrets.token_hex(2)
        form.locator("input[name=archive]").set_input_files(str(other))
        form.locator("input[name=name]").fill(name)
        form.locator("button[type=submit]").click()
        result = su.locator("#import-result")
        expect(result).to_contain_text(f"{name} telah diimpor sebagai penyelenggara baru")
        expect(result.locator("#import-counts")).to_contain_text(
            f"Pendaftaran{counts['registration']}")
        expect(result.locator("#import-counts")).to_contain_text(
            f"Sertifikat{counts['certificate']}")
        expect(su.locator("#fresh-link")).to_contain_text("Admin Padang")
        expect(su.locator("#offices tr", has_text=name)).to_contain_text("Menunggu admin")
        _shoot(su, "offices-imported")

        # The admin's own download, into the installation that holds its office: refused.
        form = su.locator("#import-office")
        form.locator("input[name=archive]").set_input_files(str(saved))
        form.locator("input[name=name]").fill("Padang Kedua")
        form.locator("button[type=submit]").click()
        expect(su.locator("#import-error")).to_contain_text("sudah ada di instalasi ini")
        expect(su.locator("#import-office input[name=name]")).to_have_value("Padang Kedua")
        _shoot(su, "offices-import-already-here")

        # A damaged file (cut short on the way): refused, nothing imported.
        broken = tmp_path / "rusak.zip"
        broken.write_bytes(archive[: len(archive) // 2])
        before = su.locator("#offices tbody tr").count()
        form = su.locator("#import-office")
        form.locator("input[name=archive]").set_input_files(str(broken))
        form.locator("input[name=name]").fill("Kantor Rusak")
        form.locator("button[type=submit]").click()
        expect(su.locator("#import-error")).to_contain_text("bukan arsip ZIP, atau rusak")
        assert su.locator("#offices tbody tr").count() == before
        expect(su.locator("#offices")).not_to_contain_text("Kantor Rusak")
        _shoot(su, "offices-import-damaged")
    finally:
        context.close()
    assert dialogs == []
