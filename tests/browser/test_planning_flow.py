"""A committee member plans the 2018 Padang cadre training in a real browser.

One long flow (log in, create the training, its batches, narasumber, timetables,
a speaker clash between two batches running side by side, copying an agenda),
plus small independent checks: the login wall, the language switch, the PDF.
"""

import io
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import ADMIN_EMAIL, ARTIFACTS, PHONE, login, no_horizontal_overflow

pytestmark = pytest.mark.browser

TITLE = "Pelatihan Pengelolaan Kelompok Kegiatan Kampung KB Kota Padang"
VENUE = "Hotel Pangeran Beach"
XSS_NAME = "Drs. Syahrul <script>alert(1)</script>"
SYAHRUL = XSS_NAME + ", M.Si."  # as the app prints it: name, degrees
RAHMI = "Dr. Hj. Rahmi Yetti"
SESSION_1 = "Kebijakan Program Bangga Kencana"
SESSION_2 = "Pengelolaan Kampung KB"


def _batch_rows(page: Page) -> list[str]:
    return page.locator("#batches tbody tr td:first-child").all_inner_texts()


def _field_error(page: Page, name: str) -> Any:
    """The error shown inside the label of field `name`."""
    return page.locator(f"label.field.has-error:has([name={name}]) [role=alert]")


# --- steps of the flow -------------------------------------------------------------------

def step_login(page: Page, password: str) -> None:
    page.goto("/login")
    page.locator("input[name=email]").fill(ADMIN_EMAIL)
    page.locator("input[name=password]").fill("not-the-password")
    page.locator("form[action='/login'] button[type=submit]").click()
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_have_text(re.compile(r"salah|wrong", re.I))
    assert page.url.endswith("/login")
    # The email stays filled in, so only the password is typed again.
    expect(page.locator("input[name=email]")).to_have_value(ADMIN_EMAIL)
    assert not any(c["name"] == "bimtek_session" for c in page.context.cookies())

    page.locator("input[name=password]").fill(password)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url("**/trainings")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator("header nav a[href='/trainings']")).to_be_visible()


def step_create_training(page: Page) -> int:
    page.locator("a[href='/trainings/new']").first.click()
    page.wait_for_url("**/trainings/new")
    page.locator("input[name=title]").fill(TITLE)
    page.locator("select[name=kind]").select_option("pelatihan")
    page.locator("input[name=start_date]").fill("2018-09-12")
    page.locator("input[name=end_date]").fill("2018-09-18")
    page.locator("input[name=venue]").fill(VENUE)
    names = page.locator("input[name=category_name]")
    quotas = page.locator("input[name=category_quota]")
    names.nth(0).fill("Kader BKB")
    quotas.nth(0).fill("120")
    names.nth(1).fill("Petugas Lapangan KB (PKB)")
    quotas.nth(1).fill("40")
    page.locator("form.card button.primary[type=submit]").click()
    page.wait_for_url(re.compile(r"/trainings/\d+$"))
    training_id = int(page.url.rsplit("/", 1)[1])

    expect(page.locator("h1")).to_have_text(TITLE)
    meta = page.locator(".page-head .meta")
    expect(meta).to_contain_text("12–18 September 2018")
    expect(meta).to_contain_text(VENUE)
    expect(page.locator(".chip")).to_have_text(["Kader BKB · 120",
                                                "Petugas Lapangan KB (PKB) · 40"])
    expect(page.locator("#batches")).to_have_count(0)
    return training_id


def _fill_batch(page: Page, name: str, start: str, end: str, capacity: str) -> None:
    page.locator("input[name=name]").fill(name)
    page.locator("input[name=start_date]").fill(start)
    page.locator("input[name=end_date]").fill(end)
    page.locator("input[name=capacity]").fill(capacity)
    page.locator("form.card button[type=submit]").click()


