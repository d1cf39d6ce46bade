"""Live attendance in a real browser: the committee's page counts who has arrived and
updates by itself when the door scans someone; the big screen for the registration desk;
phone width; and the page without JavaScript.

Data goes in through the JSON API (registrations, then check-ins with POST /api/checkins
and a two-device offline sync for a conflict), as scanners at the door would send it.
"""

import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, PHONE, login, no_horizontal_overflow

pytestmark = pytest.mark.browser

WIB = ZoneInfo("Asia/Jakarta")
POLL_WAIT = 15_000  # the page asks every 5 s; allow for a slow shared machine
PEOPLE = (
    ("Siti Rahmawati", "Kader BKB", "Koto Tangah"),
    ("Rina Marlina", "Kader BKB", "Kuranji"),
    ("Budi Santoso", "PKB", "Koto Tangah"),
    ("Dewi Lestari", "Kader BKB", "Pauh"),
    ("Yusuf Chaniago", "PKB", "Kuranji"),
    ("Hj. Nurhayati", "Kader BKB", "Koto Tangah"),
)


def _phone() -> str:
    return "0812" + "".join(secrets.choice("0123456789") for _ in range(8))


class Event:
    """A training whose batch meets today (WIB), six registered, and a clock for scans:
    every scan is stamped a little after the previous one but before the test began, so
    a run across midnight still puts them all on one day."""

    def __init__(self, api: httpx.Client) -> None:
        self.api = api
        self.start = datetime.now(UTC) - timedelta(minutes=30)
        self.day = self.start.astimezone(WIB).date()
        self.ticks = 0
        first, last = self.day - timedelta(days=1), self.day + timedelta(days=1)
        r = api.post("/api/trainings", json={
            "title": f"Pelatihan Kader Kampung KB {secrets.token_hex(3)}", "kind": "pelatihan",
            "start_date": first.isoformat(), "end_date": last.isoformat(),
            "categories": [{"name": "Kader BKB"}, {"name": "PKB"}]})
        assert r.status_code == 201, r.text
        self.training_id = r.json()["id"]
        r = api.post(f"/api/trainings/{self.training_id}/batches", json={
            "name": "Angkatan I", "start_date": first.isoformat(), "end_date": last.isoformat(),
            "capacity": 20})
        assert r.status_code == 201, r.text
        self.batch_id = r.json()["id"]
        self.regs: dict[str, dict[str, Any]] = {}
        for name, category, district in PEOPLE:
            r = api.post(f"/api/trainings/{self.training_id}/registrations", json={
                "name": name, "category": category, "district": district, "phone": _phone(),
                "batch_id": self.batch_id})
            assert r.status_code == 201, r.text
            self.regs[name] = r.json()

    def stamp(self) -> str:
        self.ticks += 1
        return (self.start + timedelta(seconds=20 * self.ticks)).isoformat()

    def check_in(self, name: str) -> None:
        r = self.api.post("/api/checkins", json={
            "registration_id": self.regs[name]["id"], "batch_id": self.batch_id,
            "scanned_at": self.stamp(), "nonce": secrets.token_hex(8)})
        assert r.status_code == 201, r.text

    def offline_twice(self, name: str) -> None:
        """Two gates without signal both let the person in; they sync later."""
        for device in ("hp-gerbang-1", "hp-gerbang-2"):
            r = self.api.post("/api/checkins/sync", json={"device_id": device, "scans": [{
                "registration_id": self.regs[name]["id"], "batch_id": self.batch_id,
                "scanned_at": self.stamp(), "nonce": secrets.token_hex(8), "method": "qr"}]})
            assert r.status_code == 200, r.text
        assert r.json()["results"][0]["conflict"] is True, r.text

    @property
    def url(self) -> str:
        return (f"/trainings/{self.training_id}/attendance?batch={self.batch_id}"
                f"&day={self.day.isoformat()}")

    @property
    def screen_url(self) -> str:
        return self.url.replace("/attendance?", "/attendance/screen?")


@pytest.fixture
def event(live_api: httpx.Client) -> Event:
    e = Event(live_api)
    for name in ("Siti Rahmawati", "Budi Santoso"):
        e.check_in(name)
    e.offline_twice("Rina Marlina")
    return e


