"""Kampung KB register and coverage in a real browser: a Padang-like register of three
Kampung KB in two kecamatan and a 2018 training of their cadres (one absent, one from a
Kampung KB not in the register) set up through the JSON API; the committee adds an entry,
sees a bad import refused with its rows, maps an unmatched text, reads the coverage per
kecamatan and per Kampung KB, filters by year, and at 390 px nothing pushes the page
sideways."""

import io
import re
import secrets
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import ARTIFACTS, login, shoot

pytestmark = pytest.mark.browser

WIB = ZoneInfo("Asia/Jakarta")
DAY1 = date(2018, 9, 12)


class Register:
    def __init__(self, api: httpx.Client) -> None:
        self.api = api
        self.tag = tag = secrets.token_hex(2)
        self.melati = f"Kampung KB Melati {tag}"
        self.mawar = f"Kampung KB Mawar {tag}"
        self.anggrek = f"Kampung KB Anggrek {tag}"
        self.utara, self.nanggalo = f"Padang Utara {tag}", f"Nanggalo {tag}"
        for name, village, district, poktan in (
                (self.melati, "Air Tawar Barat", self.utara, ["BKB", "BKR", "PIK-R"]),
                (self.mawar, "Lapai", self.nanggalo, ["BKB", "BKL"]),
                (self.anggrek, "Ulak Karang Utara", self.utara, ["BKB", "UPPKA"])):
            r = api.post("/api/kampung-kb", json={"name": name, "village": village,
                                                  "district": district, "poktan": poktan,
                                                  "year_formed": 2016})
            assert r.status_code == 201, r.text
        assert api.put("/api/kampung-kb-target", json={"target": 104}).status_code == 200
        r = api.post("/api/trainings", json={
            "title": f"Pelatihan Kader Kampung KB Kota Padang {tag}", "kind": "pelatihan",
            "start_date": DAY1.isoformat(), "end_date": (DAY1 + timedelta(days=1)).isoformat(),
            "categories": [{"name": c} for c in ("Kader BKB", "Kader BKR", "Kader BKL",
                                                 "Anggota UPPKS", "PIK R", "PKB")]})
        assert r.status_code == 201, r.text
        training = int(r.json()["id"])
        r = api.post(f"/api/trainings/{training}/batches", json={
            "name": "Angkatan I", "start_date": DAY1.isoformat(),
            "end_date": (DAY1 + timedelta(days=1)).isoformat(), "capacity": 50})
        assert r.status_code == 201, r.text
        batch = int(r.json()["id"])
        self.unknown = f"KKB Seroja {tag}"
        cadres = [(self.melati, "Kader BKB", True), (self.melati, "Kader BKB", True),
                  (self.melati, "PIK R", False), (self.mawar, "Kader BKL", True),
                  (self.mawar, "PKB", True), (self.anggrek, "Anggota UPPKS", True),
                  (self.unknown, "Kader BKR", True)]
        for i, (kkb, category, present) in enumerate(cadres):
            r = api.post(f"/api/trainings/{training}/registrations", json={
                "name": f"Kader {i + 1} Nur'aini",
                "phone": "0812" + "".join(secrets.choice("0123456789") for _ in range(8)),
                "kampung_kb": kkb, "category": category, "batch_id": batch})
            assert r.status_code == 201, r.text
            if present:
                r = api.post("/api/checkins", json={
                    "registration_id": r.json()["id"], "batch_id": batch,
                    "scanned_at": datetime.combine(DAY1, time(8), WIB).astimezone(UTC)
                    .isoformat(), "nonce": secrets.token_hex(8)})
                assert r.status_code == 201, r.text
        assert api.post("/api/kampung-kb/match").status_code == 200


@pytest.fixture(scope="module")
def register(live_api: httpx.Client) -> Register:
    return Register(live_api)


def _row(page: Page, table: str, text: str) -> object:
    return page.locator(f"#{table} tbody tr", has_text=text)


