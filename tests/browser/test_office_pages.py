"""A provincial workshop in real Chromium: the participant list filtered by kabupaten/kota
and jabatan (htmx, then a reload keeps the filter), and the field-visit day: its place set
on the batch's timetable, then that day's daftar hadir opened and looked at as PNG.
Screenshots at 1280 and 390 px of every page this touches, the PDFs as PNG."""

import shutil
import subprocess
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, PHONE, login, no_horizontal_overflow

pytestmark = pytest.mark.browser

SEROJA = "Kampung KB Seroja, Desa Sembadak"
OFFICIALS = (
    ("dr. Rina Marlina, M.Kes.", "Kota Palembang", "Kepala Seksi Kesehatan Keluarga"),
    ("Drs. H. Ahmad Yani, M.Si.", "Kabupaten Ogan Ilir", "Kepala Bidang Keluarga Berencana"),
    ("Nyimas Zahra, S.Sos.", "Kabupaten Ogan Ilir", "Penyuluh KB Ahli Madya"),
    ("Kgs. Muhammad Yusuf, S.E.", "Kabupaten Ogan Ilir", "Kepala Bidang Keluarga Berencana"),
    ("Putri Ayu, S.K.M.", "Kabupaten Lahat", "Kepala Bidang Keluarga Berencana"),
)


def _workshop(api: httpx.Client) -> dict[str, Any]:
    start = date.today() + timedelta(days=10)
    t = api.post("/api/trainings", json={
        "title": "Workshop Penguatan Kampung KB Provinsi Sumatera Selatan", "kind": "workshop",
        "start_date": start.isoformat(), "end_date": (start + timedelta(days=2)).isoformat(),
        "venue": "Hotel Aryaduta Palembang", "region_level": "regency"})
    assert t.status_code == 201, t.text
    training = dict(t.json())
    b = api.post(f"/api/trainings/{training['id']}/batches", json={
        "name": "Angkatan I", "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=2)).isoformat(), "capacity": 144})
    assert b.status_code == 201, b.text
    training["batch"] = b.json()
    for n, (name, regency, position) in enumerate(OFFICIALS):
        r = api.post(f"/api/trainings/{training['id']}/registrations", json={
            "name": name, "regency": regency, "position": position,
            "nip": f"19{75 + n}0312200501{1 + n % 2}{n + 1:03d}", "rank": "Pembina (IV/a)",
            "institution": f"Dinas PPKB {regency}", "phone": f"08136770{n:04d}"})
        assert r.status_code == 201, r.text
    return training


def _names(page: Page) -> list[str]:
    return [n.strip() for n in page.locator("#registrations .reg-name strong").all_inner_texts()]


def _png(pdf: bytes, name: str) -> None:
    if not shutil.which("pdftoppm"):
        return
    src = ARTIFACTS / f"{name}.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(src), str(ARTIFACTS / name)],
                   check=True, timeout=60)


def test_participant_list_filtered_by_regency_and_position(page: Page,
                                                           live_api: httpx.Client) -> None:
    t = _workshop(live_api)
    login(page)
    page.goto(f"/trainings/{t['id']}/registrations")
    # By name without front titles: Ahmad, Muhammad, Putri, Rina, Zahra.
    assert _names(page) == ["Drs. H. Ahmad Yani, M.Si.", "Kgs. Muhammad Yusuf, S.E.",
                            "Putri Ayu, S.K.M.", "dr. Rina Marlina, M.Kes.",
                            "Nyimas Zahra, S.Sos."]
    expect(page.locator("#registrations thead")).to_contain_text("Kabupaten/Kota")
    page.screenshot(path=str(ARTIFACTS / "office-list-desktop.png"), full_page=True)

    page.locator("#filter-regency").select_option("Kabupaten Ogan Ilir")
    expect(page.locator("#registrations .reg-row")).to_have_count(3)
    page.locator("#filter-position").select_option("Kepala Bidang Keluarga Berencana")
    expect(page.locator("#registrations .reg-row")).to_have_count(2)
    assert _names(page) == ["Drs. H. Ahmad Yani, M.Si.", "Kgs. Muhammad Yusuf, S.E."]
    expect(page.locator(".reg-found")).to_contain_text("2 peserta")
    assert "regency=Kabupaten+Ogan+Ilir" in page.url and "position=" in page.url
    page.screenshot(path=str(ARTIFACTS / "office-list-filtered-desktop.png"), full_page=True)

    # The address keeps the filters: a reload (or a shared link) shows the same list.
    page.reload()
    assert _names(page) == ["Drs. H. Ahmad Yani, M.Si.", "Kgs. Muhammad Yusuf, S.E."]
    expect(page.locator("#filter-regency")).to_have_value("Kabupaten Ogan Ilir")
    # The NIP shows only its last 4 digits to the committee, never whole.
    assert "197603122005012002" not in page.content()

    page.set_viewport_size(PHONE)
    page.reload()
    no_horizontal_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "office-list-filtered-phone.png"), full_page=True)


