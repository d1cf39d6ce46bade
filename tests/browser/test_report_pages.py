"""The activity report in a real browser: a Padang-like training (two angkatan side by
side, categories, kecamatan, a narasumber) set up through the JSON API with check-ins
sent as the door's scanners send them; the committee opens the report from the
training's overview, reads the figures, downloads the PDF; and at phone width nothing
pushes the page sideways."""

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

from tests.browser.conftest import ARTIFACTS, PHONE, login, no_horizontal_overflow

pytestmark = pytest.mark.browser

WIB = ZoneInfo("Asia/Jakarta")
DAY1 = date(2018, 9, 12)
KECAMATAN = ("Koto Tangah", "Kuranji", "Padang Utara", "Pauh", "Lubuk Begalung")
CATEGORIES = ("Kader BKB", "Kader BKR", "PKB")


class Event:
    """24 confirmed in two angkatan of 12 (12-13 September 2018); the first 10 of each
    angkatan come on day 1 and the first 8 on day 2: 36 of 48 person-days, 75,0%."""

    def __init__(self, api: httpx.Client) -> None:
        self.api = api
        self.title = f"Pelatihan Kader Kampung KB Kota Padang {secrets.token_hex(3)}"
        r = api.post("/api/trainings", json={
            "title": self.title, "kind": "pelatihan", "start_date": DAY1.isoformat(),
            "end_date": (DAY1 + timedelta(days=1)).isoformat(),
            "categories": [{"name": c} for c in CATEGORIES]})
        assert r.status_code == 201, r.text
        self.training_id = r.json()["id"]
        self.batches: list[int] = []
        for name in ("Angkatan I", "Angkatan II"):
            r = api.post(f"/api/trainings/{self.training_id}/batches", json={
                "name": name, "start_date": DAY1.isoformat(),
                "end_date": (DAY1 + timedelta(days=1)).isoformat(), "capacity": 12})
            assert r.status_code == 201, r.text
            self.batches.append(r.json()["id"])
        r = api.post("/api/speakers", json={
            "name": f"dr. Rosa Rosita {secrets.token_hex(2)}", "title": "M.Kes",
            "institution": "BKKBN Sumbar"})
        assert r.status_code == 201, r.text
        self.speaker = r.json()
        for n, batch in enumerate(self.batches):
            r = api.post(f"/api/batches/{batch}/sessions", json={
                "title": "Kebijakan Program Kampung KB", "date": DAY1.isoformat(),
                "start_time": f"{9 + 2 * n:02d}:00", "end_time": f"{10 + 2 * n:02d}:30",
                "jpl": 2, "speaker_ids": [self.speaker["id"]]})
            assert r.status_code == 201, r.text
        self.people: list[tuple[int, int]] = []  # (registration id, batch id)
        for i in range(24):
            batch = self.batches[i % 2]
            r = api.post(f"/api/trainings/{self.training_id}/registrations", json={
                "name": f"Peserta {i + 1:02d} Nur'aini", "gender": "P" if i % 3 else "L",
                "phone": "0812" + "".join(secrets.choice("0123456789") for _ in range(8)),
                "category": CATEGORIES[i % 3], "district": KECAMATAN[i % 5],
                "regency": "Kota Padang" if i < 20 else "Padang Pariaman", "batch_id": batch})
            assert r.status_code == 201, r.text
            assert r.json()["status"] == "confirmed", r.text
            self.people.append((r.json()["id"], batch))
        for day, first in ((DAY1, 10), (DAY1 + timedelta(days=1), 8)):
            for batch in self.batches:
                members = [rid for rid, b in self.people if b == batch]
                for k, rid in enumerate(members[:first]):
                    moment = datetime.combine(day, time(7, 30 + k), WIB).astimezone(UTC)
                    r = api.post("/api/checkins", json={
                        "registration_id": rid, "batch_id": batch,
                        "scanned_at": moment.isoformat(), "nonce": secrets.token_hex(8)})
                    assert r.status_code == 201, r.text

    @property
    def url(self) -> str:
        return f"/trainings/{self.training_id}/report"


