"""Erasure (UU PDP) in a real browser: the committee asks for it on the person's page,
a second admin approves it on /erasure, the person's page then shows the pseudonym and
the banner, the certificate's verification page names no one; the retention setting and
its preview on /erasure/retention. Desktop and 390 px wide."""

import re
import secrets
import string
from datetime import date

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, shoot

pytestmark = pytest.mark.browser


def _tag() -> str:
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(6)).capitalize()


class World:
    def __init__(self, api: httpx.Client) -> None:
        self.tag = _tag()  # the person's own: nothing else carries it
        self.name = f"Yusnimar {self.tag}"
        place = _tag()
        self.nik = "1371016504880" + f"{secrets.randbelow(998) + 1:03d}"
        day = date(2016, 9, 12)  # old enough for a retention of 5 years
        r = api.post("/api/trainings", json={
            "title": f"Pelatihan Kader 2016 {place}", "kind": "pelatihan",
            "start_date": day.isoformat(), "end_date": day.isoformat()})
        assert r.status_code == 201, r.text
        self.training_id = r.json()["id"]
        r = api.post(f"/api/trainings/{self.training_id}/batches", json={
            "name": "Angkatan I", "start_date": day.isoformat(), "end_date": day.isoformat(),
            "capacity": 30})
        assert r.status_code == 201, r.text
        bid = r.json()["id"]
        r = api.post(f"/api/trainings/{self.training_id}/registrations", json={
            "name": self.name, "nik": self.nik,
            "phone": "081374400" + f"{secrets.randbelow(900) + 100}", "batch_id": bid})
        assert r.status_code == 201, r.text
        self.person_id = r.json()["participant_id"]
        r = api.post(f"/api/trainings/{self.training_id}/registrations", json={
            "name": f"Rahmi Dt. Bungsu {place}", "batch_id": bid})
        assert r.status_code == 201, r.text
        self.old_person_id = r.json()["participant_id"]
        # A second admin approves (the four-eyes rule).
        self.approver = f"approver-{place.lower()}@padang.test"
        self.password = "kampung-kb-x" + secrets.token_hex(6)
        r = api.post("/api/users", json={"email": self.approver, "name": "Admin Kedua",
                                         "role": "admin", "password": self.password})
        assert r.status_code == 201, r.text


@pytest.fixture(scope="module")
def world(live_api: httpx.Client) -> World:
    return World(live_api)


def test_request_then_approve_erasure(page: Page, world: World) -> None:
    login(page)
    page.goto(f"/people/{world.person_id}")
    expect(page.locator("#person-name")).to_have_text(world.name)
    page.locator("#erasure-action").click()
    expect(page.locator("#erasure-details")).to_have_attribute("open", "")
    shoot(page, "erasure-person-form")
    page.locator("#erasure-form input[name=requested_by_text]").fill(
        "Yang bersangkutan lewat WhatsApp, 3 Des")
    page.locator("#erasure-form textarea[name=reason]").fill("Pindah domisili")
    page.locator("#erasure-submit").click()
    page.wait_for_url(re.compile(rf"/people/{world.person_id}\?erasure=requested"))
    expect(page.locator("#erasure-requested")).to_be_visible()
    expect(page.locator("#erasure-pending")).to_be_visible()
    expect(page.locator("#erasure-action")).to_have_count(0)
    page.goto("/erasure")
    item = page.locator("#pending li.er-item").filter(has_text=world.name)
    expect(item).to_have_count(1)
    shoot(page, "erasure-requests-pending")

    page.context.clear_cookies()
    login(page, world.approver, world.password)
    page.goto("/erasure")
    item = page.locator("#pending li.er-item").filter(has_text=world.name)
    item.locator("form.approve input[name=confirm]").check()
    item.locator("form.approve button").click()
    page.wait_for_url(re.compile(r"/erasure\?done=approved"))
    expect(page.locator("#done")).to_be_visible()
    expect(page.locator("#decided")).to_contain_text("Data dihapus (UU PDP)")
    expect(page.locator("body")).not_to_contain_text(world.tag)
    shoot(page, "erasure-requests-decided")

    page.goto(f"/people/{world.person_id}")
    expect(page.locator("#person-name")).to_contain_text("Data dihapus (UU PDP)")
    expect(page.locator("#erased-banner")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(world.tag)
    expect(page.locator("body")).not_to_contain_text(world.nik)
    shoot(page, "erasure-person-erased")


def test_retention_setting_and_preview(page: Page, world: World, live_api: httpx.Client
                                       ) -> None:
    login(page)
    page.goto("/erasure")
    page.locator("#retention-link").click()
    page.wait_for_url(re.compile(r"/erasure/retention$"))
    page.locator("#years").fill("abc")
    page.locator("#save-retention").click()
    expect(page.locator("#retention-form .alert-error")).to_be_visible()
    page.locator("#years").fill("5")
    page.locator("#save-retention").click()
    page.wait_for_url(re.compile(r"/erasure/retention\?saved=1"))
    expect(page.locator("#retention-state")).to_contain_text("5")
    row = page.locator(f"#candidate-{world.old_person_id}")
    expect(row).to_contain_text("Rahmi Dt. Bungsu")
    expect(row.locator(".erase-on")).to_be_visible()
    expect(page.locator(f"#candidate-{world.person_id}")).to_have_count(0)  # erased already
    shoot(page, "erasure-retention")
    page.locator("#retention-off").click()
    page.wait_for_url(re.compile(r"/erasure/retention\?saved=1"))
    expect(page.locator("#preview")).to_have_count(0)
    assert live_api.get("/api/erasure/retention-preview").json()["years"] is None
