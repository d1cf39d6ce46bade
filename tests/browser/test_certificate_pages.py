"""Certificates in a real browser: set up the template (upload a background and watch
the preview change), review eligibility, include someone with a reason, issue with
progress, download the merged PDF, verify, revoke and see it revoked; at 390 px too."""

import io
import re
import secrets
from pathlib import Path

import httpx
import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import ARTIFACTS, PHONE, DialogPolicy, login, no_horizontal_overflow

pytestmark = pytest.mark.browser

LONG_NAME = "Hj. Nur Aisyah Binti Muhammad Syafii, S.Pd., M.Pd."
PEOPLE = (LONG_NAME, "Rina Marlina", "Budi Santoso", "Dewi Lestari")
# 12 and 13 September 2018, 08:00 WIB.
DAYS = ("2018-09-12T01:00:00Z", "2018-09-13T01:00:00Z")


def _training(api: httpx.Client) -> tuple[int, dict[str, int]]:
    r = api.post("/api/trainings", json={
        "title": f"Pelatihan Kader Kampung KB Kota Padang {secrets.token_hex(2)}",
        "kind": "pelatihan", "start_date": "2018-09-12", "end_date": "2018-09-13",
        "categories": [{"name": "Kader BKB"}]})
    assert r.status_code == 201, r.text
    tid = r.json()["id"]
    b = api.post(f"/api/trainings/{tid}/batches", json={
        "name": "Angkatan I", "start_date": "2018-09-12", "end_date": "2018-09-13",
        "capacity": 10})
    assert b.status_code == 201, b.text
    regs = {}
    for n, name in enumerate(PEOPLE):
        r = api.post(f"/api/trainings/{tid}/registrations", json={
            "name": name, "category": "Kader BKB", "batch_id": b.json()["id"],
            "phone": f"08126634{secrets.randbelow(10**4):04d}",
            "nik": f"1371015203{secrets.randbelow(100):02d}{n + 1:04d}"})
        assert r.status_code == 201, r.text
        regs[name] = r.json()["id"]
    # Both days: the long name and Rina; Budi only day 1; Dewi never.
    for name, days in ((LONG_NAME, DAYS), ("Rina Marlina", DAYS), ("Budi Santoso", DAYS[:1])):
        for moment in days:
            r = api.post("/api/checkins", json={
                "registration_id": regs[name], "batch_id": b.json()["id"],
                "scanned_at": moment, "nonce": secrets.token_hex(8)})
            assert r.status_code == 201, r.text
    return tid, regs


def _background(path: Path) -> Path:
    img = Image.new("RGB", (1400, 990), "#fdf6e3")
    draw = ImageDraw.Draw(img)
    for inset, color in ((20, "#8a1c1c"), (40, "#c9a227")):
        draw.rectangle([inset, inset, 1400 - inset, 990 - inset], outline=color, width=12)
    img.save(path, "PNG")
    return path


def _preview_src(page: Page) -> str:
    return str(page.locator("#preview-img").get_attribute("src"))


