"""Programmes in a real browser: a Pontianak-like programme (Tahap 1 of 56 managers from two
kecamatan, most of whom came; Tahap 2; monthly coaching in two kecamatan batches) set up
through the JSON API; the committee opens it, reads the stages and who waits, carries
Tahap 1's attended into the coaching with one confirmed form, pages through the matrix,
and at 390 px nothing pushes the page sideways."""

import re
import secrets
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DialogPolicy, login, shoot

pytestmark = pytest.mark.browser

WIB = ZoneInfo("Asia/Jakarta")
TAHAP1 = date(2018, 3, 20)
PEOPLE = 56  # more than a page of the matrix (50)
ABSENT = 6  # registered in Tahap 1, never came


class Programme:
    def __init__(self, api: httpx.Client) -> None:
        self.api = api
        tag = secrets.token_hex(3)
        self.title = f"Bimtek Pengelola Kampung KB Kota Pontianak 2018 {tag}"
        r = api.post("/api/programs", json={"title": self.title, "start_date": "2018-03-01",
                                            "end_date": "2019-04-30"})
        assert r.status_code == 201, r.text
        self.id = r.json()["id"]
        self.one = self._stage(f"Tahap 1: Pontianak Barat dan Pontianak Kota {tag}",
                               TAHAP1, TAHAP1 + timedelta(days=1), "bimtek")
        self.two = self._stage(f"Tahap 2: Pontianak Selatan, Tenggara, Timur, Utara {tag}",
                               date(2018, 4, 24), date(2018, 4, 25), "bimtek")
        self.coaching = self._stage(f"Pembinaan bulanan {tag}", date(2018, 5, 1),
                                    date(2019, 4, 30), "pembinaan")
        batch = self._batch(self.one, "Angkatan I", TAHAP1, TAHAP1 + timedelta(days=1), 60)
        self._batch(self.two, "Angkatan I", date(2018, 4, 24), date(2018, 4, 25), 60)
        for name, day in (("Kec. Pontianak Barat", date(2018, 5, 8)),
                          ("Kec. Pontianak Kota", date(2018, 5, 9))):
            self._batch(self.coaching, name, day, day, 40)
        regs = []
        for i in range(PEOPLE):
            r = api.post(f"/api/trainings/{self.one}/registrations", json={
                "name": f"{'Hj. ' if i % 7 == 0 else ''}Pengelola {i + 1:02d} Kampung KB",
                "phone": "0812" + "".join(secrets.choice("0123456789") for _ in range(8)),
                "district": "Pontianak Barat" if i % 2 else "Pontianak Kota",
                "batch_id": batch})
            assert r.status_code == 201, r.text
            regs.append(r.json()["id"])
        for day in (TAHAP1, TAHAP1 + timedelta(days=1)):
            for k, rid in enumerate(regs[ABSENT:]):
                at = datetime.combine(day, time(7, 30), WIB).astimezone(UTC) + timedelta(
                    seconds=20 * k)
                r = api.post("/api/checkins", json={
                    "registration_id": rid, "batch_id": batch, "scanned_at": at.isoformat(),
                    "nonce": secrets.token_hex(8)})
                assert r.status_code == 201, r.text

    def _stage(self, title: str, start: date, end: date, kind: str) -> int:
        r = self.api.post("/api/trainings", json={
            "title": title, "kind": kind, "start_date": start.isoformat(),
            "end_date": end.isoformat(), "program_id": self.id})
        assert r.status_code == 201, r.text
        return int(r.json()["id"])

    def _batch(self, training: int, name: str, start: date, end: date, capacity: int) -> int:
        r = self.api.post(f"/api/trainings/{training}/batches", json={
            "name": name, "start_date": start.isoformat(), "end_date": end.isoformat(),
            "capacity": capacity})
        assert r.status_code == 201, r.text
        return int(r.json()["id"])

    @property
    def url(self) -> str:
        return f"/programs/{self.id}"


@pytest.fixture(scope="module")
def programme(live_api: httpx.Client) -> Programme:
    return Programme(live_api)


