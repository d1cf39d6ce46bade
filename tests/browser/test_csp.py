"""The pages and the door scanner work under the Content-Security-Policy (scripts from our
own files only; WebAssembly on the scanner pages): every page a committee member opens,
and a scan through the zxing-wasm decoder, without a single violation."""

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM_ARGS, PHONE, DialogPolicy, login
from tests.browser.scanner_video import (
    ScanSetup,
    launch_with_video,
    make_scan_setup,
    open_scanner,
    qr_image,
    wait_result,
    write_video,
)

pytestmark = pytest.mark.browser

# Collects every violation the documents report, from before their first script runs.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} `
                    + `at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def setup(live_api: httpx.Client) -> ScanSetup:
    return make_scan_setup(live_api, people=3, title="Pelatihan CSP Kampung KB")


class Watched:
    """A page whose CSP violations (events and console lines) are collected."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.violations: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.violations.append(f"console: {message.text}")

    def open(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status < 500, path
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline'" not in \
            policy.split("script-src", 1)[1].split(";", 1)[0], (path, policy)
        self.page.wait_for_load_state("load")
        self.collect(path)

    def collect(self, where: str) -> None:
        found = self.page.evaluate("window.__csp || []")
        self.violations += [f"{where}: {v}" for v in found]
        self.page.evaluate("window.__csp = []")


def test_the_committee_pages_run_under_the_policy(page: Any, setup: ScanSetup,
                                                  live_api: httpx.Client,
                                                  dialog_policy: DialogPolicy,
                                                  dialogs: list[str]) -> None:
    watched = Watched(page)
    watched.open("/login")
    login(page)
    t = setup.training_id
    ticket = setup.people[0]["ticket_url"].split("/t/", 1)[1]
    for path in ("/trainings", f"/trainings/{t}", f"/trainings/{t}/edit",
                 f"/batches/{setup.batch_id}/timetable", f"/trainings/{t}/registrations",
                 f"/trainings/{t}/assign", f"/trainings/{t}/import",
                 f"/trainings/{t}/attendance", f"/trainings/{t}/attendance/screen",
                 f"/trainings/{t}/rosters", f"/trainings/{t}/certificates",
                 f"/trainings/{t}/certificates/template", f"/trainings/{t}/report",
                 f"/trainings/{t}/scanners", f"/trainings/{t}/self-registration",
                 "/speakers", "/venues", "/users", f"/t/{ticket}", "/v/AAAAAAAAAAAAAAAAAAAAAAAA",
                 "/trainings/999999"):
        watched.open(path)

    # What the pages' script does: HTMX searches as one types...
    watched.open(f"/trainings/{t}/registrations")
    with page.expect_response(lambda r: "/registrations?" in r.url):
        page.locator(".reg-filters input[type=search], .reg-filters input[name=q]").first \
            .fill(setup.people[1]["name"].split()[1])
    expect(page.locator("body")).to_contain_text(setup.people[1]["name"])
    # ...a form that asks first (declined: nothing is deleted)...
    watched.open(f"/trainings/{t}/edit")
    page.locator("form.danger-zone button[type=submit]").click()
    assert len(dialogs) == 1 and dialogs[0].startswith("confirm:"), dialogs
    assert page.url.endswith(f"/trainings/{t}/edit")
    # ...and "go back" on an error page.
    watched.open(f"/trainings/{t}")
    watched.open("/trainings/999999")
    page.locator("[data-back]").click()
    page.wait_for_url(f"**/trainings/{t}")
    watched.collect("after the clicks")
    assert live_api.get(f"/api/trainings/{t}").status_code == 200
    assert watched.violations == []


def test_the_scanner_decodes_with_webassembly_under_the_policy(
        browser: Any, live_server: str, setup: ScanSetup, tmp_path: Path) -> None:
    video = write_video(tmp_path / "csp.y4m", qr_image(setup.code(2)))
    chromium = launch_with_video(browser.browser_type, video, CHROMIUM_ARGS)
    try:
        context, page = open_scanner(chromium, live_server, setup, PHONE, init_script=WATCH)
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text)
                if "Content Security Policy" in m.text else None)
        assert page.evaluate("window.__scanner.detector") == "zxing-wasm"
        assert wait_result(page, 1)["status"] == "checked_in"
        violations = page.evaluate("window.__csp")
        # The choice page (its own script) and the service worker's registration.
        page.goto("/scan")
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.classList.contains('js')")
        assert page.evaluate("navigator.serviceWorker.getRegistration('/scan')"
                             ".then(r => !!r)")
        violations += page.evaluate("window.__csp")
        assert violations == [] and console == []
        context.close()
    finally:
        chromium.close()
