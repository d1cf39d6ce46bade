"""The participant's side: the ticket page, its QR, and the public self-registration form."""

import io
import re
import time
from datetime import datetime, timedelta
from typing import Any

import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import Session

from service.models import Organization, Registration, Training
from service.services import registrations, self_registration
from tests import factories
from tests.checkin_setup import user_of
from tests.helpers import login_page_client
from tests.test_api_planning import PADANG
from tests.test_registrations import AISYAH, person, setup_training


def _token(reg: dict[str, Any]) -> str:
    return str(reg["ticket_url"].rsplit("/t/", 1)[1])


def _registered(db: Session, t: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """Registered through the service, as the API reads the registration."""
    training = db.get(Training, t["id"])
    assert training is not None
    reg = factories.register(db, training, None, **fields)
    factories.committed(db)
    return factories.registration_json(db, reg)


def _row(db: Session, reg: dict[str, Any]) -> Registration:
    row = db.get(Registration, reg["id"])
    assert row is not None
    return row


def test_ticket_page_shows_the_person_batch_and_a_light_qr(api: TestClient, db: Session) -> None:
    t = setup_training(api, db)
    reg = _registered(db, t, AISYAH)
    r = api.get(f"/t/{_token(reg)}")
    assert r.status_code == 200
    assert "Hj. Nur Aisyah, S.Pd." in r.text and "Angkatan 1" in r.text
    # No script but the small deferred one that registers the offline service worker.
    scripts = re.findall(r"<script[^>]*>", r.text)
    assert "<svg" in r.text and scripts == [
        '<script src="/static/js/ticket/register.js" defer>']
    assert len(r.content) < 100_000
    assert r.headers["referrer-policy"] == "no-referrer"


def test_ticket_qr_png_decodes_to_a_code_the_server_accepts(api: TestClient, db: Session) -> None:
    t = setup_training(api, db)
    reg = _registered(db, t, AISYAH)
    png = api.get(f"/t/{_token(reg)}/qr.png")
    assert png.headers["content-type"] == "image/png"
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert len(found) == 1
    r = api.post("/api/tickets/verify", json={"code": found[0].text})
    assert r.status_code == 200, r.text
    assert r.json()["registration_id"] == reg["id"]


def test_cancelled_ticket_has_no_qr_and_its_code_is_refused(api: TestClient, db: Session) -> None:
    t = setup_training(api, db)
    reg = _registered(db, t, AISYAH)
    png = api.get(f"/t/{_token(reg)}/qr.png").content
    code = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))[0].text
    registrations.cancel(db, _row(db, reg))
    factories.committed(db)
    page = api.get(f"/t/{_token(reg)}")
    assert page.status_code == 200 and "<svg" not in page.text
    r = api.post("/api/tickets/verify", json={"code": code})
    assert r.status_code == 409 and r.json()["code"] == "cancelled"


def test_moved_participants_old_code_is_superseded(api: TestClient, db: Session) -> None:
    t = setup_training(api, db)
    reg = _registered(db, t, AISYAH)
    png = api.get(f"/t/{_token(reg)}/qr.png").content
    old = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))[0].text
    training = db.get(Training, t["id"])
    assert training is not None
    registrations.move(db, training, _row(db, reg), t["batches"][1]["id"])
    factories.committed(db)
    r = api.post("/api/tickets/verify", json={"code": old})
    assert r.status_code == 409 and r.json()["code"] == "wrong_batch"


