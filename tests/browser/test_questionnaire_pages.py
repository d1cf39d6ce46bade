"""The training's own evaluation questionnaire and a test's change and delete, in the
browser: three phones answer anonymously at 390 px, the committee's page shows the means
once three have answered; the committee changes an unanswered pre-test's questions and
deletes it after a confirm."""

from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, DialogPolicy, login, no_horizontal_overflow, shoot
from tests.browser.test_assessment_pages import QUESTIONS, _world

pytestmark = pytest.mark.browser

SCALE = ["1", "2", "3", "4", "5"]


def test_three_phones_answer_a_questionnaire_and_the_committee_sees_means(
        page: Page, browser: Any, live_server: str, live_api: httpx.Client) -> None:
    tid, bid, tokens = _world(live_api, 3)
    r = live_api.post(f"/api/trainings/{tid}/assessments", json={
        "kind": "evaluation", "title": "Evaluasi penyelenggaraan hari 1",
        "questions": [{"text": "Materi bermanfaat untuk tugas saya", "choices": SCALE},
                      {"text": "Waktu diskusi cukup", "choices": SCALE}]})
    assert r.status_code == 201, r.text
    aid = r.json()["id"]
    assert live_api.put(f"/api/trainings/{tid}/assessments/{aid}/batches/{bid}",
                        json={"open": True}).status_code == 200
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID")
    try:
        for n, token in enumerate(tokens):
            phone = context.new_page()
            phone.goto(f"/t/{token}/evaluasi")
            expect(phone.locator(f"#ev-questionnaire-{aid}")).to_be_visible()
            phone.locator(f"#ev-questionnaire-{aid} a.go").click()
            expect(phone.locator("#as-anonymous")).to_be_visible()
            no_horizontal_overflow(phone)
            phone.locator(f"#q1 input[value='{3 + n % 2}']").check()  # 4, 5, 4
            phone.locator("#q2 input[value='2']").check()  # 3 each
            if n == 0:
                phone.locator("#as-comment").fill("Ruangan agak panas siang hari.")
                phone.screenshot(path="test-artifacts/questionnaire-phone.png",
                                 full_page=True)
            phone.locator("#as-send").click()
            expect(phone.locator("#as-done")).to_be_visible()
            phone.goto(f"/t/{token}/evaluasi")
            expect(phone.locator(f"#ev-questionnaire-{aid} .ev-done")).to_be_visible()
            phone.close()
    finally:
        context.close()
    login(page)
    page.goto(f"/trainings/{tid}/tests/{aid}")
    card = page.locator(f"#questionnaire-{aid}")
    expect(card.locator(".q-responses strong")).to_have_text("3")
    expect(page.locator(f"#q-item-{aid}-1 td.num")).to_have_text("4,33")
    expect(page.locator(f"#q-item-{aid}-2 td.num")).to_have_text("3,00")
    expect(page.locator("#paper-link")).to_have_count(0)  # no paper sheets for it
    body = page.content()
    assert "Kader 01" not in body and tokens[0] not in body  # nobody named
    shoot(page, "questionnaire-results")
    page.goto(f"/trainings/{tid}/evaluations")
    expect(page.locator(f"#questionnaire-{aid}")).to_be_visible()


def test_committee_changes_an_unanswered_pretest_then_deletes_it(
        page: Page, live_api: httpx.Client, dialog_policy: DialogPolicy,
        dialogs: list[str]) -> None:
    tid, _bid, _tokens = _world(live_api, 1)
    r = live_api.post(f"/api/trainings/{tid}/assessments", json={
        "kind": "pretest", "title": "Pre-test materi", "questions": QUESTIONS})
    aid = r.json()["id"]
    login(page)
    page.goto(f"/trainings/{tid}/tests/{aid}")
    expect(page.locator("#edit-questions")).to_be_visible()
    page.locator("#edit-title").fill("Pre-test materi BKB")
    page.locator("#edit-questions").fill(
        "Kepanjangan BKB adalah ...\nBina Keluarga Balita*\nBalai KB\n\n"
        "PIK-R adalah wadah bagi ...\nRemaja*\nLansia")
    page.locator("#edit-save").click()
    expect(page.locator("#test-saved")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Pre-test materi BKB")
    expect(page.locator("#questions li")).to_have_count(2)
    shoot(page, "assessment-edit")
    got = live_api.get(f"/api/trainings/{tid}/assessments/{aid}/results").json()
    assert len(got["questions"]) == 2
    dialog_policy.accept_next = 1
    page.locator("#delete-test").click()
    page.wait_for_url(f"**/trainings/{tid}/tests")
    assert dialogs == []
    assert live_api.get(f"/api/trainings/{tid}/assessments/{aid}/results"
                        ).status_code == 404
