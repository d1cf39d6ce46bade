"""Pre-test and post-test in the browser: a participant answers on a 390 px phone with the
network cut halfway (answers kept on the phone, sent when it is back); the committee keys
10 paper sheets from the keyboard; the test page, the report page and its PDF show the
gain."""

import io
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import PHONE, login, no_horizontal_overflow, shoot

pytestmark = pytest.mark.browser

QUESTIONS = [
    {"text": "Kepanjangan BKB adalah ...", "choices": ["Bina Keluarga Balita",
                                                     "Bina Kesehatan Bayi", "Balai KB"],
     "answer": "a"},
    {"text": "Kampung KB dicanangkan tahun 2016.", "choices": ["Benar", "Salah"],
     "answer": "Benar"},
    {"text": "Kelompok kegiatan bagi keluarga dengan remaja adalah ...",
     "choices": ["BKB", "BKR", "BKL", "UPPKA"], "answer": "b"},
    {"text": "PIK-R adalah wadah bagi ...", "choices": ["Remaja", "Lansia", "Balita"],
     "answer": "a"},
]


def _world(api: httpx.Client, people: int) -> tuple[int, int, list[str]]:
    start = date.today() + timedelta(days=3)
    t = api.post("/api/trainings", json={
        "title": "Pelatihan Kader Kampung KB (tes)", "kind": "pelatihan",
        "start_date": start.isoformat(), "end_date": (start + timedelta(days=1)).isoformat(),
        "categories": [{"name": "Kader BKB"}, {"name": "PKB"}]}).json()
    b = api.post(f"/api/trainings/{t['id']}/batches", json={
        "name": "Angkatan I", "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=1)).isoformat(), "capacity": 40}).json()
    tokens = []
    for n in range(people):
        r = api.post(f"/api/trainings/{t['id']}/registrations", json={
            "name": f"Kader {n + 1:02d} Nur'aini", "phone": f"08126634{n:04d}",
            "category": "Kader BKB" if n % 2 else "PKB"})
        assert r.status_code == 201, r.text
        tokens.append(r.json()["ticket_url"].rstrip("/").rsplit("/", 1)[-1])
    return t["id"], b["id"], tokens


def _test(api: httpx.Client, tid: int, bid: int, kind: str) -> int:
    r = api.post(f"/api/trainings/{tid}/assessments", json={
        "kind": kind, "title": f"{'Pre' if kind == 'pretest' else 'Post'}-test materi",
        "questions": QUESTIONS})
    assert r.status_code == 201, r.text
    api.put(f"/api/trainings/{tid}/assessments/{r.json()['id']}/batches/{bid}",
            json={"open": True})
    return int(r.json()["id"])


def test_a_phone_answers_through_a_cut_network(browser: Any, live_server: str,
                                               live_api: httpx.Client) -> None:
    tid, bid, tokens = _world(live_api, 1)
    aid = _test(live_api, tid, bid, "pretest")
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID")
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    try:
        page.goto(f"/t/{tokens[0]}")
        link = page.locator(f"#test-{aid}")
        expect(link).to_be_visible()
        no_horizontal_overflow(page)
        link.click()
        expect(page.locator("#as-form")).to_be_visible()
        page.locator("#as-mode").click()  # one question per screen
        page.locator("#q1 input[value='0']").check()
        page.locator("#as-next").click()
        page.locator("#q2 input[value='1']").check()
        page.screenshot(path="test-artifacts/assessment-phone-one-per-screen.png")
        context.set_offline(True)
        page.locator("#as-next").click()
        page.locator("#q3 input[value='1']").check()
        page.locator("#as-next").click()
        page.locator("#q4 input[value='0']").check()
        page.locator("#as-send").click()
        expect(page.locator("#as-status")).to_contain_text("sinyal")
        kept = page.evaluate("() => Object.keys(localStorage).filter(k => "
                             "k.startsWith('bimtek.test.')).map(k => localStorage[k])")
        assert kept and '"pending":true' in kept[0] and '"q4":"0"' in kept[0]
        page.screenshot(path="test-artifacts/assessment-phone-offline.png", full_page=True)
        context.set_offline(False)
        expect(page.locator("#as-score")).to_have_text("75", timeout=20_000)
        page.screenshot(path="test-artifacts/assessment-phone-sent.png", full_page=True)
        assert page.evaluate("() => Object.keys(localStorage).filter(k => "
                             "k.startsWith('bimtek.test.')).length") == 0
        page.goto(f"/t/{tokens[0]}")
        page.reload()  # the ticket page may be kept a minute by the phone's browser
        expect(page.locator(f"#test-{aid}")).to_contain_text("75")
    finally:
        context.close()


def test_committee_keys_ten_paper_sheets_and_sees_the_gain(page: Page,
                                                          live_api: httpx.Client) -> None:
    tid, bid, tokens = _world(live_api, 10)
    pre = _test(live_api, tid, bid, "pretest")
    post = _test(live_api, tid, bid, "posttest")
    for n, token in enumerate(tokens):  # the pre-test came from phones
        r = live_api.post(f"/api/tickets/{token}/assessments/{pre}",
                          json={"answers": [0, 1, 1 if n % 2 else 0, 1]})
        assert r.status_code == 201, r.text
    login(page)
    page.goto(f"/trainings/{tid}/tests/{post}/paper?batch_id={bid}")
    lines = page.locator("input.as-line")
    expect(lines).to_have_count(10)
    expect(lines.first).to_be_focused()
    for n in range(10):  # keyboard only: the letters, then Enter to the next person
        page.keyboard.type("abba" if n % 3 else "ab-a")
        page.keyboard.press("Enter")
    expect(page.locator("#paper-saved")).to_be_visible()
    shoot(page, "assessment-paper-grid")
    page.goto(f"/trainings/{tid}/tests/{post}")
    expect(page.locator("#responses")).to_have_text("10")
    expect(page.locator("#hardest tr")).not_to_have_count(0)
    shoot(page, "assessment-results")
    page.goto(f"/trainings/{tid}/report")
    gain = page.locator("#learning #gain")
    expect(gain).to_be_visible()
    shoot(page, "assessment-report")
    shown = gain.inner_text()
    pdf = page.request.get(f"/trainings/{tid}/report.pdf")
    assert pdf.ok
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Hasil belajar" in text and shown.replace(".", ",") in text, (shown, text[-800:])
