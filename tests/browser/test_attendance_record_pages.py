"""The record after the day in a real browser: the committee opens a past day from the
attendance page, ticks two people whose scans were missed and marks them present, marks
one more sakit with a reason, sees the counts move and each person's history, and the
activity report follows; the same page without JavaScript and at phone width.

Data goes in through the JSON API (registrations, then the door's check-ins), as the
scanners sent it on 12 September 2018.
"""

import re
import secrets
import subprocess
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, PHONE, login, no_horizontal_overflow

pytestmark = pytest.mark.browser

WIB = ZoneInfo("Asia/Jakarta")
DAY1, DAY2 = date(2018, 9, 12), date(2018, 9, 13)
PEOPLE = ("Siti Rahmawati", "Dra. Hj. Rina Marlina", "Budi Santoso", "Dewi Lestari",
          "Yusuf Chaniago", "dr. Nurhayati")
SCANNED = ("Siti Rahmawati", "Budi Santoso", "Yusuf Chaniago")


class Event:
    """Angkatan I on 12-13 September 2018, six confirmed, three scanned on day 1."""

    def __init__(self, api: httpx.Client) -> None:
        self.api = api
        r = api.post("/api/trainings", json={
            "title": f"Pelatihan Kader Kampung KB {secrets.token_hex(3)}", "kind": "pelatihan",
            "start_date": DAY1.isoformat(), "end_date": DAY2.isoformat(),
            "categories": [{"name": "Kader BKB"}, {"name": "PKB"}]})
        assert r.status_code == 201, r.text
        self.training_id = r.json()["id"]
        r = api.post(f"/api/trainings/{self.training_id}/batches", json={
            "name": "Angkatan I", "start_date": DAY1.isoformat(), "end_date": DAY2.isoformat(),
            "capacity": 20})
        assert r.status_code == 201, r.text
        self.batch_id = r.json()["id"]
        self.regs: dict[str, int] = {}
        for n, name in enumerate(PEOPLE):
            r = api.post(f"/api/trainings/{self.training_id}/registrations", json={
                "name": name, "category": ("Kader BKB", "PKB")[n % 2],
                "institution": f"Kelompok BKB Kelurahan {n + 1}", "batch_id": self.batch_id})
            assert r.status_code == 201, r.text
            self.regs[name] = r.json()["id"]
        for n, name in enumerate(SCANNED):
            at = datetime.combine(DAY1, time(7, 40 + n), WIB).astimezone(UTC)
            r = api.post("/api/checkins", json={
                "registration_id": self.regs[name], "batch_id": self.batch_id,
                "scanned_at": at.isoformat(), "nonce": secrets.token_hex(8)})
            assert r.status_code == 201, r.text

    @property
    def live_url(self) -> str:
        return f"/trainings/{self.training_id}/attendance?batch={self.batch_id}&day={DAY1}"

    @property
    def record_url(self) -> str:
        return (f"/trainings/{self.training_id}/attendance/record?batch={self.batch_id}"
                f"&day={DAY1}")


@pytest.fixture
def event(live_api: httpx.Client) -> Event:
    return Event(live_api)


def _tick(page: Page, event: Event, *names: str) -> None:
    for name in names:
        page.locator(f"#pick-{event.regs[name]}").check()


