"""Offices' own sheets in a real browser: the header row found under a title block (and
picked by hand when the guess is wrong), unknown category spellings mapped once for all
their rows or added as new, a remembered layout offered again, and cells corrected on the
preview without going back to Excel. Screenshots at 1280 and 390 px of every step."""

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    htmx_idle,
    login,
    shoot,
)
from tests.import_samples import make_xlsx, provincial_xlsx

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW = r"/trainings/{}/import/[\w-]+(\?.*)?$"


def _training(api: httpx.Client, title: str, categories: list[str],
              level: str = "district") -> int:
    r = api.post("/api/trainings", json={
        "title": title, "kind": "workshop", "start_date": "2022-08-24",
        "end_date": "2022-08-26", "region_level": level,
        "categories": [{"name": c} for c in categories]})
    assert r.status_code == 201, r.text
    training_id = int(r.json()["id"])
    b = api.post(f"/api/trainings/{training_id}/batches", json={
        "name": "Angkatan I", "start_date": "2022-08-24", "end_date": "2022-08-26",
        "capacity": 144})
    assert b.status_code == 201, b.text
    return training_id


def _people(api: httpx.Client, training_id: int) -> dict[str, dict[str, Any]]:
    r = api.get(f"/api/trainings/{training_id}/registrations", params={"per_page": 100})
    assert r.status_code == 200, r.text
    return {item["name"]: item for item in r.json()["items"]}


def _upload(page: Page, training_id: int, name: str, content: bytes) -> None:
    form = page.locator("#upload-form")
    form.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": XLSX, "buffer": content})
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(PREVIEW.format(training_id)))


def _import(page: Page, training_id: int, count: int) -> None:
    button = page.locator("#import-button")
    expect(button).to_contain_text(str(count))
    button.click()
    page.wait_for_url(f"**/trainings/{training_id}/registrations?imported={count}")


# --- a title block ------------------------------------------------------------------------

# A city's Pokja meeting list (Tangsel 2018): "label : value" lines as wide as the header,
# which names no known field, so the guess falls on a title line and the committee picks
# the header.
POKJA = [["DAFTAR HADIR", None, None], ["Kegiatan", ":", "Rapat Pokja Kampung KB"],
         ["Hari/Tanggal", ":", "Senin, 12 Maret 2018"], [None, None, None],
         ["Peserta", "Utusan", "Paraf"], ["Drs. H. Ahmad Yani, M.Si.", "Kecamatan Pamulang", None],
         ["Hj. Nur Aisyah", "Kecamatan Ciputat", None], ["dr. Rina Marlina", "Dinkes", None]]


def _pokja_sheet() -> bytes:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for values in POKJA:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_title_blocks_are_skipped_and_the_header_picked_by_hand(page: Page,
                                                                 live_api: httpx.Client) -> None:
    training_id = _training(live_api, "Workshop Penguatan Kampung KB Sumatera Selatan", [],
                            level="regency")
    login(page)
    page.goto(f"/trainings/{training_id}/import")
    expect(page.locator("#expected-columns")).to_contain_text("Instansi/OPD")
    shoot(page, "import-office-upload")

    _upload(page, training_id, "peserta-workshop-sumsel.xlsx", provincial_xlsx())
    expect(page.locator("#header-found")).to_contain_text("baris 5")
    expect(page.locator("#title-skipped")).to_contain_text("3 baris di atasnya")
    expect(page.locator("#numbering-skipped")).to_contain_text("Baris 6")
    expect(page.locator("#row-count")).to_have_text("4")
    expect(page.locator("#new-categories")).to_contain_text(
        "Dinas Kesehatan, Bappeda, Dinas PMD, Dinas PPAKB")
    expect(page.locator("#sample-rows thead")).to_contain_text("Kabupaten/Kota")
    expect(page.locator("#sample-rows")).to_contain_text("0812 7345 6610")
    shoot(page, "import-office-preview")
    _import(page, training_id, 4)
    people = _people(live_api, training_id)
    assert people["Nyimas Ratna Dewi, S.KM"]["phone"] == "+6281373390011"
    assert people["Dr. dr. Hj. Siti Aminah, M.Kes."]["category"] == "Dinas Kesehatan"

    # A second file whose header names nothing Bimtek knows: the guess is a title line.
    page.goto(f"/trainings/{training_id}/import")
    _upload(page, training_id, "daftar-hadir-pokja.xlsx", _pokja_sheet())
    expect(page.locator("#column-error")).to_be_visible()
    expect(page.locator("#header-pick")).to_have_attribute("open", "")
    expect(page.locator("#header-found")).to_contain_text("baris 2")
    shoot(page, "import-office-header-pick")
    page.locator("#header-row").select_option("5")  # HTMX re-reads the file from row 5
    expect(page.locator("#header-found")).to_contain_text("baris 5")
    assert "header=5" in page.url
    # Each choice re-reads the file (HTMX, pushed to the URL): the next waits until the
    # answer is in and htmx has taken it in (no element swapping or settling).
    htmx_idle(page)
    page.locator("select[name='col:Peserta']").select_option("name")
    page.wait_for_url(re.compile(r"col(:|%3A)Peserta=name"))
    htmx_idle(page)
    page.locator("select[name='col:Utusan']").select_option("institution")
    page.wait_for_url(re.compile(r"col(:|%3A)Utusan=institution"))
    expect(page.locator("#ready")).to_be_visible()
    expect(page.locator("#row-count")).to_have_text("3")
    _import(page, training_id, 3)
    assert _people(live_api, training_id)["dr. Rina Marlina"]["institution"] == "Dinkes"


