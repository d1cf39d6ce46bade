"""/backups in real Chromium: a superuser presses "Backup now", the page follows the run
(htmx polling) until the archive is listed, and the archive downloads as a Bimtek backup.
Screenshots at 1280 and 390 px (no sideways scrolling)."""

import shutil
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    ARTIFACTS,
    SUPERUSER_EMAIL,
    SUPERUSER_PASSWORD,
    htmx_idle,
    login,
    shoot,
)

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots/h18a")


def test_backup_now_lists_the_archive_and_it_downloads(page: Page, tmp_path: Path) -> None:
    login(page, SUPERUSER_EMAIL, SUPERUSER_PASSWORD)
    page.goto("/backups")
    expect(page.locator("h1")).to_have_text("Cadangan")
    expect(page.locator("#restore-help")).to_contain_text("bimtek restore")
    page.locator("#backup-now button").click()
    page.wait_for_url("**/backups?started=1")
    row = page.locator("#backup-archives tbody tr").first
    expect(row).to_be_visible(timeout=30_000)
    htmx_idle(page)
    expect(page.locator("#backup-last-ok")).not_to_contain_text("belum ada")
    expect(page.locator("#backup-running")).to_have_count(0)
    name = row.locator(".backup-name").inner_text().strip()
    assert name.startswith("bimtek-backup-") and name.endswith(".zip")
    shoot(page, "backups")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for kind in ("desktop", "phone"):
        shutil.copy(ARTIFACTS / f"backups-{kind}.png", SHOTS / f"backups-{kind}.png")
    with page.expect_download() as info:
        row.get_by_role("link").click()
    saved = tmp_path / name
    info.value.save_as(saved)
    with zipfile.ZipFile(saved) as zf:
        assert zf.namelist()[0] == "bimtek-manifest.json"
    assert saved.read_bytes()[-85:].startswith(b"bimtek-backup sha256=")
