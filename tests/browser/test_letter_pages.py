"""Issue 16 in a real browser: the office's letter settings (kop surat, signatory, the
numbering with its live preview) and a training's Surat-menyurat page (issue the
invitations, see them listed, download one), at 1280 and 390 px."""

import secrets
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, htmx_idle, login, no_horizontal_overflow

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/letters")
HEADER = ("PEMERINTAH KOTA PADANG",
          "DINAS PENGENDALIAN PENDUDUK, KELUARGA BERENCANA, PEMBERDAYAAN PEREMPUAN DAN "
          "PERLINDUNGAN ANAK", "Jl. Jenderal Sudirman No. 1, Padang")


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _save_settings(page: Page) -> None:
    page.goto("/settings")
    page.locator("#settings-letters").click()
    page.wait_for_url("**/settings/letters")
    for i, line in enumerate(HEADER):
        page.locator(f"#header-{i}").fill(line)
    page.locator("input[name=place]").fill("Padang")
    page.locator("input[name=signatory_name]").fill("Drs. H. Editiawarman, M.Si.")
    page.locator("input[name=signatory_nip]").fill("196805141994031007")
    page.locator("input[name=signatory_position]").fill("Kepala Dinas")
    page.locator("input[name=invitation_pattern]").fill(
        "{seq:03}/{code}/DP3AP2KB/{roman_month}/{year}")
    page.locator("input[name=invitation_code]").fill("005")
    page.locator("#letters-save").click()
    expect(page.locator("#letters-saved")).to_be_visible()


def test_the_settings_page_previews_and_saves(page: Page) -> None:
    login(page)
    _save_settings(page)
    pattern = page.locator("input[name=speaker_request_pattern]")
    pattern.fill("{seq:04}/{code}/NARSUM/{year}")
    htmx_idle(page)
    expect(page.locator("#letter-previews dd[data-kind=speaker_request]")).to_contain_text(
        "0001/")
    pattern.fill("{code}/NARSUM/{year}")
    htmx_idle(page)
    expect(page.locator("#letter-previews dd[data-kind=speaker_request]")).to_contain_text(
        "{seq}")
    expect(page.locator("#next-numbers")).to_contain_text("/005/DP3AP2KB/")
    _shoot(page, "settings")


def test_the_letters_page_issues_the_invitations(page: Page, live_api: httpx.Client) -> None:
    tag = secrets.token_hex(3)
    t = live_api.post("/api/trainings", json={
        "title": f"Workshop Penguatan Kampung KB {tag}", "kind": "workshop",
        "start_date": "2030-08-24", "end_date": "2030-08-26"}).json()
    for name, quota in (("Kabupaten Ogan Ilir", 8), ("Kota Palembang", 12),
                        ("Kabupaten Musi Banyuasin", 8)):
        r = live_api.post(f"/api/trainings/{t['id']}/units", json={
            "name": f"{name} {tag}", "quota": quota, "deadline": "2030-08-10"})
        assert r.status_code == 201, r.text
    login(page)
    _save_settings(page)
    page.goto(f"/trainings/{t['id']}")
    page.locator("#letters-link").click()
    card = page.locator("#card-invitation")
    expect(card.locator("input[name=unit_ids]:checked")).to_have_count(3)
    card.locator("input[name=unit_ids]").nth(2).uncheck()
    card.locator("input[name=letter_date]").fill("2030-08-01")
    card.get_by_role("button", name="Terbitkan surat").click()
    card = page.locator("#card-invitation")
    expect(card.locator(".alert-ok")).to_contain_text("2 surat diterbitkan")
    rows = card.locator(".letters-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("/005/DP3AP2KB/VIII/2030")
    expect(card.locator(".letters-table")).to_contain_text("Bupati Musi Banyuasin")
    expect(page.locator("#card-committee_assignment .no-recipients")).to_be_visible()
    _shoot(page, "training")
    pdf = page.request.get(rows.first.locator("a", has_text="PDF").get_attribute("href") or "")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    z = page.request.get(card.locator(".zip-links a", has_text="DOCX").get_attribute("href")
                         or "")
    assert z.ok and z.headers["content-type"] == "application/zip"
