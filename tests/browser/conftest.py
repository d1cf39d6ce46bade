"""Browser fixtures: a real `bimtek serve` process on a fresh database, and headless Chromium.

The server runs as a subprocess (not in-process with TestClient) so the pages are
exercised exactly as a committee member's browser sees them: real cookies, real
redirects, HTMX swapping fragments. Chromium is Debian's (/usr/bin/chromium); no
browser is ever downloaded.
"""

import os
import secrets
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import ViewportSize, expect

from tests.dbutil import fresh_database, pg_available
from tests.live import REPO, run_cli, serve

ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
IN_CI = os.environ.get("CI") == "true"

ADMIN_EMAIL = "admin@padang.test"
# Never all digits after the word: "kampung-kb-123456" would be refused as too common.
ADMIN_PASSWORD = "kampung-kb-x" + secrets.token_hex(6)
ORG = "DP3AP2KB Kota Padang"
# Sets up new offices on /offices (tests/browser/test_account_pages.py); its own office.
SUPERUSER_EMAIL = "pusat@bimtek.test"
SUPERUSER_PASSWORD = "pusat-bimtek-x" + secrets.token_hex(6)
# The live server's BIMTEK_SECRET_KEY: a test can sign a self-registration form stamp.
SECRET_KEY = secrets.token_urlsafe(32)
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}


def _skip_or_fail(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def live_server(artifacts: Path) -> Iterator[str]:
    """Base URL of a `bimtek serve` process on its own freshly migrated database."""
    kind = os.environ.get("BIMTEK_TEST_DB", "sqlite")
    if kind == "postgresql" and not pg_available():
        _skip_or_fail("PostgreSQL is not running")
    with fresh_database(kind, "live") as url:
        env = {**os.environ, "BIMTEK_DATABASE_URL": url, "PYTHONUNBUFFERED": "1",
               "BIMTEK_SECRET_KEY": SECRET_KEY}
        run_cli(["migrate"], env)
        run_cli(["create-admin", ADMIN_EMAIL, "--password", ADMIN_PASSWORD, "--org", ORG], env)
        run_cli(["create-admin", SUPERUSER_EMAIL, "--password", SUPERUSER_PASSWORD, "--org",
                 "Bimtek Pusat", "--superuser"], env)
        with serve(env, artifacts / f"server-{kind}.log") as base_url:
            yield base_url


@pytest.fixture(scope="session")
def live_api(live_server: str) -> Iterator[httpx.Client]:
    """A JSON API client with the admin's bearer token, for setting up what a test is not about."""
    with httpx.Client(base_url=live_server, timeout=20) as client:
        r = client.post("/api/auth/token",
                        data={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        assert r.status_code == 200, r.text
        client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        yield client


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        _skip_or_fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Keep each phase's report on the item, so `page` can screenshot a failed test.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


class DialogPolicy:
    """How many coming confirm() dialogs a test means to accept (the rest are dismissed)."""

    accept_next = 0


@pytest.fixture
def dialog_policy() -> DialogPolicy:
    return DialogPolicy()


@pytest.fixture
def dialogs() -> list[str]:
    """Messages of every alert/confirm/prompt the page raised (none is expected)."""
    return []


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Any, live_server: str, artifacts: Path,
         dialogs: list[str], dialog_policy: DialogPolicy) -> Iterator[Any]:
    """A page in a new context (own cookies): desktop size, Indonesian browser locale."""
    context = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="id-ID")
    context.set_default_timeout(10_000)
    pg = context.new_page()

    def _on_dialog(dialog: Any) -> None:
        if dialog_policy.accept_next:
            dialog_policy.accept_next -= 1
            dialog.accept()
            return
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    pg.on("dialog", _on_dialog)
    # An hx-* attribute htmx cannot read logs htmx:syntax:error, and the page quietly does
    # less than it says (seen on /settings/letters): any test that meets one fails.
    unreadable: list[str] = []
    pg.on("console", lambda message: "htmx:syntax:error" in message.text
          and unreadable.append(pg.url))
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        try:
            pg.screenshot(path=str(artifacts / f"failed-{request.node.name}.png"), full_page=True)
        except Exception:  # noqa: BLE001 (a failed screenshot must not hide the real failure)
            pass
    context.close()
    assert not unreadable, f"htmx could not read an hx-* attribute on {unreadable}"


def login(page: Any, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> None:
    """Log in through the /login form and land on the trainings list."""
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url("**/trainings")


def htmx_idle(page: Any) -> None:
    """Wait until htmx has swapped and settled its last answer: an answer that has arrived
    is not yet on the page, and a click on content about to be replaced is lost."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
           ).to_have_count(0)


def shoot(page: Any, name: str) -> None:
    """A desktop and a phone screenshot of the current page (test-artifacts/NAME-desktop.png,
    NAME-phone.png); at phone width nothing may push the page sideways."""
    page.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    no_horizontal_overflow(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def no_horizontal_overflow(page: Any) -> None:
    """At phone width nothing may push the page sideways (tables scroll inside their box)."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(-5).map(el => el.tagName.toLowerCase() + '.' + el.className + ' '
                          + Math.round(el.getBoundingClientRect().right))""")
        raise AssertionError(f"{page.url} is {widths[0]}px wide in a {widths[1]}px viewport; "
                             f"too wide: {culprits}")
