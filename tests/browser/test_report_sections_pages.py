"""The activity report's texts and photos in a real browser: the committee writes the
background and conclusions, uploads two photos (JPEGs drawn by the test), sees them with
their date, downloads the PDF and the DOCX; at phone width nothing pushes the page
sideways."""

import io
import secrets
from pathlib import Path

import httpx
import pytest
from docx import Document
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import htmx_idle, login, shoot
from tests.report_photos_util import phone_jpeg

pytestmark = pytest.mark.browser


def test_committee_writes_texts_uploads_photos_and_downloads(
        page: Page, live_api: httpx.Client, tmp_path: Path) -> None:
    title = f"Pelatihan Kader Kampung KB Kota Padang {secrets.token_hex(3)}"
    r = live_api.post("/api/trainings", json={
        "title": title, "kind": "pelatihan", "start_date": "2018-09-12",
        "end_date": "2018-09-13", "description": "Kader Kampung KB perlu pelatihan."})
    assert r.status_code == 201, r.text
    tid = r.json()["id"]
    photos = []
    for n, colour in enumerate(("#1f6f5c", "#3b8fd0")):
        path = tmp_path / f"IMG_{n}.jpg"
        path.write_bytes(phone_jpeg(2000, 1500, colour=colour))
        photos.append(str(path))

    login(page)
    page.goto(f"/trainings/{tid}/report")
    texts = page.locator("#rep-texts")
    expect(texts.locator("textarea[name=background]")).to_have_value(
        "Kader Kampung KB perlu pelatihan.")
    texts.locator("textarea[name=conclusions]").fill("Peserta memahami materi Kampung KB.")
    texts.locator("textarea[name=follow_up]").fill("Rapat Pokja setiap bulan.")
    texts.locator("#rep-texts-save").click()
    htmx_idle(page)
    expect(page.locator("#rep-texts-saved")).to_be_visible()

    page.locator("#rep-photo-file").set_input_files(photos)
    page.locator("#rep-photo-form input[name=caption]").fill("Pembukaan pelatihan")
    page.locator("#rep-photo-upload").click()
    htmx_idle(page)
    expect(page.locator("#rep-photos-saved")).to_be_visible()
    expect(page.locator(".rep-photo")).to_have_count(2)
    expect(page.locator(".rep-photo-date").first).to_contain_text("2018")
    # The thumbnails really load (committee-only image route).
    loaded = page.evaluate("() => [...document.querySelectorAll('.rep-photo img')]"
                           ".every(i => i.complete && i.naturalWidth > 0)")
    assert loaded
    first = page.locator(".rep-photo").first
    first.locator("input[name=caption]").fill("Sambutan Kepala Dinas")
    first.locator("button[type=submit]", has_text="Simpan").click()
    htmx_idle(page)
    expect(page.locator(".rep-photo").first.locator("input[name=caption]")).to_have_value(
        "Sambutan Kepala Dinas")
    shoot(page, "report-sections")

    with page.expect_download() as pdf_dl:
        page.locator("#rep-download").click()
    pdf = PdfReader(io.BytesIO(Path(pdf_dl.value.path()).read_bytes()))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Peserta memahami materi Kampung KB." in text and "Sambutan Kepala Dinas" in text
    with page.expect_download() as docx_dl:
        page.locator("#rep-download-docx").click()
    assert docx_dl.value.suggested_filename.endswith(".docx")
    doc = Document(io.BytesIO(Path(docx_dl.value.path()).read_bytes()))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Rapat Pokja setiap bulan." in body
    assert sum("image" in rel.reltype for rel in doc.part.rels.values()) == 2
