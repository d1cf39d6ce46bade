"""The Padang committee imports its cadre list, splits it into two batches and prints tickets.

In a real browser: a spreadsheet with two bad rows is refused as a whole with each bad
cell named, the fixed file imports, a CSV with unfamiliar headers is matched by hand,
the assignment preview switches strategy, applying fills the batches, and the ticket
cards come out as a PDF. Set-up and the final counts go through the JSON API.
"""

import io
import math
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import ARTIFACTS, PHONE, login, no_horizontal_overflow, shoot
from tests.import_samples import PADANG_CATEGORIES, PADANG_HEADERS, make_csv, make_xlsx, padang_rows

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_NAME = "=cmd|' /C calc'!A0"
CAPACITY = 12  # per batch; 26 people in all, so 2 stay on the waitlist


def _training(api: httpx.Client, title: str, batches: int = 2) -> tuple[int, list[int]]:
    r = api.post("/api/trainings", json={
        "title": title, "kind": "pelatihan", "start_date": "2018-09-12",
        "end_date": "2018-09-18", "categories": [{"name": c} for c in PADANG_CATEGORIES]})
    assert r.status_code == 201, r.text
    training_id = r.json()["id"]
    ids = []
    for n, (start, end) in enumerate([("2018-09-12", "2018-09-13"),
                                      ("2018-09-17", "2018-09-18")][:batches], start=1):
        b = api.post(f"/api/trainings/{training_id}/batches", json={
            "name": f"Angkatan {'I' * n}", "start_date": start, "end_date": end,
            "capacity": CAPACITY})
        assert b.status_code == 201, b.text
        ids.append(b.json()["id"])
    return training_id, ids


def _total(api: httpx.Client, training_id: int, **params: Any) -> int:
    r = api.get(f"/api/trainings/{training_id}/registrations", params=params)
    assert r.status_code == 200, r.text
    return int(r.json()["total"])


def _upload(page: Page, name: str, content: bytes, mime: str) -> None:
    form = page.locator("#upload-form")
    form.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": content})
    form.locator("button[type=submit]").click()


def _nonzero_cells(page: Page, table: str) -> int:
    return int(page.locator(f"{table} tbody td:not(.total):not(.zero)").count())


# --- the flow ------------------------------------------------------------------------------

