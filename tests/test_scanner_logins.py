"""Door logins (scanner accounts limited to one training, signed in by a one-time link),
where a scanner lands after logging in, and the training's check-in mode."""

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.models import (
    AuthToken,
    Batch,
    CheckIn,
    Organization,
    Participant,
    Registration,
    Training,
    User,
)
from service.services import scanner_logins
from tests import factories
from tests.conftest import PASSWORD
from tests.helpers import login_page_client, post_login


def _training(db: Session, org: Organization,
              title: str = "Pelatihan Kader Kampung KB Kota Padang", start_in: int = 10,
              days: int = 2) -> dict[str, Any]:
    """A training `start_in` days from today with one batch over all its `days`, as the
    API reads it, with "batch_id" (built through the services)."""
    training = factories.training(db, org, title=title, days=days, categories=(),
                                  start=date.today() + timedelta(days=start_in))
    batch = factories.batch(db, training, days=days, capacity=110)
    factories.committed(db)
    return {**factories.training_json(db, training), "batch_id": batch.id}


def _door_login(api: TestClient, training_id: int, name: str = "Gerbang 2") -> dict[str, Any]:
    r = api.post(f"/api/trainings/{training_id}/scanner-logins", json={"name": name})
    assert r.status_code == 201, r.text
    return r.json()


def _path(login_url: str) -> str:
    return "/" + login_url.split("/", 3)[3]


@pytest.fixture
def phone(app: Any) -> Iterator[TestClient]:
    """A second device with its own cookies: the staff phone at the gate."""
    with TestClient(app) as c:
        yield c


def _sign_in(phone: TestClient, login_url: str) -> Any:
    return phone.post(_path(login_url), follow_redirects=False)


# --- creating and listing ------------------------------------------------------------------


def test_committee_creates_a_door_login_with_a_one_time_link(api: TestClient,
                                                            db: Session, org: Any) -> None:
    t = _training(db, org)
    created = _door_login(api, t["id"], "  Meja registrasi ")
    assert created["name"] == "Meja registrasi"
    assert re.fullmatch(r"http://testserver/scan/login/[A-Za-z0-9_-]{40,}", created["login_url"])
    expires = datetime.fromisoformat(created["expires_at"])
    assert timedelta(days=2) < expires - datetime.now(UTC) <= timedelta(days=3)

    user = db.get(User, created["id"])
    assert user is not None and user.role == "scanner" and user.training_id == t["id"]
    assert user.email.startswith("scanner-") and user.email.endswith(".scanner.invalid")
    assert not user.password_hash.startswith("$argon2")  # no password can ever match it
    raw = created["login_url"].rsplit("/", 1)[1]
    stored = db.exec(select(AuthToken).where(AuthToken.user_id == user.id)).all()
    assert [s.kind for s in stored] == ["setup"] and stored[0].token_hash != raw
    assert raw not in stored[0].token_hash

    listed = api.get(f"/api/trainings/{t['id']}/scanner-logins").json()
    assert [(x["name"], x["is_active"], x["last_sign_in_at"]) for x in listed] == [
        ("Meja registrasi", True, None)]
    assert listed[0]["link_expires_at"] is not None


def test_the_link_expires_with_the_training(api: TestClient, db: Session, org: Any) -> None:
    t = _training(db, org, start_in=0, days=1)  # today only: over at midnight after tomorrow
    created = _door_login(api, t["id"])
    expires = datetime.fromisoformat(created["expires_at"])
    assert expires - datetime.now(UTC) <= timedelta(days=2, hours=8)


