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

from service.models import Training
from service.services import self_registration
from tests.helpers import login_page_client
from tests.test_api_planning import make_batch, make_training
from tests.test_registrations import AISYAH, person, register, setup_training


def _token(reg: dict[str, Any]) -> str:
    return str(reg["ticket_url"].rsplit("/t/", 1)[1])


def test_ticket_page_shows_the_person_batch_and_a_light_qr(api: TestClient) -> None:
    t = setup_training(api)
    reg = register(api, t["id"], AISYAH).json()
    r = api.get(f"/t/{_token(reg)}")
    assert r.status_code == 200
    assert "Hj. Nur Aisyah, S.Pd." in r.text and "Angkatan 1" in r.text
    assert "<svg" in r.text and "<script" not in r.text
    assert len(r.content) < 100_000
    assert r.headers["referrer-policy"] == "no-referrer"


def test_ticket_qr_png_decodes_to_a_code_the_server_accepts(api: TestClient) -> None:
    t = setup_training(api)
    reg = register(api, t["id"], AISYAH).json()
    png = api.get(f"/t/{_token(reg)}/qr.png")
    assert png.headers["content-type"] == "image/png"
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert len(found) == 1
    r = api.post("/api/tickets/verify", json={"code": found[0].text})
    assert r.status_code == 200, r.text
    assert r.json()["registration_id"] == reg["id"]


def test_cancelled_ticket_has_no_qr_and_its_code_is_refused(api: TestClient) -> None:
    t = setup_training(api)
    reg = register(api, t["id"], AISYAH).json()
    png = api.get(f"/t/{_token(reg)}/qr.png").content
    code = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))[0].text
    api.post(f"/api/registrations/{reg['id']}/cancel")
    page = api.get(f"/t/{_token(reg)}")
    assert page.status_code == 200 and "<svg" not in page.text
    r = api.post("/api/tickets/verify", json={"code": code})
    assert r.status_code == 409 and r.json()["code"] == "cancelled"


def test_moved_participants_old_code_is_superseded(api: TestClient) -> None:
    t = setup_training(api)
    reg = register(api, t["id"], AISYAH).json()
    png = api.get(f"/t/{_token(reg)}/qr.png").content
    old = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))[0].text
    api.post(f"/api/registrations/{reg['id']}/move", json={"batch_id": t["batches"][1]["id"]})
    r = api.post("/api/tickets/verify", json={"code": old})
    assert r.status_code == 409 and r.json()["code"] == "wrong_batch"


def test_forged_code_is_refused(api: TestClient) -> None:
    r = api.post("/api/tickets/verify", json={"code": "BT1.AAAAAAAAAAAAAAAA"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_ticket"


def test_waitlisted_ticket_explains_the_waiting_list(api: TestClient) -> None:
    t = setup_training(api, capacities=(1,))
    register(api, t["id"], person(1))
    reg = register(api, t["id"], person(2)).json()
    page = api.get(f"/t/{_token(reg)}")
    assert "<svg" not in page.text and "daftar tunggu" in page.text.lower()
    assert api.get(f"/t/{_token(reg)}/qr.png").status_code == 404


def test_unknown_ticket_is_404(client: TestClient) -> None:
    assert client.get("/t/" + "x" * 24).status_code == 404
    assert client.get("/t/%3Cscript%3E").status_code == 404


# --- self-registration -------------------------------------------------------------------

def future_training(api: TestClient) -> dict[str, Any]:
    """Self-registration closes when a training is over: these tests need one ahead."""
    start = datetime.now().date() + timedelta(days=30)
    end = start + timedelta(days=6)
    t = make_training(api, start_date=start.isoformat(), end_date=end.isoformat())
    t["batches"] = [make_batch(api, t["id"], f"Angkatan {n}", start.isoformat(),
                               (start + timedelta(days=1)).isoformat(), capacity=2)
                    for n in (1, 2)]
    return t


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
    t = future_training(api)
    code = _open(client, admin, t["id"])
    assert "Daftar" in client.get(f"/daftar/{code}").text
    r = client.post(f"/daftar/{code}", data=_form(db), follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/t/")
    ticket = client.get(r.headers["location"])
    assert "Sukarni" in ticket.text and "<svg" in ticket.text


def test_self_registration_refuses_a_duplicate_clearly(api: TestClient, client: TestClient,
                                                       admin: Any, db: Session) -> None:
    t = future_training(api)
    code = _open(client, admin, t["id"])
    client.post(f"/daftar/{code}", data=_form(db), follow_redirects=False)
    r = client.post(f"/daftar/{code}", data=_form(db, name="SUKARNI"))
    assert r.status_code == 409
    assert "sudah terdaftar" in r.text


def test_honeypot_and_speed_guard_refuse_bots(api: TestClient, client: TestClient,
                                              admin: Any, db: Session) -> None:
    t = future_training(api)
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
    t = future_training(api)
    yesterday = (datetime.now() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    code = _open(client, admin, t["id"], closes_at=yesterday)
    assert "ditutup" in client.get(f"/daftar/{code}").text
    r = client.post(f"/daftar/{code}", data=_form(db))
    assert r.status_code == 409


def test_self_registration_is_rate_limited(api: TestClient, client: TestClient, admin: Any,
                                           db: Session, monkeypatch: Any) -> None:
    from service.settings import get_settings

    t = future_training(api)
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
    t = future_training(api)
    b2 = t["batches"][1]["id"]
    code = _open(client, admin, t["id"])
    client.post(f"/daftar/{code}", data=_form(db, batch_id=str(b2)))
    rows = api.get(f"/api/trainings/{t['id']}/registrations").json()["items"]
    assert rows[0]["batch_id"] == t["batches"][0]["id"]
    training = db.get(Training, t["id"])
    assert training is not None and not training.registration_batch_choice