def test_live_page_counts_and_updates_by_itself(page: Page, event: Event) -> None:
    login(page)
    # From the training's overview, the batch's Attendance link.
    page.goto(f"/trainings/{event.training_id}")
    page.locator(f"#batches a.batch-attendance[href$='batch={event.batch_id}']").click()
    page.wait_for_url(re.compile(r"/attendance\?batch=\d+$"))
    expect(page.locator(".att-pick a.is-current .att-today")).to_have_count(1)  # today chosen
    page.goto(event.url)

    expect(page.locator("#att-present strong")).to_have_text("3")
    expect(page.locator("#att-present")).to_contain_text("6")
    expect(page.locator("#att-rate")).to_have_text("50,0%")
    expect(page.locator("#att-missing-count")).to_have_text("3")
    category = page.locator("#att-by-category tbody tr")
    expect(category.filter(has_text="Kader BKB")).to_contain_text("2/4")
    expect(category.filter(has_text="PKB")).to_contain_text("1/2")
    district = page.locator("#att-by-district tbody tr")
    expect(district.filter(has_text="Koto Tangah")).to_contain_text("2/3")
    expect(district.filter(has_text="Kuranji")).to_contain_text("1/2")
    expect(district.filter(has_text="Pauh")).to_contain_text("0/1")

    # Who is missing, with a call link and a WhatsApp link each.
    missing = page.locator("#att-missing tbody tr")
    expect(missing).to_have_count(3)
    expect(missing.nth(0)).to_contain_text("Dewi Lestari")
    dewi = event.regs["Dewi Lestari"]
    row = page.locator(f"#missing-{dewi['id']}")
    tel = row.locator("a[href^='tel:']")
    expect(tel).to_have_attribute("href", f"tel:{dewi['phone']}")
    wa = row.locator("a[href^='https://wa.me/']")
    expect(wa).to_have_attribute("href", re.compile(rf"^https://wa\.me/{dewi['phone'][1:]}\?text=Yth"))

    # The latest arrivals, newest first; the conflict of the two offline gates.
    expect(page.locator("#att-recent li").first).to_contain_text("Rina Marlina")
    expect(page.locator("#att-recent li").first).to_contain_text(re.compile("offline|luring"))
    expect(page.locator("#att-conflicts tbody tr")).to_contain_text("Rina Marlina")
    expect(page.locator("#att-conflicts tbody tr")).to_contain_text("hp-gerbang-2")
    no_horizontal_overflow(page)

    # Someone arrives at the door: the page shows it without a reload.
    page.evaluate("window.__sameDocument = true")
    event.check_in("Yusuf Chaniago")
    expect(page.locator("#att-present strong")).to_have_text("4", timeout=POLL_WAIT)
    expect(page.locator("#att-recent li").first).to_contain_text("Yusuf Chaniago")
    expect(page.locator(f"#missing-{event.regs['Yusuf Chaniago']['id']}")).to_have_count(0)
    expect(page.locator("#att-by-category tbody tr").filter(has_text="PKB")).to_contain_text(
        "2/2")
    assert page.evaluate("window.__sameDocument") is True
    # And keeps doing so (the swapped block polls on).
    event.check_in("Hj. Nurhayati")
    expect(page.locator("#att-present strong")).to_have_text("5", timeout=POLL_WAIT)
    assert page.evaluate("window.__sameDocument") is True
    page.screenshot(path=str(ARTIFACTS / "attendance-desktop.png"), full_page=True)


def test_big_screen_for_the_registration_desk(browser: Any, live_server: str,
                                              event: Event) -> None:
    # A projector's 1280x720, across a hall.
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 720},
                                  locale="id-ID")
    try:
        page = context.new_page()
        login(page)
        page.goto(event.screen_url)
        present = page.locator("#screen-present")
        expect(present).to_have_text("3")
        expect(page.locator("#screen-rate")).to_have_text("50,0%")
        expect(page.locator("#screen-recent li").first).to_contain_text("Rina Marlina")
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                             "'#screen-present')).fontSize)")
        assert size >= 150, f"the count is {size}px high: too small to read across a hall"
        # Everything fits on the screen: nobody scrolls a projector.
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= 720, f"the big screen is {height}px high in a 720px window"
        page.evaluate("window.__sameDocument = true")
        event.check_in("Dewi Lestari")
        expect(present).to_have_text("4", timeout=POLL_WAIT)
        expect(page.locator("#screen-recent li").first).to_contain_text("Dewi Lestari")
        assert page.evaluate("window.__sameDocument") is True
        page.screenshot(path=str(ARTIFACTS / "attendance-screen.png"))
    finally:
        context.close()