@pytest.fixture(scope="module")
def event(live_api: httpx.Client) -> Event:
    return Event(live_api)


def test_report_page_figures_and_pdf(page: Page, event: Event, tmp_path: Path) -> None:
    login(page)
    page.goto(f"/trainings/{event.training_id}")
    page.locator("#report-link").click()
    page.wait_for_url(re.compile(r"/report$"))
    expect(page.locator("h1")).to_have_text("Laporan kegiatan")
    expect(page.locator("#rep-confirmed")).to_have_text("24")
    expect(page.locator("#rep-attended")).to_have_text("20")
    expect(page.locator("#rep-complete")).to_have_text("16")
    expect(page.locator("#rep-rate")).to_have_text("75,0%")
    first = page.locator(f"#rep-batch-{event.batches[0]} tr.rep-day")
    expect(first.nth(0)).to_contain_text("12 September 2018")
    expect(first.nth(0).locator("td.num").nth(0)).to_have_text("12")
    expect(first.nth(0).locator("td.num").nth(1)).to_have_text("10")
    expect(first.nth(1).locator("td.num").nth(1)).to_have_text("8")
    # 8 in Kader BKB; each angkatan's first 10 came: in each angkatan people 1..10.
    category = page.locator("#rep-by-category tbody tr")
    expect(category.filter(has_text="Kader BKB").locator("td.num").nth(0)).to_have_text("8")
    gender = page.locator("#rep-by-gender tbody tr")
    expect(gender.filter(has_text="Laki-laki").locator("td.num").nth(0)).to_have_text("8")
    expect(gender.filter(has_text="Perempuan").locator("td.num").nth(0)).to_have_text("16")
    regency = page.locator("#rep-by-regency tbody tr")
    expect(regency.filter(has_text="Padang Pariaman")).to_contain_text("0,0%")
    expect(page.locator("#rep-speakers")).to_contain_text(event.speaker["name"])
    page.screenshot(path=str(ARTIFACTS / "report-desktop.png"), full_page=True)

    with page.expect_download() as info:
        page.locator("#rep-download").click()
    saved = tmp_path / "laporan.pdf"
    info.value.save_as(saved)
    data = saved.read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages)
    text = re.sub(r"\s+", " ", text)
    assert event.title in text
    assert "75,0% (36 / 48)" in text

    # The signature form: the signer's name printed under the place and date.
    # Saved once for the training, then every download carries it.
    page.locator("#rep-sign input[name=place]").fill("Padang")
    page.locator("#rep-sign input[name=signer_name]").fill("Dra. Hj. Yenni Yuliza, M.Si")
    page.locator("#rep-sign button[type=submit]").click()
    expect(page.locator("#rep-sign-saved")).to_be_visible()
    expect(page.locator("#rep-sign-preview")).to_contain_text("Dra. Hj. Yenni Yuliza, M.Si")
    with page.expect_download() as info:
        page.locator("#rep-sign-download").click()
    info.value.save_as(saved)
    signed = " ".join((p.extract_text() or "")
                      for p in PdfReader(io.BytesIO(saved.read_bytes())).pages)
    assert "Dra. Hj. Yenni Yuliza, M.Si" in signed


def test_report_page_at_phone_width(page: Page, event: Event) -> None:
    login(page)
    page.set_viewport_size(PHONE)
    page.goto(event.url)
    expect(page.locator("#rep-rate")).to_have_text("75,0%")
    no_horizontal_overflow(page)
    # Every table fits: none needs scrolling sideways inside its box either.
    wide = page.evaluate("""() => [...document.querySelectorAll('.table-wrap')]
        .filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.firstElementChild.id)""")
    assert wide == []
    page.screenshot(path=str(ARTIFACTS / "report-phone.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / "report-phone-top.png"))