def step_add_batches(page: Page, training_id: int) -> None:
    new_batch = f"/trainings/{training_id}/batches/new"
    page.goto(new_batch)
    expect(page.locator("input[name=name]")).to_have_value("Angkatan I")

    # A capacity of 0 is stopped by the browser itself: the form is not sent.
    _fill_batch(page, "Angkatan I", "2018-09-12", "2018-09-13", "0")
    assert page.locator("input[name=capacity]").evaluate("el => el.validity.rangeUnderflow")
    assert page.url.endswith(new_batch)

    # Ending before it starts gets past the browser; the server says so beside the end date.
    _fill_batch(page, "Angkatan I", "2018-09-13", "2018-09-12", "105")
    page.wait_for_url(f"**/trainings/{training_id}/batches")
    expect(_field_error(page, "end_date")).to_be_visible()
    expect(_field_error(page, "end_date")).not_to_be_empty()
    expect(page.locator("label.field.has-error")).to_have_count(1)
    expect(page.locator("input[name=name]")).to_have_value("Angkatan I")  # kept for retyping
    page.screenshot(path=str(ARTIFACTS / "batch-error.png"), full_page=True)
    page.goto(f"/trainings/{training_id}")
    expect(page.locator("#batches")).to_have_count(0)

    for name in ("Angkatan I", "Angkatan II"):
        page.goto(new_batch)
        _fill_batch(page, name, "2018-09-12", "2018-09-13", "105")
        page.wait_for_url(f"**/trainings/{training_id}")
    assert _batch_rows(page) == ["Angkatan I", "Angkatan II"]

    # The same name twice is refused next to the name field.
    page.goto(new_batch)
    _fill_batch(page, "Angkatan I", "2018-09-17", "2018-09-18", "105")
    expect(_field_error(page, "name")).to_be_visible()
    page.goto(f"/trainings/{training_id}")
    assert _batch_rows(page) == ["Angkatan I", "Angkatan II"]
    row = page.locator("#batches tbody tr").first
    expect(row).to_contain_text("12–13 September 2018")
    expect(row.locator("td.num").first).to_have_text("105")


def step_add_speakers(page: Page, dialogs: list[str]) -> None:
    page.locator("header nav a[href='/speakers']").click()
    page.wait_for_url("**/speakers")
    form = page.locator("#add-speaker")
    for name, degrees, institution in (
            (XSS_NAME, "M.Si.", "BKKBN Perwakilan Sumatera Barat"),
            (RAHMI, "M.Kes.", "Dinas Kesehatan Kota Padang")):
        form.locator("input[name=name]").fill(name)
        form.locator("input[name=title]").fill(degrees)
        form.locator("input[name=institution]").fill(institution)
        form.locator("button[type=submit]").click()
        page.wait_for_url("**/speakers")
        expect(page.locator("#speakers")).to_contain_text(name)

    # The markup is shown as text, never run or parsed into an element.
    expect(page.locator("#speakers strong", has_text="<script>alert(1)</script>")).to_have_count(1)
    assert page.locator("main script").count() == 0
    assert dialogs == []


def _timetable(page: Page, training_id: int, batch: str) -> None:
    page.goto(f"/trainings/{training_id}")
    page.locator("#batches a", has_text=re.compile(rf"^{batch}$")).first.click()
    page.wait_for_url(re.compile(r"/batches/\d+$"))
    expect(page.locator("h1")).to_contain_text(batch)


def _add_session(page: Page, day: str, title: str, start: str, end: str, speaker: str,
                 room: str) -> Any:
    section = page.locator(f"#day-{day}")
    section.locator("summary").click()
    form = section.locator("form[hx-post$='/sessions']")
    form.locator("input[name=title]").fill(title)
    form.locator("input[name=start_time]").fill(start)
    form.locator("input[name=end_time]").fill(end)
    form.locator("input[name=jpl]").fill("2")
    form.locator("input[name=room]").fill(room)
    form.locator("label.check", has_text=speaker).locator("input").check()
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.url.endswith("/sessions")) as info:
        form.locator("button[type=submit]").click()
    return info.value


