"""A participant's phone: self-registering, then opening the ticket and showing its QR.

The QR is read back from a screenshot (zxing-cpp), as a door scanner's camera would,
and the server must accept the code it holds.
"""

import io
import secrets
import time
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, Route, expect

from service.services.self_registration import sign_stamp
from tests.browser.conftest import ARTIFACTS, PHONE, SECRET_KEY, login, no_horizontal_overflow

pytestmark = pytest.mark.browser


def _future_training(live_api: httpx.Client) -> dict[str, Any]:
    start = date.today() + timedelta(days=20)
    t = live_api.post("/api/trainings", json={
        "title": "Bimtek Pengelola Kampung KB Kota Pontianak", "kind": "bimtek",
        "start_date": start.isoformat(), "end_date": (start + timedelta(days=1)).isoformat(),
        "venue": "Rumah Makan Aroma Sungai Kapuas", "timezone": "WIB",
        "categories": [{"name": "Pengelola Kampung KB", "quota": 50}]}).json()
    for name, seats in (("Angkatan Pontianak Barat", 1), ("Angkatan Pontianak Kota", 25)):
        r = live_api.post(f"/api/trainings/{t['id']}/batches", json={
            "name": name, "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=1)).isoformat(), "capacity": seats})
        assert r.status_code == 201, r.text
    return t


def _enable_self_registration(page: Page, training_id: int) -> str:
    login(page)
    page.goto(f"/trainings/{training_id}/self-registration")
    page.locator("input[name=enabled]").check()
    page.locator("input[name=batch_choice]").check()
    page.locator("form.card button[type=submit]").click()
    link = page.locator("#public-link a").first
    expect(link).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "self-registration-settings.png"), full_page=True)
    return str(link.get_attribute("href"))


def _stamped_in_the_future(route: Route) -> None:
    """Send the form on with its stamp replaced by one issued a minute from now."""
    if route.request.method != "POST":
        route.continue_()
        return
    fields = parse_qsl(route.request.post_data or "", keep_blank_values=True)
    stamp = sign_stamp(SECRET_KEY, int(time.time()) + 60, secrets.token_urlsafe(12))
    route.continue_(post_data=urlencode(
        [(k, stamp if k == "stamp" else v) for k, v in fields]))


def test_register_on_a_phone_then_show_the_ticket_qr(browser: Any, page: Page,
                                                     live_server: str,
                                                     live_api: httpx.Client) -> None:
    t = _future_training(live_api)
    url = _enable_self_registration(page, t["id"])

    phone = browser.new_context(base_url=live_server, viewport=PHONE, locale="id-ID",
                                java_script_enabled=False)  # a cheap phone: no script needed
    p = phone.new_page()
    p.goto(url)
    expect(p.get_by_role("heading", name="Daftar sebagai peserta")).to_be_visible()
    no_horizontal_overflow(p)
    p.locator("#f-name").fill("Hj. Nur'aini <b>Syafii</b>, S.Pd.")
    p.locator("#f-nik").fill("6171015203850001")
    p.locator("#f-phone").fill("0812 6634 1122")
    p.locator("#f-category").select_option("Pengelola Kampung KB")
    p.locator("#f-batch").select_option(label="Angkatan Pontianak Kota — sisa 25 kursi")
    p.locator("#f-district").fill("Pontianak Kota")
    p.screenshot(path=str(ARTIFACTS / "self-registration-phone.png"), full_page=True)
    # Too fast for a person: the time check refuses it and keeps what was typed. Filling
    # the form may take longer than a person's minimum on a slow machine, so the form goes
    # out stamped as rendered a minute from now: always too fast.
    p.route("**/daftar/*", _stamped_in_the_future)
    p.locator("button[type=submit]").click()
    expect(p.get_by_role("alert")).to_contain_text("terlalu cepat")
    p.unroute("**/daftar/*", _stamped_in_the_future)
    assert p.locator("#f-name").input_value() == "Hj. Nur'aini <b>Syafii</b>, S.Pd."
    p.wait_for_timeout(3200)
    p.locator("button[type=submit]").click()
    expect(p.locator(".has-error .err")).to_contain_text("Nama tidak boleh")  # markup in a name
    p.wait_for_timeout(3200)
    p.locator("#f-name").fill("Hj. Nur'aini Syafii, S.Pd.")
    p.locator("button[type=submit]").click()

    expect(p.locator("#participant-name")).to_have_text("Hj. Nur'aini Syafii, S.Pd.")
    expect(p.get_by_text("pendaftaran Anda sudah diterima")).to_be_visible()
    expect(p.get_by_text("Angkatan Pontianak Kota")).to_be_visible()
    no_horizontal_overflow(p)
    response = p.request.get(p.url)
    assert len(response.body()) < 100_000
    p.screenshot(path=str(ARTIFACTS / "ticket-phone.png"), full_page=True)

    qr = p.locator("#ticket-qr")
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert len(found) == 1
    verified = live_api.post("/api/tickets/verify", json={"code": found[0].text})
    assert verified.status_code == 200, verified.text
    assert verified.json()["name"] == "Hj. Nur'aini Syafii, S.Pd."

    # The same person again is caught, with a clear message and no second ticket.
    p.go_back()
    p.goto(url)
    p.locator("#f-name").fill("HJ. NUR'AINI SYAFII, S.PD.")
    p.locator("#f-phone").fill("+62 812-6634-1122")
    p.locator("#f-category").select_option("Pengelola Kampung KB")
    p.wait_for_timeout(3200)
    p.locator("button[type=submit]").click()
    expect(p.get_by_role("alert")).to_contain_text("sudah terdaftar")
    phone.close()
    items = live_api.get(f"/api/trainings/{t['id']}/registrations").json()["items"]
    assert [i["name"] for i in items] == ["Hj. Nur'aini Syafii, S.Pd."]
