"""The door scanner speaks the page's language in every answer, on a phone whose browser
asks for English (Accept-Language: en-US) while the committee's page is Indonesian (the
default): every refusal the server gives, every refusal the phone decides offline, the
manual search's hints and refusals. Before, the server's refusals followed the browser's
English ("This ticket is for 24–26 August 2022, not for ...", "The scan time lies in the
future") on an Indonesian scanner.

Each answer's words are checked against a list of English words; the codes walked are
listed in REFUSALS_ONLINE and REFUSALS_OFFLINE. Screenshots: test-artifacts/lang-*.png.
"""

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, CHROMIUM_ARGS, PHONE
from tests.browser.scanner_video import (
    SCANNER_PASSWORD,
    ScanSetup,
    forged,
    jakarta_today,
    launch_with_video,
    make_scan_setup,
    open_scanner,
    qr_image,
    results,
    ticket_code,
    write_video,
)

pytestmark = pytest.mark.browser

# Words of the English messages that no Indonesian message, name or batch here holds.
ENGLISH = re.compile(
    r"\b(the|this|that|is|not|for|ticket|belongs|another|training|batch|scan|time|future|"
    r"session|open|check|checked|cancelled|genuine|date|device|out|of|list|wait|try|again|"
    r"searches|type|digits|phone|found|nobody|already|at|by|saved|network|committee|newest|"
    r"moved|changed|lies|please|minutes|registration|first|showing|more|name|welcome|"
    r"mobile|refused|here|now)\b", re.IGNORECASE)
REFUSALS_ONLINE = {"invalid_ticket", "wrong_batch", "wrong_training", "cancelled", "wrong_day",
                   "invalid_time", "no_session_open"}
REFUSALS_OFFLINE = {"invalid_ticket", "wrong_batch", "cancelled", "out_of_date", "wrong_day",
                    "no_session_open"}
WIB = ZoneInfo("Asia/Jakarta")
# The device's clock 20 minutes fast: its scan time lies in the future for the server.
CLOCK_AHEAD = """
(() => {
  const Real = Date, ahead = 20 * 60 * 1000;
  class Ahead extends Real {
    constructor(...args) { if (args.length === 0) super(Real.now() + ahead); else super(...args); }
    static now() { return Real.now() + ahead; }
  }
  globalThis.Date = Ahead;
})();
"""


def english_words(texts: list[str]) -> list[str]:
    return [m.group(0) for text in texts for m in ENGLISH.finditer(text)]


class World:
    """Training T1 (today's Angkatan I, a later Angkatan II), a cancelled and a moved
    person, 22 namesakes for the search; a ticket of another training; a per-session
    training whose only session today is not open now, with its own door login."""

    def __init__(self, api: httpx.Client) -> None:
        self.t1: ScanSetup = make_scan_setup(api, people=6, title="Pelatihan Kader Kampung KB "
                                             "Kota Padang (bahasa)", gate="Gerbang 3")
        t1 = self.t1
        self.cancelled_code = t1.code(3)
        assert api.post(f"/api/registrations/{t1.people[3]['id']}/cancel").status_code == 200
        self.moved_code = t1.code(4)  # signed for Angkatan I, then moved to Angkatan II
        r = api.post(f"/api/registrations/{t1.people[4]['id']}/move",
                     json={"batch_id": t1.other_batch_id})
        assert r.status_code == 200, r.text
        for n in range(22):
            r = api.post(f"/api/trainings/{t1.training_id}/registrations", json={
                "name": f"Kader Posyandu {n + 1:02d}", "phone": f"081377{51000 + n:05d}",
                "batch_id": t1.batch_id})
            assert r.status_code == 201, r.text
        batch2 = api.get(f"/api/trainings/{t1.training_id}").json()["batches"][1]
        self.batch2_first_day = datetime.fromisoformat(batch2["start_date"]).date()
        self.t2: ScanSetup = make_scan_setup(api, people=1, title="Workshop Kampung KB "
                                             "Provinsi Sumatera Selatan", gate="Pintu A")
        self.per_session = self._per_session(api)

    def _per_session(self, api: httpx.Client) -> dict[str, Any]:
        day = jakarta_today()
        now = datetime.now(WIB)
        # A session today that is not open now (check-in opens 15 minutes before).
        start, end = ("22:00", "23:00") if now.hour < 21 else ("01:00", "02:00")
        t = api.post("/api/trainings", json={
            "title": "Bimtek Pengelola Kampung KB per sesi", "kind": "bimtek",
            "start_date": day.isoformat(), "end_date": day.isoformat(),
            "checkin_mode": "session"})
        assert t.status_code == 201, t.text
        tid = t.json()["id"]
        b = api.post(f"/api/trainings/{tid}/batches", json={
            "name": "Angkatan I", "start_date": day.isoformat(), "end_date": day.isoformat(),
            "capacity": 10})
        assert b.status_code == 201, b.text
        bid = b.json()["id"]
        s = api.post(f"/api/batches/{bid}/sessions", json={
            "title": "Kebijakan Program Bangga Kencana", "date": day.isoformat(),
            "start_time": start, "end_time": end})
        assert s.status_code == 201, s.text
        reg = api.post(f"/api/trainings/{tid}/registrations", json={
            "name": "Yusnidar Rangkuti", "phone": "081266399001", "batch_id": bid})
        assert reg.status_code == 201, reg.text
        email = f"gerbang-sesi-{tid}@padang.test"
        u = api.post("/api/users", json={"email": email, "name": "Gerbang Sesi",
                                         "role": "scanner", "password": SCANNER_PASSWORD,
                                         "training_id": tid})
        assert u.status_code == 201, u.text
        return {"training_id": tid, "batch_id": bid, "email": email,
                "name": "Yusnidar Rangkuti", "code": ticket_code(api, reg.json()["ticket_url"])}


