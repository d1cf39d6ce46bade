"""Issue 17 in a real browser: the action board's filters (programme, status, overdue,
unit) swapped by HTMX, reminders of the overdue units queued, and a unit's private link
opened on a 390 px phone where its focal point marks an action done with a note and a
photo, and cannot reach another unit's action."""

import io
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PHONE,
    htmx_idle,
    login,
    no_horizontal_overflow,
    shoot,
)
from tests.live import live_app

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/h17c")
# Both channels set up (nothing is sent: no worker), so reminders can be queued.
SERVER_ENV = {"BIMTEK_SMTP_HOST": "127.0.0.1", "BIMTEK_SMTP_PORT": "9",
              "BIMTEK_WHATSAPP_API_URL": "http://127.0.0.1:9/v21.0",
              "BIMTEK_WHATSAPP_TOKEN": "token-uji", "BIMTEK_WHATSAPP_PHONE_NUMBER_ID": "1",
              "BIMTEK_WORKER_EMBEDDED": "false"}


@pytest.fixture(scope="module")
def served() -> Iterator[httpx.Client]:
    with live_app("action-board", ADMIN_EMAIL, ADMIN_PASSWORD, env=SERVER_ENV) as (client,
                                                                                  _url):
        yield client


@pytest.fixture(scope="module")
def live_server(served: httpx.Client) -> str:
    """This module's own server (with message channels), for the `page` fixture."""
    return str(served.base_url).rstrip("/")


@pytest.fixture(scope="module")
def live_api(served: httpx.Client) -> httpx.Client:
    return served


def _world(live_api: httpx.Client) -> dict[str, Any]:
    """Two programmes' meetings; Dinas Sosial has an overdue action in each, Disdukcapil
    a done one in the first."""
    tag = secrets.token_hex(3)
    out: dict[str, Any] = {"tag": tag}
    for key, name, phone in (("sosial", f"Dinas Sosial {tag}", "081234560001"),
                             ("capil", f"Disdukcapil {tag}", "081234560002")):
        r = live_api.post("/api/units", json={"name": name, "kind": "opd",
                                              "focal_name": f"Focal {name}",
                                              "focal_phone": phone})
        assert r.status_code == 201, r.text
        out[key] = r.json()["id"]
    for key, title in (("pokja", "Pokja Kampung KB"), ("other", "Forum Genre")):
        p = live_api.post("/api/programs", json={"title": f"{title} {tag}",
                                                 "start_date": "2018-09-01",
                                                 "end_date": "2018-12-31"})
        assert p.status_code == 201, p.text
        t = live_api.post("/api/trainings", json={
            "title": f"Rapat {title} {tag}", "kind": "pertemuan", "start_date": "2018-10-16",
            "end_date": "2018-10-16", "program_id": p.json()["id"]})
        assert t.status_code == 201, t.text
        out[f"{key}_program"], out[f"{key}_training"] = p.json()["id"], t.json()["id"]

    def action(training: str, title: str, unit: str, status: str | None = None) -> int:
        r = live_api.post(f"/api/trainings/{out[training]}/actions", json={
            "title": f"{title} {tag}", "unit_id": out[unit], "due_date": "2018-10-30"})
        assert r.status_code == 201, r.text
        if status:
            s = live_api.patch(f"/api/actions/{r.json()['id']}", json={"status": status})
            assert s.status_code == 200, s.text
        return int(r.json()["id"])

    out["data_pkh"] = action("pokja_training", "Data PKH keluarga Kampung KB", "sosial")
    out["akta"] = action("pokja_training", "Akta kelahiran jemput bola", "capil", "done")
    out["genre"] = action("other_training", "Penyuluhan remaja Genre", "sosial")
    return out


def _titles(page: Page) -> list[str]:
    htmx_idle(page)
    return [t.strip() for t in page.locator("#act-list tbody tr td:first-child strong"
                                            ).all_inner_texts()]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 120, 80)).save(out, "PNG")
    return out.getvalue()


