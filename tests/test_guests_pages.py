"""The committee's pages (Tamu & panitia, narasumber attendance) and the narasumber's
"Saya hadir" through their private link, through the page session."""

from datetime import time
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models import EventPersonAttendance, SpeakerAttendance
from service.models.base import pk
from service.services import roster_links
from service.services.guests import speaker_attendance
from tests import factories
from tests.guests_world import DAY1, world
from tests.helpers import login_page_client


def _login(client: TestClient, admin: Any) -> str:
    return login_page_client(client, admin.email)


def test_the_guests_page_lists_both_lists(client: TestClient, db: Session, admin: Any,
                                          org: Any) -> None:
    w = world(db, org)
    factories.committed(db)
    _login(client, admin)
    r = client.get(f"/trainings/{w.training.id}/guests")
    assert r.status_code == 200
    assert "Tamu &amp; panitia" in r.text and w.guest.name in r.text
    assert "Hj. Nurhayati, S.Sos." in r.text and "Tamu undangan" in r.text


def test_the_add_form_adds_a_committee_member(client: TestClient, db: Session, admin: Any,
                                              org: Any) -> None:
    w = world(db, org)
    factories.committed(db)
    csrf = _login(client, admin)
    r = client.post(f"/trainings/{w.training.id}/guests", data={
        "csrf_token": csrf, "kind": "committee", "name": "Rina Oktavia, S.E.",
        "committee_role": "Bendahara", "position": "Bendahara Pengeluaran"},
        headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Rina Oktavia, S.E." in r.text
    assert 'id="gp-body"' in r.text and "<html" not in r.text


def test_a_bad_nip_on_the_form_says_why(client: TestClient, db: Session, admin: Any,
                                        org: Any) -> None:
    w = world(db, org)
    factories.committed(db)
    csrf = _login(client, admin)
    r = client.post(f"/trainings/{w.training.id}/guests", data={
        "csrf_token": csrf, "kind": "guest", "name": "Camat", "nip": "123"})
    assert r.status_code == 422 and "18 digit" in r.text


def test_the_paste_adds_several(client: TestClient, db: Session, admin: Any, org: Any) -> None:
    w = world(db, org)
    factories.committed(db)
    csrf = _login(client, admin)
    r = client.post(f"/trainings/{w.training.id}/guests/paste", data={
        "csrf_token": csrf, "kind": "guest",
        "paste": "Drs. H. Ahmad, Kepala Dinas, DP3AP2KB\nIptu Rahmat, Kapolsek, Polsek Padang"})
    assert r.status_code == 200 and "2 orang ditambahkan" in r.text
    assert "Iptu Rahmat" in r.text


def test_a_grid_cell_toggles(client: TestClient, db: Session, admin: Any, org: Any) -> None:
    w = world(db, org)
    factories.committed(db)
    csrf = _login(client, admin)
    r = client.post(f"/trainings/{w.training.id}/guests/{w.guest.id}/attendance/{DAY1}",
                    data={"csrf_token": csrf, "present": "1"}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and 'aria-pressed="true"' in r.text
    row = db.get(EventPersonAttendance, (pk(w.guest), DAY1))
    assert row is not None and row.present


def test_the_speaker_page_ticks_a_speaker(client: TestClient, db: Session, admin: Any,
                                          org: Any) -> None:
    w = world(db, org)
    factories.committed(db)
    csrf = _login(client, admin)
    page = client.get(f"/trainings/{w.training.id}/speaker-attendance")
    assert page.status_code == 200 and "Kebijakan Kampung KB" in page.text
    r = client.post(f"/trainings/{w.training.id}/speaker-attendance/{w.session.id}/"
                    f"{w.speaker.id}", data={"csrf_token": csrf, "present": "0"},
                    headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Admin" in r.text
    row = db.get(SpeakerAttendance, (pk(w.session), pk(w.speaker)))
    assert row is not None and row.present is False


def test_the_narasumber_says_saya_hadir(client: TestClient, db: Session, org: Any,
                                        monkeypatch: Any) -> None:
    w = world(db, org)
    raw, _link = roster_links.create_link(db, w.training, pk(w.speaker),
                                          factories.user(db, org))
    factories.committed(db)
    at = factories.moment(w.training, DAY1, time(7, 30))
    monkeypatch.setattr(speaker_attendance, "utcnow", lambda: at)
    page = client.get(f"/n/{raw}")
    assert "Saya hadir" in page.text
    r = client.post(f"/n/{raw}/hadir/{w.session.id}", follow_redirects=False)
    assert r.status_code == 303
    assert "Anda tercatat hadir" in client.get(f"/n/{raw}").text
    # Another narasumber's session: refused, nothing recorded.
    r = client.post(f"/n/{raw}/hadir/{w.other_session.id}", follow_redirects=False)
    assert r.status_code == 404
    assert db.get(SpeakerAttendance, (pk(w.other_session), pk(w.other_speaker))) is None


def test_the_door_scanner_knows_where_to_send_guest_cards(client: TestClient, db: Session,
                                                         admin: Any, org: Any) -> None:
    import json
    import re
    from pathlib import Path

    w = world(db, org)
    factories.committed(db)
    _login(client, admin)
    page = client.get(f"/scan?training_id={w.training.id}&batch_id={w.first.id}&day={DAY1}")
    assert page.status_code == 200
    found = re.search(r'<script[^>]*id="scan-config"[^>]*>(.*?)</script>', page.text, re.S)
    assert found, "no scanner config"
    config = json.loads(found.group(1))
    assert config["urls"]["guest_checkin"] == f"/api/trainings/{w.training.id}/guest-checkins"
    assert config["messages"]["guest_present"] == "Tamu: {name} hadir"
    script = (Path(__file__).resolve().parents[1] / "frontend" / "static" / "js" / "scanner"
              / "app.js").read_text()
    # A card's code goes to the guests' check-in, never to the participants' lane.
    assert "GUEST_CARD.test(text) ? await handleGuest(text)" in script


def test_a_card_opened_by_a_phone_camera_says_whose_it_is(client: TestClient, db: Session,
                                                         org: Any) -> None:
    w = world(db, org)
    factories.committed(db)
    r = client.get(f"/g/{w.chair.token}")
    assert r.status_code == 200 and w.chair.name in r.text and "Panitia · Ketua" in r.text
    assert "no-store" in r.headers["cache-control"]
    assert client.get("/g/AAAAAAAAAAAAAAAAAAAAAAAA").status_code == 404