def test_field_visit_day_place_then_its_daftar_hadir(page: Page,
                                                     live_api: httpx.Client) -> None:
    t = _workshop(live_api)
    batch = t["batch"]
    day3 = batch["days"][2]
    login(page)
    page.goto(f"/batches/{batch['id']}")
    form = page.locator(f"#day-{day3} form.day-place")
    form.locator("input[name=venue]").fill(SEROJA)
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#day-{day3} form.day-place")).to_have_class("day-place has-own-place")
    expect(page.locator(f"#day-{day3} .saved")).to_be_visible()
    expect(page.locator(f"#day-{day3} form.day-place input[name=venue]")).to_have_value(SEROJA)
    first_day = batch["days"][0]
    expect(page.locator(f"#day-{first_day} form.day-place input[name=venue]")).to_have_value("")
    page.screenshot(path=str(ARTIFACTS / "office-timetable-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    no_horizontal_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "office-timetable-phone.png"), full_page=True)

    # The rosters page links that day's daftar hadir, as one list or by kabupaten/kota.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/trainings/{t['id']}/rosters")
    link = page.locator(f"#batch-{batch['id']} a.sheet-day").nth(2)
    grouped = page.locator(f"#batch-{batch['id']} a.sheet-day-grouped").nth(2)
    expect(page.locator(f"#batch-{batch['id']} .sheet-grouped")).to_contain_text(
        "kabupaten/kota")
    page.screenshot(path=str(ARTIFACTS / "office-rosters-desktop.png"), full_page=True)
    sheet = page.request.get(str(link.get_attribute("href")))
    assert sheet.ok and sheet.body().startswith(b"%PDF")
    _png(sheet.body(), "office-daftar-hadir-day3")
    by_regency = page.request.get(str(grouped.get_attribute("href")))
    assert by_regency.ok
    _png(by_regency.body(), "office-daftar-hadir-day3-grouped")
    import io

    from pypdf import PdfReader
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(sheet.body())).pages)
    assert SEROJA in text and "Hotel Aryaduta" not in text
    grouped_text = " ".join((p.extract_text() or "")
                            for p in PdfReader(io.BytesIO(by_regency.body())).pages)
    assert "Kabupaten Ogan Ilir (3 orang)" in grouped_text
    page.set_viewport_size(PHONE)
    page.reload()
    no_horizontal_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "office-rosters-phone.png"), full_page=True)


def test_changed_pages_at_desktop_and_phone_width(page: Page, live_api: httpx.Client) -> None:
    t = _workshop(live_api)
    batch = t["batch"]
    day3 = batch["days"][2]
    assert live_api.put(f"/api/batches/{batch['id']}/days/{day3}/place",
                        json={"venue": SEROJA}).status_code == 200
    s = live_api.post(f"/api/batches/{batch['id']}/sessions", json={
        "title": "Kunjungan lapangan Kampung KB Seroja", "date": day3, "start_time": "08:30",
        "end_time": "11:30", "kind": "field_visit", "jpl": 4})
    close = live_api.post(f"/api/batches/{batch['id']}/sessions", json={
        "title": "Penutupan", "date": day3, "start_time": "15:00", "end_time": "16:00",
        "kind": "closing", "venue": "Hotel Aryaduta Palembang"})
    assert s.status_code == 201 and close.status_code == 201, close.text
    regs = live_api.get(f"/api/trainings/{t['id']}/registrations").json()["items"]
    ticket = regs[0]["ticket_url"].split("/t/", 1)[1]
    login(page)
    pages = {
        "office-form": f"/registrations/{regs[0]['id']}/edit",
        "office-session": f"/sessions/{close.json()['id']}/edit",
        "office-attendance": f"/trainings/{t['id']}/attendance?batch={batch['id']}"
                             f"&day={batch['days'][0]}&region=Kabupaten+Ogan+Ilir",
        "office-assign": f"/trainings/{t['id']}/assign",
        "office-training-form": f"/trainings/{t['id']}/edit",
        "office-ticket": f"/t/{ticket}",
    }
    for name, url in pages.items():
        for width, size in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
            page.set_viewport_size(size)  # type: ignore[arg-type]
            page.goto(url)
            no_horizontal_overflow(page)
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.goto(f"/t/{ticket}")
    expect(page.locator(f"#place-{day3}")).to_contain_text(SEROJA)
    page.goto(pages["office-attendance"])
    expect(page.locator("#att-region")).to_have_value("Kabupaten Ogan Ilir")
    expect(page.locator("#att-present")).to_contain_text("dari 3")
