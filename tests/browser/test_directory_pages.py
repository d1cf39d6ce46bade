"""The remaining committee pages in a real browser: venues and rooms, editing a narasumber,
editing and removing a session, editing a training, managing users."""

import secrets
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, PHONE, DialogPolicy, login, no_horizontal_overflow

pytestmark = pytest.mark.browser


def _unique(prefix: str) -> str:
    # The live server's database is shared by the browser tests of one run.
    return f"{prefix} {secrets.token_hex(3)}"


def test_venues_and_rooms(page: Page) -> None:
    login(page)
    name = _unique("Balai Desa Sukarame")
    page.goto("/venues")
    form = page.locator("#add-venue")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=city]").fill("Padang")
    form.locator("textarea[name=rooms]").fill("Aula\nRuang Rapat")
    form.locator("button[type=submit]").click()
    card = page.locator("section.venue", has_text=name)
    expect(card.locator(".chip")).to_have_text(["Aula", "Ruang Rapat"])
    card.locator("input[name=name]").fill("Ruang Kecil")
    card.locator("input[name=capacity]").fill("20")
    card.locator("button[type=submit]").click()
    card = page.locator("section.venue", has_text=name)
    expect(card.locator(".chip")).to_have_text(["Aula", "Ruang Kecil · 20", "Ruang Rapat"])
    # The same room twice is refused next to the field, and nothing is added.
    card.locator("input[name=name]").fill("Aula")
    card.locator("button[type=submit]").click()
    card = page.locator("section.venue", has_text=name)
    expect(card.get_by_role("alert")).to_be_visible()
    expect(card.locator(".chip")).to_have_count(3)
    # A venue name used before is refused too.
    form = page.locator("#add-venue")
    form.locator("input[name=name]").fill(name)
    form.locator("button[type=submit]").click()
    expect(page.locator("#add-venue .alert-error")).to_be_visible()
    expect(page.locator("section.venue", has_text=name)).to_have_count(1)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(ARTIFACTS / "venues-phone.png"), full_page=True)


def test_edit_a_narasumber(page: Page, live_api: httpx.Client,
                           dialog_policy: DialogPolicy) -> None:
    name = _unique("Hj. Desmawati")
    sp = live_api.post("/api/speakers", json={"name": name, "institution": "Dinkes"}).json()
    login(page)
    page.goto("/speakers")
    page.locator("tr", has_text=name).get_by_role("link").click()
    expect(page).to_have_url(f"/speakers/{sp['id']}/edit")
    page.locator("input[name=email]").fill("desma@dinkes")  # the browser lets it by
    page.locator("button[type=submit].primary").click()
    expect(page.locator("label.has-error:has([name=email]) .error")).to_be_visible()
    page.locator("input[name=email]").fill("desmawati@dinkes.padang.go.id")
    page.locator("input[name=institution]").fill("Dinas Kesehatan Kota Padang")
    page.locator("input[name=title]").fill("S.KM., M.Kes.")
    page.locator("button[type=submit].primary").click()
    expect(page).to_have_url("/speakers")
    row = page.locator("tr", has_text=name)
    expect(row).to_contain_text("Dinas Kesehatan Kota Padang")
    expect(row).to_contain_text(f"{name}, S.KM., M.Kes.")
    # Remove them (confirm accepted): gone from the list.
    row.get_by_role("link").click()
    dialog_policy.accept_next = 1
    page.get_by_role("button", name="Hapus narasumber").click()
    expect(page).to_have_url("/speakers")
    expect(page.locator("tr", has_text=name)).to_have_count(0)


def _training_with_sessions(api: httpx.Client) -> tuple[dict[str, Any], dict[str, Any],
                                                         list[dict[str, Any]]]:
    t = api.post("/api/trainings", json={
        "title": _unique("Workshop Provinsi Sumatera Selatan"), "kind": "workshop",
        "start_date": "2022-06-14", "end_date": "2022-06-16", "venue": _unique("Hotel Aryaduta")
    }).json()
    b = api.post(f"/api/trainings/{t['id']}/batches", json={
        "name": "Angkatan I", "start_date": "2022-06-14", "end_date": "2022-06-16",
        "capacity": 144}).json()
    sessions = [api.post(f"/api/batches/{b['id']}/sessions", json={
        "title": title, "date": "2022-06-14", "start_time": start, "end_time": end, "jpl": 2,
        "room": "Ballroom"}).json()
        for title, start, end in (("Kebijakan Kampung KB", "08:00", "09:30"),
                                  ("Kunjungan Kampung KB Seroja", "10:00", "12:00"))]
    return t, b, sessions


