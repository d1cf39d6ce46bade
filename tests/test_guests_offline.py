"""Guest and committee cards scanned at the door while offline: sent later with the moment
they were scanned (`scanned_at`, the day it counts for) and a nonce (sent twice, counted
once)."""

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models.base import as_utc, pk, utcnow
from service.models.guests import EventPersonScan
from service.services.guests import attendance
from tests import factories
from tests.guests_world import DAY1, DAY2, DAY3, committee, world

WIB = ZoneInfo("Asia/Jakarta")


def _scanner(db: Session, w: Any) -> Any:
    return factories.principal(factories.user(db, w.org, role="scanner"))


def test_an_offline_scan_counts_for_the_day_it_was_scanned(db: Session) -> None:
    w = world(db)
    scanned = datetime(2018, 9, 12, 23, 50, tzinfo=WIB)  # late on DAY1 in Padang's zone
    out = attendance.scan(db, _scanner(db, w), w.training, f"/g/{w.chair.token}",
                          now=factories.moment(w.training, DAY2, time(9)),
                          scanned_at=scanned, nonce="n-1")
    assert (out.status, out.day) == ("checked_in", DAY1)
    row = attendance.grid(db, w.training).rows[(pk(w.chair), DAY1)]
    assert (row.present, row.via) == (True, "scan")
    assert as_utc(row.recorded_at) == scanned.astimezone(UTC)
    assert (pk(w.chair), DAY2) not in attendance.grid(db, w.training).rows


def test_the_day_is_taken_in_the_trainings_time_zone(db: Session) -> None:
    w = world(db)
    # 17:30 UTC on the 11th is 00:30 on the 12th (DAY1) in WIB.
    scanned = datetime(2018, 9, 11, 17, 30, tzinfo=UTC)
    out = attendance.scan(db, _scanner(db, w), w.training, f"/g/{w.guest.token}",
                          now=factories.moment(w.training, DAY2), scanned_at=scanned)
    assert out.day == DAY1


def test_a_scan_more_than_five_minutes_ahead_is_refused(db: Session) -> None:
    w = world(db)
    now = factories.moment(w.training, DAY1, time(8))
    with pytest.raises(attendance.ScanInFuture):
        attendance.scan(db, _scanner(db, w), w.training, f"/g/{w.chair.token}", now=now,
                        scanned_at=now + timedelta(minutes=6), nonce="n-future")
    assert db.get(EventPersonScan, "n-future") is None
    assert attendance.grid(db, w.training).rows == {}


def test_a_device_clock_a_little_ahead_is_taken(db: Session) -> None:
    w = world(db)
    now = factories.moment(w.training, DAY1, time(8))
    out = attendance.scan(db, _scanner(db, w), w.training, f"/g/{w.chair.token}", now=now,
                          scanned_at=now + timedelta(minutes=4))
    assert (out.status, out.day) == ("checked_in", DAY1)


def test_a_scan_older_than_fourteen_days_is_refused(db: Session) -> None:
    w = world(db)
    scanned = factories.moment(w.training, DAY1, time(8))
    with pytest.raises(attendance.ScanTooOld):
        attendance.scan(db, _scanner(db, w), w.training, f"/g/{w.chair.token}",
                        now=scanned + timedelta(days=14, minutes=1), scanned_at=scanned)
    assert attendance.grid(db, w.training).rows == {}


def test_an_offline_scan_on_a_day_without_meeting_is_refused(db: Session) -> None:
    w = world(db)
    scanned = factories.moment(w.training, DAY3 - timedelta(days=2))
    with pytest.raises(attendance.NotTrainingDay) as refused:
        attendance.scan(db, _scanner(db, w), w.training, f"/g/{w.chair.token}",
                        now=factories.moment(w.training, DAY3), scanned_at=scanned)
    assert refused.value.code == "not_training_day"


def test_the_same_nonce_twice_does_not_tick_again(db: Session) -> None:
    w = world(db)
    scanner = _scanner(db, w)
    now = factories.moment(w.training, DAY2, time(10))
    scanned = factories.moment(w.training, DAY2, time(7, 45))
    first = attendance.scan(db, scanner, w.training, f"/g/{w.chair.token}", now=now,
                            scanned_at=scanned, nonce="n-twice")
    # The committee unticks the chair; the same scan sent again must not tick them back.
    attendance.set_attendance(db, w.training, w.chair, DAY2, False, None)
    again = attendance.scan(db, scanner, w.training, f"/g/{w.chair.token}", now=now,
                            scanned_at=scanned, nonce="n-twice")
    assert (first.status, again.status, again.day) == (
        "checked_in", "already_checked_in", DAY2)
    assert attendance.grid(db, w.training).rows[(pk(w.chair), DAY2)].present is False


