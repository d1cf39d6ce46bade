"""A committee member keeps a training's participant list in a real browser.

One long flow on a training with two small batches (2 seats each): the empty list,
adding by hand with mistakes and then correctly, a duplicate NIK, filling the batches
until someone waits, cancelling (the first waiting moves up), a refused move into a
full batch, searching by name and NIK tail, the WhatsApp link, correcting details and
the phone layout. Then smaller checks: paging, the pages without JavaScript, `next`.
"""

import re
import secrets
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    DialogPolicy,
    htmx_idle,
    login,
    no_horizontal_overflow,
)

pytestmark = pytest.mark.browser

NURAINI = "Hj. Nur'aini, S.Pd."
XSS = "Hj. Nur'aini <script>alert(1)</script>"


def _unique(prefix: str) -> str:
    # The live server's database is shared by every browser test of the run.
    return f"{prefix} {secrets.token_hex(3)}"


def _nik(female: bool = True) -> str:
    """A well-formed Padang NIK (13 71 ..), random enough not to meet another test's."""
    day = 1 + secrets.randbelow(28) + (40 if female else 0)
    month, year = 1 + secrets.randbelow(12), 60 + secrets.randbelow(40)
    return f"137101{day:02d}{month:02d}{year:02d}{1 + secrets.randbelow(9998):04d}"


def _phone() -> str:
    return "0812" + "".join(secrets.choice("0123456789") for _ in range(8))


def _training(api: httpx.Client, capacities: tuple[int, ...] = (2, 2),
              categories: bool = True) -> dict[str, Any]:
    r = api.post("/api/trainings", json={
        "title": _unique("Pelatihan Kader Kampung KB Kota Padang"), "kind": "pelatihan",
        "start_date": "2018-09-12", "end_date": "2018-09-18",
        "categories": [{"name": "Kader BKB"}, {"name": "PKB"}] if categories else []})
    assert r.status_code == 201, r.text
    training = r.json()
    batches = []
    for n, (capacity, days) in enumerate(zip(capacities, (("2018-09-12", "2018-09-13"),
                                                          ("2018-09-17", "2018-09-18")),
                                             strict=False)):
        r = api.post(f"/api/trainings/{training['id']}/batches", json={
            "name": f"Angkatan {'I' * (n + 1)}", "start_date": days[0], "end_date": days[1],
            "capacity": capacity})
        assert r.status_code == 201, r.text
        batches.append(r.json())
    return {"id": training["id"], "batches": batches}


def _register(api: httpx.Client, training_id: int, name: str, **fields: Any) -> dict[str, Any]:
    r = api.post(f"/api/trainings/{training_id}/registrations", json={"name": name, **fields})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _total(api: httpx.Client, training_id: int, **params: Any) -> int:
    r = api.get(f"/api/trainings/{training_id}/registrations", params=params)
    assert r.status_code == 200, r.text
    return int(r.json()["total"])


def _field_error(page: Page, name: str) -> Any:
    return page.locator(f"label.field.has-error:has([name={name}]) [role=alert]")


def _row(page: Page, name: str) -> Any:
    return page.locator("#registrations tbody tr", has_text=name)


def _submit(page: Page, path_end: str) -> Any:
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.url.endswith(path_end)) as info:
        page.locator("form.reg-form button[type=submit]").click()
    return info.value


def _search(page: Page, text: str) -> None:
    with page.expect_response(lambda r: "/registrations" in r.url
                              and r.request.headers.get("hx-request") == "true"):
        page.locator(".reg-filters input[name=q]").fill(text)
    htmx_idle(page)


# --- steps -------------------------------------------------------------------------------

