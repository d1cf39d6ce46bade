"""A participant's phone on a weak signal: the ticket pages' service worker (/t/sw.js,
scope /t/) keeps the ticket and the test page the phone opened, so a reload without
signal still shows the test with the answers kept on the phone; back online, the answers
are sent (201)."""

from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, no_horizontal_overflow
from tests.browser.test_assessment_pages import _test, _world

pytestmark = pytest.mark.browser
SHOTS = "test-artifacts"


def test_the_service_worker_is_served_for_the_ticket_pages(live_server: str) -> None:
    r = httpx.get(f"{live_server}/t/sw.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert '"/static/js/assessment.js"' in r.text and "__VERSION__" not in r.text
    assert r.headers["cache-control"] == "no-cache"


def test_a_test_page_reloads_offline_with_its_answers_and_sends_them_online(
        browser: Any, live_server: str, live_api: httpx.Client) -> None:
    tid, bid, tokens = _world(live_api, 1)
    aid = _test(live_api, tid, bid, "pretest")
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID")
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    try:
        page.goto(f"/t/{tokens[0]}")
        # The worker takes charge and keeps the ticket page (loaded before it was).
        expect(page.locator("html")).to_have_attribute("data-kept", "1", timeout=10_000)
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        page.locator(f"#test-{aid}").click()
        expect(page.locator("#as-form")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("data-kept", "1")
        page.locator("#q1 input[value='0']").check()
        page.locator("#q3 input[value='1']").check()

        context.set_offline(True)
        page.reload()
        # The kept copy, with the answers kept on the phone.
        expect(page.locator("#as-form")).to_be_visible()
        expect(page.locator("#q1 input[value='0']")).to_be_checked()
        expect(page.locator("#q3 input[value='1']")).to_be_checked()
        page.locator("#q2 input[value='0']").check()
        page.locator("#q4 input[value='0']").check()
        page.screenshot(path=f"{SHOTS}/ticket-offline-test-reloaded.png", full_page=True)
        no_horizontal_overflow(page)
        page.locator("#as-send").click()
        expect(page.locator("#as-status")).to_contain_text("sinyal")
        # The ticket page too opens without signal.
        ticket = context.new_page()
        ticket.goto(f"/t/{tokens[0]}")
        expect(ticket.locator(f"#test-{aid}")).to_be_visible()
        ticket.close()

        with page.expect_response(lambda r: r.url.endswith(f"/assessments/{aid}")
                                  and r.request.method == "POST") as sent:
            context.set_offline(False)
        assert sent.value.status == 201
        expect(page.locator("#as-done")).to_be_visible()
        expect(page.locator("#as-score")).to_have_text("100")
        page.screenshot(path=f"{SHOTS}/ticket-offline-test-sent.png", full_page=True)
    finally:
        context.close()
    results = live_api.get(f"/api/trainings/{tid}/assessments/{aid}/results").json()
    assert results["responses"] == 1 and results["mean"] == 100
