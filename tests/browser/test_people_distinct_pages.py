"""Marking a likely pair as two people in a real browser: two cadres who share a phone
under similar names (mother and daughter, say) show on /people/duplicates; the committee
presses "Not the same person", the pair moves (htmx, in place) to the marked list with
who and when, the count on /people drops, and Undo brings it back. Desktop and 390 px."""

import re
import secrets
import string

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import htmx_idle, login, no_horizontal_overflow, shoot

pytestmark = pytest.mark.browser


def _tag() -> str:
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(5)).capitalize()


class Pair:
    """Siti Aminah and Siti Aminah Lubis, one phone, in two trainings."""

    def __init__(self, api: httpx.Client) -> None:
        self.tag = _tag()
        phone = "0813" + "".join(secrets.choice("0123456789") for _ in range(8))
        ids = []
        for year, name in ((2018, f"Siti Aminah {self.tag}"),
                           (2019, f"Siti Aminah {self.tag} Lubis")):
            r = api.post("/api/trainings", json={
                "title": f"Pelatihan Kader BKB {year} {self.tag}", "kind": "pelatihan",
                "start_date": f"{year}-09-12", "end_date": f"{year}-09-13"})
            assert r.status_code == 201, r.text
            r = api.post(f"/api/trainings/{r.json()['id']}/registrations",
                         json={"name": name, "phone": phone})
            assert r.status_code == 201, r.text
            ids.append(int(r.json()["participant_id"]))
        self.first, self.second = sorted(ids)
        self.key = f"{self.first}-{self.second}"


@pytest.fixture(scope="module")
def pair(live_api: httpx.Client) -> Pair:
    return Pair(live_api)


def _count(page: Page) -> int:
    page.goto("/people")
    link = page.locator("#people-duplicates")
    if link.count() == 0:
        return 0
    found = re.search(r"\d+", link.inner_text())
    assert found
    return int(found.group())


def test_marking_a_pair_as_two_people_and_taking_it_back(page: Page, pair: Pair,
                                                         dialogs: list[str]) -> None:
    login(page)
    before = _count(page)
    page.goto("/people/duplicates")
    card = page.locator(f"#pair-{pair.key}")
    expect(card).to_be_visible()
    expect(card.locator("button.not-same")).to_have_text("Bukan orang yang sama")
    shoot(page, "people-duplicates-distinct")

    card.locator("button.not-same").click()
    htmx_idle(page)
    expect(page.locator("#dup-done")).to_be_visible()
    expect(page.locator(f"#pair-{pair.key}")).to_have_count(0)
    mark = page.locator(f"#mark-{pair.key}")
    expect(mark).to_contain_text(f"Siti Aminah {pair.tag}")
    expect(mark).to_contain_text("oleh admin")
    assert page.url.endswith("/people/duplicates")  # swapped in place, no reload
    shoot(page, "people-duplicates-marked")
    assert _count(page) == before - 1

    page.goto("/people/duplicates")
    page.locator(f"#mark-{pair.key} button.undo-mark").click()
    htmx_idle(page)
    expect(page.locator(f"#pair-{pair.key}")).to_be_visible()
    expect(page.locator(f"#mark-{pair.key}")).to_have_count(0)
    assert _count(page) == before
    assert dialogs == []


def test_the_marked_list_at_phone_width(page: Page, pair: Pair, live_api: httpx.Client
                                        ) -> None:
    r = live_api.post(f"/api/people/{pair.second}/distinct", json={"other_id": pair.first})
    assert r.status_code == 201, r.text
    try:
        login(page)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto("/people/duplicates")
        mark = page.locator(f"#mark-{pair.key}")
        expect(mark).to_be_visible()
        no_horizontal_overflow(page)
        box = mark.locator("button.undo-mark").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390
    finally:
        assert live_api.delete(
            f"/api/people/{pair.first}/distinct/{pair.second}").status_code == 204
