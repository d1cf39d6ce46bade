"""The treasurer's pages in a real browser: the SPJ list, a training's SPJ, the rate
table editor (rows added without losing what was typed), at 1280 and 390 px."""

import secrets
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, no_horizontal_overflow, shoot

pytestmark = pytest.mark.browser

PASSWORD = "bendahara-x" + secrets.token_hex(6)
YEAR = 2019


def _rates() -> dict[str, Any]:
    return {"honorarium_unit": "jp",
            "classes": [{"name": "Eselon II", "rate": 1_000_000},
                        {"name": "Non-ASN/Praktisi", "rate": 900_000}],
            "transport": {"within_city": 150_000, "default": 400_000, "regencies": [],
                          "zones": [{"name": "Zona II", "rate": 350_000,
                                     "regencies": ["Kabupaten Solok", "Kota Solok"]}]},
            "daily_allowance": 0, "meals": 40_000,
            "tax": {"transport": "0", "pph21": {"IV": {"with_npwp": "15",
                                                        "without_npwp": "18"}}}}


@pytest.fixture(scope="module")
def world(live_api: httpx.Client) -> dict[str, Any]:
    """A treasurer and a 2019 training: two cadres present on its days, one narasumber."""
    email = f"bendahara-{secrets.token_hex(3)}@padang.test"
    r = live_api.post("/api/users", json={"email": email, "name": "Yuliana",
                                          "role": "treasurer", "password": PASSWORD})
    assert r.status_code == 201, r.text
    assert live_api.put(f"/api/rates/{YEAR}", json=_rates()).status_code == 200
    t = live_api.post("/api/trainings", json={
        "title": f"Bimtek SPJ {secrets.token_hex(2)}", "kind": "bimtek",
        "start_date": f"{YEAR}-03-05", "end_date": f"{YEAR}-03-06"}).json()
    b = live_api.post(f"/api/trainings/{t['id']}/batches", json={
        "name": "Angkatan I", "start_date": f"{YEAR}-03-05", "end_date": f"{YEAR}-03-06",
        "capacity": 10}).json()
    sp = live_api.post("/api/speakers", json={"name": "Dr. Hendra Gunawan",
                                              "institution": "BKKBN Sumbar"}).json()
    r = live_api.put(f"/api/speakers/{sp['id']}/finance", json={
        "golongan": "IV", "npwp": "123456789012345", "honorarium_class": "Eselon II",
        "bank_name": "Bank Nagari", "bank_account": "7788990011"})
    assert r.status_code == 200, r.text
    r = live_api.post(f"/api/batches/{b['id']}/sessions", json={
        "title": "Kebijakan Kampung KB", "date": f"{YEAR}-03-05", "start_time": "08:00",
        "end_time": "10:15", "speaker_ids": [sp["id"]], "jpl": 3})
    assert r.status_code == 201, r.text
    people = (("Ani Suryani", "Kota Bukittinggi"), ("Citra Lestari", "Kabupaten Solok"))
    for name, regency in people:
        reg = live_api.post(f"/api/trainings/{t['id']}/registrations", json={
            "name": name, "regency": regency, "batch_id": b["id"]}).json()
        for day in (f"{YEAR}-03-05", f"{YEAR}-03-06"):
            r = live_api.post(f"/api/batches/{b['id']}/attendance", json={
                "registration_id": reg["id"], "day": day, "status": "present",
                "reason": "daftar hadir"})
            assert r.status_code == 200, r.text
    return {"email": email, "training": t, "batch": b, "speaker": sp}


def _login(page: Page, email: str) -> None:
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url("**/spj")


def test_spj_pages(page: Page, world: dict[str, Any]) -> None:
    _login(page, world["email"])
    expect(page.locator("#nav-spj")).to_be_visible()
    row = page.locator("#spj-trainings tr", has_text=world["training"]["title"])
    # Transport: 2 × (400.000 + 40.000) + 2 × 390.000; honorarium: not recorded yet: 0.
    expect(row).to_contain_text("Rp 1.660.000")
    shoot(page, "spj-list")
    row.get_by_role("link").click()
    expect(page).to_have_url(f"/trainings/{world['training']['id']}/spj")
    expect(page.locator("#transport-net")).to_have_text("Rp 1.660.000")
    expect(page.locator("#spj-warnings")).to_contain_text("Kebijakan Kampung KB")
    expect(page.locator("#honorarium-table")).to_contain_text("•••• 6789")
    expect(page.locator("body")).not_to_contain_text("123456789012345")
    page.locator("#signers input[name=pptk_name]").fill("Drs. Syafrizal, M.Si")
    page.locator("#signers input[name=pptk_nip]").fill("196805121994031005")
    page.locator("#signers button[type=submit]").click()
    expect(page.locator("#signers .alert-ok")).to_be_visible()
    shoot(page, "spj-training")
    with page.expect_download() as download:
        page.locator(f"a[href='/batches/{world['batch']['id']}/spj/transport.pdf']").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_rates_editor_keeps_typed_rows(page: Page, world: dict[str, Any]) -> None:
    _login(page, world["email"])
    page.locator("#nav-rates").click()
    expect(page).to_have_url(f"/rates/{YEAR}")
    classes = page.locator("#class-rows input[name=class_name]")
    expect(classes.nth(0)).to_have_value("Eselon II")
    count = classes.count()
    classes.nth(2).fill("Eselon III ke bawah")
    page.locator("#class-rows input[name=class_rate]").nth(2).fill("900.000")
    page.get_by_role("button", name="Tambah baris kosong").click()
    expect(page.locator("#class-rows input[name=class_name]").nth(2)).to_have_value(
        "Eselon III ke bawah")
    assert page.locator("#class-rows input[name=class_name]").count() > count
    page.locator("input[name=tax_IV_with]").fill("150")
    page.get_by_role("button", name="Simpan tabel tarif").click()
    expect(page.locator("#rates-errors")).to_contain_text("Maksimal 100")
    expect(page.locator("#class-rows input[name=class_rate]").nth(2)).to_have_value("900.000")
    page.locator("input[name=tax_IV_with]").fill("15")
    page.get_by_role("button", name="Simpan tabel tarif").click()
    expect(page.locator("#saved")).to_be_visible()
    expect(page.locator("#class-rows input[name=class_name]").nth(2)).to_have_value(
        "Eselon III ke bawah")
    shoot(page, "spj-rates")
    page.set_viewport_size(PHONE)
    page.goto(f"/speakers/{world['speaker']['id']}/finance")
    no_horizontal_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "spj-finance-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
