"""Rosters in real Chromium: the committee opens "Daftar peserta & daftar hadir" from the
training, creates a narasumber's private link, and the narasumber (a fresh browser, a
phone) sees only the batch they teach and downloads its roster; a tampered link shows
the not-found page; a revoked link stops working. Desktop and 390 px."""

import io
import re
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    ARTIFACTS,
    PHONE,
    DialogPolicy,
    login,
    no_horizontal_overflow,
)

pytestmark = pytest.mark.browser


def _training(api: httpx.Client) -> dict[str, Any]:
    start = date.today() + timedelta(days=3)
    t = api.post("/api/trainings", json={
        "title": "Pelatihan Kader Kampung KB Kota Padang (daftar peserta)", "kind": "pelatihan",
        "start_date": start.isoformat(), "end_date": (start + timedelta(days=6)).isoformat(),
        "venue": "Hotel Pangeran Beach", "categories": [{"name": "Kader BKB"}]})
    assert t.status_code == 201, t.text
    training = dict(t.json())
    batches = []
    for name, offset in (("Angkatan I", 0), ("Angkatan II", 5)):
        b = api.post(f"/api/trainings/{training['id']}/batches", json={
            "name": name, "start_date": (start + timedelta(days=offset)).isoformat(),
            "end_date": (start + timedelta(days=offset + 1)).isoformat(), "capacity": 50})
        assert b.status_code == 201, b.text
        batches.append(b.json())
    speakers = []
    for body in ({"name": "Dr. Siti Rahma", "title": "M.Kes.", "institution": "Dinas Kesehatan",
                  "phone": "081277001122"},
                 {"name": "Drs. Syahrul Piliang", "institution": "BKKBN Sumbar"}):
        s = api.post("/api/speakers", json=body)
        assert s.status_code == 201, s.text
        speakers.append(s.json())
    for batch, speaker, title in ((batches[0], speakers[0], "Kesehatan Reproduksi Remaja"),
                                  (batches[1], speakers[1], "Kebijakan Bangga Kencana")):
        r = api.post(f"/api/batches/{batch['id']}/sessions", json={
            "title": title, "date": batch["start_date"], "start_time": "08:00",
            "end_time": "09:30", "jpl": 2, "speaker_ids": [speaker["id"]]})
        assert r.status_code == 201, r.text
    people = (("Rina Marlina", 0), ("Yusnidar", 0), ("Zulkifli Tanjung", 1))
    for n, (name, b) in enumerate(people):
        r = api.post(f"/api/trainings/{training['id']}/registrations", json={
            "name": name, "nik": f"137101520385{n + 70:04d}", "phone": f"08126634{n + 70:04d}",
            "category": "Kader BKB", "institution": "Kelompok BKB Kel. Air Pacah",
            "village": "Air Pacah", "district": "Koto Tangah",
            "batch_id": batches[b]["id"]})
        assert r.status_code == 201, r.text
    training["batches"] = batches
    return training


