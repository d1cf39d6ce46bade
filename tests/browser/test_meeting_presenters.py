"""Issue 17 in a real browser: the units register, a meeting's presenters by unit with an
uploaded presentation, a narasumber uploading slides through their /n/ link, and a
participant's ticket listing the materials at phone width."""

import secrets
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests import presentation_files
from tests.browser.conftest import PHONE, login, no_horizontal_overflow, shoot

pytestmark = pytest.mark.browser


def _meeting(live_api: httpx.Client) -> dict[str, Any]:
    tag = secrets.token_hex(3)
    r = live_api.post("/api/trainings", json={
        "title": f"Rapat Pokja Kampung KB Kota Tangerang Selatan {tag}", "kind": "pertemuan",
        "start_date": "2018-10-16", "end_date": "2018-10-16"})
    assert r.status_code == 201, r.text
    tid = r.json()["id"]
    b = live_api.post(f"/api/trainings/{tid}/batches", json={
        "name": "Rapat Pokja", "start_date": "2018-10-16", "end_date": "2018-10-16",
        "capacity": 40})
    assert b.status_code == 201, b.text
    return {"tid": tid, "bid": b.json()["id"], "tag": tag}


def test_units_register_add_and_edit(page: Page) -> None:
    name = f"Dinas Kesehatan {secrets.token_hex(2)}"
    login(page)
    page.locator("nav a[href='/units']").click()
    form = page.locator("#new-unit form")
    form.locator("input[name=name]").fill(name)
    form.locator("select[name=kind]").select_option("opd")
    form.locator("input[name=focal_name]").fill("dr. Allin Hendalin")
    form.locator("input[name=focal_phone]").fill("0812 1111 2222")
    form.locator("button[type=submit]").click()
    row = page.locator("#units-table tr", has_text=name)
    expect(row).to_contain_text("dr. Allin Hendalin")
    expect(row.locator(".unit-phone")).to_contain_text("0812 1111 2222")  # an admin
    row.locator("a", has_text="Ubah").click()
    page.locator("#unit-form select[name=kind]").select_option("other")
    page.locator("#unit-form button[type=submit]").click()
    expect(page.locator("#units-table tr", has_text=name)).to_contain_text("Lainnya")
    shoot(page, "units-register")


def test_meeting_presenters_with_a_presentation(page: Page, live_api: httpx.Client,
                                                tmp_path: Path) -> None:
    w = _meeting(live_api)
    slides = tmp_path / "Paparan Disdukcapil.pptx"
    slides.write_bytes(presentation_files.pdf("Akta kelahiran"))  # a PDF, named .pptx
    fake = tmp_path / "foto.pdf"
    fake.write_bytes(presentation_files.JPEG)
    login(page)
    page.goto(f"/trainings/{w['tid']}")
    # A meeting shows its presenters first.
    expect(page.locator("section").first).to_have_id("meeting")
    page.locator("#presenters-link").click()
    form = page.locator("#new-presenter form")
    form.locator("input[name=unit]").fill(f"Disdukcapil {w['tag']}")
    form.locator("input[name=name]").fill("Drs. Dedi Budiawan")
    form.locator("input[name=position]").fill("Kepala Bidang Pelayanan")
    form.locator("input[name=topic]").fill("Akta kelahiran untuk keluarga Kampung KB")
    form.locator("input[name=start_time]").fill("09:20")
    form.locator("input[name=end_time]").fill("09:40")
    form.locator("button[type=submit]").click()
    card = page.locator(".presenter", has_text="Drs. Dedi Budiawan")
    expect(card).to_contain_text(f"Disdukcapil {w['tag']}")
    # A photo named .pdf is refused, with the reason, and nothing is stored.
    card.locator("input[type=file]").set_input_files(str(fake))
    card.locator(".presenter-upload button").click()
    expect(page.locator(".presenter .alert-error")).to_contain_text("bukan bahan paparan")
    card = page.locator(".presenter", has_text="Drs. Dedi Budiawan")
    expect(card.locator(".presenter-download")).to_have_count(0)
    card.locator("input[type=file]").set_input_files(str(slides))
    card.locator(".presenter-upload button").click()
    link = page.locator(".presenter-download")
    expect(link).to_contain_text("PDF")
    with page.expect_download() as dl:
        link.click()
    assert dl.value.suggested_filename == "Paparan-Disdukcapil.pdf"
    assert Path(dl.value.path()).read_bytes().startswith(b"%PDF-")
    expect(page.locator("#unit-attendance")).to_be_visible()
    shoot(page, "meeting-presenters")


def test_narasumber_uploads_and_the_ticket_lists_it_on_a_phone(
        page: Page, live_api: httpx.Client, tmp_path: Path) -> None:
    w = _meeting(live_api)
    sp = live_api.post("/api/speakers", json={"name": "Drs. Sukaryo Teguh Santoso",
                                              "institution": "BKKBN Banten"})
    assert sp.status_code == 201, sp.text
    s = live_api.post(f"/api/batches/{w['bid']}/sessions", json={
        "title": "Kampung KB yang berkelanjutan", "date": "2018-10-16",
        "start_time": "12:00", "end_time": "13:00", "speaker_ids": [sp.json()["id"]]})
    assert s.status_code == 201, s.text
    link = live_api.post(f"/api/trainings/{w['tid']}/roster-links",
                         json={"speaker_id": sp.json()["id"]})
    assert link.status_code == 201, link.text
    reg = live_api.post(f"/api/trainings/{w['tid']}/registrations",
                        json={"name": "Siti Aminah", "batch_id": w["bid"]})
    assert reg.status_code == 201, reg.text
    slides = tmp_path / "Kampung KB berkelanjutan.pdf"
    slides.write_bytes(presentation_files.pdf("Kampung KB berkelanjutan"))

    page.set_viewport_size(PHONE)
    page.goto(link.json()["url"])
    box = page.locator(f"#materials-session-{s.json()['id']}")
    box.locator("input[type=file]").set_input_files(str(slides))
    box.locator("button[type=submit]").click()
    expect(page.locator(f"#materials-session-{s.json()['id']} li")).to_contain_text(
        "Kampung KB berkelanjutan")
    no_horizontal_overflow(page)
    page.screenshot(path=str(Path("test-artifacts") / "narasumber-materials-phone.png"),
                    full_page=True)

    page.goto(reg.json()["ticket_url"])
    materials = page.locator("#ticket-materials")
    expect(materials).to_contain_text("Kampung KB berkelanjutan")
    no_horizontal_overflow(page)
    page.screenshot(path=str(Path("test-artifacts") / "ticket-materials-phone.png"),
                    full_page=True)
    with page.expect_download() as dl:
        materials.locator("a.ticket-material").click()
    assert Path(dl.value.path()).read_bytes().startswith(b"%PDF-")
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page)
    page.goto(f"/trainings/{w['tid']}/materials")
    row = page.locator("#materials-table tr", has_text="Kampung KB berkelanjutan")
    expect(row).to_contain_text("Drs. Sukaryo Teguh Santoso")
    shoot(page, "session-materials")
