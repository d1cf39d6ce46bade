"""Nominations by unit in a real browser: a focal point on a 390 px phone names two
delegates and uploads the surat tugas through the unit's link, watching the quota fill;
the committee adds a unit, copies its new link and accepts the delegates."""

import re
import secrets
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE, htmx_idle, login, no_horizontal_overflow
from tests.presentation_files import pdf

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/nominations")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _training(live_api: httpx.Client) -> tuple[int, str]:
    tag = secrets.token_hex(3)
    t = live_api.post("/api/trainings", json={
        "title": f"Workshop Penguatan Kampung KB Sumsel {tag}", "kind": "workshop",
        "start_date": "2099-08-24", "end_date": "2099-08-26"})
    assert t.status_code == 201, t.text
    b = live_api.post(f"/api/trainings/{t.json()['id']}/batches", json={
        "name": "Angkatan I", "start_date": "2099-08-24", "end_date": "2099-08-26",
        "capacity": 144})
    assert b.status_code == 201, b.text
    return int(t.json()["id"]), tag


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_focal_point_names_delegates_on_a_phone(browser: Any, live_server: str,
                                                  live_api: httpx.Client,
                                                  tmp_path: Path) -> None:
    tid, tag = _training(live_api)
    r = live_api.post(f"/api/trainings/{tid}/units", json={
        "name": f"Kabupaten Ogan Ilir {tag}", "quota": 3, "deadline": "2099-08-05"})
    assert r.status_code == 201, r.text
    link = r.json()["link"]
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID",
                                  is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(link)
        expect(page.locator("#nm-fill")).to_have_text("0 dari 3 nama sudah diisi")
        expect(page.get_by_text("Batas waktu")).to_be_visible()
        expect(page.locator(".nm-deadline")).to_contain_text("Rabu, 5 Agustus 2099 pukul 23.59 WIB")
        for n, (name, nip, phone) in enumerate((
                ("Drs. H. Ahmad Fauzi, M.Si.", "197711202005011003", "0812-7300-1001"),
                ("Hj. Nyimas Ratna Dewi, S.K.M.", "198503152010012001", "0813 7300 1002"))):
            form = page.locator("#tambah form")
            form.locator("input[name=name]").fill(name)
            form.locator("input[name=nip]").fill(nip)
            form.locator("input[name=position]").fill("Kepala Bidang KB")
            form.locator("input[name=phone]").fill(phone)
            form.locator("button[type=submit]").click()
            htmx_idle(page)
            expect(page.locator("#nm-fill")).to_have_text(f"{n + 1} dari 3 nama sudah diisi")
        expect(page.locator(".nm-person")).to_have_count(2)
        # A mistyped NIP is said beside the field, in place, and nothing is added.
        form = page.locator("#tambah form")
        form.locator("input[name=name]").fill("Salah Ketik")
        form.locator("input[name=nip]").fill("1977112020")
        form.locator("button[type=submit]").click()
        htmx_idle(page)
        expect(page.locator("#tambah .err")).to_contain_text("tepat 18 angka")
        expect(page.locator("#nm-fill")).to_have_text("2 dari 3 nama sudah diisi")
        expect(page.locator("#tambah input[name=name]")).to_have_value("Salah Ketik")
        # Neither the NIP nor the phone whole on the page.
        assert "197711202005011003" not in page.content()
        letter = tmp_path / "Surat Tugas Ogan Ilir.pdf"
        letter.write_bytes(pdf("Surat Tugas"))
        page.locator("#nm-file").set_input_files(str(letter))
        page.locator("#nm-upload").click()
        htmx_idle(page)
        expect(page.locator("#surat-tugas a.nm-letter")).to_have_text("Surat Tugas Ogan Ilir.pdf")
        expect(page.get_by_text("Surat tugas sudah diunggah.")).to_be_visible()
        no_horizontal_overflow(page)
        _shot(page, "link-phone.png")
        page.set_viewport_size(DESKTOP)
        _shot(page, "link-desktop.png")
    finally:
        context.close()
    units = live_api.get(f"/api/trainings/{tid}/units").json()
    assert (units["items"][0]["named"], units["items"][0]["surat_tugas"]) == (2, True)


def test_a_mistyped_link_says_to_ask_the_committee(page: Page) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/nominasi/" + "x" * 32)
    expect(page.locator("#nm-gone")).to_contain_text("Mintalah tautan baru kepada panitia")
    no_horizontal_overflow(page)


def _name_through_the_link(live_server: str, link: str, count: int) -> None:
    with httpx.Client(base_url=live_server, timeout=20) as phone:
        for n in range(count):
            page = phone.get(link)
            match = CSRF.search(page.text)
            assert match, page.text
            r = phone.post(f"{link}/nominees", data={
                "name": f"Delegasi Nomor {n + 1}", "phone": f"0812730020{n:02d}",
                "csrf_token": match.group(1)})
            assert r.status_code in (200, 303), r.text


def test_the_committee_adds_a_unit_copies_its_link_and_accepts(
        page: Page, live_server: str, live_api: httpx.Client) -> None:
    tid, tag = _training(live_api)
    login(page)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/trainings/{tid}")
    page.locator("#units-link").click()
    expect(page.locator("h1")).to_have_text("Unit pengirim & nominasi")
    page.locator("#nm-name").fill(f"Kota Pagar Alam {tag}")
    page.locator("#nm-quota").fill("3")
    page.locator("#nm-deadline").fill("2099-08-05")
    page.locator("#nm-add-unit").click()
    fresh = page.locator("#fresh-url")
    expect(fresh).to_have_value(re.compile(r"/nominasi/[A-Za-z0-9_-]{20,}$"))
    link = fresh.input_value()
    share = page.locator("#fresh-whatsapp").get_attribute("href") or ""
    assert share.startswith("https://wa.me/?text=") and link.split("/nominasi/")[1] in share
    page.locator("#nm-copy").click()
    expect(page.locator("#nm-copy")).not_to_have_text("Salin")
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    _shot(page, "committee-new-link-desktop.png")

    _name_through_the_link(live_server, link, 2)
    page.goto(f"/trainings/{tid}/units")
    row = page.locator("#nm-units tbody tr").first
    expect(row).to_contain_text("2 / 3")
    people = page.locator(".nm-unit").first
    expect(people.locator("tbody tr")).to_have_count(2)
    people.get_by_role("button", name="Terima semua").click()
    expect(page.locator("#nm-accepted")).to_contain_text("2")
    expect(page.locator(".nm-unit").first.locator(".badge-confirmed")).to_have_count(2)
    expect(page.locator("#nm-totals")).to_contain_text("2")
    _shot(page, "committee-desktop.png")
    page.set_viewport_size(PHONE)
    no_horizontal_overflow(page)
    _shot(page, "committee-phone.png")
    regs = live_api.get(f"/api/trainings/{tid}/registrations").json()
    assert regs["total"] == 2
