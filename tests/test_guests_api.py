"""The HTTP contract of guests, committee and narasumber attendance: shapes, status codes,
masking, another organization's ids, and the door's guest check-in."""

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models.base import utcnow
from service.services.auth import create_user
from tests import factories
from tests.conftest import PASSWORD
from tests.guests_world import DAY1, committee, guest, world


def _token(api: TestClient, email: str) -> dict[str, str]:
    r = api.post("/api/auth/token", data={"username": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_add_a_guest_and_list_it(api: TestClient, db: Session, org: Any) -> None:
    w = world(db, org)
    r = api.post(f"/api/trainings/{w.training.id}/guests", json={
        "kind": "guest", "name": "Kapolsek Padang Barat", "position": "Kapolsek",
        "institution": "Polsek Padang Barat", "nip": "197001011995031002",
        "phone": "0812 3456 7890"})
    assert r.status_code == 201, r.text
    listed = api.get(f"/api/trainings/{w.training.id}/guests").json()
    added = next(p for p in listed["guests"] if p["id"] == r.json()["id"])
    # An admin sees the whole NIP and phone.
    assert (added["nip"], added["phone"]) == ("197001011995031002", "+6281234567890")
    assert [p["name"] for p in listed["committee"]] == [w.chair.name]


def test_nip_and_phone_are_masked_for_the_committee(client: TestClient, db: Session,
                                                     org: Any) -> None:
    w = world(db, org)
    guest(db, w.training, "Camat", nip="197001011995031002", phone="081234567890")
    create_user(db, email="panitia@padang.test", password=PASSWORD, name="Panitia",
                role="committee", organization=org)
    listed = client.get(f"/api/trainings/{w.training.id}/guests",
                        headers=_token(client, "panitia@padang.test")).json()
    camat = next(p for p in listed["guests"] if p["name"] == "Camat")
    assert camat["nip"] == "••••••••••••••1002" and camat["phone"].endswith("7890")
    assert "1995031002" not in str(listed)


def test_a_bad_nip_is_a_422_in_indonesian(api: TestClient, db: Session, org: Any) -> None:
    w = world(db, org)
    factories.committed(db)
    r = api.post(f"/api/trainings/{w.training.id}/guests",
                 json={"kind": "committee", "name": "Rina", "nip": "1234"})
    assert (r.status_code, r.json()["code"]) == (422, "invalid_nip")
    assert "18 digit" in r.json()["message"]


def test_patch_and_delete(api: TestClient, db: Session, org: Any) -> None:
    w = world(db, org)
    r = api.patch(f"/api/guests/{w.chair.id}", json={"committee_role": "Penanggung jawab"})
    assert r.status_code == 200 and r.json()["committee_role"] == "Penanggung jawab"
    assert api.delete(f"/api/guests/{w.chair.id}").status_code == 204
    assert api.patch(f"/api/guests/{w.chair.id}", json={"name": "x"}).status_code == 404


def test_tick_a_day_and_read_the_grid(api: TestClient, db: Session, org: Any) -> None:
    w = world(db, org)
    r = api.put(f"/api/guests/{w.guest.id}/attendance/{DAY1}", json={"present": True})
    assert r.status_code == 200 and r.json()["via"] == "tick"
    grid = api.get(f"/api/trainings/{w.training.id}/guests/attendance").json()
    assert grid["days"][0] == DAY1.isoformat()
    assert grid["items"] == [{**grid["items"][0], "person_id": w.guest.id,
                              "day": DAY1.isoformat(), "present": True}]
    listed = api.get(f"/api/trainings/{w.training.id}/guests").json()
    assert listed["guests"][0]["days_present"] == [DAY1.isoformat()]


def test_a_day_outside_the_training_is_a_422(api: TestClient, db: Session, org: Any) -> None:
    w = world(db, org)
    factories.committed(db)
    r = api.put(f"/api/guests/{w.guest.id}/attendance/2018-09-14", json={"present": True})
    assert (r.status_code, r.json()["code"]) == (422, "invalid_day")
    assert "bukan" in r.json()["message"]


def test_another_organizations_ids_are_not_found(api: TestClient, db: Session) -> None:
    other = world(db, factories.organization(db, "DP3AP2KB Kota Pontianak"))
    factories.committed(db)
    assert api.get(f"/api/trainings/{other.training.id}/guests").status_code == 404
    assert api.patch(f"/api/guests/{other.guest.id}", json={"name": "x"}).status_code == 404
    assert api.delete(f"/api/guests/{other.guest.id}").status_code == 404
    assert api.put(f"/api/guests/{other.guest.id}/attendance/{DAY1}",
                   json={"present": True}).status_code == 404
    assert api.put(f"/api/sessions/{other.session.id}/speakers/{other.speaker.id}/attendance",
                   json={"present": True}).status_code == 404
    assert api.get(f"/api/trainings/{other.training.id}/speaker-attendance").status_code == 404


def test_the_daftar_hadir_and_cards_are_pdfs(api: TestClient, db: Session, org: Any) -> None:
    w = world(db, org)
    for kind in ("guest", "committee"):
        r = api.get(f"/api/trainings/{w.training.id}/guests/attendance-sheet.pdf?kind={kind}")
        assert r.status_code == 200 and r.content.startswith(b"%PDF")
    r = api.get(f"/api/trainings/{w.training.id}/guests/cards.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"


def test_speaker_attendance_only_for_the_sessions_speaker(api: TestClient, db: Session,
                                                          org: Any) -> None:
    w = world(db, org)
    factories.committed(db)
    url = f"/api/sessions/{w.session.id}/speakers/{{}}/attendance"
    r = api.put(url.format(w.speaker.id), json={"present": True})
    assert r.status_code == 200 and r.json()["recorded_by"] == "Admin"
    r = api.put(url.format(w.other_speaker.id), json={"present": True})
    assert (r.status_code, r.json()["code"]) == (422, "not_session_speaker")
    items = api.get(f"/api/trainings/{w.training.id}/speaker-attendance").json()["items"]
    assert [(i["session_id"], i["speaker_id"], i["present"]) for i in items] == [
        (w.session.id, w.speaker.id, True), (w.other_session.id, w.other_speaker.id, None)]


def _today_training(db: Session, org: Any) -> Any:
    today = utcnow().astimezone(ZoneInfo("Asia/Jakarta")).date()
    t = factories.training(db, org, "Pertemuan Pokja", start=today - timedelta(days=1),
                           days=3)
    factories.batch(db, t, start=today - timedelta(days=1), days=3)
    return t, today


def test_the_scanner_checks_a_guest_card_in(client: TestClient, db: Session, org: Any) -> None:
    t, today = _today_training(db, org)
    chair = committee(db, t)
    create_user(db, email="gerbang@padang.test", password=PASSWORD, name="Gerbang",
                role="scanner", organization=org)
    factories.committed(db)
    headers = _token(client, "gerbang@padang.test")
    url = f"/api/trainings/{t.id}/guest-checkins"
    r = client.post(url, json={"code": f"http://testserver/g/{chair.token}"}, headers=headers)
    assert r.status_code == 201, r.text
    assert (r.json()["name"], r.json()["day"]) == (chair.name, today.isoformat())
    again = client.post(url, json={"code": f"http://testserver/g/{chair.token}"},
                        headers=headers)
    assert again.status_code == 200 and again.json()["status"] == "already_checked_in"
    bad = client.post(url, json={"code": "http://testserver/g/AAAAAAAAAAAAAAAAAAAAAAAA"},
                      headers=headers)
    assert (bad.status_code, bad.json()["code"]) == (404, "invalid_guest_card")


def test_a_guest_checkin_needs_a_scanner_login(client: TestClient, db: Session,
                                               org: Any) -> None:
    t, _today = _today_training(db, org)
    chair = committee(db, t)
    create_user(db, email="bendahara@padang.test", password=PASSWORD, name="Bendahara",
                role="treasurer", organization=org)
    factories.committed(db)
    r = client.post(f"/api/trainings/{t.id}/guest-checkins", json={"code": f"/g/{chair.token}"})
    assert r.status_code == 401
    r = client.post(f"/api/trainings/{t.id}/guest-checkins", json={"code": f"/g/{chair.token}"},
                    headers=_token(client, "bendahara@padang.test"))
    assert r.status_code == 403


def test_a_guest_checkin_of_another_organizations_training_is_404(
        api: TestClient, db: Session) -> None:
    other_org = factories.organization(db, "DP3AP2KB Kota Pontianak")
    t, _today = _today_training(db, other_org)
    chair = committee(db, t)
    factories.committed(db)
    r = api.post(f"/api/trainings/{t.id}/guest-checkins", json={"code": f"/g/{chair.token}"})
    assert r.status_code == 404