def test_a_nonce_of_another_card_is_refused(db: Session) -> None:
    w = world(db)
    scanner = _scanner(db, w)
    now = factories.moment(w.training, DAY2, time(10))
    attendance.scan(db, scanner, w.training, f"/g/{w.chair.token}", now=now, nonce="n-one")
    with pytest.raises(attendance.NonceReused):
        attendance.scan(db, scanner, w.training, f"/g/{w.guest.token}", now=now,
                        nonce="n-one")
    assert (pk(w.guest), DAY2) not in attendance.grid(db, w.training).rows


# --- the HTTP contract ------------------------------------------------------------------

def _today_training(db: Session, org: Any) -> Any:
    today = utcnow().astimezone(WIB).date()
    t = factories.training(db, org, "Pertemuan Pokja", start=today - timedelta(days=1),
                           days=3)
    factories.batch(db, t, start=today - timedelta(days=1), days=3)
    return t, today


def test_the_api_records_an_offline_scan_on_its_day_once(api: TestClient, db: Session,
                                                         org: Any) -> None:
    t, today = _today_training(db, org)
    chair = committee(db, t)
    factories.committed(db)
    yesterday = today - timedelta(days=1)
    scanned = datetime.combine(yesterday, time(8, 5), WIB).isoformat()
    body = {"code": f"http://testserver/g/{chair.token}", "scanned_at": scanned,
            "nonce": "3f2a9c1e-5b7d-4e8a-9c0f-1a2b3c4d5e6f"}
    url = f"/api/trainings/{t.id}/guest-checkins"
    r = api.post(url, json=body)
    assert r.status_code == 201, r.text
    assert (r.json()["status"], r.json()["day"]) == ("checked_in", yesterday.isoformat())
    again = api.post(url, json=body)
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "already_checked_in"
    grid = api.get(f"/api/trainings/{t.id}/guests/attendance").json()
    assert [(i["person_id"], i["day"], i["via"]) for i in grid["items"]] == [
        (chair.id, yesterday.isoformat(), "scan")]


def test_the_api_refuses_a_scan_in_the_future_in_indonesian(api: TestClient, db: Session,
                                                             org: Any) -> None:
    t, _today = _today_training(db, org)
    chair = committee(db, t)
    factories.committed(db)
    ahead = (utcnow() + timedelta(minutes=30)).astimezone(WIB).isoformat()
    r = api.post(f"/api/trainings/{t.id}/guest-checkins",
                 json={"code": f"/g/{chair.token}", "scanned_at": ahead, "nonce": "n-1"})
    assert (r.status_code, r.json()["code"]) == (422, "invalid_time")
    assert "masa depan" in r.json()["message"]


def test_the_api_refuses_a_scan_too_old_in_indonesian(api: TestClient, db: Session,
                                                      org: Any) -> None:
    t, _today = _today_training(db, org)
    chair = committee(db, t)
    factories.committed(db)
    old = (utcnow() - timedelta(days=15)).astimezone(WIB).isoformat()
    r = api.post(f"/api/trainings/{t.id}/guest-checkins",
                 json={"code": f"/g/{chair.token}", "scanned_at": old})
    assert (r.status_code, r.json()["code"]) == (422, "scan_too_old")
    assert "14 hari" in r.json()["message"]
    assert api.get(f"/api/trainings/{t.id}/guests/attendance").json()["items"] == []


def test_the_api_refuses_a_scanned_day_outside_the_training(api: TestClient, db: Session,
                                                            org: Any) -> None:
    t, today = _today_training(db, org)
    chair = committee(db, t)
    factories.committed(db)
    before = datetime.combine(today - timedelta(days=3), time(9), WIB).isoformat()
    r = api.post(f"/api/trainings/{t.id}/guest-checkins",
                 json={"code": f"/g/{chair.token}", "scanned_at": before})
    assert (r.status_code, r.json()["code"]) == (422, "not_training_day")
    assert "bukan hari pelatihan" in r.json()["message"]


def test_the_api_wants_a_scan_time_with_its_offset(api: TestClient, db: Session,
                                                   org: Any) -> None:
    t, today = _today_training(db, org)
    chair = committee(db, t)
    factories.committed(db)
    r = api.post(f"/api/trainings/{t.id}/guest-checkins",
                 json={"code": f"/g/{chair.token}", "scanned_at": f"{today}T08:00:00"})
    assert r.status_code == 422
    assert api.get(f"/api/trainings/{t.id}/guests/attendance").json()["items"] == []