def test_register_add_and_refused_import(page: Page, register: Register) -> None:
    login(page)
    page.locator("nav a[href='/kampung-kb']").first.click()
    page.wait_for_url("**/kampung-kb")
    expect(page.locator("#register-table tbody tr", has_text=register.melati)).to_contain_text(
        "PIK-R")
    form = page.locator("#new-kampung-kb form")
    form.locator("input[name=name]").fill(f"Kampung KB Kenanga {register.tag}")
    form.locator("input[name=village]").fill("Gunung Pangilun")
    form.locator("input[name=district]").fill(register.utara)
    form.locator("input[name=year_formed]").fill("2019")
    form.locator("input[name=poktan][value=BKB]").check()
    form.locator("input[name=poktan][value=BKR]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/kampung-kb#register")
    expect(page.locator("#register-table tbody tr", has_text="Kenanga")).to_contain_text("BKR")

    bad = (b"Daftar Kampung KB\n\nNama Kampung KB;Kelurahan/Desa;Kecamatan;Poktan\n"
           b"Kampung KB Dahlia;Lubuk Buaya;Koto Tangah;BKB\n"
           b"Kampung KB Kamboja;;Koto Tangah;Posyandu\n")
    page.locator("#import input[type=file]").set_input_files(
        {"name": "kampung-kb.csv", "mimeType": "text/csv", "buffer": bad})
    page.locator("#import button[type=submit]").click()
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("Baris 5")
    expect(errors).to_contain_text("Posyandu")
    expect(page.locator("#register-table tbody tr", has_text="Dahlia")).to_have_count(0)
    shoot(page, "kampung-kb-register")


def test_coverage_page(page: Page, register: Register) -> None:
    login(page)
    page.goto("/coverage")
    expect(page.locator("h1")).to_have_text("Cakupan Kampung KB")
    expect(page.locator("#coverage-counters")).to_contain_text("104")
    utara = page.locator("#district-table tbody tr", has_text=register.utara)
    expect(utara.locator("td").nth(0)).to_have_text("3")  # Kampung KB, Kenanga added
    expect(utara.locator("td").nth(1)).to_have_text("2")  # with trained cadres
    melati = page.locator("#kampung-kb-table tbody tr", has_text=register.melati)
    cells = melati.locator("td")
    expect(cells.nth(2)).to_have_text("2")  # BKB
    expect(cells.nth(3)).to_have_text("belum ada")  # BKR
    expect(cells.nth(6)).to_have_text("belum ada")  # PIK-R: its cadre never came
    mawar = page.locator("#kampung-kb-table tbody tr", has_text=register.mawar).locator("td")
    expect(mawar.nth(4)).to_have_text("1")  # BKL
    expect(mawar.nth(7)).to_have_text("1")  # lainnya (PKB)
    expect(page.locator("#unlinked-note")).to_be_visible()
    shoot(page, "coverage")

    page.locator("#coverage-filters input[name=year]").fill("2019")
    page.locator("#coverage-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"year=2019"))
    expect(page.locator("#kampung-kb-table tbody tr", has_text=register.melati)
           .locator("td").nth(2)).to_have_text("belum ada")
    expect(page.locator("#export-xlsx")).to_have_attribute("href", "/coverage.xlsx?year=2019")
    with page.expect_download() as download:
        page.locator("#export-xlsx").click()
    assert download.value.suggested_filename == "cakupan-kampung-kb.xlsx"
    expect(page.locator("#export-pdf")).to_have_attribute("href", "/coverage.pdf?year=2019")
    page.goto("/coverage")
    with page.expect_download() as download:
        page.locator("#export-pdf").click()
    assert download.value.suggested_filename == "cakupan-kampung-kb.pdf"
    pdf = Path(download.value.path()).read_bytes()
    (ARTIFACTS / "coverage.pdf").write_bytes(pdf)
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)
    assert register.utara in text and register.nanggalo in text and "104" in text


def test_unmatched_text_is_mapped(page: Page, register: Register) -> None:
    login(page)
    page.goto("/kampung-kb/unmatched")
    row = page.locator("#unmatched tbody tr", has_text=register.unknown)
    expect(row).to_contain_text("1")
    shoot(page, "kampung-kb-unmatched")
    row.locator("select").select_option(
        label=f"{register.anggrek} — Ulak Karang Utara, {register.utara}")
    row.locator("button[type=submit]").click()
    expect(page.locator("#linked")).to_contain_text("1")
    expect(page.locator("#unmatched tbody tr", has_text=register.unknown)).to_have_count(0)
    page.goto("/coverage")
    anggrek = page.locator("#kampung-kb-table tbody tr", has_text=register.anggrek)
    expect(anggrek.locator("td").nth(3)).to_have_text("1")  # the mapped BKR cadre