def test_programme_page_stages_waiting_and_carry(page: Page, programme: Programme,
                                                 dialog_policy: DialogPolicy,
                                                 dialogs: list[str]) -> None:
    login(page)
    page.goto("/programs")
    page.locator("#programs a", has_text=programme.title).click()
    page.wait_for_url(re.compile(rf"/programs/{programme.id}$"))
    expect(page.locator("h1")).to_have_text(programme.title)
    rows = page.locator("#stage-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Tahap 1")
    expect(rows.nth(2)).to_contain_text("Pembinaan bulanan")
    expect(rows.nth(0).locator(".stage-registered")).to_have_text(str(PEOPLE))
    expect(rows.nth(0).locator(".stage-attended")).to_have_text(str(PEOPLE - ABSENT))
    # Tahap 1's people are in no later stage yet: all of them wait.
    expect(page.locator("#prog-waiting-count")).to_have_text(str(PEOPLE))
    expect(page.locator("#prog-people")).to_have_text(str(PEOPLE))
    expect(page.locator("#by-district tbody tr")).to_have_count(2)
    expect(page.locator("#matrix-table tbody tr")).to_have_count(50)
    expect(page.locator("#matrix-page")).to_contain_text("2")
    shoot(page, "program-page")

    # Carry Tahap 1's attended into the coaching (not into Tahap 2: other kecamatan).
    form = page.locator(f"#carry-from-{programme.one}")
    form.locator("select[name=to_training_id]").select_option(str(programme.coaching))
    dialog_policy.accept_next = 1
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"carried="))
    expect(page.locator("#carry-carried")).to_have_text(str(PEOPLE - ABSENT))
    expect(page.locator("#carry-already")).to_have_text("0")
    # Two batches in the coaching: they wait for the committee to assign them.
    expect(page.locator("#carry-waitlisted")).to_have_text(str(PEOPLE - ABSENT))
    expect(page.locator("#prog-waiting-count")).to_have_text(str(ABSENT))
    expect(page.locator("#waiting-table tbody tr")).to_have_count(ABSENT)
    assert dialogs == []
    shoot(page, "program-carried")

    # Carrying again registers nobody twice.
    dialog_policy.accept_next = 1
    page.locator(f"#carry-from-{programme.one} select[name=to_training_id]").select_option(
        str(programme.coaching))
    page.locator(f"#carry-from-{programme.one} button[type=submit]").click()
    expect(page.locator("#carry-already")).to_have_text(str(PEOPLE - ABSENT))
    expect(page.locator("#carry-carried")).to_have_text("0")


def test_carry_is_not_done_without_confirming(page: Page, programme: Programme,
                                              dialogs: list[str]) -> None:
    login(page)
    page.goto(programme.url)
    page.locator(f"#carry-from-{programme.two} button[type=submit]").click()
    expect(page.locator("#carry-result")).to_have_count(0)
    assert len(dialogs) == 1 and dialogs[0].startswith("confirm")


def test_matrix_second_page_and_search(page: Page, programme: Programme) -> None:
    login(page)
    page.goto(programme.url)
    page.locator(".prog-pages a[rel=next]").click()
    expect(page.locator("#matrix-table tbody tr")).to_have_count(PEOPLE - 50)
    page.locator(".prog-search input[name=q]").fill("Pengelola 08")
    page.locator(".prog-search button").click()
    expect(page.locator("#matrix-table tbody tr")).to_have_count(1)
    expect(page.locator("#matrix-table tbody tr")).to_contain_text("Hj. Pengelola 08")


def test_programme_list_create_and_bad_dates(page: Page) -> None:
    login(page)
    page.goto("/programs")
    form = page.locator("#new-program form")
    title = f"Program Pembinaan Kampung KB 2019 {secrets.token_hex(3)}"
    form.locator("input[name=title]").fill(title)
    form.locator("input[name=start_date]").fill("2019-12-31")
    form.locator("input[name=end_date]").fill("2019-01-01")
    form.locator("button[type=submit]").click()
    expect(page.locator("#new-program .alert-error")).to_be_visible()
    expect(page.locator("#new-program .field.has-error input[name=end_date]")).to_be_visible()
    shoot(page, "program-list-error")
    form = page.locator("#new-program form")
    form.locator("input[name=start_date]").fill("2019-01-01")
    form.locator("input[name=end_date]").fill("2019-12-31")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/programs/\d+$"))
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("#waiting-none")).to_be_visible()


def test_training_form_and_overview_link_the_programme(page: Page,
                                                       programme: Programme) -> None:
    login(page)
    page.goto(f"/trainings/{programme.two}/edit")
    expect(page.locator("#program-id")).to_have_value(str(programme.id))
    expect(page.locator("input[name=program_stage]")).to_have_value("2")
    page.goto(f"/trainings/{programme.two}")
    page.locator("#program-link a").click()
    page.wait_for_url(re.compile(rf"/programs/{programme.id}$"))