def step_timetables_and_clash(page: Page, training_id: int, dialogs: list[str]) -> None:
    _timetable(page, training_id, "Angkatan I")
    expect(page.locator(".day h2")).to_have_count(2)
    response = _add_session(page, "2018-09-12", SESSION_1, "08:00", "09:30", "Syahrul",
                            "Ruang Bagindo Aziz Chan")
    assert response.status == 200
    day1 = page.locator("#day-2018-09-12")
    expect(day1.get_by_role("status")).to_contain_text(SESSION_1)
    rows = day1.locator("table.sessions tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(SESSION_1)
    expect(rows.first).to_contain_text(SYAHRUL)
    expect(rows.first).to_contain_text("Ruang Bagindo Aziz Chan")
    expect(rows.first.locator("td").first).to_have_text(re.compile(r"08[.:]00–09[.:]30"))
    expect(page.locator("#total-jpl")).to_have_text("2 JPL")
    page.reload()  # it was saved, not only swapped in
    expect(page.locator("#day-2018-09-12 table.sessions tbody tr")).to_have_count(1)

    # Angkatan II runs the same days: the same narasumber at 09:00 clashes.
    _timetable(page, training_id, "Angkatan II")
    response = _add_session(page, "2018-09-12", SESSION_2, "09:00", "10:00", "Syahrul",
                            "Ruang Siti Manggopoh")
    assert response.status == 409
    day1 = page.locator("#day-2018-09-12")
    alert = day1.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text(SESSION_1)
    expect(alert).to_contain_text("Angkatan I")
    expect(alert).to_contain_text(XSS_NAME)  # escaped text inside the message
    # One clash: the message itself names it, with the day and time as offices write them.
    expect(alert).to_contain_text("12 September 2018 08.00–09.30")
    # The form stays open with what was typed, so the time can be changed and resent.
    expect(day1.locator("details.add-session")).to_have_attribute("open", "")
    expect(day1.locator("input[name=title]")).to_have_value(SESSION_2)
    expect(day1.locator("label.check", has_text="Syahrul").locator("input")).to_be_checked()
    expect(day1.locator("table.sessions")).to_have_count(0)
    day1.screenshot(path=str(ARTIFACTS / "timetable-clash.png"))
    page.reload()
    expect(page.locator("table.sessions")).to_have_count(0)
    expect(page.locator("#total-jpl")).to_have_text("0 JPL")
    assert dialogs == []


def step_copy_agenda(page: Page, training_id: int) -> None:
    page.goto(f"/trainings/{training_id}/batches/new")
    _fill_batch(page, "Angkatan III", "2018-09-17", "2018-09-18", "105")
    page.wait_for_url(f"**/trainings/{training_id}")
    assert _batch_rows(page) == ["Angkatan I", "Angkatan II", "Angkatan III"]

    _timetable(page, training_id, "Angkatan I")
    copy = page.locator("section.copy form")
    target = copy.locator("option", has_text="Angkatan III").get_attribute("value")
    assert target
    copy.locator("select[name=target_batch_id]").select_option(target)
    with page.expect_response(lambda r: r.url.endswith("/copy")) as info:
        copy.locator("button[type=submit]").click()
    assert info.value.status == 200
    done = page.locator("section.copy").get_by_role("status")
    expect(done).to_contain_text("Angkatan III")
    expect(done).to_contain_text("1")
    expect(done.locator(".warnings")).to_have_count(0)

    done.get_by_role("link").click()
    page.wait_for_url(f"**/batches/{target}")
    expect(page.locator("h1")).to_contain_text("Angkatan III")
    day = page.locator("#day-2018-09-17")
    expect(day.locator("h2")).to_contain_text("17 September 2018")
    rows = day.locator("table.sessions tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(SESSION_1)
    expect(rows.first).to_contain_text(SYAHRUL)
    expect(page.locator("#day-2018-09-18 table.sessions")).to_have_count(0)


def step_screenshots(page: Page, training_id: int, artifacts: Path) -> None:
    page.goto(f"/trainings/{training_id}")
    grid = page.locator("section .day .grid-col")
    # 12 and 13 Sept (I and II side by side) and 17 and 18 Sept (III).
    expect(grid).to_have_count(6)
    expect(page.locator(".slot", has_text=SESSION_1)).to_have_count(2)
    page.screenshot(path=str(artifacts / "overview.png"), full_page=True)
    page.locator("#batches a", has_text=re.compile(r"^Angkatan I$")).click()
    page.wait_for_url(re.compile(r"/batches/\d+$"))
    page.locator("#day-2018-09-13 summary").click()
    page.screenshot(path=str(artifacts / "timetable.png"), full_page=True)

    page.set_viewport_size(PHONE)
    page.goto(f"/trainings/{training_id}")
    no_horizontal_overflow(page)
    page.screenshot(path=str(artifacts / "overview-phone.png"), full_page=True)
    page.locator("#batches a", has_text=re.compile(r"^Angkatan I$")).click()
    page.wait_for_url(re.compile(r"/batches/\d+$"))
    page.locator("#day-2018-09-13 summary").click()
    no_horizontal_overflow(page)
    page.screenshot(path=str(artifacts / "timetable-phone.png"), full_page=True)
    for path, shot in ((f"/trainings/{training_id}/edit", "training-form-phone.png"),
                       ("/speakers", "speakers-phone.png"), ("/trainings", "list-phone.png")):
        page.goto(path)
        no_horizontal_overflow(page)
        page.screenshot(path=str(artifacts / shot), full_page=True)


def test_committee_plans_the_padang_training(page: Page, dialogs: list[str],
                                              artifacts: Path) -> None:
    from tests.browser.conftest import ADMIN_PASSWORD

    step_login(page, ADMIN_PASSWORD)
    training_id = step_create_training(page)
    step_add_batches(page, training_id)
    step_add_speakers(page, dialogs)
    step_timetables_and_clash(page, training_id, dialogs)
    step_copy_agenda(page, training_id)
    step_screenshots(page, training_id, artifacts)
    assert dialogs == []


# --- independent checks ------------------------------------------------------------------

def test_logged_out_visitor_is_sent_to_login(page: Page) -> None:
    from tests.browser.conftest import ADMIN_PASSWORD

    response = page.goto("/trainings")
    assert response is not None and response.ok
    assert re.search(r"/login\?next=(%2F|/)trainings$", page.url), page.url
    expect(page.locator("input[name=password]")).to_be_visible()
    expect(page.locator("header nav")).to_have_count(0)
    assert page.context.request.get("/speakers", max_redirects=0).status == 303

    # A deep link survives switching the login page to English and logging in.
    page.goto("/speakers")
    assert re.search(r"/login\?next=(%2F|/)speakers$", page.url), page.url
    page.locator("header .lang a[hreflang=en]").click()
    page.wait_for_url(re.compile(r"/login\?next=(%2F|/)speakers$"))
    expect(page.locator("h1")).to_have_text("Log in")
    page.locator("input[name=email]").fill(ADMIN_EMAIL)
    page.locator("input[name=password]").fill(ADMIN_PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url("**/speakers")
    expect(page.locator("h1")).to_have_text("Narasumber")


def _plan_via_api(api: httpx.Client, title: str, speaker: str) -> dict[str, Any]:
    """A training with one batch and one session, made through the JSON API."""
    r = api.post("/api/trainings", json={
        "title": title, "kind": "workshop", "start_date": "2022-06-14",
        "end_date": "2022-06-16", "venue": "Hotel Swarna Dwipa", "timezone": "WIB"})
    assert r.status_code == 201, r.text
    training = r.json()
    r = api.post(f"/api/trainings/{training['id']}/batches", json={
        "name": "Angkatan I", "start_date": "2022-06-14", "end_date": "2022-06-16",
        "capacity": 144})
    assert r.status_code == 201, r.text
    batch = r.json()
    r = api.post("/api/speakers", json={"name": speaker, "institution": "BKKBN Sumsel"})
    assert r.status_code == 201, r.text
    r = api.post(f"/api/batches/{batch['id']}/sessions", json={
        "title": "Kunjungan Kampung KB Seroja", "date": "2022-06-16", "start_time": "08:00",
        "end_time": "12:00", "kind": "field_visit", "jpl": 5, "speaker_ids": [r.json()["id"]]})
    assert r.status_code == 201, r.text
    return {"training": training, "batch": batch}


def test_language_switch_changes_the_ui(page: Page, live_api: httpx.Client) -> None:
    from service.i18n import catalog

    plan = _plan_via_api(live_api, "Workshop Kampung KB Sumatera Selatan", "Ir. Bambang S.")
    login(page)
    page.goto(f"/batches/{plan['batch']['id']}")
    nav = page.locator("header nav a[href='/trainings']")
    # Indonesian first (the default), whatever the browser asks for.
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("#day-2022-06-14 h2")).to_contain_text("Selasa, 14 Juni 2022")
    expect(page.locator("#day-2022-06-16 td").first).to_have_text("08.00–12.00")
    expect(nav).to_have_text(catalog("id").get("Trainings", "Trainings"))

    page.locator("header .lang a[hreflang=en]").click()
    page.wait_for_url(f"**/batches/{plan['batch']['id']}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(nav).to_have_text("Trainings")
    expect(page.locator("#day-2022-06-14 h2")).to_have_text("Day 1 — Tuesday, 14 June 2022")
    expect(page.locator("#day-2022-06-16 td").first).to_have_text("08:00–12:00")
    expect(page.locator("header .lang strong")).to_have_text("EN")

    page.locator("header .lang a[hreflang=id]").click()
    page.wait_for_url(f"**/batches/{plan['batch']['id']}")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("#day-2022-06-14 h2")).to_contain_text("Selasa, 14 Juni 2022")


def test_agenda_pdf_link_returns_a_pdf(page: Page, live_api: httpx.Client,
                                       live_server: str) -> None:
    plan = _plan_via_api(live_api, "Workshop Penguatan Kampung KB 2022", "Dra. Mediheryanti")
    login(page)
    page.goto(f"/batches/{plan['batch']['id']}")
    link = page.locator(f"a[href$='/batches/{plan['batch']['id']}/agenda.pdf']")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "Kunjungan Kampung KB Seroja" in text
    assert "Dra. Mediheryanti" in text

    # Without the session cookie the PDF is not handed out.
    r = httpx.get(live_server + href, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
