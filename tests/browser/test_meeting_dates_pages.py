"""Batches meeting through the year in a real browser: Pontianak's committee fills ONE
form for six kecamatan (each at its own hall) meeting on the second Tuesday of each month,
sees the dates listed as it sets the rule, then moves one meeting and cancels another on
the batch's page; at 390 px nothing pushes the page sideways."""

import re
import secrets

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DialogPolicy, htmx_idle, login, no_horizontal_overflow, shoot

pytestmark = pytest.mark.browser

KEC = ["Pontianak Barat", "Pontianak Kota", "Pontianak Selatan", "Pontianak Tenggara",
       "Pontianak Timur", "Pontianak Utara"]


@pytest.fixture(scope="module")
def coaching(live_api: httpx.Client) -> int:
    r = live_api.post("/api/trainings", json={
        "title": f"Pembinaan Bulanan Pengelola Kampung KB {secrets.token_hex(3)}",
        "kind": "pembinaan", "start_date": "2018-05-01", "end_date": "2019-04-30",
        "categories": [{"name": "Pokja Kampung KB"}]})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def test_six_kecamatan_twelve_months_one_form(page: Page, coaching: int,
                                              dialog_policy: DialogPolicy) -> None:
    login(page)
    page.goto(f"/trainings/{coaching}")
    page.get_by_role("link", name=re.compile("sepanjang tahun")).click()
    page.wait_for_url(re.compile(r"/batches/recurring$"))
    form = page.locator("form.recurring-form")
    form.locator("select[name=frequency]").select_option("monthly_weekday")
    form.locator("select[name=nth]").select_option("2")
    form.locator("select[name=weekday]").select_option("1")
    # Only the fields of a monthly-by-weekday rule show.
    expect(form.locator("input[name=monthday]")).to_be_hidden()
    form.locator("input[name=start]").fill("2018-05-01")
    form.locator("input[name=count]").fill("12")
    htmx_idle(page)
    dates = page.locator("#rule-dates .date-list li")
    expect(dates).to_have_count(12)
    expect(dates.first).to_have_text("Selasa, 8 Mei 2018")
    expect(dates.last).to_have_text("Selasa, 9 April 2019")
    for i, kec in enumerate(KEC):
        row = page.locator("#batch-rows .batch-row").nth(i)
        row.locator("input[name=batch_name]").fill(f"Kec. {kec}")
        row.locator("input[name=batch_venue]").fill(f"Aula Kantor Camat {kec}")
        row.locator("input[name=batch_capacity]").fill("12")
    shoot(page, "recurring-form")
    no_horizontal_overflow(page)
    form.get_by_role("button", name="Buat angkatan").click()
    page.wait_for_url(re.compile(rf"/trainings/{coaching}$"))
    rows = page.locator("#batches tbody tr")
    expect(rows).to_have_count(6)
    expect(rows.first).to_contain_text("12 pertemuan, 8 Mei 2018 – 9 April 2019")
    shoot(page, "recurring-created")

    # Move the Pontianak Utara's December meeting a week; cancel its January one.
    rows.filter(has_text="Kec. Pontianak Utara").get_by_role("link", name="Ubah").click()
    page.wait_for_url(re.compile(r"/batches/\d+/edit"))
    meetings = page.locator("#meetings tbody tr")
    expect(meetings).to_have_count(12)
    december = meetings.filter(has_text="11 Desember 2018")
    december.locator("input[name=to]").fill("2018-12-18")
    december.get_by_role("button", name="Pindahkan").click()
    page.wait_for_url(re.compile(r"/edit"))
    expect(page.locator("#meetings tbody tr").filter(has_text="18 Desember 2018")).to_have_count(1)
    dialog_policy.accept_next = 1
    page.locator("#meetings tbody tr").filter(has_text="8 Januari 2019").get_by_role(
        "button", name="Batalkan pertemuan").click()
    page.wait_for_url(re.compile(r"/edit"))
    expect(page.locator("#meetings tbody tr")).to_have_count(11)
    # Adding a date it already meets on is refused, in words, by the list.
    page.locator(".add-meeting input[name=day]").fill("2018-05-08")
    page.locator(".add-meeting").get_by_role("button", name="Tambah").click()
    expect(page.locator("#meetings .alert-error")).to_contain_text("sudah bertemu")
    shoot(page, "batch-meetings")
    no_horizontal_overflow(page)