def test_edit_and_remove_a_session(page: Page, live_api: httpx.Client,
                                   dialog_policy: DialogPolicy) -> None:
    _, b, sessions = _training_with_sessions(live_api)
    login(page)
    page.goto(f"/sessions/{sessions[1]['id']}/edit")
    # Moving it onto the first session's time double-books the ballroom: refused, named.
    page.locator("input[name=start_time]").fill("09:00")
    page.locator("input[name=end_time]").fill("10:30")
    page.locator("button[type=submit].primary").click()
    expect(page.get_by_role("alert").first).to_contain_text("Ballroom")
    expect(page.get_by_role("alert").first).to_contain_text("Kebijakan Kampung KB")
    page.locator("input[name=start_time]").fill("13:00")
    page.locator("input[name=end_time]").fill("16:00")
    page.locator("select[name=kind]").select_option("field_visit")
    page.locator("select[name=date]").select_option("2022-06-16")
    page.locator("button[type=submit].primary").click()
    expect(page).to_have_url(f"/batches/{b['id']}")
    day3 = page.locator("#day-2022-06-16")
    expect(day3).to_contain_text("Kunjungan Kampung KB Seroja")
    expect(day3).to_contain_text("13.00–16.00")
    # Remove the first session; the HTMX confirm is accepted.
    dialog_policy.accept_next = 1
    row = page.locator("#day-2022-06-14 tr", has_text="Kebijakan Kampung KB")
    row.get_by_role("button").click()
    expect(page.locator("#day-2022-06-14")).not_to_contain_text("Kebijakan Kampung KB")
    expect(page.locator("#total-jpl")).to_have_text("2 JPL")
    page.screenshot(path=str(ARTIFACTS / "session-edited.png"), full_page=True)


def test_edit_a_training(page: Page, live_api: httpx.Client,
                         dialog_policy: DialogPolicy) -> None:
    t, _, _ = _training_with_sessions(live_api)
    login(page)
    page.goto("/trainings")
    page.get_by_role("link", name=t["title"]).click()
    page.get_by_role("link", name="Ubah pelatihan").click()
    # The batch runs to 16 June: the training cannot end before it.
    page.locator("input[name=end_date]").fill("2022-06-15")
    page.locator("button[type=submit].primary").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    page.locator("input[name=end_date]").fill("2022-06-16")
    page.locator("input[name=title]").fill(t["title"] + " (revisi)")
    page.locator("input[name=category_name]").first.fill("Bappeda")
    page.locator("button[type=submit].primary").click()
    expect(page.locator("h1")).to_have_text(t["title"] + " (revisi)")
    expect(page.locator(".chip")).to_have_text(["Bappeda"])
    # Dismissing the confirm keeps it; accepting deletes it with its batches.
    page.get_by_role("link", name="Ubah pelatihan").click()
    page.get_by_role("button", name="Hapus pelatihan").click()
    expect(page.locator("input[name=title]")).to_be_visible()
    dialog_policy.accept_next = 1
    page.get_by_role("button", name="Hapus pelatihan").click()
    expect(page).to_have_url("/trainings")
    expect(page.get_by_role("link", name=t["title"] + " (revisi)")).to_have_count(0)


def test_admin_manages_users(page: Page, browser: Any, live_server: str) -> None:
    email = f"gate-{secrets.token_hex(3)}@padang.test"
    login(page)
    page.get_by_role("link", name="Pengaturan").click()
    page.locator("#settings-users").click()
    form = page.locator("#add-user")
    form.locator("input[name=name]").fill("Petugas Gerbang 2")
    form.locator("input[name=email]").fill(email)
    form.locator("select[name=role]").select_option("scanner")
    form.locator("input[name=password]").fill("pendek")
    form.locator("button[type=submit]").click()  # the browser refuses a short password
    expect(page.locator("#users")).not_to_contain_text(email)
    form.locator("input[name=password]").fill("gerbang-dua-2018")
    form.locator("button[type=submit]").click()
    row = page.locator("#users tr", has_text=email)
    expect(row).to_contain_text("Petugas pemindai")
    expect(row).to_contain_text("Aktif")
    row.get_by_role("button", name="Nonaktifkan").click()
    expect(page.locator("#users tr", has_text=email)).to_contain_text("Nonaktif")
    # The deactivated account cannot log in.
    other = browser.new_context(base_url=live_server)
    p2 = other.new_page()
    p2.goto("/login")
    p2.locator("input[name=email]").fill(email)
    p2.locator("input[name=password]").fill("gerbang-dua-2018")
    p2.locator("form[action='/login'] button[type=submit]").click()
    expect(p2.get_by_role("alert")).to_be_visible()
    other.close()
    page.set_viewport_size(PHONE)
    page.reload()
    no_horizontal_overflow(page)
    # Every cell, the deactivate button included, is on screen without scrolling the table.
    rights = page.eval_on_selector_all(
        "#users td", "tds => tds.map(td => td.getBoundingClientRect().right)")
    assert max(rights) <= PHONE["width"], rights


def test_error_page_for_a_logged_in_user(page: Page) -> None:
    login(page)
    response = page.goto("/trainings/999999")
    assert response is not None and response.status == 404
    expect(page.get_by_role("alert")).to_have_text("Pelatihan tidak ditemukan.")
    expect(page.get_by_role("link", name="Pengaturan")).to_be_visible()  # the top bar still works
