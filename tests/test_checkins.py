"""Checking people in through the API: the door's answers, nonces, offline queues."""

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from service.models import AgendaSession, CheckIn, Scan, Training
from service.services.auth import create_user
from service.services.ticket_codes import ticket_hash
from service.services.training_clock import today
from tests.checkin_setup import DAY1, at, code_of, make_setup
from tests.conftest import PASSWORD
from tests.helpers import login_page_client


def checkins(db: Session) -> int:
    return int(db.exec(select(func.count()).select_from(CheckIn)).one())


def scan(api: TestClient, code: str, **over: Any) -> Any:
    return api.post("/api/checkins", json={"code": code, "scanned_at": at(), **over})


def test_a_genuine_ticket_checks_in_once_then_answers_already(api: TestClient,
                                                              db: Session) -> None:
    s = make_setup(api, db)
    first = scan(api, s.codes[0], nonce="n-1", device_id="gate-1")
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["status"] == "checked_in"
    assert body["name"] == "Kader 01 Nur'aini"
    assert body["batch"] == "Angkatan I" and body["day"] == "2018-09-12"
    assert body["category"] == "PKB" and body["by"] == "Admin"
    again = scan(api, s.codes[0], nonce="n-2", scanned_at=at(minute=12))
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "already_checked_in"
    assert again.json()["first_at"] == datetime(2018, 9, 12, 1, 0, tzinfo=UTC).isoformat()
    assert again.json()["first_by"] == "Admin"
    assert checkins(db) == 1
    # The repeat is kept as a scan, not a second check-in, and not a conflict.
    repeat = db.exec(select(Scan)).one()
    assert (repeat.result, repeat.flagged) == ("already_checked_in", False)