def test_a_committee_member_may_add_door_logins(client: TestClient, db: Session, org: Any,
                                                api: TestClient) -> None:
    from service.services.auth import create_user

    t = _training(db, org)
    create_user(db, email="panitia@padang.test", password=PASSWORD, name="Panitia",
                role="committee", organization=org)
    token = client.post("/api/auth/token", data={"username": "panitia@padang.test",
                                                 "password": PASSWORD}).json()["access_token"]
    r = client.post(f"/api/trainings/{t['id']}/scanner-logins", json={"name": "Gerbang 1"},
                    headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text


# --- the phone signs in --------------------------------------------------------------------


def test_the_link_signs_a_phone_in_once(api: TestClient, phone: TestClient,
                                        db: Session, org: Any) -> None:
    t = _training(db, org)
    created = _door_login(api, t["id"])
    confirm = phone.get(_path(created["login_url"]))
    assert confirm.status_code == 200 and "Gerbang 2" in confirm.text
    assert t["title"] in confirm.text and confirm.headers["cache-control"] == "no-store"

    r = _sign_in(phone, created["login_url"])
    assert r.status_code == 303 and r.headers["location"] == f"/scan?training={t['id']}"
    assert phone.cookies.get("bimtek_session")
    home = phone.get("/", follow_redirects=False)
    assert home.headers["location"] == f"/scan?training={t['id']}"

    again = _sign_in(phone, created["login_url"])
    assert again.status_code == 410 and "sudah dipakai" in again.text
    stranger = TestClient(phone.app)
    assert stranger.get(_path(created["login_url"])).status_code == 410
    assert stranger.post(_path(created["login_url"])).status_code == 410
    assert not stranger.cookies.get("bimtek_session")

    listed = api.get(f"/api/trainings/{t['id']}/scanner-logins").json()[0]
    assert listed["last_sign_in_at"] is not None and listed["link_expires_at"] is None
    # The phone's session ends when the training is over, not weeks later.
    session = db.exec(select(AuthToken).where(AuthToken.user_id == created["id"],
                                              AuthToken.kind == "session")).one()
    over = scanner_logins.training_over_at(db.get(Training, t["id"]))  # type: ignore[arg-type]
    expires = session.expires_at
    assert (expires if expires.tzinfo else expires.replace(tzinfo=UTC)) <= over


def test_an_unknown_or_expired_link_gives_a_clear_page(api: TestClient, phone: TestClient,
                                                      db: Session, org: Any) -> None:
    unknown = phone.get("/scan/login/not-a-real-link")
    assert unknown.status_code == 404 and "tidak berlaku" in unknown.text
    assert phone.get("/scan/login/" + "x" * 300).status_code == 404

    t = _training(db, org)
    created = _door_login(api, t["id"])
    token = db.exec(select(AuthToken).where(AuthToken.user_id == created["id"])).one()
    token.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.add(token)
    db.flush()
    page = phone.get(_path(created["login_url"]))
    assert page.status_code == 410 and "kedaluwarsa" in page.text
    assert _sign_in(phone, created["login_url"]).status_code == 410
    assert not phone.cookies.get("bimtek_session")


def test_a_new_link_replaces_the_old_one(api: TestClient, phone: TestClient, db: Session,
                                         org: Any) -> None:
    t = _training(db, org)
    first = _door_login(api, t["id"])
    second = api.post(f"/api/scanner-logins/{first['id']}/link")
    assert second.status_code == 201 and second.json()["login_url"] != first["login_url"]
    assert _sign_in(phone, first["login_url"]).status_code == 410
    assert _sign_in(phone, second.json()["login_url"]).status_code == 303


def test_revoking_stops_the_phone_at_once(api: TestClient, phone: TestClient, db: Session,
                                          org: Any) -> None:
    t = _training(db, org)
    created = _door_login(api, t["id"])
    spare = api.post(f"/api/scanner-logins/{created['id']}/link").json()  # an unused link
    _sign_in(phone, created["login_url"])  # replaced: refused
    assert _sign_in(phone, spare["login_url"]).status_code == 303
    assert phone.get("/", follow_redirects=False).headers["location"].startswith("/scan")
    # A scanner is not a planner: it may not open the committee's pages.
    assert phone.get("/trainings", follow_redirects=False).status_code == 403

    assert api.delete(f"/api/scanner-logins/{created['id']}").status_code == 204
    gone = phone.get("/trainings", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"].startswith("/login")
    assert phone.get("/", follow_redirects=False).headers["location"] == "/login"

    listed = api.get(f"/api/trainings/{t['id']}/scanner-logins").json()[0]
    assert listed["is_active"] is False
    refused = api.post(f"/api/scanner-logins/{created['id']}/link")
    assert refused.status_code == 409 and refused.json()["code"] == "login_revoked"
    assert api.delete(f"/api/scanner-logins/{created['id']}").status_code == 204  # idempotent


def test_a_revoked_logins_unused_link_says_so(api: TestClient, phone: TestClient, db: Session,
                                              org: Any) -> None:
    t = _training(db, org)
    created = _door_login(api, t["id"])
    api.delete(f"/api/scanner-logins/{created['id']}")
    page = phone.get(_path(created["login_url"]))
    assert page.status_code == 410 and "dicabut" in page.text


def test_a_scanner_sees_only_its_training(api: TestClient, phone: TestClient, db: Session,
                                          org: Any) -> None:
    mine, other = _training(db, org), _training(db, org, title="Bimtek Pengelola Kampung KB")
    created = _door_login(api, mine["id"])
    _sign_in(phone, created["login_url"])
    # The committee's pages and API are closed to a scanner, whatever the training.
    for tid in (mine["id"], other["id"]):
        assert phone.get(f"/trainings/{tid}/scanners", follow_redirects=False).status_code == 403
    assert phone.get(f"/api/trainings/{other['id']}/scanner-logins").status_code == 401
    # The check-in API answers for its own training only; another is simply not there.
    assert phone.get(f"/api/batches/{other['batch_id']}/manifest").status_code == 404
    own = phone.get(f"/api/batches/{mine['batch_id']}/manifest")
    assert own.status_code == 200, own.text


def test_another_organization_gets_404(api: TestClient, client: TestClient, db: Session,
                                       admin: Any, org: Any) -> None:
    from service.services.auth import create_admin

    t = _training(db, org)
    created = _door_login(api, t["id"])
    create_admin(db, "admin@pontianak.test", PASSWORD, "DP3AP2KB Kota Pontianak")
    token = client.post("/api/auth/token", data={"username": "admin@pontianak.test",
                                                 "password": PASSWORD}).json()["access_token"]
    other = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/trainings/{t['id']}/scanner-logins", headers=other).status_code == 404
    assert client.post(f"/api/trainings/{t['id']}/scanner-logins", json={"name": "X"},
                       headers=other).status_code == 404
    assert client.post(f"/api/scanner-logins/{created['id']}/link",
                       headers=other).status_code == 404
    assert client.delete(f"/api/scanner-logins/{created['id']}", headers=other).status_code == 404
    # Only door logins go through these endpoints: not the admin's own account.
    assert api.delete(f"/api/scanner-logins/{admin.id}").status_code == 404
    assert api.delete("/api/scanner-logins/999999").status_code == 404
    assert db.get(User, created["id"]).is_active  # type: ignore[union-attr]


# --- bad input -----------------------------------------------------------------------------


def test_bad_input_is_a_422_in_indonesian(api: TestClient, db: Session, org: Any) -> None:
    t = _training(db, org)
    url = f"/api/trainings/{t['id']}/scanner-logins"
    missing = api.post(url, json={})
    assert missing.status_code == 422 and "Isian ini wajib diisi" in missing.json()["message"]
    blank = api.post(url, json={"name": "   "})
    assert blank.status_code == 422
    long = api.post(url, json={"name": "G" * 81})
    assert long.status_code == 422 and "maksimal 80 karakter" in long.json()["message"]
    assert api.post(url, content=b"[1, 2", headers={"content-type": "application/json"}
                    ).status_code == 422
    _door_login(api, t["id"], "Gerbang 1")
    twice = api.post(url, json={"name": "gerbang 1"})
    assert twice.status_code == 422 and twice.json()["code"] == "duplicate"
    assert "Gerbang 1" in twice.json()["message"] and "sudah" in twice.json()["message"]
    english = api.post(url, json={}, headers={"Accept-Language": "en"})
    assert "This field is required." in english.json()["message"]
    assert api.post("/api/trainings/999999/scanner-logins", json={"name": "X"}).status_code == 404
    assert api.post("/api/scanner-logins/abc/link").status_code == 422


def test_no_door_login_after_the_training_is_over(api: TestClient, db: Session, org: Any) -> None:
    t = _training(db, org, start_in=-10)
    r = api.post(f"/api/trainings/{t['id']}/scanner-logins", json={"name": "Gerbang 1"})
    assert r.status_code == 409 and r.json()["code"] == "training_over"
    assert "sudah selesai" in r.json()["message"]


# --- the committee's page ------------------------------------------------------------------


def test_door_logins_page_escapes_names_and_shows_the_qr(client: TestClient, admin: Any,
                                                         db: Session, org: Any) -> None:
    t = _training(db, org)
    csrf = login_page_client(client, admin.email)
    empty = client.get(f"/trainings/{t['id']}/scanners")
    assert empty.status_code == 200 and 'id="add-login"' in empty.text

    r = client.post(f"/trainings/{t['id']}/scanners",
                    data={"name": "<script>alert(1)</script>", "csrf_token": csrf},
                    headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.text  # the HTMX fragment only
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "<svg" in r.text and 'id="login-url"' in r.text
    url = re.search(r'id="login-url"[^>]*>([^<]+)<', r.text)
    assert url and "/scan/login/" in url.group(1)

    # The phone's confirmation page escapes it too.
    phone = TestClient(client.app)
    page = phone.get(_path(url.group(1)))
    assert "&lt;script&gt;" in page.text and "<script>alert" not in page.text

    # The list keeps no link (only its hash is stored), and still escapes the name.
    listed = client.get(f"/trainings/{t['id']}/scanners")
    assert "&lt;script&gt;" in listed.text and "/scan/login/" not in listed.text

    bad = client.post(f"/trainings/{t['id']}/scanners", data={"name": "", "csrf_token": csrf})
    assert bad.status_code == 422 and "Isian ini wajib diisi" in bad.text
    forged = client.post(f"/trainings/{t['id']}/scanners", data={"name": "Gerbang 9"},
                         follow_redirects=False)
    assert forged.status_code == 403


def test_page_new_link_and_revoke(client: TestClient, admin: Any, db: Session,
                                  api_headers: dict[str, str], org: Any) -> None:
    api = TestClient(client.app, headers=api_headers)
    t, other = _training(db, org), _training(db, org, title="Workshop Kampung KB")
    created = _door_login(api, t["id"], "Gerbang 3")
    csrf = login_page_client(client, admin.email)
    fresh = client.post(f"/trainings/{t['id']}/scanners/{created['id']}/link",
                        data={"csrf_token": csrf})
    assert fresh.status_code == 200 and "/scan/login/" in fresh.text
    # Through another training's URL the login is not found.
    assert client.post(f"/trainings/{other['id']}/scanners/{created['id']}/revoke",
                       data={"csrf_token": csrf}).status_code == 404
    gone = client.post(f"/trainings/{t['id']}/scanners/{created['id']}/revoke",
                       data={"csrf_token": csrf})
    assert gone.status_code == 200 and "Dicabut" in gone.text
    assert db.get(User, created["id"]).is_active is False  # type: ignore[union-attr]


# --- where a scanner lands, and the nav ----------------------------------------------------


def test_users_page_limits_a_scanner_to_one_training(client: TestClient, admin: Any,
                                                     api_headers: dict[str, str],
                                                     db: Session, org: Any) -> None:
    api = TestClient(client.app, headers=api_headers)
    t = _training(db, org, title="Workshop Kampung KB Palembang")
    csrf = login_page_client(client, admin.email)
    page = client.get("/users")
    assert f'<option value="{t["id"]}">Workshop Kampung KB Palembang</option>' in page.text
    r = client.post("/users", data={"name": "Petugas Pintu", "email": "pintu@padang.test",
                                    "role": "scanner", "training_id": str(t["id"]),
                                    "password": "a-good-password", "csrf_token": csrf})
    assert r.status_code == 200 and "hanya Workshop Kampung KB Palembang" in r.text
    user = db.exec(select(User).where(User.email == "pintu@padang.test")).one()
    assert user.training_id == t["id"]
    listed = {u["email"]: u for u in api.get("/api/users").json()}
    assert listed["pintu@padang.test"]["training_id"] == t["id"]

    # A committee member is never limited, whatever the form sends.
    client.post("/users", data={"name": "Sekretaris", "email": "sek@padang.test",
                                "role": "committee", "training_id": str(t["id"]),
                                "password": "a-good-password", "csrf_token": csrf})
    assert db.exec(select(User).where(User.email == "sek@padang.test")).one().training_id is None
    bad = client.post("/users", data={"name": "X", "email": "x@padang.test", "role": "scanner",
                                      "training_id": "999999", "password": "a-good-password",
                                      "csrf_token": csrf})
    assert bad.status_code == 422 and "Pilih pelatihan dari daftar" in bad.text
    nonsense = api.post("/api/users", json={"name": "X", "email": "y@padang.test",
                                            "role": "scanner", "training_id": "satu",
                                            "password": "a-good-password"})
    assert nonsense.status_code == 422

    # Logging in through /login, the scanner lands on the scanner set to its training.
    gate = TestClient(client.app)
    r = post_login(gate, "pintu@padang.test", "a-good-password")
    assert r.status_code == 303 and r.headers["location"] == f"/scan?training={t['id']}"
    r = gate.get("/trainings")
    assert r.status_code == 403
    nav = re.search(r"<nav>(.*?)</nav>", r.text, re.S)
    assert nav and re.findall(r'href="([^"]+)"', nav.group(1)) == ["/scan"]


def test_committee_nav_has_the_scanner(client: TestClient, admin: Any) -> None:
    login_page_client(client, admin.email)
    nav = re.search(r"<nav>(.*?)</nav>", client.get("/trainings").text, re.S)
    assert nav and "/scan" in nav.group(1) and "Pindai" in nav.group(1)
    assert "/settings" in nav.group(1)  # an admin's way to /users and the rest


def test_login_keeps_a_scan_target_for_a_scanner(client: TestClient, db: Session,
                                                 org: Any) -> None:
    from service.services.auth import create_user

    create_user(db, email="pindai@padang.test", password=PASSWORD, name="Pindai",
                role="scanner", organization=org)
    r = post_login(client, "pindai@padang.test", next="/scan?batch=4")
    assert r.headers["location"] == "/scan?batch=4"
    r = post_login(client, "pindai@padang.test", next="https://evil.example/scan")
    assert r.headers["location"] == "/scan"


# --- deleting a training -------------------------------------------------------------------


def test_deleting_a_training_asks_to_revoke_its_door_logins_first(api: TestClient,
                                                                  db: Session, org: Any) -> None:
    t = _training(db, org)
    created = _door_login(api, t["id"])
    refused = api.delete(f"/api/trainings/{t['id']}")
    assert refused.status_code == 409 and "cabut" in refused.json()["message"]
    api.delete(f"/api/scanner-logins/{created['id']}")
    assert api.delete(f"/api/trainings/{t['id']}").status_code == 204
    assert db.get(User, created["id"]) is None
    assert db.exec(select(AuthToken).where(AuthToken.user_id == created["id"])).first() is None


# --- check-in mode -------------------------------------------------------------------------


def test_checkin_mode_through_the_api(api: TestClient) -> None:
    start = (date.today() + timedelta(days=10)).isoformat()
    body = {"kind": "pelatihan", "start_date": start, "end_date": start}
    t = api.post("/api/trainings", json={**body, "title": "Pelatihan Kader"}).json()
    assert t["checkin_mode"] == "day"
    s = api.post("/api/trainings", json={**body, "title": "Pembinaan per sesi",
                                         "checkin_mode": "session"}).json()
    assert api.get(f"/api/trainings/{s['id']}").json()["checkin_mode"] == "session"
    body = {k: s[k] for k in ("title", "kind", "start_date", "end_date")}
    r = api.put(f"/api/trainings/{s['id']}", json={**body, "checkin_mode": "day"})
    assert r.status_code == 200 and r.json()["checkin_mode"] == "day"
    bad = api.put(f"/api/trainings/{s['id']}", json={**body, "checkin_mode": "hourly"})
    assert bad.status_code == 422 and "Pilih salah satu" in bad.json()["message"]
    assert bad.json()["errors"][0]["field"] == "checkin_mode"


def test_checkin_mode_through_the_form(client: TestClient, admin: Any, db: Session) -> None:
    csrf = login_page_client(client, admin.email)
    form = client.get("/trainings/new")
    assert 'name="checkin_mode"' in form.text and 'value="day" selected' in form.text
    start = date.today() + timedelta(days=30)
    values = {"title": "Pelatihan Pokja Kampung KB", "kind": "pelatihan",
              "start_date": start.isoformat(), "end_date": start.isoformat(),
              "timezone": "Asia/Jakarta", "checkin_mode": "session", "csrf_token": csrf}
    r = client.post("/trainings", data=values, follow_redirects=False)
    assert r.status_code == 303, r.text
    training = db.exec(select(Training).where(Training.title == values["title"])).one()
    assert training.checkin_mode == "session"
    edit = client.get(f"/trainings/{training.id}/edit")
    assert 'value="session" selected' in edit.text
    # Saving the form without touching the select keeps the mode.
    r = client.post(f"/trainings/{training.id}/edit", data=values, follow_redirects=False)
    assert r.status_code == 303 and training.checkin_mode == "session"
    bad = client.post(f"/trainings/{training.id}/edit", data={**values, "checkin_mode": "x"})
    assert bad.status_code == 422 and "Pilih salah satu" in bad.text


def test_checkin_mode_is_locked_once_people_are_checked_in(api: TestClient, db: Session,
                                                          org: Any) -> None:
    t = _training(db, org)
    person = Participant(organization_id=org.id, name="Siti Aminah")
    db.add(person)
    db.flush()
    reg = Registration(training_id=t["id"], participant_id=person.id, batch_id=t["batch_id"],
                       status="confirmed", ticket_token="tok-" + "a" * 30)
    db.add(reg)
    db.flush()
    batch = db.get(Batch, t["batch_id"])
    assert batch is not None
    db.add(CheckIn(registration_id=reg.id or 0, batch_id=t["batch_id"], day=batch.start_date,
                   scanned_at=datetime.now(UTC)))
    db.flush()
    body = {k: t[k] for k in ("title", "kind", "start_date", "end_date")}
    r = api.put(f"/api/trainings/{t['id']}", json={**body, "checkin_mode": "session"})
    assert r.status_code == 422 and r.json()["code"] == "checkin_mode_locked"
    assert api.put(f"/api/trainings/{t['id']}", json={**body, "checkin_mode": "day"}
                   ).status_code == 200


def test_a_link_is_redeemed_only_once(api: TestClient, db: Session, org: Any) -> None:
    from service.services.scanner_logins import LinkUsed

    t = _training(db, org)
    raw = _door_login(api, t["id"])["login_url"].rsplit("/", 1)[1]
    scanner_logins.redeem_link(db, raw)
    with pytest.raises(LinkUsed):
        scanner_logins.redeem_link(db, raw)