def test_action_board_filters_reminders_and_unit_link(browser: Any, page: Page,
                                                      live_server: str,
                                                      live_api: httpx.Client,
                                                      tmp_path: Path,
                                                      dialogs: list[str]) -> None:
    w = _world(live_api)
    tag = w["tag"]
    login(page)
    page.locator("nav a[href='/actions']").click()
    expect(page.locator("h1")).to_have_text("Rencana tindak lanjut")
    filters = page.locator("#act-filter")
    # Programme: only that programme's actions (HTMX swaps the board, the URL follows).
    filters.locator("select[name=program_id]").select_option(str(w["pokja_program"]))
    page.wait_for_url(f"**program_id={w['pokja_program']}**")
    assert sorted(_titles(page)) == [f"Akta kelahiran jemput bola {tag}",
                                     f"Data PKH keluarga Kampung KB {tag}"]
    expect(page.locator("#act-units")).to_contain_text(f"Dinas Sosial {tag}")
    # Status done.
    filters.locator("select[name=status]").select_option("done")
    expect(page.locator("#act-list tbody tr")).to_have_count(1)
    assert _titles(page) == [f"Akta kelahiran jemput bola {tag}"]
    # Overdue only (with any status): the open one.
    filters.locator("select[name=status]").select_option("")
    filters.locator("input[name=overdue]").check()
    expect(page.locator("#act-list tbody tr")).to_have_count(1)
    assert _titles(page) == [f"Data PKH keluarga Kampung KB {tag}"]
    expect(page.locator("#act-list .badge.late")).to_have_count(1)
    # One unit across every programme.
    filters.locator("select[name=program_id]").select_option("")
    filters.locator("input[name=overdue]").uncheck()
    filters.locator("select[name=unit_id]").select_option(str(w["sosial"]))
    expect(page.locator("#act-list tbody tr")).to_have_count(2)
    assert sorted(_titles(page)) == [f"Data PKH keluarga Kampung KB {tag}",
                                     f"Penyuluhan remaja Genre {tag}"]
    assert "unit_id=" in page.url
    shoot(page, "action-board-filtered")

    # Remind the overdue units: messages are queued to their focal points.
    page.goto("/actions")
    page.locator("#act-remind button").click()
    expect(page.locator(".alert.success")).to_contain_text("pengingat diantrekan")
    queued = page.locator(".alert.success").inner_text()
    assert int(queued.split()[0]) >= 1, queued

    # A private link for Dinas Sosial.
    page.locator("#act-units tr", has_text=f"Dinas Sosial {tag}").locator(
        "form[action$='/link'] button").click()
    link = page.locator("#act-new-link").inner_text().strip()
    assert "/u/" in link
    shoot(page, "action-board")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name in ("action-board", "action-board-filtered"):
        for kind in ("desktop", "phone"):
            shutil.copy(f"test-artifacts/{name}-{kind}.png", SHOTS / f"{name}-{kind}.png")
    token = link.rsplit("/u/", 1)[1]

    # The focal point opens it on their phone, without an account.
    phone_ctx = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID",
                                    is_mobile=True, has_touch=True)
    phone_ctx.set_default_timeout(10_000)
    try:
        phone = phone_ctx.new_page()
        phone.goto(f"/u/{token}")
        expect(phone.locator("h1")).to_have_text("Rencana tindak lanjut")
        expect(phone.locator(".name")).to_have_text(f"Dinas Sosial {tag}")
        # Its two actions; Disdukcapil's is not on its page.
        expect(phone.locator(f"#a{w['data_pkh']}")).to_be_visible()
        expect(phone.locator(f"#a{w['genre']}")).to_be_visible()
        expect(phone.locator(f"#a{w['akta']}")).to_have_count(0)
        no_horizontal_overflow(phone)
        phone.screenshot(path=str(SHOTS / "unit-link-phone.png"), full_page=True)
        photo = tmp_path / "kegiatan.png"
        photo.write_bytes(_png())
        card = phone.locator(f"#a{w['data_pkh']}")
        card.locator("select[name=status]").select_option("done")
        card.locator("input[name=note]").fill("Data PKH dikirim ke Pokja kota")
        card.locator("input[type=file]").set_input_files(str(photo))
        card.locator("button[type=submit]").click()
        expect(phone.locator(".alert.success")).to_contain_text("Tersimpan")
        card = phone.locator(f"#a{w['data_pkh']}")
        expect(card).to_contain_text("Selesai")
        expect(card).to_contain_text("Data PKH dikirim ke Pokja kota")
        expect(card.locator("a[href$='/evidence']")).to_have_text("kegiatan.jpg")
        no_horizontal_overflow(phone)
        phone.screenshot(path=str(SHOTS / "unit-link-done-phone.png"), full_page=True)
        # Another unit's action is not reachable through this link.
        other = phone.request.post(f"/u/{token}/actions/{w['akta']}",
                                   multipart={"status": "dropped", "note": "x"})
        assert other.status == 404, other.status
        assert phone.request.get(f"/u/{token}/actions/{w['akta']}/evidence").status == 404
    finally:
        phone_ctx.close()
    saved = live_api.get(f"/api/actions/{w['data_pkh']}").json()
    assert saved["status"] == "done" and saved["note"] == "Data PKH dikirim ke Pokja kota"
    assert live_api.get(f"/api/actions/{w['akta']}").json()["status"] == "done"
    assert dialogs == []
