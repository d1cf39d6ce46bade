"""Issue 16 in a real browser: the committee's Tamu & panitia page (add, paste, tick the
grid), the narasumber attendance page, and a narasumber's "Saya hadir" on their own link,
at 1280 and 390 px."""

import re
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, htmx_idle, login, no_horizontal_overflow

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/guests")


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _world(live_api: httpx.Client) -> dict[str, Any]:
    """A two-day training starting today (Jakarta) with one session taught by a
    narasumber and one by another; a guest and a committee member."""
    tag = secrets.token_hex(3)
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    r = live_api.post("/api/trainings", json={
        "title": f"Pelatihan Kader Kampung KB Kecamatan Koto Tangah {tag}",
        "kind": "pelatihan", "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=1)).isoformat()})
    assert r.status_code == 201, r.text
    tid = r.json()["id"]
    b = live_api.post(f"/api/trainings/{tid}/batches", json={
        "name": "Angkatan I", "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=1)).isoformat(), "capacity": 30})
    assert b.status_code == 201, b.text
    speakers = []
    for name, inst in (("Dr. Siti Rahma", "Perwakilan BKKBN Sumbar"),
                       ("dr. Yusrizal", "Dinas Kesehatan Kota Padang")):
        s = live_api.post("/api/speakers", json={"name": f"{name} {tag}", "institution": inst})
        assert s.status_code == 201, s.text
        speakers.append(s.json()["id"])
    sessions = []
    for title, start, end, sid in (("Kebijakan Program Bangga Kencana", "00:05", "00:50",
                                    speakers[0]),
                                   ("Kesehatan Reproduksi Remaja", "01:00", "01:45",
                                    speakers[1])):
        s = live_api.post(f"/api/batches/{b.json()['id']}/sessions", json={
            "title": title, "date": today.isoformat(), "start_time": start, "end_time": end,
            "speaker_ids": [sid], "jpl": 1})
        assert s.status_code == 201, s.text
        sessions.append(s.json()["id"])
    g = live_api.post(f"/api/trainings/{tid}/guests", json={
        "kind": "guest", "name": "Drs. H. Syafrizal Amri, M.M.",
        "position": "Wakil Wali Kota Padang", "institution": "Pemerintah Kota Padang"})
    assert g.status_code == 201, g.text
    c = live_api.post(f"/api/trainings/{tid}/guests", json={
        "kind": "committee", "name": "Hj. Yusnidar Rahman, S.H., M.M.",
        "committee_role": "Penanggung jawab", "position": "Kepala Dinas",
        "institution": "DP3AP2KB Kota Padang", "nip": "196805121994032004",
        "phone": "081234567890"})
    assert c.status_code == 201, c.text
    link = live_api.post(f"/api/trainings/{tid}/roster-links",
                         json={"speaker_id": speakers[0]})
    assert link.status_code == 201, link.text
    return {"tid": tid, "today": today, "guest": g.json()["id"], "sessions": sessions,
            "speakers": speakers, "link": link.json()["url"], "tag": tag}


def test_the_guests_page_adds_pastes_and_ticks(page: Page, live_api: httpx.Client) -> None:
    w = _world(live_api)
    login(page)
    # From the training's overview, as a committee member finds it (section Administrasi).
    page.goto(f"/trainings/{w['tid']}")
    expect(page.locator("#paperwork")).to_contain_text("Surat-menyurat")
    page.locator("#guests-link").click()
    expect(page.locator("h1")).to_have_text("Tamu & panitia")
    expect(page.locator("#gp-list-guest")).to_contain_text("Wakil Wali Kota Padang")
    page.locator("#gp-add-one input[name=name]").fill("AKP Rahmat Hidayat")
    page.locator("#gp-add-one input[name=position]").fill("Kapolsek Koto Tangah")
    page.locator("#gp-add-one input[name=institution]").fill("Polsek Koto Tangah")
    page.locator("#gp-add-one button[type=submit]").click()
    htmx_idle(page)
    expect(page.locator("#gp-list-guest")).to_contain_text("AKP Rahmat Hidayat")
    page.locator(".gp-paste summary").click()
    page.locator("#gp-paste-form input[value=committee]").check()
    page.locator("#gp-paste-form textarea").fill(
        "Ketua, Drs. Zulkifli Anwar, Kabid KB, DP3AP2KB Kota Padang\n"
        "Sekretaris, Rina Oktavia, S.Sos., Kasi KIE, DP3AP2KB Kota Padang")
    page.locator("#gp-paste-form button[type=submit]").click()
    htmx_idle(page)
    expect(page.locator("#gp-added")).to_contain_text("2 orang")
    expect(page.locator("#gp-list-committee")).to_contain_text("Rina Oktavia, S.Sos.")
    cell = page.locator(f"#tick-{w['guest']}-{w['today'].isoformat()}")
    cell.click()
    htmx_idle(page)
    expect(page.locator(f"#tick-{w['guest']}-{w['today'].isoformat()}")).to_have_attribute(
        "aria-pressed", "true")
    expect(page.locator(f"#gp-days-{w['guest']}")).to_have_text("1 / 2")
    # The admin sees the whole NIP.
    expect(page.locator("#gp-list-committee")).to_contain_text("196805121994032004")
    _shoot(page, "guests")
    # The activity report lists them with the days each was present.
    page.goto(f"/trainings/{w['tid']}/report")
    expect(page.locator("#rep-guest-list")).to_contain_text("Wakil Wali Kota Padang")
    expect(page.locator("#rep-committee-list")).to_contain_text("Penanggung jawab")
    _shoot(page, "report")
    assert live_api.get(f"/api/trainings/{w['tid']}/guests").json()["guests"][0][
        "days_present"] == [w["today"].isoformat()]


def test_the_speaker_attendance_page_ticks(page: Page, live_api: httpx.Client) -> None:
    w = _world(live_api)
    login(page)
    page.goto(f"/trainings/{w['tid']}")
    page.locator("#speaker-attendance-link").click()
    expect(page.locator("h1")).to_have_text("Kehadiran narasumber")
    cell = page.locator(f"#sa-{w['sessions'][0]}-{w['speakers'][0]}")
    cell.locator(".sa-present").click()
    htmx_idle(page)
    expect(page.locator(f"#sa-{w['sessions'][0]}-{w['speakers'][0]} .sa-present")
           ).to_have_attribute("aria-pressed", "true")
    other = page.locator(f"#sa-{w['sessions'][1]}-{w['speakers'][1]}")
    other.locator(".sa-absent").click()
    htmx_idle(page)
    expect(page.locator(f"#sa-{w['sessions'][1]}-{w['speakers'][1]} .sa-by")).to_contain_text(
        re.compile("admin", re.I))
    _shoot(page, "speaker-attendance")
    items = live_api.get(f"/api/trainings/{w['tid']}/speaker-attendance").json()["items"]
    assert [i["present"] for i in items] == [True, False]


def test_the_narasumber_says_saya_hadir_on_a_phone(page: Page, live_api: httpx.Client) -> None:
    w = _world(live_api)
    page.set_viewport_size(PHONE)
    page.goto(w["link"])
    row = page.locator(f"#hadir-{w['sessions'][0]}")
    row.locator("button.hadir-button").click()
    expect(page.locator(f"#hadir-{w['sessions'][0]}")).to_contain_text("Anda tercatat hadir")
    # Only their own session: the other narasumber's is not on their page.
    expect(page.locator(f"#hadir-{w['sessions'][1]}")).to_have_count(0)
    no_horizontal_overflow(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "narasumber-phone.png"), full_page=True)
    items = live_api.get(f"/api/trainings/{w['tid']}/speaker-attendance").json()["items"]
    mine = next(i for i in items if i["session_id"] == w["sessions"][0])
    assert (mine["present"], mine["via_link"]) == (True, True)


def test_the_door_scanner_reads_a_printed_guest_card(browser: Any, live_server: str,
                                                     live_api: httpx.Client,
                                                     tmp_path: Path) -> None:
    """A guest's printed card (cards.pdf) held up to the door scanner: "Tamu: <name>
    hadir" on screen, present today on the server; offline, the scanner keeps the scan
    ("Kartu tamu disimpan; dikirim saat ada sinyal") and sends it when the signal is back:
    present again on the server."""
    import shutil

    from tests.browser.conftest import CHROMIUM_ARGS
    from tests.browser.scanner_video import (
        jakarta_today,
        launch_with_video,
        make_scan_setup,
        open_scanner,
        printed_card,
        wait_result,
        write_video,
    )

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is missing")
    setup = make_scan_setup(live_api, people=1, gate="Gerbang Tamu")
    g = live_api.post(f"/api/trainings/{setup.training_id}/guests", json={
        "kind": "guest", "name": "Drs. H. Syafrizal Amri, M.M.",
        "position": "Wakil Wali Kota Padang", "institution": "Pemerintah Kota Padang"})
    assert g.status_code == 201, g.text
    pdf = live_api.get(f"/api/trainings/{setup.training_id}/guests/cards.pdf")
    assert pdf.status_code == 200, pdf.text
    token = live_api.get(f"/api/trainings/{setup.training_id}/guests")
    assert token.status_code == 200
    # The card's QR text: the live server's own /g/ URL (read back from the PDF).
    import zxingcpp  # noqa: PLC0415 (only this test reads the card)
    from PIL import Image  # noqa: PLC0415

    frame = None
    for code in _card_codes(pdf.content, tmp_path, zxingcpp, Image):
        if "/g/" in code:
            frame = printed_card(pdf.content, code)
    assert frame is not None, "no guest card QR on the cards"
    video = write_video(tmp_path / "guest-card.y4m", frame, height=480)
    chromium = launch_with_video(browser.browser_type, video, CHROMIUM_ARGS)
    try:
        context, page = open_scanner(chromium, live_server, setup, PHONE)
        r = wait_result(page, 1)
        assert r["status"] == "checked_in", r
        expect(page.locator("#result-name")).to_have_text(
            "Tamu: Drs. H. Syafrizal Amri, M.M. hadir")
        no_horizontal_overflow(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "scanner-guest.png"))
        listed = live_api.get(f"/api/trainings/{setup.training_id}/guests").json()
        assert listed["guests"][0]["days_present"] == [jakarta_today().isoformat()]
        # The committee unticks the guest; the card held up again with no signal is kept
        # on the phone and counts once the signal is back.
        today = jakarta_today().isoformat()
        untick = live_api.put(f"/api/guests/{g.json()['id']}/attendance/{today}",
                              json={"present": False})
        assert untick.status_code == 200, untick.text
        context.set_offline(True)
        page.evaluate("window.dispatchEvent(new Event('offline'))")
        r = wait_result(page, 2, timeout=20_000)
        assert (r["code"], r["queued"]) == ("guest_saved", True), r
        expect(page.locator("#result-reason")).to_have_text(
            "Kartu tamu disimpan; dikirim saat ada sinyal.")
        # Not a refusal: the guest is let in.
        expect(page.locator("#result")).to_have_attribute("data-status", "info")
        expect(page.locator("#pending")).to_be_visible()
        no_horizontal_overflow(page)
        page.screenshot(path=str(SHOTS / "scanner-guest-offline.png"))
        grid = live_api.get(f"/api/trainings/{setup.training_id}/guests/attendance").json()
        assert [i["present"] for i in grid["items"]] == [False]
        syncs = page.evaluate("window.__scanner.syncs")
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_function(f"() => window.__scanner.syncs > {syncs}", timeout=20_000)
        expect(page.locator("#pending")).to_have_attribute("data-count", "0", timeout=20_000)
        expect(page.locator("#pending")).to_be_hidden()
        grid = live_api.get(f"/api/trainings/{setup.training_id}/guests/attendance").json()
        assert [(i["present"], i["via"], i["day"]) for i in grid["items"]] == [
            (True, "scan", today)]
        context.close()
    finally:
        chromium.close()


def _card_codes(pdf: bytes, tmp: Path, zxingcpp: Any, image: Any) -> list[str]:
    import subprocess  # noqa: PLC0415

    src = tmp / "cards.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(src),
                    str(tmp / "card")], check=True, timeout=60)
    found = zxingcpp.read_barcodes(image.open(next(tmp.glob("card*.png"))))
    return [str(b.text) for b in found]