def test_forged_code_is_refused(api: TestClient) -> None:
    r = api.post("/api/tickets/verify", json={"code": "BT1.AAAAAAAAAAAAAAAA"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_ticket"


def test_waitlisted_ticket_explains_the_waiting_list(api: TestClient, db: Session) -> None:
    t = setup_training(api, db, capacities=(1,))
    _registered(db, t, person(1))
    reg = _registered(db, t, person(2))
    page = api.get(f"/t/{_token(reg)}")
    assert "<svg" not in page.text and "daftar tunggu" in page.text.lower()
    assert api.get(f"/t/{_token(reg)}/qr.png").status_code == 404


def test_unknown_ticket_is_404(client: TestClient) -> None:
    assert client.get("/t/" + "x" * 24).status_code == 404
    assert client.get("/t/%3Cscript%3E").status_code == 404


# --- self-registration -------------------------------------------------------------------

def future_training(api: TestClient, db: Session) -> dict[str, Any]:
    """Self-registration closes when a training is over: these tests need one ahead (in
    the organization of `api`'s user, with two batches of 2 seats)."""
    org = db.get(Organization, user_of(api, db).organization_id)
    assert org is not None
    training = factories.training(db, org, title=PADANG["title"], days=7,
                                  start=datetime.now().date() + timedelta(days=30),
                                  categories=(("Kader BKB", 100), "PKB"),
                                  venue=PADANG["venue"], timezone=PADANG["timezone"])
    for n in (1, 2):
        factories.batch(db, training, f"Angkatan {n}", capacity=2)
    factories.committed(db)
    return factories.training_json(db, training)


def _open(client: TestClient, admin: Any, tid: int, **fields: str) -> str:
    csrf = login_page_client(client, admin.email)
    r = client.post(f"/trainings/{tid}/self-registration",
                    data={"csrf_token": csrf, "enabled": "1", **fields}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get(f"/trainings/{tid}/self-registration").text
    match = re.search(r"/daftar/([A-Za-z0-9_-]+)", page)
    assert match
    client.cookies.clear()
    return match.group(1)


def _form(db: Session, **over: str) -> dict[str, str]:
    return {"stamp": self_registration.form_stamp(db, now=time.time() - 30), "website": "",
            "name": "Sukarni", "phone": "0812 7777 1234", "category": "PKB", **over}


def test_self_registration_creates_a_ticket(api: TestClient, client: TestClient,
                                            admin: Any, db: Session) -> None:
    t = future_training(api, db)
    code = _open(client, admin, t["id"])
    assert "Daftar" in client.get(f"/daftar/{code}").text
    r = client.post(f"/daftar/{code}", data=_form(db), follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/t/")
    ticket = client.get(r.headers["location"])
    assert "Sukarni" in ticket.text and "<svg" in ticket.text


def test_self_registration_refuses_a_duplicate_clearly(api: TestClient, client: TestClient,
                                                       admin: Any, db: Session) -> None:
    t = future_training(api, db)
    code = _open(client, admin, t["id"])
    client.post(f"/daftar/{code}", data=_form(db), follow_redirects=False)
    r = client.post(f"/daftar/{code}", data=_form(db, name="SUKARNI"))
    assert r.status_code == 409
    assert "sudah terdaftar" in r.text


def test_honeypot_and_speed_guard_refuse_bots(api: TestClient, client: TestClient,
                                              admin: Any, db: Session) -> None:
    t = future_training(api, db)
    code = _open(client, admin, t["id"])
    assert client.post(f"/daftar/{code}", data=_form(db, website="http://spam")).status_code \
        == 400
    fast = _form(db, stamp=self_registration.form_stamp(db))
    assert client.post(f"/daftar/{code}", data=fast).status_code == 400
    forged = _form(db, stamp=f"{int(time.time()) - 30}.deadbeef")
    assert client.post(f"/daftar/{code}", data=forged).status_code == 400
    total = api.get(f"/api/trainings/{t['id']}/registrations").json()["total"]
    assert total == 0


def test_closed_registration_says_so_and_refuses(api: TestClient, client: TestClient,
                                                 admin: Any, db: Session) -> None:
    t = future_training(api, db)
    yesterday = (datetime.now() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    code = _open(client, admin, t["id"], closes_at=yesterday)
    assert "ditutup" in client.get(f"/daftar/{code}").text
    r = client.post(f"/daftar/{code}", data=_form(db))
    assert r.status_code == 409


def test_self_registration_is_rate_limited(api: TestClient, client: TestClient, admin: Any,
                                           db: Session, monkeypatch: Any) -> None:
    from service.settings import get_settings

    t = future_training(api, db)
    code = _open(client, admin, t["id"])
    monkeypatch.setattr(get_settings(), "selfreg_limit", 2)
    statuses = [client.post(f"/daftar/{code}", data=_form(db, name=f"Kader {n}",
                                                          phone=f"0812777712{n:02d}"),
                            follow_redirects=False).status_code for n in range(3)]
    assert statuses == [303, 303, 429]


def test_unknown_registration_link_is_404(client: TestClient) -> None:
    assert client.get("/daftar/nope").status_code == 404


def test_batch_choice_only_when_allowed(api: TestClient, client: TestClient, admin: Any,
                                        db: Session) -> None:
    t = future_training(api, db)
    b2 = t["batches"][1]["id"]
    code = _open(client, admin, t["id"])
    client.post(f"/daftar/{code}", data=_form(db, batch_id=str(b2)))
    rows = api.get(f"/api/trainings/{t['id']}/registrations").json()["items"]
    assert rows[0]["batch_id"] == t["batches"][0]["id"]
    training = db.get(Training, t["id"])
    assert training is not None and not training.registration_batch_choice


def test_one_form_stamp_makes_one_registration(api: TestClient, client: TestClient,
                                               admin: Any, db: Session) -> None:
    t = future_training(api, db)
    code = _open(client, admin, t["id"])
    form = _form(db)
    assert client.post(f"/daftar/{code}", data=form, follow_redirects=False).status_code == 303
    # The same stamp again (a bot replaying one form, or Back and send): refused, the form
    # comes back with what was typed and a new stamp, and nothing is saved.
    again = client.post(f"/daftar/{code}", data={**form, "name": "Sutini",
                                                 "phone": "0812 7777 9876"})
    assert again.status_code == 409
    assert "sudah dipakai untuk satu pendaftaran" in again.text
    assert 'value="Sutini"' in again.text and form["stamp"] not in again.text
    total = api.get(f"/api/trainings/{t['id']}/registrations").json()["total"]
    assert total == 1


def test_a_duplicate_on_the_public_form_names_nobody(api: TestClient, client: TestClient,
                                                     admin: Any, db: Session) -> None:
    t = future_training(api, db)
    code = _open(client, admin, t["id"])
    nik, phone = "1371015203850001", "0812 6634 1122"
    by_committee = f"/api/trainings/{t['id']}/registrations"
    assert api.post(by_committee, json={"name": "Peserta Dua", "nik": nik,
                                        "phone": phone}).status_code == 201
    by_nik = client.post(f"/daftar/{code}", data=_form(db, name="Orang Lain", nik=nik))
    by_phone = client.post(f"/daftar/{code}", data=_form(db, name="PESERTA DUA", phone=phone))
    for r, said in ((by_nik, "Data ini tidak cocok dengan data yang dimiliki panitia"),
                    (by_phone, "Data ini sudah terdaftar di pelatihan ini")):
        assert r.status_code == 409
        assert said in r.text
        # The name on file: the message used to say "Peserta Dua sudah terdaftar ...".
        assert "Peserta Dua" not in r.text
    # The committee's own API still says who it is.
    dup = api.post(by_committee, json={"name": "Orang Lain", "nik": nik})
    assert dup.status_code == 409 and "Peserta Dua" in dup.json()["message"]
