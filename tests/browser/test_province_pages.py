"""The province view in real Chromium, on a server of its own holding the hand-built West
Sumatra of tests/province_world.py: the province office opens Provinsi from the top bar,
reads one row per sharing office and the total, filters by year, opens Padang's detail;
Padang's admin shares with another province office and stops again. Nothing personal on
the province's pages; at 390 px nothing pushes a page sideways (screenshots of each)."""

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from service.db import make_engine, writer_bind
from service.models.base import pk
from tests.browser.conftest import ARTIFACTS, DESKTOP, htmx_idle, login, shoot
from tests.conftest import PASSWORD
from tests.live import live_app
from tests.province_world import BUKITTINGGI, OTHER_SECRETS, PADANG, PEOPLE, build, secrets_of

pytestmark = pytest.mark.browser

PROVINCE_ADMIN, OFFICE_ADMIN = "admin@sumbar.test", "admin.rahasia@padang.test"


@dataclass
class Served:
    base_url: str
    padang: int
    agam: str
    riau: int


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with live_app("province", "pusat@province.test", "kampung-kb-x" + secrets.token_hex(6)
                  ) as (client, url):
        engine = make_engine(url)
        try:
            with Session(writer_bind(engine), expire_on_commit=False) as db:
                world = build(db)
                db.commit()
                made = Served(str(client.base_url).rstrip("/"), pk(world.padang),
                              world.agam.name, pk(world.other_province))
            yield made
        finally:
            engine.dispose()


@pytest.fixture
def page(browser: Any, served: Served, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page on this module's server; confirm() is answered yes."""
    context = browser.new_context(base_url=served.base_url, viewport=DESKTOP, locale="id-ID")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.on("dialog", lambda dialog: dialog.accept())
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        pg.screenshot(path=str(ARTIFACTS / f"failed-{request.node.name}.png"), full_page=True)
    context.close()


def _leaks(page: Page) -> list[str]:
    html = page.content().casefold()
    return [s for n in PEOPLE for s in secrets_of(n) if s.casefold() in html] + [
        s for s in OTHER_SECRETS if s.casefold() in html]


def test_the_province_reads_its_offices(page: Page, served: Served) -> None:
    login(page, PROVINCE_ADMIN, PASSWORD)
    page.locator("nav a[href='/province']").click()
    page.wait_for_url("**/province")
    expect(page.locator("h1")).to_have_text("Kabupaten/kota yang berbagi data")
    rows = page.locator("#province-table tbody tr")
    expect(rows).to_have_count(2)
    padang = page.locator(f"#office-{served.padang}")
    expect(padang).to_contain_text(PADANG)
    cells = padang.locator("td")
    expect(cells.nth(1)).to_have_text("2")  # trainings
    expect(cells.nth(3)).to_have_text("5")  # people trained
    expect(cells.nth(5)).to_have_text("22")  # JPL
    expect(cells.nth(7)).to_have_text("3 / 10")  # Kampung KB register / target
    expect(page.locator("#province-table")).not_to_contain_text(served.agam)
    expect(page.locator("#province-total td").nth(3)).to_have_text("6")
    expect(page.locator("#people-chart li")).to_have_count(2)
    assert _leaks(page) == []
    shoot(page, "province-table")

    page.locator("#province-filters select[name=year]").select_option("2019")
    page.locator("#province-filters button[type=submit]").click()
    page.wait_for_url("**/province?year=2019")
    expect(page.locator(f"#office-{served.padang} td").nth(1)).to_have_text("1")
    expect(page.locator("#province-table")).to_contain_text(BUKITTINGGI)

    page.locator(f"#office-{served.padang} a").click()
    page.wait_for_url(f"**/province/offices/{served.padang}?year=2019")
    expect(page.locator("h1")).to_have_text(PADANG)
    expect(page.locator("#year-table")).to_contain_text("Pembinaan Kader Kampung KB 2019")
    expect(page.locator("#year-table")).not_to_contain_text("2018")
    expect(page.locator("#district-table tbody tr")).to_have_count(2)
    assert _leaks(page) == []
    page.locator("#office-filters select[name=year]").select_option("")
    page.locator("#office-filters button[type=submit]").click()
    expect(page.locator("#year-table")).to_contain_text("Pelatihan Kader Kampung KB 2018")
    htmx_idle(page)
    shoot(page, "province-office")


def test_an_office_it_is_not_shared_with_is_not_there(page: Page, served: Served) -> None:
    login(page, PROVINCE_ADMIN, PASSWORD)
    response = page.goto(f"/province/offices/{served.riau}")
    assert response is not None and response.status == 404
    expect(page.locator("main")).to_contain_text("tidak membagikan")


def test_the_office_admin_shares_and_stops(page: Page, served: Served) -> None:
    login(page, OFFICE_ADMIN, PASSWORD)
    expect(page.locator("nav a[href='/province']")).to_have_count(0)
    page.goto("/users")
    page.locator("#province-sharing-link").click()
    page.wait_for_url("**/province-sharing")
    riau = page.locator(f"#province-{served.riau}")
    expect(riau).to_contain_text("Tidak dibagikan")
    shoot(page, "province-sharing")
    riau.locator("button[type=submit]").click()
    page.wait_for_url("**/province-sharing?done=shared")
    expect(page.locator("#sharing-done")).to_be_visible()
    expect(page.locator(f"#province-{served.riau}")).to_contain_text("Dibagikan sejak")
    page.locator(f"#province-{served.riau} button[type=submit]").click()
    page.wait_for_url("**/province-sharing?done=stopped")
    expect(page.locator(f"#province-{served.riau}")).to_contain_text("Tidak dibagikan")