def test_narasumber_link_opens_only_its_batch_and_is_revoked(
        browser: Any, page: Page, live_server: str, live_api: httpx.Client,
        dialog_policy: DialogPolicy, dialogs: list[str]) -> None:
    t = _training(live_api)
    first, second = t["batches"]
    login(page)
    page.goto(f"/trainings/{t['id']}")
    page.locator("#rosters-link").click()
    page.wait_for_url(f"**/trainings/{t['id']}/rosters")
    expect(page.locator("h1")).to_have_text("Daftar peserta & daftar hadir")
    expect(page.locator(f"#batch-{first['id']}")).to_contain_text("Angkatan I")
    expect(page.locator(f"#batch-{first['id']} a.sheet-day")).to_have_count(2)

    # The committee's own downloads work with the page session.
    pdf = page.request.get(f"/batches/{first['id']}/roster.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    sheet = page.request.get(str(page.locator(f"#batch-{first['id']} a.sheet-day").first
                                 .get_attribute("href")))
    assert sheet.ok and sheet.body().startswith(b"%PDF")

    row = page.locator("#narasumber tr", has_text="Dr. Siti Rahma")
    expect(row).to_contain_text("Kesehatan Reproduksi Remaja")
    row.locator("button.create-link").click()
    fresh = page.locator("#fresh-link")
    expect(fresh).to_contain_text("Dr. Siti Rahma")
    url = page.locator("#fresh-url").input_value()
    assert re.fullmatch(re.escape(live_server) + r"/n/[A-Za-z0-9_-]{32}", url), url
    wa = str(page.locator("#fresh-whatsapp").get_attribute("href"))
    assert wa.startswith("https://wa.me/6281277001122?text=")
    expect(row.locator(".link-status")).to_contain_text("Aktif sampai")
    page.screenshot(path=str(ARTIFACTS / "rosters-page-new-link.png"), full_page=True)

    # The narasumber opens the link in their own browser, on a phone.
    ctx = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID",
                              accept_downloads=True)
    phone = ctx.new_page()
    try:
        phone.goto(url)
        expect(phone.locator("#speaker-name")).to_contain_text("Dr. Siti Rahma")
        expect(phone.locator(f"#batch-{first['id']}")).to_contain_text(
            "Kesehatan Reproduksi Remaja")
        expect(phone.locator(f"#batch-{second['id']}")).to_have_count(0)
        assert "Angkatan II" not in phone.content()
        no_horizontal_overflow(phone)
        phone.screenshot(path=str(ARTIFACTS / "roster-narasumber-phone.png"), full_page=True)

        with phone.expect_download() as info:
            phone.locator(f"#batch-{first['id']} a.dl-xlsx").click()
        download = info.value
        assert download.suggested_filename == "daftar-peserta-angkatan-i.xlsx"
        path = download.path()
        assert path is not None
        ws = load_workbook(io.BytesIO(open(path, "rb").read())).active
        assert ws is not None
        values = [c.value for r in ws.iter_rows() for c in r if c.value is not None]
        assert "Rina Marlina" in values and "Yusnidar" in values
        assert "Zulkifli Tanjung" not in values  # Angkatan II
        assert "NIK" not in values and "No. HP" not in values
        assert not any(isinstance(v, str) and "6634" in v for v in values)
        # The PDF opens too; another batch's roster does not.
        assert phone.request.get(f"/n/{url.rsplit('/n/', 1)[1]}/batches/{first['id']}"
                                 "/roster.pdf").body().startswith(b"%PDF")
        other = phone.request.get(f"/n/{url.rsplit('/n/', 1)[1]}/batches/{second['id']}"
                                  "/roster.pdf")
        assert other.status == 404

        # A tampered link opens nothing, and says so in Indonesian.
        token = url.rsplit("/n/", 1)[1]
        tampered = url[:-1] + ("x" if token[-1] != "x" else "y")
        response = phone.goto(tampered)
        assert response is not None and response.status == 404
        expect(phone.locator("#link-not-found h1")).to_have_text("Tautan tidak ditemukan")
        expect(phone.locator("#link-not-found")).not_to_contain_text("Siti")
        phone.screenshot(path=str(ARTIFACTS / "roster-link-not-found-phone.png"),
                         full_page=True)

        # The committee revokes it: the narasumber's link stops working.
        dialog_policy.accept_next = 1
        row.locator("button.revoke-link").click()
        expect(row.locator(".link-status")).to_contain_text("Belum ada tautan")
        response = phone.goto(url)
        assert response is not None and response.status == 404
        expect(phone.locator("#link-not-found")).to_be_visible()
    finally:
        ctx.close()
    assert dialogs == []


def test_rosters_page_at_phone_width(browser: Any, live_server: str,
                                     live_api: httpx.Client) -> None:
    t = _training(live_api)
    ctx = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID")
    phone = ctx.new_page()
    try:
        login(phone)
        phone.goto(f"/trainings/{t['id']}/rosters")
        expect(phone.locator("#roster-batches")).to_be_visible()
        expect(phone.locator("#narasumber")).to_contain_text("Drs. Syahrul Piliang")
        no_horizontal_overflow(phone)
        phone.locator("#narasumber tr", has_text="Drs. Syahrul").locator(
            "button.create-link").click()
        expect(phone.locator("#fresh-link")).to_contain_text("Drs. Syahrul Piliang")
        # No phone number: no WhatsApp button, a hint instead.
        expect(phone.locator("#fresh-whatsapp")).to_have_count(0)
        no_horizontal_overflow(phone)
        phone.screenshot(path=str(ARTIFACTS / "rosters-page-phone.png"), full_page=True)
    finally:
        ctx.close()