def step_empty_list(page: Page, tid: int) -> None:
    page.goto(f"/trainings/{tid}/registrations")
    empty = page.locator(".reg-empty")
    expect(empty).to_be_visible()
    expect(empty.locator("a[href$='/registrations/new']")).to_be_visible()
    expect(empty.locator(f"a[href='/trainings/{tid}/import']")).to_be_visible()
    expect(page.locator("#registrations")).to_have_count(0)
    expect(page.locator(f"a[href='/trainings/{tid}/import/template.xlsx']")).to_be_visible()
    expect(page.locator(f"a[href='/trainings/{tid}/assign']").first).to_be_visible()
    # Each batch: its seats and its printable ticket cards; no email button without a
    # mail server (the test server has none), but a hint who can set one up.
    batches = page.locator("#reg-batches tbody tr")
    expect(batches).to_have_count(2)
    expect(batches.first).to_contain_text("0 / 2")
    expect(batches.first.locator("a[href$='/tickets.pdf']")).to_be_visible()
    expect(page.locator(f"form[action='/trainings/{tid}/tickets/email']")).to_have_count(0)
    expect(page.locator("#mail-off")).to_contain_text("SMTP")
    hrefs = page.locator("main a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert not any(h.startswith("/api") for h in hrefs)  # the API wants a bearer token
    page.screenshot(path=str(ARTIFACTS / "registrations-empty.png"), full_page=True)


def step_add_with_mistakes(page: Page, api: httpx.Client, tid: int, nik: str,
                           dialogs: list[str]) -> None:
    page.locator(".page-head a[href$='/registrations/new']").click()
    page.wait_for_url(f"**/trainings/{tid}/registrations/new")
    expect(page.locator("input[name=nik]")).to_have_attribute("inputmode", "numeric")
    expect(page.locator("input[name=phone]")).to_have_attribute("type", "tel")
    expect(page.locator("select[name=category] option")).to_have_text(
        [re.compile("."), "Kader BKB", "PKB"])
    page.locator("input[name=name]").fill(XSS)
    page.locator("input[name=nik]").fill("1371 0145")  # half a NIK
    page.locator("input[name=phone]").fill("0812 3456 7890")
    page.locator("input[name=district]").fill("Koto Tangah")
    response = _submit(page, f"/trainings/{tid}/registrations")
    assert response.status == 422
    expect(_field_error(page, "name")).to_be_visible()
    expect(_field_error(page, "nik")).to_contain_text("16")
    expect(page.locator(".reg-form > .alert-error")).to_be_visible()
    # What was typed stays, shown as text (the markup is never run or parsed).
    expect(page.locator("input[name=name]")).to_have_value(XSS)
    expect(page.locator("input[name=district]")).to_have_value("Koto Tangah")
    assert page.locator("main script").count() == 0
    assert dialogs == []
    page.screenshot(path=str(ARTIFACTS / "registration-form-errors.png"), full_page=True)
    assert _total(api, tid) == 0

    page.locator("input[name=name]").fill(NURAINI)
    page.locator("input[name=nik]").fill(nik)
    page.locator("select[name=gender]").select_option("P")
    page.locator("select[name=category]").select_option("Kader BKB")
    page.locator("input[name=village]").fill("Dadok Tunggul Hitam")
    page.locator("input[name=phone]").fill(_phone())
    page.locator("form.reg-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/trainings/{tid}/registrations\?added=\d+$"))
    flash = page.locator("#flash")
    expect(flash).to_contain_text(NURAINI)
    expect(flash).to_contain_text("Angkatan I")
    row = _row(page, NURAINI)
    expect(row).to_have_count(1)
    expect(row.locator(".badge-confirmed")).to_be_visible()
    expect(row.locator(".chip")).to_have_text("Kader BKB")
    expect(row).to_contain_text("Dadok Tunggul Hitam / Koto Tangah")
    # The NIK shows its last four digits only.
    expect(row.locator("td.reg-nik")).to_have_text(re.compile(rf"^•+{nik[-4:]}$"))
    assert nik not in page.content()


def step_duplicate(page: Page, api: httpx.Client, tid: int, nik: str) -> None:
    page.goto(f"/trainings/{tid}/registrations/new")
    page.locator("input[name=name]").fill("Nuraini")
    page.locator("input[name=nik]").fill(nik)
    response = _submit(page, f"/trainings/{tid}/registrations")
    assert response.status == 409
    alert = page.locator(".reg-form > .alert-error")
    expect(alert).to_contain_text(NURAINI)
    expect(_field_error(page, "nik")).to_contain_text(NURAINI)
    assert _total(api, tid) == 1


