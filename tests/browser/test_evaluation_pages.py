"""Evaluations in real Chromium: a participant on a 390 px phone opens the evaluation from
their ticket page and evaluates the session; the committee's page shows the response
rate rising by itself (HTMX polling) and the projector QR; the narasumber opens their
summary PDF through their /n/ link."""

import re
from datetime import date
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, PHONE, login, no_horizontal_overflow, shoot

pytestmark = pytest.mark.browser


def _training(api: httpx.Client) -> dict[str, Any]:
    today = date.today().isoformat()
    t = api.post("/api/trainings", json={
        "title": "Pelatihan Kader Kampung KB (evaluasi)", "kind": "pelatihan",
        "start_date": today, "end_date": today, "venue": "Hotel Pangeran Beach",
        "categories": [{"name": "Kader BKB"}]})
    assert t.status_code == 201, t.text
    training = dict(t.json())
    b = api.post(f"/api/trainings/{training['id']}/batches", json={
        "name": "Angkatan I", "start_date": today, "end_date": today, "capacity": 50})
    assert b.status_code == 201, b.text
    s = api.post("/api/speakers", json={"name": "Dr. Nurhayati Evaluasi", "title": "M.Kes.",
                                        "institution": "Dinas Kesehatan"})
    assert s.status_code == 201, s.text
    session = api.post(f"/api/batches/{b.json()['id']}/sessions", json={
        "title": "Kesehatan Reproduksi Remaja", "date": today, "start_time": "08:00",
        "end_time": "09:30", "jpl": 2, "speaker_ids": [s.json()["id"]]})
    assert session.status_code == 201, session.text
    tickets = []
    for n, name in enumerate(("Rina Marlina", "Yusnidar", "Zulkifli Tanjung", "Nur'aini")):
        r = api.post(f"/api/trainings/{training['id']}/registrations", json={
            "name": name, "phone": f"08126635{n + 70:04d}", "category": "Kader BKB",
            "batch_id": b.json()["id"]})
        assert r.status_code == 201, r.text
        tickets.append(r.json()["ticket_url"])
    training.update(batch=b.json(), speaker=s.json(), session=session.json(),
                    tickets=tickets)
    return training


def _answer(api: httpx.Client, ticket_url: str, session_id: int, score: int) -> None:
    token = ticket_url.rstrip("/").rsplit("/", 1)[-1]
    r = api.post(f"/api/tickets/{token}/evaluations/narasumber", json={
        "session_id": session_id, "answers": {k: score for k in (
            "mastery", "delivery", "time", "relevance")}, "comment": "Contoh sangat membantu"})
    assert r.status_code == 201, r.text


def test_participant_evaluates_on_a_phone_committee_sees_the_rate_narasumber_gets_pdf(
        browser: Any, page: Page, live_server: str, live_api: httpx.Client) -> None:
    t = _training(live_api)
    sid = t["session"]["id"]
    login(page)
    page.goto(f"/trainings/{t['id']}")
    page.locator("#evaluations-link").click()
    page.wait_for_url(f"**/trainings/{t['id']}/evaluations")
    expect(page.locator(f"#ev-rate-{sid}")).to_contain_text("0 dari 4")

    ctx = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID")
    try:
        phone = ctx.new_page()
        phone.goto(t["tickets"][0].replace(live_server, ""))
        phone.locator("#evaluations-link").click()
        phone.locator(f"#ev-session-{sid} a.go").click()
        expect(phone.locator("#evaluated-session")).to_have_text("Kesehatan Reproduksi Remaja")
        no_horizontal_overflow(phone)
        phone.screenshot(path=str(ARTIFACTS / "evaluation-form-phone.png"), full_page=True)
        # Sending with a question unanswered: the browser keeps the form (required radios).
        for n, key in enumerate(("mastery", "delivery", "time", "relevance")):
            phone.locator(f"input[name=q_{key}][value='{5 - n % 2}'] + span").click()
        phone.locator("#comment").fill("Materinya jelas dan contohnya dekat dengan kader.")
        phone.locator("#evaluation-submit").click()
        expect(phone.locator("#evaluation-thanks")).to_be_visible()
        expect(phone.locator(f"#ev-session-{sid} .ev-done")).to_be_visible()
        no_horizontal_overflow(phone)
        phone.screenshot(path=str(ARTIFACTS / "evaluation-done-phone.png"), full_page=True)
    finally:
        ctx.close()

    # The committee's page counts it without a reload (HTMX polls every 5 s).
    expect(page.locator(f"#ev-rate-{sid}")).to_contain_text("1 dari 4", timeout=15_000)
    for n, url in enumerate(t["tickets"][1:3]):
        _answer(live_api, url, sid, 4 - n)
    expect(page.locator(f"#ev-rate-{sid}")).to_contain_text("3 dari 4", timeout=15_000)
    page.reload()
    expect(page.locator(f"#ev-result-{sid}")).to_contain_text("Penguasaan materi")
    expect(page.locator(f"#ev-result-{sid}")).not_to_contain_text("Rina")
    shoot(page, "evaluations-committee")

    # The projector's QR page for the session.
    with page.expect_popup() as popup:
        page.locator(f"#ev-rate-{sid} a.ev-screen-link").click()
    screen = popup.value
    expect(screen.locator("#ev-screen-qr svg")).to_be_visible()
    expect(screen.locator("#ev-screen-url")).to_contain_text("/e/")
    expect(screen.locator("#ev-screen-count")).to_contain_text("3 dari 4")
    screen.screenshot(path=str(ARTIFACTS / "evaluation-screen-desktop.png"))
    short = screen.locator("#ev-screen-url").inner_text().replace(live_server, "")
    screen.close()

    # A phone scanning that QR without a remembered ticket is asked for its link.
    ctx = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID")
    try:
        phone = ctx.new_page()
        phone.goto(short)
        phone.locator("#ticket").fill(t["tickets"][3])
        phone.locator("#evaluation-code-form button").click()
        expect(phone.locator("#evaluated-session")).to_have_text("Kesehatan Reproduksi Remaja")
        no_horizontal_overflow(phone)
    finally:
        ctx.close()

    # The narasumber's link opens their summary PDF.
    link = live_api.post(f"/api/trainings/{t['id']}/roster-links",
                         json={"speaker_id": t["speaker"]["id"]})
    assert link.status_code == 201, link.text
    ctx = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID")
    try:
        phone = ctx.new_page()
        phone.goto(link.json()["url"].replace(live_server, ""))
        href = phone.locator("#evaluation-pdf").get_attribute("href")
        assert href and re.fullmatch(r"/n/[A-Za-z0-9_-]+/evaluasi\.pdf", href)
        pdf = phone.request.get(href)
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
        (ARTIFACTS / "evaluation-summary.pdf").write_bytes(pdf.body())
    finally:
        ctx.close()