def step_refused_file(page: Page, api: httpx.Client, training_id: int) -> None:
    page.goto(f"/trainings/{training_id}/import")
    expect(page.locator("#expected-columns")).to_contain_text("Kecamatan")
    expect(page.locator("#expected-columns")).to_contain_text("Kader BKB")
    template = page.request.get(f"/trainings/{training_id}/import/template.xlsx")
    assert template.status == 200 and template.body()[:2] == b"PK"
    shoot(page, "import-upload")

    with page.expect_response(re.compile(r"/import$")) as posted:
        _upload(page, "daftar-peserta.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
    assert posted.value.status == 415
    expect(page.locator("#upload-error")).to_contain_text("PDF")
    assert _total(api, training_id) == 0


def step_bad_rows(page: Page, api: httpx.Client, training_id: int,
                  rows: list[dict[str, str]]) -> None:
    bad = [dict(r) for r in rows]
    bad[2]["NIK"] = "13710152"  # 8 digits: Excel row 4
    bad[5]["Nama"] = FORMULA_NAME  # Excel row 7
    _upload(page, "peserta-padang.xlsx", make_xlsx(bad, PADANG_HEADERS), XLSX)
    page.wait_for_url(re.compile(rf"/trainings/{training_id}/import/[\w-]+$"))
    expect(page.locator("#file-name")).to_have_text("peserta-padang.xlsx")
    expect(page.locator("#row-count")).to_have_text(str(len(rows)))

    summary = page.locator("#problems-summary")
    expect(summary).to_contain_text(re.compile(r"2 (masalah|problems)"))
    expect(summary).to_contain_text(re.compile(r"2 (baris|rows)"))
    problems = page.locator("#row-errors tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0).locator("td.row-no")).to_have_text("4")
    expect(problems.nth(0).locator("td.col-name")).to_have_text("NIK")
    expect(problems.nth(1).locator("td.row-no")).to_have_text("7")
    expect(problems.nth(1).locator("td.col-name")).to_have_text("Nama")
    expect(page.locator("#import-button")).to_have_count(0)
    # The formula is shown as text, never run or turned into markup.
    expect(page.locator("#sample-rows")).not_to_contain_text("calc")
    # Only the last 4 digits of a NIK reach the page.
    assert rows[0]["NIK"] not in page.content()
    expect(page.locator("#sample-rows tbody tr").first).to_contain_text(rows[0]["NIK"][-4:])
    shoot(page, "import-errors")
    assert _total(api, training_id) == 0


def step_fixed_file(page: Page, api: httpx.Client, training_id: int,
                    rows: list[dict[str, str]]) -> None:
    # The fixed file goes up from the same page, below the list of problems.
    _upload(page, "peserta-padang-perbaikan.xlsx", make_xlsx(rows, PADANG_HEADERS), XLSX)
    page.wait_for_url(re.compile(rf"/trainings/{training_id}/import/[\w-]+$"))
    expect(page.locator("#ready")).to_be_visible()
    expect(page.locator("#row-errors")).to_have_count(0)
    expect(page.locator("#sample-rows tbody tr")).to_have_count(10)
    expect(page.locator("#confirm a[href$='/assign']")).to_be_visible()
    button = page.locator("#import-button")
    expect(button).to_contain_text(str(len(rows)))
    shoot(page, "import-ready")
    assert _total(api, training_id) == 0  # a preview writes nothing

    button.click()
    page.wait_for_url(f"**/trainings/{training_id}/registrations?imported={len(rows)}")
    assert _total(api, training_id) == len(rows)
    assert _total(api, training_id, status="waitlisted") == len(rows)


def step_csv_mapping(page: Page, api: httpx.Client, training_id: int,
                     rows: list[dict[str, str]], before: int) -> None:
    headers = ["No", "Peserta", "Nama Panggilan", "NIK", "No HP", "Kategori", "Kecamatan"]
    data = [{**r, "No": str(i), "Peserta": r["Nama"], "Nama Panggilan": r["Nama"].split()[0]}
            for i, r in enumerate(rows, start=1)]
    page.goto(f"/trainings/{training_id}/import")
    _upload(page, "peserta-tambahan.csv", make_csv(data, headers, delimiter=";"), "text/csv")
    page.wait_for_url(re.compile(rf"/trainings/{training_id}/import/[\w-]+$"))

    # Nothing holds the names yet: the page says so and offers the columns to choose from.
    expect(page.locator("#column-error")).to_be_visible()
    expect(page.locator("#import-button")).to_have_count(0)
    expect(page.locator("#columns")).to_have_attribute("open", "")
    unrecognised = page.locator(".mapping tr.unrecognised td:first-child strong")
    expect(unrecognised).to_have_text(["Peserta", "Nama Panggilan"])
    expect(page.locator("select[name='col:No HP']")).to_have_value("phone")
    shoot(page, "import-mapping")

    page.locator("select[name='col:Peserta']").select_option("name")  # HTMX re-checks
    expect(page.locator("#ready")).to_be_visible()
    assert "col:Peserta=name" in unquote(page.url)
    expect(page.locator("select[name='col:Nama Panggilan']")).to_have_value("")
    expect(page.locator("#sample-rows tbody tr").first).to_contain_text(rows[0]["Nama"])
    expect(page.locator("#confirm input[name='col:Peserta']")).to_have_value("name")
    page.locator("#import-button").click()
    page.wait_for_url(f"**/trainings/{training_id}/registrations?imported={len(rows)}")
    assert _total(api, training_id) == before + len(rows)


def step_assign(page: Page, api: httpx.Client, training_id: int, batch_ids: list[int],
                waiting: int) -> None:
    placed = min(waiting, CAPACITY * len(batch_ids))
    page.goto(f"/trainings/{training_id}/assign")
    expect(page.locator("#strategy-form input[value=balanced]")).to_be_checked()
    expect(page.locator("#stat-waiting")).to_have_text(str(waiting))
    expect(page.locator("#stat-placed")).to_have_text(str(placed))
    expect(page.locator("#stat-waitlisted")).to_have_text(str(waiting - placed))
    expect(page.locator("#assign-batches tbody tr")).to_have_count(len(batch_ids))
    expect(page.locator("#mix-category tbody tr")).not_to_have_count(0)
    balanced_spread = _nonzero_cells(page, "#mix-district")
    shoot(page, "assign-balanced")

    page.locator("#strategy-form input[value=region]").check()  # HTMX swaps the preview
    page.wait_for_url("**/assign?strategy=region")
    expect(page.locator("#apply-form input[name=strategy]")).to_have_value("region")
    expect(page.locator("#stat-placed")).to_have_text(str(placed))
    # Keeping kecamatan together puts each one in fewer batches than mixing them does.
    assert _nonzero_cells(page, "#mix-district") < balanced_spread
    shoot(page, "assign-region")
    for batch_id in batch_ids:
        assert _total(api, training_id, batch_id=batch_id, status="confirmed") == 0

    page.locator("#apply-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/assign\?strategy=region&placed=\d+&waiting=\d+$"))
    done = page.locator("#assign-done")
    expect(done).to_contain_text(f"{placed} ")
    expect(done).to_contain_text(f"{waiting - placed} ")
    # The two who did not fit still wait; no seat is left, so there is nothing to apply.
    expect(page.locator("#batches-full")).to_contain_text(str(waiting - placed))
    expect(page.locator("#apply-form")).to_have_count(0)
    expect(page.locator("#strategy-form")).to_have_count(0)
    shoot(page, "assign-done")
    for batch_id in batch_ids:
        assert _total(api, training_id, batch_id=batch_id, status="confirmed") == CAPACITY
    assert _total(api, training_id, status="waitlisted") == waiting - placed


def step_tickets(page: Page, batch_ids: list[int], training_title: str) -> None:
    link = page.locator(f"#assign-batches a[href='/batches/{batch_ids[0]}/tickets.pdf']")
    expect(link).to_be_visible()
    r = page.request.get(f"/batches/{batch_ids[0]}/tickets.pdf")
    assert r.status == 200 and r.headers["content-type"] == "application/pdf"
    body = r.body()
    assert body.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(body))
    assert len(reader.pages) == math.ceil(CAPACITY / 8)
    assert training_title in (reader.metadata.title or "")

    # No SMTP server on the test server: no email button to lead to an error, a hint.
    expect(page.locator("#tickets form[action$='/tickets/email']")).to_have_count(0)
    expect(page.locator("#tickets #mail-off")).to_contain_text("SMTP")