def test_the_same_nonce_twice_has_one_effect(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    answers = [scan(api, s.codes[1], nonce="retry-1") for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert len({a.json()["checked_in_at"] for a in answers}) == 1
    assert checkins(db) == 1
    assert db.exec(select(func.count()).select_from(Scan)).one() == 0


def test_forged_and_altered_codes_are_refused_before_any_write(api: TestClient,
                                                               db: Session) -> None:
    s = make_setup(api, db)
    code = s.codes[0]
    flipped = code[:40] + ("A" if code[40] != "A" else "B") + code[41:]
    for bad in (flipped, code[:-1], "BT1." + "A" * 130, "https://example.org", "=cmd|' /C calc'!A0",
                "<script>alert(1)</script>", code.lower(), "x" * 2000):
        r = scan(api, bad)
        assert r.status_code == 422, (bad, r.text)
        assert r.json()["code"] == "invalid_ticket"
        assert r.json()["message"] == "Kode QR ini bukan tiket yang sah."
    assert checkins(db) == 0
    assert api.post("/api/checkins", json={"code": "x" * 2001}).status_code == 422


def test_another_organizations_ticket_is_not_genuine_here(api: TestClient, db: Session,
                                                          org: Any) -> None:
    s = make_setup(api, db)
    from service.services.auth import get_or_create_organization

    other = get_or_create_organization(db, "DP3AP2KB Kota Pontianak")
    create_user(db, email="x@pontianak.test", password=PASSWORD, name="Pontianak",
                role="committee", organization=other)
    token = api.post("/api/auth/token", data={"username": "x@pontianak.test",
                                             "password": PASSWORD}).json()["access_token"]
    r = api.post("/api/checkins", json={"code": s.codes[0], "scanned_at": at()},
                 headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_ticket"
    assert checkins(db) == 0


def test_cancelled_moved_and_wrong_batch_tickets_are_refused(api: TestClient,
                                                            db: Session) -> None:
    s = make_setup(api, db)
    api.post(f"/api/registrations/{s.people[0]['id']}/cancel")
    r = scan(api, s.codes[0])
    assert (r.status_code, r.json()["code"]) == (409, "cancelled")
    # A ticket shown at the door of the other batch names the right one.
    second = s.batches[1]["id"]
    r = scan(api, s.codes[1], batch_id=second)
    assert (r.status_code, r.json()["code"]) == (409, "wrong_batch")
    assert r.json()["batch"] == "Angkatan I" and "Angkatan I" in r.json()["message"]
    # Moved to Angkatan II: the old code is out of date, the new one works there.
    api.post(f"/api/registrations/{s.people[1]['id']}/move", json={"batch_id": second})
    r = scan(api, s.codes[1])
    assert (r.status_code, r.json()["code"]) == (409, "wrong_batch")
    assert "Angkatan II" in r.json()["message"]
    r = scan(api, code_of(db, s.people[1]["id"]), batch_id=second)
    assert r.status_code == 201, r.text
    assert checkins(db) == 1


def test_the_day_is_the_local_date_in_the_trainings_time_zone(api: TestClient,
                                                              db: Session) -> None:
    s = make_setup(api, db)
    # 11 September 23:30 UTC is 12 September 06:30 WIB: the first day.
    r = scan(api, s.codes[0], scanned_at="2018-09-11T23:30:00Z")
    assert r.status_code == 201 and r.json()["day"] == "2018-09-12"
    # 11 September 16:00 UTC is still 11 September in WIB: the day before the batch.
    r = scan(api, s.codes[1], scanned_at="2018-09-11T16:00:00+00:00")
    assert (r.status_code, r.json()["code"]) == (409, "wrong_day")
    assert r.json()["days"] == ["2018-09-12", "2018-09-13"]
    assert "11 September 2018" in r.json()["message"]
    # Day 2 is a new check-in for the same person.
    r = scan(api, s.codes[0], scanned_at=at(day_offset=1))
    assert r.status_code == 201 and r.json()["day"] == "2018-09-13"
    assert checkins(db) == 2


def test_a_scan_time_in_the_future_is_refused(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    r = scan(api, s.codes[0], scanned_at=future)
    assert (r.status_code, r.json()["code"]) == (422, "invalid_time")
    assert checkins(db) == 0


def test_without_a_scan_time_today_counts(api: TestClient, db: Session) -> None:
    wib_today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    s = make_setup(api, db, start=wib_today - timedelta(days=1))
    r = api.post("/api/checkins", json={"code": s.codes[0]})
    assert r.status_code == 201, r.text
    assert r.json()["day"] == wib_today.isoformat()
    assert today(db.get(Training, s.tid)) == wib_today  # type: ignore[arg-type]


def test_manual_check_in_by_registration(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    rid = s.people[2]["id"]
    r = api.post("/api/checkins", json={"registration_id": rid, "scanned_at": at(),
                                        "batch_id": s.batches[0]["id"], "nonce": "m-1"})
    assert r.status_code == 201, r.text
    assert r.json()["method"] == "manual"
    r = scan(api, s.codes[2])
    assert r.status_code == 200 and r.json()["status"] == "already_checked_in"
    assert api.post("/api/checkins", json={"registration_id": 999999,
                                           "scanned_at": at()}).status_code == 404
    both = api.post("/api/checkins", json={"registration_id": rid, "code": s.codes[2]})
    assert both.status_code == 422
    neither = api.post("/api/checkins", json={"scanned_at": at()})
    assert neither.status_code == 422


def test_scanner_login_limited_to_one_training(api: TestClient, db: Session, org: Any) -> None:
    s = make_setup(api, db)
    other = make_setup(api, db, people=1)
    create_user(db, email="gerbang2@padang.test", password=PASSWORD, name="Gerbang 2",
                role="scanner", organization=org)
    from service.models import User

    gate = db.exec(select(User).where(User.email == "gerbang2@padang.test")).one()
    gate.training_id = s.tid
    db.flush()
    token = api.post("/api/auth/token", data={"username": gate.email,
                                             "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    r = api.post("/api/checkins", json={"code": s.codes[0], "scanned_at": at()},
                 headers=headers)
    assert r.status_code == 201 and r.json()["by"] == "Gerbang 2"
    r = api.post("/api/checkins", json={"code": other.codes[0], "scanned_at": at()},
                 headers=headers)
    assert (r.status_code, r.json()["code"]) == (409, "wrong_training")
    assert api.get(f"/api/batches/{other.batches[0]['id']}/manifest",
                   headers=headers).status_code == 404
    assert api.get(f"/api/batches/{s.batches[0]['id']}/manifest",
                   headers=headers).status_code == 200
    # A scanner plans nothing.
    assert api.get(f"/api/trainings/{s.tid}", headers=headers).status_code == 403


def test_the_scanner_page_session_needs_its_csrf_header(client: TestClient, db: Session,
                                                        admin: Any, api_headers: Any) -> None:
    client.headers.update(api_headers)
    s = make_setup(client, db)
    client.headers.pop("Authorization")
    csrf = login_page_client(client, admin.email)
    body = {"code": s.codes[0], "scanned_at": at()}
    r = client.post("/api/checkins", json=body)
    assert (r.status_code, r.json()["code"]) == (403, "csrf_failed")
    r = client.post("/api/checkins", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201, r.text
    client.cookies.clear()
    assert client.post("/api/checkins", json=body).status_code == 401


def test_offline_devices_sync_earliest_wins_and_conflicts_are_flagged(api: TestClient,
                                                                      db: Session) -> None:
    s = make_setup(api, db)
    gate1 = {"device_id": "gate-1", "scans": [
        {"code": s.codes[0], "scanned_at": at(minute=12), "nonce": "g1-a"},
        {"code": s.codes[1], "scanned_at": at(minute=13), "nonce": "g1-b"}]}
    gate2 = {"device_id": "gate-2", "scans": [
        {"code": s.codes[0], "scanned_at": at(minute=10), "nonce": "g2-a"},
        {"code": s.codes[2], "scanned_at": at(minute=11), "nonce": "g2-b"},
        {"code": "BT1.forged", "scanned_at": at(minute=11), "nonce": "g2-c"}]}
    r1 = api.post("/api/checkins/sync", json=gate1)
    assert r1.status_code == 200, r1.text
    assert (r1.json()["checked_in"], r1.json()["rejected"]) == (2, 0)
    r2 = api.post("/api/checkins/sync", json=gate2)
    assert r2.status_code == 200, r2.text
    by_nonce = {x["nonce"]: x for x in r2.json()["results"]}
    assert by_nonce["g2-a"]["status"] == "checked_in" and by_nonce["g2-a"]["conflict"]
    assert by_nonce["g2-b"]["status"] == "checked_in"
    assert (by_nonce["g2-c"]["status"], by_nonce["g2-c"]["code"]) == ("rejected",
                                                                      "invalid_ticket")
    assert checkins(db) == 3
    first = db.exec(select(CheckIn).where(CheckIn.registration_id == s.people[0]["id"])).one()
    assert (first.device_id, first.nonce, first.offline) == ("gate-2", "g2-a", True)
    flagged = db.exec(select(Scan).where(col(Scan.flagged))).one()
    assert (flagged.device_id, flagged.nonce, flagged.checkin_id) == ("gate-1", "g1-a",
                                                                      first.id)
    # Syncing both queues again adds nothing and answers the same.
    again1 = api.post("/api/checkins/sync", json=gate1).json()
    again2 = api.post("/api/checkins/sync", json=gate2).json()
    assert checkins(db) == 3
    assert db.exec(select(func.count()).select_from(Scan)).one() == 1
    assert {x["nonce"]: x["status"] for x in again2["results"]} == {
        x["nonce"]: x["status"] for x in r2.json()["results"]}
    assert {x["nonce"]: x["status"] for x in again1["results"]} == {
        "g1-a": "already_checked_in", "g1-b": "checked_in"}


def test_a_later_offline_scan_of_someone_checked_in_is_a_flagged_conflict(
        api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    assert scan(api, s.codes[0], nonce="online-1", device_id="gate-1").status_code == 201
    r = api.post("/api/checkins/sync", json={"device_id": "gate-2", "scans": [
        {"code": s.codes[0], "scanned_at": at(minute=20), "nonce": "off-1"}]})
    result = r.json()["results"][0]
    assert result["status"] == "already_checked_in" and result["conflict"]
    assert result["first_at"] == datetime(2018, 9, 12, 1, 0, tzinfo=UTC).isoformat()
    assert db.exec(select(Scan.flagged)).one() is True


def test_sync_refuses_bad_shapes_with_a_clear_message(api: TestClient, db: Session) -> None:
    make_setup(api, db, people=1)
    for body in ({"device_id": "d", "scans": [{"code": "x", "nonce": "a"}]},  # no time
                 {"device_id": "<script>", "scans": []},
                 {"device_id": "d", "scans": [{"code": "x", "scanned_at": at(),
                                                "nonce": "=cmd|"}]},
                 {"device_id": "d", "scans": [{"code": "x", "scanned_at": at(),
                                                "nonce": f"n{i}"} for i in range(501)]},
                 {"device_id": "d", "scans": "nope"}, []):
        r = api.post("/api/checkins/sync", json=body)
        assert r.status_code == 422, r.text
        assert r.json()["code"] == "validation_error" and r.json()["message"]
    assert checkins(db) == 0


def test_per_session_mode_takes_attendance_at_each_session(api: TestClient,
                                                           db: Session) -> None:
    s = make_setup(api, db, mode="session")
    bid = s.batches[0]["id"]
    for title, start, end, kind in (("Kebijakan", time(8), time(9, 30), "material"),
                                    ("Rehat kopi", time(9, 30), time(9, 45), "break"),
                                    ("PAUD", time(9, 45), time(11, 15), "material")):
        db.add(AgendaSession(batch_id=bid, title=title, date=DAY1, start_time=start,
                             end_time=end, kind=kind, jpl=2))
    db.flush()
    r = scan(api, s.codes[0], scanned_at=at(hour=7, minute=50))  # opens 15 min before
    assert r.status_code == 201 and r.json()["session"] == "Kebijakan"
    r = scan(api, s.codes[0], scanned_at=at(hour=9, minute=50))
    assert r.status_code == 201 and r.json()["session"] == "PAUD"
    r = scan(api, s.codes[0], scanned_at=at(hour=10))
    assert r.status_code == 200
    r = scan(api, s.codes[1], scanned_at=at(hour=6))
    assert (r.status_code, r.json()["code"]) == (409, "no_session_open")
    assert "06.00" in r.json()["message"]
    assert checkins(db) == 2


def test_the_manifest_lets_a_device_decide_offline(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    api.post(f"/api/registrations/{s.people[3]['id']}/cancel")
    scan(api, s.codes[0])
    r = api.get(f"/api/batches/{s.batches[0]['id']}/manifest")
    assert r.status_code == 200, r.text
    m = r.json()
    assert m["training"]["timezone"] == "Asia/Jakarta" and len(m["training"]["public_key"]) == 44
    assert m["batch"]["days"] == ["2018-09-12", "2018-09-13"]
    assert set(m["batches"].values()) == {"Angkatan I", "Angkatan II"}
    hashes = {t["r"]: t["h"] for t in m["tickets"]}
    assert hashes == {p["id"]: ticket_hash(c) for p, c in zip(s.people[:3], s.codes[:3],
                                                              strict=True)}
    first = next(t for t in m["tickets"] if t["r"] == s.people[0]["id"])
    assert (first["n"], first["c"], first["k"], first["p"], first["i"]) == (
        "Kader 01 Nur'aini", "PKB", "Kuranji", "0000", "0010")
    assert m["revoked"] == [s.people[3]["id"]]
    assert m["checkins"] == [{"r": s.people[0]["id"], "d": "2018-09-12", "s": 0,
                              "at": "2018-09-12T01:00:00+00:00", "by": "Admin"}]
    assert "nik" not in r.text and "private" not in r.text


def test_search_at_the_door_by_name_phone_or_nik_tail(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    bid = s.batches[0]["id"]
    scan(api, s.codes[1])

    def names(q: str) -> list[str]:
        r = api.get(f"/api/batches/{bid}/checkin-search", params={"q": q, "day": "2018-09-12"})
        assert r.status_code == 200, r.text
        return [i["name"] for i in r.json()["items"]]

    assert len(names("nur'AINI")) == 4
    assert names("kader 02") == ["Kader 02 Nur'aini"]
    assert names("340003") == ["Kader 04 Nur'aini"]  # phone tail
    assert names("0012") == ["Kader 03 Nur'aini"]  # NIK tail
    assert names("%") == [] and names("   ") == []
    items = api.get(f"/api/batches/{bid}/checkin-search",
                    params={"q": "Kader 02", "day": "2018-09-12"}).json()["items"]
    assert items[0]["checked_in_at"] == "2018-09-12T01:00:00+00:00" and items[0]["by"] == "Admin"
    assert "phone" not in items[0] and items[0]["phone_tail"] == "0001"


def test_check_in_needs_a_login(client: TestClient) -> None:
    r = client.post("/api/checkins", json={"code": "BT1.x"})
    assert r.status_code == 401 and r.json()["message"]


def test_a_code_claiming_an_id_beyond_the_database_is_simply_not_genuine(
        api: TestClient, db: Session) -> None:
    from service.services.ticket_codes import TicketClaims, generate_keypair, sign_ticket

    make_setup(api, db, people=1)
    key, _ = generate_keypair()
    code = sign_ticket(TicketClaims(training_id=2**32 - 1, registration_id=1, batch_id=1,
                                    first_day=DAY1, last_day=DAY1), key)
    for path in ("/api/checkins", "/api/tickets/verify"):
        r = api.post(path, json={"code": code, "scanned_at": at()})
        assert (r.status_code, r.json()["code"]) == (422, "invalid_ticket"), r.text


def test_a_revoked_token_stops_checking_in_at_once(api: TestClient, db: Session,
                                                   org: Any) -> None:
    s = make_setup(api, db)
    create_user(db, email="gerbang1@padang.test", password=PASSWORD, name="Gerbang 1",
                role="scanner", organization=org)
    token = api.post("/api/auth/token", data={"username": "gerbang1@padang.test",
                                             "password": PASSWORD}).json()["access_token"]
    gate = {"Authorization": f"Bearer {token}"}
    assert api.post("/api/checkins", json={"code": s.codes[0], "scanned_at": at()},
                    headers=gate).status_code == 201
    assert api.delete("/api/auth/token", headers=gate).status_code == 204
    r = api.post("/api/checkins", json={"code": s.codes[1], "scanned_at": at()}, headers=gate)
    assert (r.status_code, r.json()["code"]) == (401, "invalid_token")
    assert checkins(db) == 1
