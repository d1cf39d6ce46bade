"""Accounts in real Chromium: a superuser sets up a new office whose admin chooses a
password on a phone and logs in; a committee member who forgot their password gets a
one-time link from an admin; a venue gets its city and refuses to be deleted while used;
the report's signature block is set and printed. Screenshots at 1280 and 390 px."""

import io
import secrets
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import (
    ARTIFACTS,
    PHONE,
    SUPERUSER_EMAIL,
    SUPERUSER_PASSWORD,
    login,
    no_horizontal_overflow,
)

pytestmark = pytest.mark.browser


def _qr_text(png: bytes) -> str:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert found, "no QR code found in the screenshot"
    return str(found[0].text)


def _phone(browser: Any, live_server: str) -> Any:
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID")
    context.set_default_timeout(10_000)
    return context


def test_a_superuser_sets_up_an_office_whose_admin_sets_a_password_and_logs_in(
        browser: Any, page: Page, live_server: str, dialogs: list[str]) -> None:
    suffix = secrets.token_hex(2)
    office = f"DP3AP2KB Kota Palembang {suffix}"
    email = f"rina.{suffix}@palembang.test"
    login(page, SUPERUSER_EMAIL, SUPERUSER_PASSWORD)
    page.locator("header nav a#nav-settings").click()
    page.locator("a#settings-offices").click()
    expect(page.locator("h1")).to_have_text("Penyelenggara")
    page.locator("#add-office input[name=name]").fill(office)
    page.locator("#add-office input[name=city]").fill("Palembang")
    page.locator("#add-office input[name=admin_name]").fill("Rina Marlina")
    page.locator("#add-office input[name=admin_email]").fill(email)
    page.locator("#add-office button[type=submit]").click()

    expect(page.locator("#fresh-link")).to_contain_text("Rina Marlina")
    url = str(page.locator("#fresh-url").input_value())
    assert url.startswith(f"{live_server}/welcome/"), url
    assert _qr_text(page.locator("#fresh-link .link-qr").screenshot()) == url
    row = page.locator("#offices tr", has_text=office)
    expect(row).to_contain_text("Menunggu adminnya memilih kata sandi")
    page.screenshot(path=str(ARTIFACTS / "offices-new-office-1280.png"), full_page=True)

    phone_ctx = _phone(browser, live_server)
    phone = phone_ctx.new_page()
    try:
        phone.goto(url)
        expect(phone.locator("h1")).to_have_text("Selamat datang di Bimtek")
        expect(phone.locator("#set-password")).to_contain_text(office)
        no_horizontal_overflow(phone)
        phone.screenshot(path=str(ARTIFACTS / "welcome-phone-390.png"), full_page=True)
        password = "pempek-kapal-selam-" + secrets.token_hex(3)
        phone.locator("input[name=new_password]").fill(password)
        phone.locator("input[name=new_password_again]").fill(password)
        phone.locator("#new-password button[type=submit]").click()
        phone.wait_for_url("**/login?done=welcome")
        expect(phone.locator("#login-notice")).to_contain_text("Kata sandi Anda tersimpan")
        phone.screenshot(path=str(ARTIFACTS / "welcome-done-login-390.png"), full_page=True)
        login(phone, email, password)
        no_horizontal_overflow(phone)
        # The new admin sees their own office's settings: Users, but no Offices page.
        phone.locator("header nav a#nav-settings").click()
        expect(phone.locator("a#settings-users")).to_have_count(1)
        expect(phone.locator("a#settings-offices")).to_have_count(0)
        phone.goto("/users")
        expect(phone.locator("#users")).to_contain_text("Rina Marlina")
        assert SUPERUSER_EMAIL not in phone.content()
        phone.screenshot(path=str(ARTIFACTS / "welcome-new-admin-users-390.png"),
                         full_page=True)
        # The link worked once.
        phone.goto(url)
        expect(phone.locator("#link-error")).to_be_visible()
    finally:
        phone_ctx.close()

    page.reload()
    expect(page.locator("#offices tr", has_text=office)).to_contain_text("Dipakai sejak")
    phone_ctx = _phone(browser, live_server)
    superuser_phone = phone_ctx.new_page()
    try:
        login(superuser_phone, SUPERUSER_EMAIL, SUPERUSER_PASSWORD)
        superuser_phone.goto("/offices")
        no_horizontal_overflow(superuser_phone)
        superuser_phone.screenshot(path=str(ARTIFACTS / "offices-390.png"), full_page=True)
    finally:
        phone_ctx.close()
    assert dialogs == []