def step_fill_until_waitlisted(page: Page, api: httpx.Client, tid: int) -> dict[str, str]:
    people = {"desma": "Desmawati", "rahmi": "Rahmi Yetti", "yusni": "Yusnidar"}
    niks = {}
    for key, name in people.items():
        niks[key] = _nik()
        _register(api, tid, name, nik=niks[key], phone=_phone(), category="PKB")
    page.goto(f"/trainings/{tid}/registrations/new")
    page.locator("input[name=name]").fill("Zulkifli Amran")
    page.locator("input[name=nik]").fill(_nik(female=False))
    page.locator("input[name=phone]").fill(_phone())
    expect(page.locator("select[name=batch_id] option").nth(1)).to_contain_text(
        re.compile(r"Angkatan I\b.*(penuh|full)", re.I))
    page.locator("form.reg-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"\?added=\d+$"))
    expect(page.locator("#flash")).to_contain_text("Zulkifli Amran")
    expect(_row(page, "Zulkifli Amran").locator(".badge-waitlisted")).to_be_visible()
    expect(page.locator(".reg-count-confirmed strong")).to_have_text("4")
    expect(page.locator(".reg-count-waitlisted strong")).to_have_text("1")
    expect(page.locator(".reg-batches .alert-warn")).to_be_visible()
    return niks


def step_cancel_promotes(page: Page, tid: int, dialog_policy: DialogPolicy) -> None:
    # Filter to Angkatan I first: after cancelling, the list keeps that filter.
    batch_select = page.locator(".reg-filters select[name=batch]")
    value = batch_select.locator("option", has_text=re.compile(r"^Angkatan I$"))
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        batch_select.select_option(value.get_attribute("value"))
    expect(page.locator("#registrations tbody tr")).to_have_count(2)
    assert "batch=" in page.url

    row = _row(page, "Desmawati")
    dialog_policy.accept_next = 1
    row.locator(".reg-cancel button").click()
    page.wait_for_url(re.compile(r"batch=\d+.*cancelled=\d+&promoted=\d+$"))
    flash = page.locator("#flash")
    expect(flash).to_contain_text("Desmawati")
    expect(flash).to_contain_text("Zulkifli Amran")
    expect(flash).to_contain_text("Angkatan I")
    expect(_row(page, "Zulkifli Amran").locator(".badge-confirmed")).to_be_visible()
    expect(_row(page, "Desmawati").locator(".badge-cancelled")).to_be_visible()
    # A cancelled registration offers no ticket, WhatsApp, move or cancel.
    expect(_row(page, "Desmawati").locator(".reg-wa, .reg-move, .reg-cancel")).to_have_count(0)
    expect(page.locator(".reg-count-waitlisted strong")).to_have_text("0")


def step_move_refused(page: Page, tid: int) -> None:
    page.goto(f"/trainings/{tid}/registrations")
    row = _row(page, NURAINI)
    expect(row.locator("td[data-label]").nth(3)).to_have_text("Angkatan I")
    form = row.locator("form.reg-move")
    expect(form.locator("option")).to_have_count(1)
    expect(form.locator("option")).to_contain_text("Angkatan II")
    with page.expect_response(lambda r: r.url.endswith("/move")) as info:
        form.locator("button").click()
    assert info.value.status == 409
    alert = _row(page, NURAINI).get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Angkatan II")
    expect(alert).to_contain_text("2")
    row.screenshot(path=str(ARTIFACTS / "registration-move-refused.png"))
    page.reload()
    expect(_row(page, NURAINI).locator("td[data-label]").nth(3)).to_have_text("Angkatan I")


def step_search(page: Page, tid: int, niks: dict[str, str]) -> None:
    page.goto(f"/trainings/{tid}/registrations")
    expect(page.locator("#registrations tbody tr")).to_have_count(5)
    _search(page, "rahmi")
    expect(page.locator("#registrations tbody tr")).to_have_count(1)
    expect(page.locator("#registrations tbody tr")).to_contain_text("Rahmi Yetti")
    expect(page).to_have_url(re.compile(r"q=rahmi"))
    _search(page, niks["yusni"][-4:])
    expect(page.locator("#registrations tbody tr")).to_have_count(1)
    expect(page.locator("#registrations tbody tr")).to_contain_text("Yusnidar")
    _search(page, "tidak ada orang ini")
    expect(page.locator("#registrations")).to_have_count(0)
    expect(page.locator("#reg-table .empty")).to_be_visible()
    _search(page, "")
    expect(page.locator("#registrations tbody tr")).to_have_count(5)
    # The page itself was never reloaded: the search box kept its focus.
    expect(page.locator(".reg-filters input[name=q]")).to_be_focused()


def step_whatsapp(page: Page) -> None:
    link = _row(page, NURAINI).locator("a.reg-wa")
    href = link.get_attribute("href") or ""
    assert href.startswith("https://wa.me/62"), href
    assert "%2Ft%2F" in href  # the message carries the ticket link
    expect(link).to_have_attribute("target", "_blank")
    ticket = _row(page, NURAINI).locator("a[href^='/t/']")
    expect(ticket).to_have_attribute("target", "_blank")
    expect(_row(page, "Desmawati").locator("a.reg-wa")).to_have_count(0)


def step_edit(page: Page, tid: int) -> None:
    _search(page, "yusni")
    _row(page, "Yusnidar").get_by_role("link", name=re.compile("^(Ubah|Edit)$")).click()
    page.wait_for_url(re.compile(r"/registrations/\d+/edit\?next="))
    expect(page.locator(".reg-state .badge-confirmed")).to_be_visible()
    expect(page.locator("input[name=name]")).to_have_value("Yusnidar")
    expect(page.locator("select[name=category]")).to_have_value("PKB")
    expect(page.locator("input[name=phone]")).to_have_value(re.compile(r"^0812 "))
    page.screenshot(path=str(ARTIFACTS / "registration-edit.png"), full_page=True)
    page.locator("input[name=email]").fill("yusnidar@gmail")  # the browser lets it by
    response = _submit(page, "/edit")
    assert response.status == 422
    expect(_field_error(page, "email")).to_be_visible()
    page.locator("input[name=email]").fill("yusnidar@gmail.com")
    page.locator("input[name=district]").fill("Kuranji")
    page.locator("form.reg-form button[type=submit]").click()
    # Back to the list as it was (still searching), with the message.
    page.wait_for_url(re.compile(r"q=yusni.*updated=\d+$"))
    expect(page.locator("#flash")).to_contain_text("Yusnidar")
    expect(_row(page, "Yusnidar")).to_contain_text("Kuranji")
    expect(page.locator(".reg-filters input[name=q]")).to_have_value("yusni")


def step_screens(page: Page, tid: int) -> None:
    page.goto(f"/trainings/{tid}/registrations")
    page.screenshot(path=str(ARTIFACTS / "registrations.png"), full_page=True)
    page.goto(f"/trainings/{tid}/registrations/new")
    page.screenshot(path=str(ARTIFACTS / "registration-form.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.goto(f"/trainings/{tid}/registrations")
    no_horizontal_overflow(page)
    row = _row(page, NURAINI)
    # Each row is a card; its values carry their column name.
    assert row.evaluate("el => getComputedStyle(el).display") == "block"
    page.screenshot(path=str(ARTIFACTS / "registrations-phone.png"), full_page=True)
    page.goto(f"/trainings/{tid}/registrations/new")
    page.locator("input[name=name]").fill("<b>")
    page.locator("form.reg-form button[type=submit]").click()
    expect(_field_error(page, "name")).to_be_visible()
    no_horizontal_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "registration-form-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_committee_keeps_the_participant_list(page: Page, live_api: httpx.Client,
                                              dialogs: list[str],
                                              dialog_policy: DialogPolicy) -> None:
    tid = _training(live_api)["id"]
    nik = _nik()
    login(page)
    step_empty_list(page, tid)
    step_add_with_mistakes(page, live_api, tid, nik, dialogs)
    step_duplicate(page, live_api, tid, nik)
    niks = step_fill_until_waitlisted(page, live_api, tid)
    step_cancel_promotes(page, tid, dialog_policy)
    step_move_refused(page, tid)
    step_search(page, tid, niks)
    step_whatsapp(page)
    step_edit(page, tid)
    step_screens(page, tid)
    assert dialogs == []


# --- smaller checks ----------------------------------------------------------------------

def test_fifty_a_page_and_moving(page: Page, live_api: httpx.Client) -> None:
    training = _training(live_api, capacities=(60, 5), categories=False)
    tid = training["id"]
    for n in range(52):
        _register(live_api, tid, f"Peserta {n:02d}")
    login(page)
    page.goto(f"/trainings/{tid}/registrations")
    expect(page.locator("#registrations tbody tr")).to_have_count(50)
    pages = page.locator(".reg-pages")
    expect(pages).to_contain_text(re.compile(r"1\D+2"))
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        pages.locator("a[rel=next]").click()
    expect(page.locator("#registrations tbody tr")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"page=2$"))
    expect(page.locator(".reg-pages a[rel=prev]")).to_be_visible()
    expect(page.locator(".reg-pages a[rel=next]")).to_have_count(0)
    # Reloading the pushed URL gives the whole page at page 2.
    page.reload()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("#registrations tbody tr")).to_have_count(2)

    # Moving into a batch with room: back on page 2, with the message.
    row = _row(page, "Peserta 51")
    row.locator("form.reg-move select").select_option(str(training["batches"][1]["id"]))
    row.locator("form.reg-move button").click()
    page.wait_for_url(re.compile(r"page=2&moved=\d+$"))
    expect(page.locator("#flash")).to_contain_text("Peserta 51")
    expect(page.locator("#flash")).to_contain_text("Angkatan II")
    expect(_row(page, "Peserta 51").locator("td[data-label]").nth(3)).to_have_text("Angkatan II")
    expect(page.locator("#reg-batches tbody tr").nth(1)).to_contain_text("1 / 5")

    # A page past the end shows the last one; nonsense filters are ignored.
    page.goto(f"/trainings/{tid}/registrations?page=9&status=bogus&batch=x")
    expect(page.locator("#registrations tbody tr")).to_have_count(2)


