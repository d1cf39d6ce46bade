"""An import links its people's Kampung KB to the register and points to the mapping page
for the rest, in a real browser: a register with Melati, a list naming Melati and a
Kampung KB the register lacks; the preview says one row will need mapping, the list after
the import says so with a link, and the mapping page shows the text. Desktop and 390 px."""

import re
import secrets

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, shoot
from tests.import_samples import make_csv

pytestmark = pytest.mark.browser


def test_an_import_leads_to_the_mapping_of_what_it_could_not_link(
        page: Page, live_api: httpx.Client) -> None:
    tag = secrets.token_hex(2)
    r = live_api.post("/api/kampung-kb", json={
        "name": f"Kampung KB Melati {tag}", "village": "Air Tawar Barat",
        "district": f"Padang Utara {tag}", "poktan": ["BKB"]})
    assert r.status_code == 201, r.text
    r = live_api.post("/api/trainings", json={
        "title": f"Pelatihan Kader BKB {tag}", "kind": "pelatihan",
        "start_date": "2018-09-12", "end_date": "2018-09-13"})
    assert r.status_code == 201, r.text
    tid = r.json()["id"]
    rows = [{"Nama": "Yusnimar", "No HP": "081266341101", "Kampung KB": f"Melati {tag}"},
            {"Nama": "Rosmaniar", "No HP": "081266341102",
             "Kampung KB": f"KKB Kenanga {tag}"}]
    content = make_csv(rows, ["Nama", "No HP", "Kampung KB"])

    login(page)
    page.goto(f"/trainings/{tid}/import")
    form = page.locator("#upload-form")
    form.locator("input[type=file]").set_input_files(
        {"name": "peserta.csv", "mimeType": "text/csv", "buffer": content})
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/trainings/{tid}/import/[\w-]+$"))
    expect(page.locator("#preview-kkb-unmatched")).to_contain_text("1 baris")
    page.locator("#import-button").click()
    page.wait_for_url(f"**/trainings/{tid}/registrations?imported=2")
    note = page.locator("#import-kkb-unmatched")
    expect(note).to_contain_text("1 peserta pelatihan ini")
    shoot(page, "import-kampung-kb-unmatched")
    note.locator("a").click()
    page.wait_for_url("**/kampung-kb/unmatched")
    texts = page.locator("#unmatched tbody tr td:first-child strong")
    expect(texts.filter(has_text=f"KKB Kenanga {tag}")).to_have_count(1)
    expect(texts.filter(has_text=f"Melati {tag}")).to_have_count(0)  # linked on import