def test_padang_committee_imports_assigns_and_prints(page: Page, live_api: httpx.Client) -> None:
    title = "Pelatihan Kader Kampung KB Kota Padang 2018"
    training_id, batch_ids = _training(live_api, title)
    login(page)
    rows = padang_rows(20, seed=2018)
    extra = padang_rows(6, seed=917)
    step_refused_file(page, live_api, training_id)
    step_bad_rows(page, live_api, training_id, rows)
    step_fixed_file(page, live_api, training_id, rows)
    step_csv_mapping(page, live_api, training_id, extra, before=len(rows))
    step_assign(page, live_api, training_id, batch_ids, waiting=len(rows) + len(extra))
    step_tickets(page, batch_ids, title)


# --- without JavaScript -------------------------------------------------------------------

@pytest.fixture
def plain_page(browser: Any, live_server: str) -> Iterator[Page]:
    """A browser with JavaScript off: every step must still work with plain forms."""
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID",
                                  java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_import_and_assign_work_without_javascript(plain_page: Page,
                                                   live_api: httpx.Client) -> None:
    page = plain_page
    training_id, batch_ids = _training(live_api, "Bimtek Pengelola Kampung KB (tanpa JS)", 1)
    login(page)
    rows = padang_rows(5, seed=31)
    headers = [*PADANG_HEADERS, "Keterangan"]
    data = [{**r, "Keterangan": "hadir"} for r in rows]
    page.goto(f"/trainings/{training_id}/import")
    _upload(page, "peserta.csv", make_csv(data, headers), "text/csv")
    expect(page.locator("#needs-mapping")).to_contain_text("Keterangan")
    expect(page.locator("#import-button")).to_have_count(0)
    page.locator("#apply-columns").click()  # keeps "Do not import" for Keterangan
    expect(page.locator("#ready")).to_be_visible()
    page.locator("#import-button").click()
    page.wait_for_url(f"**/registrations?imported={len(rows)}")

    page.goto(f"/trainings/{training_id}/assign")
    page.locator("#strategy-form input[value=region]").check()
    page.locator("#strategy-form button[type=submit]").click()
    page.wait_for_url("**/assign?strategy=region")
    expect(page.locator("#apply-form input[name=strategy]")).to_have_value("region")
    page.locator("#apply-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"placed=5&waiting=0$"))
    assert _total(live_api, training_id, batch_id=batch_ids[0], status="confirmed") == 5
    no_horizontal_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "assign-nojs-phone.png"), full_page=True)
