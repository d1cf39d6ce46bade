"""Door logins in real Chromium: the committee adds "Gerbang 2", a staff phone opens the
link from its QR and signs in, then the committee revokes it and the phone is out.

Also the check-in mode on the training form, and the Users page's training limit, at
desktop and phone width.
"""

import io
import re
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, PHONE, DialogPolicy, login, no_horizontal_overflow

pytestmark = pytest.mark.browser


def _training(live_api: httpx.Client, title: str) -> dict[str, Any]:
    start = date.today() + timedelta(days=1)
    end = start + timedelta(days=1)
    t = live_api.post("/api/trainings", json={
        "title": title, "kind": "pelatihan", "start_date": start.isoformat(),
        "end_date": end.isoformat(), "timezone": "WIB"})
    assert t.status_code == 201, t.text
    b = live_api.post(f"/api/trainings/{t.json()['id']}/batches", json={
        "name": "Angkatan I", "start_date": start.isoformat(), "end_date": end.isoformat(),
        "capacity": 110})
    assert b.status_code == 201, b.text
    return dict(t.json())


def _qr_text(png: bytes) -> str:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert found, "no QR code found in the screenshot"
    return str(found[0].text)


def test_a_door_phone_signs_in_by_qr_link_and_is_revoked(
        browser: Any, page: Page, live_server: str, live_api: httpx.Client,
        dialog_policy: DialogPolicy, dialogs: list[str]) -> None:
    t = _training(live_api, "Pelatihan Kader Kampung KB Kota Padang (pintu)")
    login(page)
    page.goto(f"/trainings/{t['id']}/scanners")
    expect(page.locator("#add-login")).to_be_visible()
    page.locator("#add-login input[name=name]").fill("Gerbang 2")
    page.locator("#add-login button[type=submit]").click()

    fresh = page.locator("#fresh-link")
    expect(fresh).to_contain_text("Gerbang 2")
    url = str(page.locator("#login-url").get_attribute("href"))
    assert re.fullmatch(re.escape(live_server) + r"/scan/login/[A-Za-z0-9_-]{40,}", url), url
    # What the phone's camera reads off the screen is that very link.
    assert _qr_text(page.locator("#fresh-link .login-qr").screenshot()) == url
    page.screenshot(path=str(ARTIFACTS / "door-logins-new-link.png"), full_page=True)

    phone_ctx = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID")
    phone = phone_ctx.new_page()
    try:
        phone.goto(url)
        expect(phone.locator("#login-name")).to_have_text("Gerbang 2")
        no_horizontal_overflow(phone)
        phone.screenshot(path=str(ARTIFACTS / "door-login-phone-confirm.png"), full_page=True)
        phone.locator("#scan-login button[type=submit]").click()
        phone.wait_for_url(re.compile(r"/scan\?training=" + str(t["id"]) + "$"))
        phone.screenshot(path=str(ARTIFACTS / "door-login-phone-landed.png"), full_page=True)
        # The phone's nav (if the scanner page shows the common one) offers only the scanner.
        assert not phone.locator("header nav a[href='/trainings']").count()

        # The link worked once: opened again, it says so instead of signing in.
        phone.goto(url)
        expect(phone.locator("#link-error")).to_be_visible()
        phone.screenshot(path=str(ARTIFACTS / "door-login-phone-used-link.png"), full_page=True)

        page.goto(f"/trainings/{t['id']}/scanners")
        row = page.locator("#logins tbody tr", has_text="Gerbang 2")
        expect(row).not_to_have_class(re.compile("inactive"))
        expect(row.locator("td").nth(2)).not_to_have_text("—")  # last sign-in is filled in
        dialog_policy.accept_next = 1
        row.get_by_role("button", name=re.compile("Revoke|Cabut")).click()
        expect(page.locator("#logins tbody tr", has_text="Gerbang 2")).to_have_class(
            re.compile("inactive"))
        page.screenshot(path=str(ARTIFACTS / "door-logins-revoked.png"), full_page=True)

        # The phone's next page load finds its session gone.
        phone.goto(f"/scan?training={t['id']}")
        phone.wait_for_url(re.compile(r"/login"))
        expect(phone.locator("form[action='/login']")).to_be_visible()
    finally:
        phone_ctx.close()
    assert dialogs == []


def test_door_logins_page_at_phone_width(browser: Any, live_server: str,
                                         live_api: httpx.Client) -> None:
    t = _training(live_api, "Bimtek Pengelola Kampung KB Kota Pontianak (pintu)")
    for name in ("Gerbang 1", "<b>Meja</b> registrasi & kasir"):
        r = live_api.post(f"/api/trainings/{t['id']}/scanner-logins", json={"name": name})
        assert r.status_code == 201, r.text
    ctx = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID")
    page = ctx.new_page()
    try:
        login(page)
        page.goto(f"/trainings/{t['id']}/scanners")
        expect(page.locator("#logins tbody tr")).to_have_count(2)
        expect(page.locator("#logins")).to_contain_text("<b>Meja</b> registrasi & kasir")
        no_horizontal_overflow(page)
        page.locator("#logins tbody tr", has_text="Gerbang 1").get_by_role(
            "button", name=re.compile("New link|Tautan baru")).click()
        expect(page.locator("#fresh-link")).to_contain_text("Gerbang 1")
        no_horizontal_overflow(page)
        page.screenshot(path=str(ARTIFACTS / "door-logins-phone.png"), full_page=True)

        # An empty name is refused in place, in the page's language.
        page.locator("#add-login input[name=name]").evaluate("el => el.removeAttribute('required')")
        page.locator("#add-login button[type=submit]").click()
        expect(page.locator("#add-login .error")).to_have_text("Isian ini wajib diisi.")
    finally:
        ctx.close()


def test_checkin_mode_on_the_training_form(page: Page, live_api: httpx.Client) -> None:
    t = _training(live_api, "Pembinaan Kampung KB per sesi")
    login(page)
    page.goto(f"/trainings/{t['id']}/edit")
    select = page.locator("#checkin-mode")
    expect(select).to_have_value("day")
    select.select_option("session")
    page.locator("form.card button.primary[type=submit]").click()
    page.wait_for_url(re.compile(rf"/trainings/{t['id']}$"))
    assert live_api.get(f"/api/trainings/{t['id']}").json()["checkin_mode"] == "session"
    page.goto(f"/trainings/{t['id']}/edit")
    expect(page.locator("#checkin-mode")).to_have_value("session")
    page.locator("#checkin-mode").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "training-form-checkin-mode.png"), full_page=True)
    page.set_viewport_size(PHONE)
    no_horizontal_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "training-form-checkin-mode-phone.png"), full_page=True)


def test_users_page_limits_a_scanner(page: Page, live_api: httpx.Client) -> None:
    t = _training(live_api, "Workshop Kampung KB Palembang (pintu)")
    login(page)
    page.goto("/users")
    form = page.locator("#add-user")
    form.locator("input[name=name]").fill("Petugas Pintu Palembang")
    form.locator("input[name=email]").fill("pintu-palembang@padang.test")
    form.locator("select[name=role]").select_option("scanner")
    form.locator("select[name=training_id]").select_option(str(t["id"]))
    form.locator("input[name=password]").fill("a-good-password")
    form.locator("button[type=submit]").click()
    row = page.locator("#users tbody tr", has_text="Petugas Pintu Palembang")
    expect(row.locator(".training-limit")).to_contain_text(t["title"])
    page.screenshot(path=str(ARTIFACTS / "users-scanner-limit.png"), full_page=True)
    page.set_viewport_size(PHONE)
    no_horizontal_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "users-scanner-limit-phone.png"), full_page=True)
