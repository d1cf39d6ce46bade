"""Issue 17 in a real browser: two committee members write the same meeting's minutes at
once (two contexts, own logins) and neither loses text; decisions; an action added on the
page; the earlier meeting's open action carried over; the minutes PDF downloads."""

import re
import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, login, shoot

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/h17c")
MERGE_WAIT = 25_000  # the idle page asks for others' words every 15 s


def _world(live_api: httpx.Client) -> dict[str, Any]:
    """A programme with an earlier Pokja meeting (one open action) and the meeting in view;
    a second committee member."""
    tag = secrets.token_hex(3)
    p = live_api.post("/api/programs", json={"title": f"Pokja Kampung KB {tag}",
                                             "start_date": "2018-09-01",
                                             "end_date": "2018-12-31"})
    assert p.status_code == 201, p.text
    ids = []
    for title, day in (("Rapat persiapan Pokja", "2018-09-18"),
                       ("Rapat Pokja Kampung KB", "2018-10-16")):
        r = live_api.post("/api/trainings", json={
            "title": f"{title} {tag}", "kind": "pertemuan", "start_date": day,
            "end_date": day, "program_id": p.json()["id"]})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    a = live_api.post(f"/api/trainings/{ids[0]}/actions", json={
        "title": f"SK Pokja kelurahan Setu {tag}", "unit": f"Kecamatan Setu {tag}",
        "due_date": "2018-10-09"})
    assert a.status_code == 201, a.text
    email = f"notulis.{tag}@padang.test"
    password = "notulen-rapat-" + secrets.token_hex(4)
    u = live_api.post("/api/users", json={"email": email, "name": "Rina Notulis",
                                          "role": "committee", "password": password})
    assert u.status_code == 201, u.text
    return {"earlier": ids[0], "tid": ids[1], "tag": tag, "email": email,
            "password": password}


def _member(browser: Any, live_server: str) -> tuple[Any, Page]:
    ctx = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="id-ID")
    ctx.set_default_timeout(10_000)
    return ctx, ctx.new_page()


def _saved(page: Page) -> None:
    expect(page.locator("#min-status")).to_contain_text("Tersimpan")


def test_two_members_write_the_minutes_at_once(browser: Any, page: Page, live_server: str,
                                               live_api: httpx.Client,
                                               dialogs: list[str]) -> None:
    w = _world(live_api)
    url = f"/trainings/{w['tid']}/minutes"
    other_ctx, other = _member(browser, live_server)
    try:
        login(page)
        login(other, w["email"], w["password"])
        page.goto(url)
        other.goto(url)
        expect(page.locator("#min-status")).to_contain_text("Belum disimpan")
        mine = "Paparan Dinas Kesehatan: posyandu dan imunisasi berjalan di 7 Kampung KB."
        theirs = "Laporan Kecamatan Setu: SK Pokja kelurahan belum selesai."
        # Both type on the empty minutes before either has saved.
        page.locator("#min-text").fill(mine)
        other.locator("#min-text").fill(theirs)
        page.locator("h1").click()  # leaving the field saves at once
        _saved(page)
        other.locator("h1").click()
        _saved(other)
        # The second save was merged: that page shows both texts at once.
        expect(other.locator("#min-status")).to_contain_text("digabungkan")
        a, b = re.escape(mine), re.escape(theirs)
        expect(other.locator("#min-text")).to_have_value(re.compile(f"{a}.*{b}|{b}.*{a}",
                                                                    re.DOTALL))
        both = other.locator("#min-text").input_value()
        assert mine in both and theirs in both
        # The first page, left idle, gets the other member's words too.
        expect(page.locator("#min-text")).to_have_value(both, timeout=MERGE_WAIT)
        saved = live_api.get(f"/api/trainings/{w['tid']}/minutes")
        assert saved.status_code == 200, saved.text
        assert saved.json()["text"] == both

        # Each adds a decision at the same time: both are kept.
        page.locator("#min-add-decision").click()
        page.locator("#min-decisions li textarea").last.fill("Setiap OPD menunjuk penghubung.")
        other.locator("#min-add-decision").click()
        other.locator("#min-decisions li textarea").last.fill("Evaluasi setiap triwulan.")
        page.locator("h1").click()
        _saved(page)
        other.locator("h1").click()
        _saved(other)
        decisions = [d["text"] for d in
                     live_api.get(f"/api/trainings/{w['tid']}/minutes").json()["decisions"]]
        assert sorted(decisions) == ["Evaluasi setiap triwulan.",
                                     "Setiap OPD menunjuk penghubung."]
        expect(other.locator("#min-decisions li")).to_have_count(2)
        page.reload()
        expect(page.locator("#min-decisions li")).to_have_count(2)
        expect(page.locator("#min-text")).to_have_value(both)
    finally:
        other_ctx.close()

    # The earlier meeting's open action is carried over, and is updated here.
    carried = page.locator("#min-carried")
    expect(carried.locator("h2")).to_have_text("Tindak lanjut rapat sebelumnya")
    row = carried.locator("tr", has_text=f"SK Pokja kelurahan Setu {w['tag']}")
    expect(row).to_contain_text(f"Kecamatan Setu {w['tag']}")
    expect(row.locator(".badge.late")).to_be_visible()
    row.locator("select[name=status]").select_option("in_progress")
    row.locator("input[name=note]").fill("Draf SK di bagian hukum")
    row.locator("button[type=submit]").click()
    expect(page.locator("#min-carried tr", has_text="Draf SK di bagian hukum")
           ).to_contain_text("Dalam proses")

    # An action agreed at this meeting, added on the page (HTMX).
    form = page.locator("#min-new-action")
    form.locator("input[name=title]").fill("Surat penunjukan penghubung Kampung KB")
    form.locator("input[name=unit]").fill(f"Dinas Sosial {w['tag']}")
    form.locator("input[name=owner]").fill("Sekretaris Dinas")
    form.locator("input[name=due_date]").fill("2018-10-30")
    form.locator("button[type=submit]").click()
    row = page.locator("#min-this tr", has_text="Surat penunjukan penghubung Kampung KB")
    expect(row).to_contain_text(f"Dinas Sosial {w['tag']}")
    listed = live_api.get(f"/api/trainings/{w['tid']}/actions").json()
    items = listed["items"] if isinstance(listed, dict) else listed
    assert [a["title"] for a in items] == ["Surat penunjukan penghubung Kampung KB"]
    # A due date before the meeting is refused, with the reason, and nothing is added.
    form = page.locator("#min-new-action")
    form.locator("input[name=title]").fill("Tindak lanjut tanggal salah")
    form.locator("input[name=due_date]").fill("2018-10-01")
    form.locator("button[type=submit]").click()
    expect(page.locator("#min-new-action")).to_contain_text("Tenggat sebelum tanggal rapat")
    expect(page.locator("#min-this tbody tr")).to_have_count(1)

    shoot(page, "minutes-page")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for kind in ("desktop", "phone"):
        shutil.copy(f"test-artifacts/minutes-page-{kind}.png", SHOTS / f"minutes-{kind}.png")

    # The minutes PDF downloads: a real PDF with the text and the decisions.
    with page.expect_download() as info:
        page.locator("#min-pdf").click()
    pdf = SHOTS / "minutes.pdf"
    info.value.save_as(str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "Setiap OPD menunjuk penghubung." in text
        assert "Surat penunjukan" in text and f"Dinas Sosial {w['tag']}" in text
        assert "Tindak lanjut rapat sebelumnya" in text
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SHOTS / "minutes-pdf")],
                       check=True)
    assert dialogs == []