def test_committee_member_never_sees_a_whole_nik(page: Page, live_api: httpx.Client) -> None:
    tid = _training(live_api, capacities=(5,), categories=False)["id"]
    nik = _nik()
    reg = _register(live_api, tid, "Wirdawati", nik=nik, district="Nanggalo")
    email, password = f"panitia-{secrets.token_hex(3)}@padang.test", secrets.token_hex(8)
    r = live_api.post("/api/users", json={"email": email, "name": "Panitia",
                                          "role": "committee", "password": password})
    assert r.status_code == 201, r.text
    login(page, email, password)
    page.goto(f"/trainings/{tid}/registrations")
    _row(page, "Wirdawati").get_by_role("link", name=re.compile("^(Ubah|Edit)$")).click()
    page.wait_for_url(f"**/registrations/{reg['id']}/edit**")
    expect(page.locator("input[name=nik]")).to_have_value("")
    expect(page.locator("label:has([name=nik]) .hint")).to_contain_text(nik[-4:])
    assert nik not in page.content()
    # Saving with the NIK box left empty keeps the NIK on file.
    page.locator("input[name=district]").fill("Pauh")
    page.locator("form.reg-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"updated=\d+$"))
    row = _row(page, "Wirdawati")
    expect(row).to_contain_text("Pauh")
    expect(row.locator("td.reg-nik")).to_have_text(re.compile(rf"{nik[-4:]}$"))


def test_pages_work_without_javascript(browser: Any, live_server: str,
                                       live_api: httpx.Client) -> None:
    training = _training(live_api, capacities=(1, 1), categories=False)
    tid = training["id"]
    first = _register(live_api, tid, "Ernawati", phone=_phone())
    _register(live_api, tid, "Fitriani", phone=_phone())
    waiting = _register(live_api, tid, "Gusniar", phone=_phone())
    assert waiting["status"] == "waitlisted"
    context = browser.new_context(base_url=live_server, viewport=DESKTOP,
                                  java_script_enabled=False)
    try:
        page = context.new_page()
        login(page)
        page.goto(f"/trainings/{tid}/registrations")
        page.locator(".reg-filters input[name=q]").fill("gusni")
        page.locator(".reg-filters button[type=submit]").click()
        page.wait_for_url(re.compile(r"q=gusni"))
        expect(page.locator("#registrations tbody tr")).to_have_count(1)

        # Placing the waiting person into a full batch: refused beside the row.
        page.locator("#registrations form.reg-move button").click()
        expect(page.locator("#registrations [role=alert]")).to_contain_text("Angkatan")
        expect(page.locator(".reg-filters input[name=q]")).to_have_value("gusni")

        # Cancelling (a plain form): back to the list, the filter kept, the message shown.
        page.goto(f"/trainings/{tid}/registrations?q=ernawati")
        page.locator(f"#reg-{first['id']} form.reg-cancel button").click()
        page.wait_for_url(re.compile(r"q=ernawati&cancelled=\d+&promoted=\d+$"))
        expect(page.locator("#flash")).to_contain_text("Gusniar")

        # `next` only ever leads back into the app.
        token = page.locator("input[name=csrf_token]").first.get_attribute("value") or ""
        for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
            r = page.request.post(f"/registrations/{first['id']}/cancel", max_redirects=0,
                                  form={"csrf_token": token, "next": target})
            assert r.status == 303
            assert r.headers["location"].startswith(f"/trainings/{tid}/registrations?"), \
                r.headers["location"]
        r = page.request.post(f"/registrations/{first['id']}/cancel", max_redirects=0,
                              form={"csrf_token": "wrong", "next": "/"})
        assert r.status == 403
        assert page.request.get("/registrations/999999999/edit").status == 404
        for query in ("page=abc", "page=" + "9" * 5000, "batch=%C2%B2", "added=%C2%B2&q=%00"):
            assert page.request.get(f"/trainings/{tid}/registrations?{query}").status == 200
    finally:
        context.close()

