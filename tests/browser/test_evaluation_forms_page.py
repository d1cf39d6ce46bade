"""The office's evaluation forms in real Chromium: an admin rewrites the event form's
questions on a 4-point scale, meets a clear message for a question pasted with an
invisible character, then goes back to the standard form. Screenshots at 1280 and 390 px.

The live server is shared by the browser tests: the form is put back as it was."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, shoot

pytestmark = pytest.mark.browser

QUESTIONS = ("Konsumsi dan snack", "Ruang pelatihan nyaman", "Materi sesuai kebutuhan kader")


def test_an_admin_rewrites_the_event_form_and_goes_back_to_the_standard(
        page: Page, live_server: str) -> None:
    login(page)
    page.goto("/evaluation-forms")
    form = page.locator("#form-event")
    expect(form.locator("h2")).to_contain_text("standar")
    standard = form.locator("#items-event").input_value()

    # Pasted from a PDF with an invisible character: the page says so and keeps the text.
    form.locator("#items-event").fill("\n".join(QUESTIONS) + "\nNarasumber\u0007 tepat waktu")
    form.locator("#scale-event").select_option("4")
    form.locator("button[type=submit]").first.click()
    form = page.locator("#form-event")
    expect(form.locator(".field-error")).to_contain_text("karakter kontrol")
    expect(form.locator("#items-event")).to_have_value(
        "\n".join(QUESTIONS) + "\nNarasumber\u0007 tepat waktu")

    form.locator("#items-event").fill("\n".join(QUESTIONS) + "\n\nNarasumber tepat waktu\n")
    form.locator("button[type=submit]").first.click()
    page.wait_for_url("**/evaluation-forms")
    form = page.locator("#form-event")
    expect(form.locator("h2")).not_to_contain_text("standar")
    expect(form.locator("#items-event")).to_have_value(
        "\n".join((*QUESTIONS, "Narasumber tepat waktu")) + "\n")
    expect(form.locator("#scale-event")).to_have_value("4")
    shoot(page, "evaluation-forms")

    form.locator("button[name=reset]").click()
    page.wait_for_url("**/evaluation-forms")
    form = page.locator("#form-event")
    expect(form.locator("h2")).to_contain_text("standar")
    expect(form.locator("#items-event")).to_have_value(standard)