def test_template_review_issue_download_verify_revoke(page: Page, live_api: httpx.Client,
                                                      dialog_policy: DialogPolicy,
                                                      dialogs: list[str], tmp_path: Path) -> None:
    tid, regs = _training(live_api)
    login(page)
    page.goto(f"/trainings/{tid}")
    page.locator("#certificate-template-link").click()
    expect(page.locator("h1")).to_have_text("Templat sertifikat")

    # The preview follows the form: a new place and a background upload both redraw it.
    first = _preview_src(page)
    page.locator("input[name=place]").fill("Padang")
    page.locator("input[name=numbering_pattern]").fill(
        "{seq:03}/SERT/DP3AP2KB/{roman_month}/{year}")
    page.locator("input[name=sig_name_0]").fill("dr. Hj. Rosa Rosita, M.Kes")
    page.locator("input[name=sig_title_0]").fill("Kepala Dinas P3AP2KB Kota Padang")
    page.locator("input[name=sig_nip_0]").fill("19680412 199003 2 004")
    expect(page.locator("#preview-img")).to_have_attribute("src", re.compile("^data:image/png"))
    no_background = _preview_src(page)
    assert no_background != first
    page.locator("input[name=background]").set_input_files(
        str(_background(tmp_path / "latar-sertifikat.png")))
    expect(page.locator("#preview-img")).not_to_have_attribute("src", no_background,
                                                               timeout=20_000)
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "certificate-template.png"), full_page=True)

    # A wrong placeholder is named in the preview, not a broken image.
    page.locator("input[name=numbering_pattern]").fill("{seq}/{tahun}")
    expect(page.locator("#preview-error")).to_contain_text("{tahun}", timeout=20_000)
    page.locator("input[name=numbering_pattern]").fill(
        "{seq:03}/SERT/DP3AP2KB/{roman_month}/{year}")
    expect(page.locator("#preview-img")).to_be_visible(timeout=20_000)
    page.locator("input[name=background]").set_input_files(
        str(_background(tmp_path / "latar-sertifikat.png")))
    page.locator("#save-template").click()
    expect(page.locator("#saved")).to_be_visible()
    expect(page.locator("#number-example")).to_have_text("001/SERT/DP3AP2KB/IX/2018")
    expect(page.locator("input[name=use_background]")).to_be_checked()

    # Review: who qualifies and why.
    page.locator("a", has_text="Periksa dan terbitkan").first.click()
    budi = page.locator(f"#reg-{regs['Budi Santoso']}")
    expect(budi).to_contain_text("Tidak layak")
    expect(budi).to_contain_text("Tidak hadir hari ke-2 (13 September 2018)")
    expect(page.locator(f"#reg-{regs['Dewi Lestari']}")).to_contain_text("hari ke-1")
    expect(page.locator("#count-eligible")).to_have_text("2")

    # Include Budi with a reason; it is kept and shown.
    budi.locator("summary", has_text="Sertakan").click()
    budi.locator("input[name=reason]").fill("Sakit hari ke-2, ada surat dokter")
    budi.locator("button", has_text="Simpan").click()
    budi = page.locator(f"#reg-{regs['Budi Santoso']}")
    expect(budi).to_contain_text("Disertakan manual")
    expect(budi).to_contain_text("Sakit hari ke-2, ada surat dokter")
    expect(page.locator("#count-eligible")).to_have_text("3")
    page.screenshot(path=str(ARTIFACTS / "certificate-review.png"), full_page=True)

    # Issue (after the confirmation), then download the merged PDF.
    dialog_policy.accept_next = 1
    page.locator("#issue-button").click()
    expect(page.locator("#issued-now")).to_contain_text("3 sertifikat")
    expect(page.locator("#count-issued")).to_have_text("3")
    with page.expect_download() as info:
        page.locator("#download-merged").click()
    (ARTIFACTS / "certificates-merged.pdf").write_bytes(Path(info.value.path()).read_bytes())
    pdf = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert len(pdf.pages) == 3
    assert "001/SERT/DP3AP2KB/IX/2018" in text and "Budi Santoso" in text
    assert re.sub(r"\s+", " ", LONG_NAME) in re.sub(r"\s+", " ", text)

    # The verification page, as the QR opens it.
    rina = page.locator(f"#reg-{regs['Rina Marlina']}")
    verify_url = str(rina.locator("a.cert-verify").get_attribute("href"))
    phone_page = page.context.browser.new_page(viewport=PHONE,  # type: ignore[union-attr]
                                               base_url=page.url.split("/trainings")[0])
    phone_page.goto(verify_url)
    expect(phone_page.locator("#verdict")).to_contain_text("Sertifikat sah")
    expect(phone_page.locator("#holder")).to_have_text("Rina Marlina")
    assert "13710152" not in phone_page.content()
    no_horizontal_overflow(phone_page)
    phone_page.screenshot(path=str(ARTIFACTS / "certificate-verify-valid-390.png"),
                          full_page=True)

    # Revoke Rina's, with a reason and a confirmation.
    rina.locator("summary", has_text="Cabut").click()
    rina.locator("input[name=reason]").fill("Nama peserta salah ketik, diterbitkan ulang")
    dialog_policy.accept_next = 1
    rina.locator("button", has_text="Cabut").click()
    rina = page.locator(f"#reg-{regs['Rina Marlina']}")
    expect(rina).to_contain_text("Dicabut")
    page.screenshot(path=str(ARTIFACTS / "certificate-review-issued.png"), full_page=True)
    phone_page.goto(verify_url)
    expect(phone_page.locator("#verdict")).to_contain_text("Sertifikat dicabut")
    assert "salah ketik" not in phone_page.content()
    phone_page.screenshot(path=str(ARTIFACTS / "certificate-verify-revoked-390.png"),
                          full_page=True)
    phone_page.goto("/v/" + "Z" * 24)
    expect(phone_page.locator("#verdict")).to_have_text("Sertifikat tidak ditemukan")
    phone_page.close()
    assert dialogs == []