def test_committee_records_a_past_day_and_the_report_follows(page: Page, event: Event,
                                                            tmp_path: Path) -> None:
    login(page)
    page.goto(event.live_url)
    page.locator("#att-record-link").click()
    page.wait_for_url(re.compile(r"/attendance/record\?"))
    expect(page.locator("h1")).to_have_text("Catat kehadiran setelah hari H")
    expect(page.locator("#rec-present")).to_have_text("3")
    expect(page.locator("#rec-absent")).to_have_text("3")
    # Sorted as Indonesians sort names: "Dra. Hj. Rina" under R, "dr. Nurhayati" under N.
    names = page.locator(".rec-who strong").all_inner_texts()
    assert names.index("dr. Nurhayati") < names.index("Dra. Hj. Rina Marlina")

    # Two signed the daftar hadir but their scans were missed: present, at once.
    page.evaluate("window.__sameDocument = true")
    _tick(page, event, "Dewi Lestari", "Dra. Hj. Rina Marlina")
    expect(page.locator("[data-rec-count]")).to_have_text("2 dipilih")
    page.locator("input[name=reason]").fill("Tanda tangan ada di daftar hadir")
    page.locator("button.rec-btn-present").click()
    expect(page.locator("#rec-notice")).to_have_text("2 orang dicatat hadir.")
    expect(page.locator("#rec-present")).to_have_text("5")
    expect(page.locator("#rec-absent")).to_have_text("1")
    assert page.evaluate("window.__sameDocument") is True  # htmx swapped the list

    # Izin/sakit needs a reason: refused, nothing changes, the tick stays.
    _tick(page, event, "dr. Nurhayati")
    page.locator("button.rec-btn-excused", has_text="Sakit").click()
    expect(page.locator("#rec-error")).to_contain_text("Tuliskan alasan izin atau sakit")
    expect(page.locator(f"#pick-{event.regs['dr. Nurhayati']}")).to_be_checked()
    expect(page.locator("#rec-excused")).to_have_text("0")
    page.locator("input[name=reason]").fill("Demam, surat keterangan puskesmas")
    page.locator("button.rec-btn-excused", has_text="Sakit").click()
    expect(page.locator("#rec-notice")).to_have_text("1 orang dicatat sakit.")
    expect(page.locator("#rec-excused")).to_have_text("1")
    row = page.locator(f"#rec-{event.regs['dr. Nurhayati']}")
    expect(row.locator(".rec-chip")).to_have_text("Sakit")
    expect(row).to_contain_text("Demam, surat keterangan puskesmas")

    # Each person's history: who, when, why.
    dewi = page.locator(f"#rec-{event.regs['Dewi Lestari']}")
    dewi.locator(".rec-history summary").click()
    expect(dewi.locator(".rec-history li").first).to_contain_text("admin")
    expect(dewi.locator(".rec-history li").first).to_contain_text(
        "Hadir — Tanda tangan ada di daftar hadir")
    page.screenshot(path=str(ARTIFACTS / "attendance-record-desktop.png"), full_page=True)

    # The live page of that day and the activity report follow.
    page.goto(event.live_url)
    expect(page.locator("#att-present strong")).to_have_text("5")
    expect(page.locator(f"#missing-{event.regs['dr. Nurhayati']}")).to_contain_text("Sakit")
    page.goto(f"/trainings/{event.training_id}/report")
    day1 = page.locator("tr.rep-day").nth(0)
    expect(day1.locator("td.num").nth(1)).to_have_text("5")
    expect(day1).to_contain_text("1 izin/sakit")
    with page.expect_download() as info:
        page.locator("#rep-download").click()
    pdf = tmp_path / "laporan.pdf"
    info.value.save_as(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf),
                    str(ARTIFACTS / "attendance-record-report")], check=True)


def test_the_record_page_without_javascript(browser: Any, live_server: str,
                                            event: Event) -> None:
    context = browser.new_context(base_url=live_server, java_script_enabled=False,
                                  locale="id-ID")
    try:
        page = context.new_page()
        login(page)
        page.goto(event.record_url)
        expect(page.locator("[data-rec-filter]")).to_be_hidden()  # needs script
        _tick(page, event, "Yusuf Chaniago")
        page.locator("input[name=reason]").fill("Tiketnya dipindai oleh temannya")
        page.locator("button.rec-btn-absent").click()
        page.wait_for_url(re.compile(r"done=absent"))
        expect(page.locator("#rec-notice")).to_have_text("1 orang dicatat tidak hadir.")
        expect(page.locator("#rec-present")).to_have_text("2")
        row = page.locator(f"#rec-{event.regs['Yusuf Chaniago']}")
        expect(row.locator(".rec-chip")).to_have_text("Tidak hadir")
        expect(row).to_contain_text("dipindai pukul 07.42")  # the scan stays in the log
    finally:
        context.close()


def test_the_record_page_at_phone_width(browser: Any, live_server: str, event: Event) -> None:
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID",
                                  is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        login(page)
        page.goto(event.record_url)
        page.locator("[data-rec-filter]").fill("dewi")
        expect(page.locator(".rec-row:visible")).to_have_count(1)
        page.locator("[data-rec-all]").check()
        expect(page.locator("[data-rec-count]")).to_have_text("1 dipilih")
        page.locator("input[name=reason]").fill("Izin: acara keluarga")
        page.locator("button.rec-btn-excused", has_text="Izin").click()
        expect(page.locator("#rec-excused")).to_have_text("1")
        no_horizontal_overflow(page)
        page.screenshot(path=str(ARTIFACTS / "attendance-record-phone.png"), full_page=True)
        page.screenshot(path=str(ARTIFACTS / "attendance-record-phone-top.png"))
    finally:
        context.close()