# --- category spellings -------------------------------------------------------------------

UNSUR = ["Dinkes", "Dinkes", "DPMD", "Bappeda", "OPD KB", "Dinkes"]
NAMES = ["Siti Aminah", "Rahmawati", "Afrizal", "Yulizar", "Zuraida", "Hendri Saputra"]


def _unsur_sheet(names: list[str], unsur: list[str]) -> bytes:
    rows = [{"Nama": n, "Unsur": u} for n, u in zip(names, unsur, strict=True)]
    return make_xlsx(rows, ["Nama", "Unsur"])


def test_unknown_spellings_are_mapped_once_or_added(page: Page, live_api: httpx.Client) -> None:
    training_id = _training(live_api, "Rapat Koordinasi Kampung KB",
                            ["Dinas Kesehatan", "Bappeda", "Dinas PMD"])
    login(page)
    page.goto(f"/trainings/{training_id}/import")
    _upload(page, training_id, "peserta-rakor.xlsx", _unsur_sheet(NAMES, UNSUR))
    mapping = page.locator("#category-mapping")
    expect(page.locator("#undecided-categories")).to_contain_text("3 ejaan")
    expect(mapping.locator("tbody tr")).to_have_count(3)  # Bappeda is the training's own
    expect(mapping.locator("tr.undecided")).to_have_count(3)
    expect(page.locator("#import-button")).to_have_count(0)
    shoot(page, "import-office-categories")

    page.locator("select[name='cat:Dinkes']").select_option("Dinas Kesehatan")

    htmx_idle(page)
    expect(page.locator("#category-mapping tr.undecided")).to_have_count(2)
    page.locator("select[name='cat:DPMD']").select_option("Dinas PMD")
    htmx_idle(page)
    page.locator("select[name='cat:OPD KB']").select_option("+")
    expect(page.locator("#new-categories")).to_contain_text("OPD KB")
    expect(page.locator("#category-mapping tr.undecided")).to_have_count(0)
    expect(page.locator("#ready")).to_be_visible()
    shoot(page, "import-office-categories-chosen")
    _import(page, training_id, 6)
    people = _people(live_api, training_id)
    assert {n: people[n]["category"] for n in NAMES} == {
        "Siti Aminah": "Dinas Kesehatan", "Rahmawati": "Dinas Kesehatan",
        "Hendri Saputra": "Dinas Kesehatan", "Afrizal": "Dinas PMD", "Yulizar": "Bappeda",
        "Zuraida": "OPD KB"}

    # The next list of the same layout starts from those choices.
    page.goto(f"/trainings/{training_id}/import")
    _upload(page, training_id, "peserta-rakor-tambahan.xlsx",
            _unsur_sheet(["Taufik Hidayat", "Sri Wahyuni"], ["DPMD", "OPD KB"]))
    expect(page.locator("#layout-note")).to_be_visible()
    expect(page.locator("select[name='cat:DPMD']")).to_have_value("Dinas PMD")
    expect(page.locator("#ready")).to_be_visible()
    shoot(page, "import-office-layout-remembered")
    _import(page, training_id, 2)
    assert _people(live_api, training_id)["Sri Wahyuni"]["category"] == "OPD KB"


# --- corrections in the browser --------------------------------------------------------------

def test_bad_cells_are_corrected_on_the_page(page: Page, live_api: httpx.Client) -> None:
    training_id = _training(live_api, "Pelatihan Kader Kampung KB Kota Padang", ["Kader BKB"])
    rows = [{"Nama": "Hj. Nur Aisyah, S.Pd.", "NIK": "1371015203850001", "No HP": "0812 6634 1122"},
            {"Nama": "Syafi'i", "NIK": "1,3711E+15", "No HP": "0813 7445 5667"},
            {"Nama": "Zuraida", "NIK": "1371075203850003", "No HP": "12345"},
            {"Nama": "Afrizal", "NIK": "", "No HP": "0852 6778 1234"}]
    login(page)
    page.goto(f"/trainings/{training_id}/import")
    _upload(page, training_id, "peserta-kader.xlsx", make_xlsx(rows, ["Nama", "NIK", "No HP"]))
    fixes = page.locator("#row-errors tbody tr")
    expect(fixes).to_have_count(2)
    expect(fixes.nth(0)).to_contain_text("Excel mengubah NIK ini")
    expect(page.locator("#import-button")).to_have_count(0)
    shoot(page, "import-office-fixes")
    assert _people(live_api, training_id) == {}  # all or nothing

    page.locator("input[name='fix:3:1']").fill("1371070101800002")
    page.locator("input[name='fix:4:2']").fill("0812 7777 8888")
    page.locator("#fix-button").click()
    page.wait_for_url(re.compile(PREVIEW.format(training_id)))
    expect(page.locator("#ready")).to_be_visible()
    expect(page.locator("#corrected summary")).to_contain_text("2 sel diperbaiki")
    shoot(page, "import-office-fixed")
    _import(page, training_id, 4)
    people = _people(live_api, training_id)
    assert people["Syafi'i"]["nik"] == "1371070101800002"
    assert people["Zuraida"]["phone"] == "+6281277778888"