def test_certificate_pages_at_phone_width(page: Page, live_api: httpx.Client,
                                          dialog_policy: DialogPolicy) -> None:
    tid, regs = _training(live_api)
    assert live_api.post(f"/api/trainings/{tid}/certificates").json()["issued"] == 2
    page.set_viewport_size(PHONE)
    login(page)
    page.goto(f"/trainings/{tid}/certificates")
    expect(page.locator(f"#reg-{regs['Budi Santoso']}")).to_contain_text("Tidak layak")
    no_horizontal_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "certificate-review-390.png"), full_page=True)
    page.goto(f"/trainings/{tid}/certificates/template")
    expect(page.locator("#preview-img")).to_be_visible()
    no_horizontal_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "certificate-template-390.png"), full_page=True)
    # The holder's ticket page offers the download once issued.
    token = live_api.get(f"/api/trainings/{tid}/registrations").json()
    ticket_urls = [i["ticket_url"] for i in token["items"] if i["id"] == regs[LONG_NAME]]
    page.goto(ticket_urls[0])
    expect(page.locator("#certificate-download")).to_be_visible()
    no_horizontal_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "certificate-ticket-390.png"), full_page=True)




def test_the_review_of_a_large_training_searches_filters_and_pages(
        page: Page, live_api: httpx.Client) -> None:
    """421 cadres would make one page 29,000 px tall: 50 a page, a search by name or
    number, a filter by status; the URL keeps the choice (a reload shows the same)."""
    r = live_api.post("/api/trainings", json={
        "title": f"Pelatihan Kader Angkatan Besar {secrets.token_hex(2)}",
        "kind": "pelatihan", "start_date": "2018-09-12", "end_date": "2018-09-13",
        "categories": [{"name": "Kader BKB"}]})
    assert r.status_code == 201, r.text
    tid = r.json()["id"]
    b = live_api.post(f"/api/trainings/{tid}/batches", json={
        "name": "Angkatan I", "start_date": "2018-09-12", "end_date": "2018-09-13",
        "capacity": 100})
    assert b.status_code == 201, b.text
    batch_id = b.json()["id"]
    for n in range(1, 61):
        r = live_api.post(f"/api/trainings/{tid}/registrations", json={
            "name": f"Kader {n:02d} Koto Tangah", "category": "Kader BKB",
            "batch_id": batch_id})
        assert r.status_code == 201, r.text
        if n <= 5:  # Kader 01..05 came both days: eligible; the other 55 never came.
            for moment in DAYS:
                c = live_api.post("/api/checkins", json={
                    "registration_id": r.json()["id"], "batch_id": batch_id,
                    "scanned_at": moment, "nonce": secrets.token_hex(8)})
                assert c.status_code == 201, c.text
    login(page)
    page.goto(f"/trainings/{tid}/certificates")
    summary = page.locator("#list-summary")
    expect(summary).to_contain_text("1–50 dari 60")
    expect(page.locator("#review tbody tr")).to_have_count(50)
    expect(page.locator("#pager")).to_contain_text("Halaman 1 dari 2")
    page.locator("#next-page").click()
    expect(summary).to_contain_text("51–60 dari 60")
    expect(page.locator("#review tbody tr")).to_have_count(10)
    assert "page=2" in page.url

    page.locator("#cert-q").fill("kader 07")
    expect(page.locator("#review tbody tr")).to_have_count(1)
    expect(page.locator("#review tbody tr")).to_contain_text("Kader 07 Koto Tangah")
    page.locator("#cert-q").fill("")
    expect(page.locator("#review tbody tr")).to_have_count(50)
    page.locator("#cert-status").select_option("eligible")
    expect(page.locator("#review tbody tr")).to_have_count(5)
    expect(summary).to_contain_text("1–5 dari 5")
    page.reload()  # the URL carries the filter
    expect(page.locator("#cert-status")).to_have_value("eligible")
    expect(page.locator("#review tbody tr")).to_have_count(5)
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=str(ARTIFACTS / "certificate-review-filtered.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.goto(f"/trainings/{tid}/certificates")
    no_horizontal_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "certificate-review-paged-390.png"), full_page=True)
    assert height < 4000, height