@pytest.fixture(scope="module")
def world(live_api: httpx.Client) -> World:
    return World(live_api)


@pytest.fixture
def chromium(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """chromium(pictures, name): a Chromium whose camera films `pictures` in turn."""
    opened: list[Any] = []

    def start(pictures: Any, name: str, **video: Any) -> Any:
        path = write_video(tmp_path / f"{name}.y4m", pictures, **video)
        launched = launch_with_video(browser.browser_type, path, CHROMIUM_ARGS)
        opened.append(launched)
        return launched

    yield start
    for launched in opened:
        launched.close()


def _collect(page: Any, wanted: set[str], name: str, timeout_s: float = 60) -> list[Any]:
    """Results until each wanted code was shown once; screenshots of each kind."""
    seen: dict[str, Any] = {}
    deadline = datetime.now() + timedelta(seconds=timeout_s)
    while not wanted <= set(seen) and datetime.now() < deadline:
        page.wait_for_timeout(250)
        for r in results(page):
            code = r["code"] or r["status"]
            if code not in seen:
                seen[code] = r
                page.screenshot(path=str(ARTIFACTS / f"lang-{name}-{code}.png"))
    assert set(seen) >= wanted, (wanted - set(seen), list(seen))
    return list(results(page))


def _indonesian(answers: list[dict[str, Any]]) -> None:
    for r in answers:
        assert r["kind"] == "bad", r
        assert r["shown"][0] == "Tidak boleh masuk", r
        assert english_words(r["shown"]) == [], r["shown"]


def test_online_refusals_are_indonesian_on_an_english_phone(chromium: Any, world: World,
                                                           live_server: str) -> None:
    t1 = world.t1
    pictures = [qr_image(forged(t1.code(0))), qr_image(t1.other["code"]),
                qr_image(world.t2.code(0)), qr_image(world.cancelled_code),
                qr_image(world.moved_code)]
    launched = chromium(pictures, "online")
    # Angkatan I meets today: forged, another batch's, another training's, cancelled, moved.
    _ctx, page = open_scanner(launched, live_server, t1, PHONE, locale="en-US")
    assert page.locator("html").get_attribute("lang") == "id"
    answers = _collect(page, {"invalid_ticket", "wrong_batch", "wrong_training", "cancelled"},
                       "online")
    _indonesian(answers)
    assert all(r["source"] == "server" for r in answers)
    texts = [" ".join(r["shown"]) for r in answers]
    assert any("Rini Oktavia terdaftar di Angkatan II" in t for t in texts), texts
    assert any("Tiket ini milik pelatihan lain." in t for t in texts), texts
    # Angkatan II is on later days: its ticket today is refused for the day, in Indonesian.
    _ctx2, page2 = open_scanner(launched, live_server, t1, PHONE, locale="en-US",
                                batch_id=t1.other_batch_id, day=world.batch2_first_day)
    answers = _collect(page2, {"wrong_day"}, "online-batch2")
    _indonesian(answers)
    day_refusal = next(r for r in answers if r["code"] == "wrong_day")
    assert re.search(r"Tiket ini untuk .+, bukan untuk \d+ \w+ \d{4}\.",
                     day_refusal["shown"][-1]), day_refusal


def test_offline_refusals_are_indonesian(chromium: Any, world: World, live_server: str) -> None:
    t1 = world.t1
    pictures = [qr_image(forged(t1.code(1))), qr_image(t1.other["code"]),
                qr_image(world.cancelled_code), qr_image(world.moved_code)]
    launched = chromium(pictures, "offline")
    _ctx, page = open_scanner(launched, live_server, t1, PHONE, locale="en-US", offline=True)
    answers = _collect(page, {"invalid_ticket", "wrong_batch", "cancelled", "out_of_date"},
                       "offline")
    _indonesian(answers)
    assert all(r["source"] == "device" for r in answers)
    _ctx2, page2 = open_scanner(launched, live_server, t1, PHONE, locale="en-US", offline=True,
                                batch_id=t1.other_batch_id, day=world.batch2_first_day)
    answers = _collect(page2, {"wrong_day"}, "offline-batch2")
    _indonesian(answers)
    # Worded as the server words it: the name, and the days without weekdays.
    day_refusal = next(r for r in answers if r["code"] == "wrong_day")
    assert day_refusal["shown"][1] == t1.other["name"]
    assert re.fullmatch(r"Tiket ini untuk \d+[–\w ]*\d{4}, bukan untuk \d+ \w+ \d{4}\.",
                        day_refusal["shown"][-1]), day_refusal


def _manual_check_in(page: Any, query: str, name: str) -> dict[str, Any]:
    before = len(results(page))
    page.locator("#open-manual").click()
    page.locator("#manual-q").fill(query)
    row = page.locator(".person", has_text=name)
    row.get_by_role("button").click()
    page.wait_for_function(f"() => window.__scanner.results.length > {before}")
    return results(page)[-1]


def test_manual_refusals_are_indonesian(chromium: Any, world: World, live_server: str) -> None:
    launched = chromium(None, "manual", shown_s=0)
    t1 = world.t1
    # A phone whose clock is ahead: its scan time lies in the future (server, 422).
    _ctx, page = open_scanner(launched, live_server, t1, PHONE, locale="en-US",
                              init_script=CLOCK_AHEAD)
    r = _manual_check_in(page, "Desi", "Desi Marlina")
    assert r["code"] == "invalid_time" and r["source"] == "server", r
    _indonesian([r])
    assert "Waktu pindai berada di masa depan" in " ".join(r["shown"])
    page.screenshot(path=str(ARTIFACTS / "lang-manual-invalid_time.png"))
    # Per session, when no session is open: online from the server, offline on the phone.
    s = world.per_session
    sess = ScanSetup(s["training_id"], s["batch_id"], 0, scanner_email=s["email"])
    _ctx2, page2 = open_scanner(launched, live_server, sess, PHONE, locale="en-US",
                                session="now")
    r = _manual_check_in(page2, "Yusnidar", s["name"])
    assert r["code"] == "no_session_open" and r["source"] == "server", r
    _indonesian([r])
    assert "Tidak ada sesi angkatan ini yang dibuka" in " ".join(r["shown"])
    ctx3, page3 = open_scanner(launched, live_server, sess, PHONE, locale="en-US",
                               offline=True, session="now")
    r = _manual_check_in(page3, "Yusnidar", s["name"])
    assert r["code"] == "no_session_open" and r["source"] == "device", r
    _indonesian([r])
    ctx3.close()


def test_search_hints_and_refusals_are_indonesian(chromium: Any, world: World,
                                                  live_server: str) -> None:
    launched = chromium(None, "search", shown_s=0)
    _ctx, page = open_scanner(launched, live_server, world.t1, PHONE, locale="en-US")
    page.locator("#open-manual").click()
    hint = page.locator("#manual-hint")
    q = page.locator("#manual-q")
    # Too short, checked on the phone.
    q.fill("12")
    expect(hint).to_have_text("Ketik minimal 2 huruf, atau 4 angka terakhir nomor HP atau NIK.")
    # Three digits in a number's shape: the server refuses it (422), in Indonesian.
    q.fill("(123)")
    expect(hint).to_have_text("Ketik 4 sampai 6 angka terakhir nomor HP atau NIK, atau "
                              "sebagian nama.")
    q.fill("Tidak Ada Orangnya")
    expect(hint).to_have_text("Tidak ada yang ditemukan.")
    # 22 namesakes: the first 20 listed, and the hint says so.
    q.fill("Kader Posyandu")
    expect(hint).to_have_text("Menampilkan 20 pertama dari 22; ketik lebih lengkap.")
    expect(page.locator(".person")).to_have_count(20)
    page.screenshot(path=str(ARTIFACTS / "lang-search-more.png"))
    # The digits that matched, highlighted, the rest masked; nothing more of the number.
    q.fill("51007")
    row = page.locator(".person", has_text="Kader Posyandu 08")
    expect(row.locator(".person-match")).to_have_text("HP ••••51007")
    expect(row.locator(".person-match mark")).to_have_text("51007")
    assert "08137751007" not in page.locator("#manual").inner_text()
    page.screenshot(path=str(ARTIFACTS / "lang-search-digits.png"))
    texts = [hint.text_content() or "", page.locator("#manual").inner_text()]
    assert english_words(texts) == [], texts
    # Too many searches (60 a minute for this login): the server's 429, in Indonesian.
    page.evaluate("""async (url) => {
        for (let n = 0; n < 70; n++) {
          const r = await fetch(url + '&n=' + n, {headers: {'Accept-Language': 'en'}});
          if (r.status === 429) return;
        }}""", f"/api/batches/{world.t1.batch_id}/checkin-search?q=Kader")
    q.fill("Desi")
    expect(hint).to_contain_text("Terlalu banyak pencarian. Tunggu")
    assert english_words([hint.text_content() or ""]) == []
    page.screenshot(path=str(ARTIFACTS / "lang-search-429.png"))