def test_a_forgotten_password_with_a_link_from_an_admin(
        browser: Any, page: Page, live_server: str, live_api: httpx.Client,
        dialogs: list[str]) -> None:
    email = f"sekretaris.{secrets.token_hex(2)}@padang.test"
    old = "sapu-lidi-" + secrets.token_hex(4)
    r = live_api.post("/api/users", json={"email": email, "name": "Sekretaris Panitia",
                                          "role": "committee", "password": old})
    assert r.status_code == 201, r.text

    # The member, on their phone, cannot log in and looks for help.
    phone_ctx = _phone(browser, live_server)
    phone = phone_ctx.new_page()
    try:
        phone.goto("/login")
        phone.locator("#forgot-link").click()
        expect(phone.locator("#forgot-ask-admin")).to_contain_text("halaman Pengguna")
        no_horizontal_overflow(phone)
        phone.screenshot(path=str(ARTIFACTS / "forgot-ask-admin-390.png"), full_page=True)

        # The admin makes the link on /users.
        login(page)
        page.goto("/users")
        page.locator("#users tr", has_text=email).locator(".reset-link button").click()
        expect(page.locator("#fresh-link")).to_contain_text("Sekretaris Panitia")
        url = str(page.locator("#fresh-url").input_value())
        assert url.startswith(f"{live_server}/reset/"), url
        assert _qr_text(page.locator("#fresh-link .link-qr").screenshot()) == url
        page.screenshot(path=str(ARTIFACTS / "users-reset-link-1280.png"), full_page=True)

        phone.goto(url)
        expect(phone.locator("#account-email")).to_contain_text(email)
        phone.locator("input[name=new_password]").fill("password123")
        phone.locator("input[name=new_password_again]").fill("password123")
        phone.locator("#new-password button[type=submit]").click()
        expect(phone.locator("#new-password .error")).to_contain_text("paling umum")
        no_horizontal_overflow(phone)
        phone.screenshot(path=str(ARTIFACTS / "reset-weak-password-390.png"), full_page=True)
        new = "kopi-kawa-daun-" + secrets.token_hex(3)
        phone.locator("input[name=new_password]").fill(new)
        phone.locator("input[name=new_password_again]").fill(new)
        phone.locator("#new-password button[type=submit]").click()
        phone.wait_for_url("**/login?done=reset")
        expect(phone.locator("#login-notice")).to_contain_text("Kata sandi baru Anda tersimpan")
        phone.locator("input[name=email]").fill(email)
        phone.locator("input[name=password]").fill(old)
        phone.locator("form[action='/login'] button[type=submit]").click()
        expect(phone.locator(".alert-error")).to_be_visible()
        login(phone, email, new)
        phone.screenshot(path=str(ARTIFACTS / "reset-logged-in-390.png"), full_page=True)
    finally:
        phone_ctx.close()

    # Desktop view of the link page, used: it says so.
    page.goto(url)
    expect(page.locator("#link-error")).to_contain_text("sudah dipakai")
    page.screenshot(path=str(ARTIFACTS / "reset-used-link-1280.png"), full_page=True)
    assert dialogs == []


def _pdf_pngs(pdf: bytes, stem: str) -> list[Path]:
    path = ARTIFACTS / f"{stem}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(path), str(ARTIFACTS / stem)],
                   check=True, timeout=60)
    return sorted(ARTIFACTS.glob(f"{stem}-*.png"))


def test_a_venue_gets_its_city_and_the_report_signs_with_it(
        browser: Any, page: Page, live_server: str, live_api: httpx.Client,
        dialogs: list[str]) -> None:
    suffix = secrets.token_hex(2)
    venue = live_api.post("/api/venues", json={"name": f"Hotel Pangeran Beach {suffix}",
                                               "rooms": ["Ruang Sriwijaya"]})
    assert venue.status_code == 201, venue.text
    vid = venue.json()["id"]
    start = date(2018, 9, 12)
    t = live_api.post("/api/trainings", json={
        "title": f"Pelatihan Kader Kampung KB {suffix}", "kind": "pelatihan",
        "start_date": start.isoformat(), "end_date": (start + timedelta(days=6)).isoformat(),
        "venue_id": vid})
    assert t.status_code == 201, t.text
    tid = t.json()["id"]

    login(page)
    page.goto("/venues")
    card = page.locator(f"#venue-{vid}")
    expect(card).to_contain_text("Kota belum diisi")
    card.locator(".venue-edit").click()
    page.locator("#edit-venue input[name=city]").fill("Padang")
    expect(page.locator("#venue-uses")).to_contain_text("Dipakai oleh 1 pelatihan")
    page.screenshot(path=str(ARTIFACTS / "venue-edit-1280.png"), full_page=True)
    page.locator("#edit-venue button[type=submit]").click()
    page.wait_for_url("**/venues*")
    expect(page.locator(f"#venue-{vid} .venue-city")).to_contain_text("Padang")

    page.goto(f"/trainings/{tid}/report")
    preview = page.locator("#rep-sign-preview")
    expect(preview).to_contain_text("Padang, 18 September 2018")
    page.locator("#rep-sign-form input[name=date]").fill("2018-09-20")
    page.locator("#rep-sign-form input[name=signer_name]").fill("Dra. Hj. Yenni Yuliza")
    page.locator("#rep-sign-form input[name=signer_nip]").fill("12345")
    page.locator("#rep-sign-form button[type=submit]").click()
    expect(page.locator("#rep-sign-form .error")).to_contain_text("18 angka")
    page.locator("#rep-sign-form input[name=signer_nip]").fill("19680412 199003 2 004")
    page.locator("#rep-sign-form button[type=submit]").click()
    expect(page.locator("#rep-sign-saved")).to_be_visible()
    expect(preview).to_contain_text("Padang, 20 September 2018")
    expect(preview).to_contain_text("Dra. Hj. Yenni Yuliza")
    page.locator("#rep-sign").screenshot(path=str(ARTIFACTS / "report-signature-1280.png"))

    with page.expect_download() as download:
        page.locator("#rep-sign-download").click()
    pdf = Path(download.value.path()).read_bytes()
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Padang, 20 September 2018" in " ".join(text.split())
    assert _pdf_pngs(pdf, "report-signature-pdf")

    phone_ctx = _phone(browser, live_server)
    phone = phone_ctx.new_page()
    try:
        login(phone)
        phone.goto(f"/trainings/{tid}/report#rep-sign")
        no_horizontal_overflow(phone)
        phone.locator("#rep-sign").screenshot(path=str(ARTIFACTS / "report-signature-390.png"))
        phone.goto(f"/venues/{vid}/edit")
        no_horizontal_overflow(phone)
        phone.screenshot(path=str(ARTIFACTS / "venue-edit-390.png"), full_page=True)
    finally:
        phone_ctx.close()
    assert dialogs == []