def test_phone_width(browser: Any, live_server: str, event: Event) -> None:
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID",
                                  is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        login(page)
        page.goto(event.url)
        expect(page.locator("#att-present strong")).to_have_text("3")
        expect(page.locator("#att-missing a[href^='tel:']").first).to_be_visible()
        no_horizontal_overflow(page)
        page.screenshot(path=str(ARTIFACTS / "attendance-phone.png"), full_page=True)
        page.goto(event.screen_url)
        expect(page.locator("#screen-present")).to_have_text("3")
        no_horizontal_overflow(page)
        page.screenshot(path=str(ARTIFACTS / "attendance-screen-phone.png"), full_page=True)
    finally:
        context.close()


def test_page_is_complete_without_javascript(browser: Any, live_server: str,
                                             event: Event) -> None:
    context = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 800},
                                  java_script_enabled=False)
    try:
        page = context.new_page()
        login(page)
        page.goto(event.url)
        expect(page.locator("#att-present strong")).to_have_text("3")
        expect(page.locator("#att-missing tbody tr")).to_have_count(3)
        expect(page.locator("noscript")).to_have_count(1)
        # Choosing the other day is a plain link.
        page.locator(".att-pick a").filter(has_text=re.compile(r"(Hari ke-|Day )3")).click()
        expect(page.locator("#att-present strong")).to_have_text("0")
        expect(page.locator("#att-missing tbody tr")).to_have_count(6)
    finally:
        context.close()


def test_per_session_training_at_phone_width(browser: Any, live_server: str,
                                             live_api: httpx.Client) -> None:
    day = datetime.now(WIB).date()
    r = live_api.post("/api/trainings", json={
        "title": f"Bimtek Pengelola Kampung KB {secrets.token_hex(3)}", "kind": "bimtek",
        "start_date": day.isoformat(), "end_date": day.isoformat(), "checkin_mode": "session"})
    assert r.status_code == 201, r.text
    tid = r.json()["id"]
    r = live_api.post(f"/api/trainings/{tid}/batches", json={
        "name": "Angkatan I", "start_date": day.isoformat(), "end_date": day.isoformat(),
        "capacity": 10})
    assert r.status_code == 201, r.text
    bid = r.json()["id"]
    long_title = ("Kebijakan Program Kependudukan, Keluarga Berencana dan Pembangunan Keluarga "
                  "serta Pengembangan Kampung KB")
    sessions = []
    for start, end, title in (("08:00", "09:30", long_title), ("10:00", "11:30", "Pokja")):
        r = live_api.post(f"/api/batches/{bid}/sessions", json={
            "title": title, "date": day.isoformat(), "start_time": start, "end_time": end})
        assert r.status_code == 201, r.text
        sessions.append(r.json()["id"])
    live_api.post(f"/api/trainings/{tid}/registrations", json={
        "name": "Siti Rahmawati", "phone": _phone(), "batch_id": bid})
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID",
                                  is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        login(page)
        page.goto(f"/trainings/{tid}/attendance?batch={bid}&day={day.isoformat()}&session=")
        whole_day = page.locator(".att-pick a[href$='session=']")
        expect(whole_day).to_have_class(re.compile("is-current"))
        no_horizontal_overflow(page)
        page.locator(f".att-pick a[href$='session={sessions[0]}']").click()
        expect(page.locator(".att-session-now")).to_contain_text("Kebijakan")
        expect(page.locator("#att-present strong")).to_have_text("0")
        no_horizontal_overflow(page)
        page.screenshot(path=str(ARTIFACTS / "attendance-sessions-phone.png"), full_page=True)
    finally:
        context.close()
