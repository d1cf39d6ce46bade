"""Meeting dates through the API: `dates` on POST /api/trainings/{id}/batches, a set of
batches from one rule, moving and cancelling one meeting, and the door's answer on a
day between two meetings (by ticket, through whichever lane the database takes)."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models import Registration
from tests import factories

COACHING = {"title": "Pembinaan Bulanan Pengelola Kampung KB Kota Pontianak",
            "kind": "pembinaan", "start_date": "2018-01-01", "end_date": "2018-12-31",
            "timezone": "WIB", "categories": [{"name": "Pengelola Kampung KB"}]}
RULE = {"frequency": "monthly_weekday", "start": "2018-01-01", "weekday": 1, "nth": 2,
        "count": 12}
TUESDAYS = ["2018-01-09", "2018-02-13", "2018-03-13", "2018-04-10", "2018-05-08",
            "2018-06-12", "2018-07-10", "2018-08-14", "2018-09-11", "2018-10-09",
            "2018-11-13", "2018-12-11"]


def _training(api: TestClient) -> int:
    r = api.post("/api/trainings", json=COACHING)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def test_a_batch_takes_a_list_of_dates(api: TestClient) -> None:
    tid = _training(api)
    r = api.post(f"/api/trainings/{tid}/batches", json={
        "name": "Kec. Pontianak Barat", "capacity": 12,
        "dates": ["2018-03-13", "2018-01-09", "2018-02-13", "2018-01-09"]})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["days"] == ["2018-01-09", "2018-02-13", "2018-03-13"]
    assert (body["start_date"], body["end_date"]) == ("2018-01-09", "2018-03-13")
    assert api.get(f"/api/batches/{body['id']}").json()["days"] == body["days"]
    # A range still works as before.
    r = api.post(f"/api/trainings/{tid}/batches", json={
        "name": "Angkatan I", "capacity": 12, "start_date": "2018-01-09",
        "end_date": "2018-01-11"})
    assert r.json()["days"] == ["2018-01-09", "2018-01-10", "2018-01-11"]


def test_bad_dates_are_refused_and_nothing_is_made(api: TestClient) -> None:
    tid = _training(api)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"dates": ["2018-01-09", "2019-01-08"]}, "batch_outside_training"),
        ({"dates": []}, "no_dates"),
        ({}, "missing_dates"),
        ({"dates": ["2018-02-30"]}, "validation_error"),
        ({"dates": [f"2018-01-{d:02d}" for d in range(1, 32)] * 12}, "validation_error"),
    ]
    for body, code in cases:
        r = api.post(f"/api/trainings/{tid}/batches", json={"name": "X", "capacity": 5, **body})
        assert r.status_code == 422, (body, r.text)
        assert r.json()["code"] == code, r.text
    assert api.get(f"/api/trainings/{tid}").json()["batches"] == []


def test_six_kecamatan_by_one_request(api: TestClient) -> None:
    tid = _training(api)
    preview = api.post(f"/api/trainings/{tid}/meeting-dates", json=RULE)
    assert preview.status_code == 200 and preview.json()["dates"] == TUESDAYS
    kec = ["Pontianak Barat", "Pontianak Kota", "Pontianak Selatan", "Pontianak Tenggara",
           "Pontianak Timur", "Pontianak Utara"]
    r = api.post(f"/api/trainings/{tid}/batches/recurring", json={
        "rule": RULE, "batches": [{"name": f"Kec. {k}", "venue": f"Aula Kantor Camat {k}",
                                   "capacity": 12} for k in kec]})
    assert r.status_code == 201, r.text
    made = r.json()
    assert [b["name"] for b in made] == [f"Kec. {k}" for k in kec]
    assert all(b["days"] == TUESDAYS for b in made)
    assert [b["venue"] for b in made] == [f"Aula Kantor Camat {k}" for k in kec]
    # A rule past the training's end creates nothing.
    r = api.post(f"/api/trainings/{tid}/batches/recurring", json={
        "rule": {**RULE, "count": 13}, "batches": [{"name": "Lain", "capacity": 5}]})
    assert r.status_code == 422 and r.json()["code"] == "batch_outside_training"
    assert len(api.get(f"/api/trainings/{tid}").json()["batches"]) == 6


def test_move_and_cancel_one_meeting(api: TestClient) -> None:
    tid = _training(api)
    b = api.post(f"/api/trainings/{tid}/batches", json={
        "name": "Kec. Pontianak Barat", "capacity": 12, "dates": TUESDAYS}).json()
    s = api.post(f"/api/batches/{b['id']}/sessions", json={
        "title": "Pembinaan Maret", "date": "2018-03-13", "start_time": "09:00",
        "end_time": "11:00", "jpl": 2})
    assert s.status_code == 201, s.text
    r = api.post(f"/api/batches/{b['id']}/meetings/move",
                 json={"day": "2018-03-13", "to": "2018-03-20"})
    assert r.status_code == 200, r.text
    assert "2018-03-20" in r.json()["days"] and "2018-03-13" not in r.json()["days"]
    agenda = api.get(f"/api/batches/{b['id']}/sessions")
    assert [x["date"] for x in agenda.json()] == ["2018-03-20"]
    r = api.post(f"/api/batches/{b['id']}/meetings/cancel", json={"day": "2018-03-20"})
    assert r.status_code == 409 and r.json()["code"] == "meeting_has_sessions"
    r = api.post(f"/api/batches/{b['id']}/meetings/cancel", json={"day": "2018-04-10"})
    assert r.status_code == 200 and len(r.json()["days"]) == 11
    r = api.post(f"/api/batches/{b['id']}/meetings/cancel", json={"day": "2018-04-11"})
    assert r.status_code == 422 and r.json()["code"] == "not_a_meeting"
    r = api.post(f"/api/batches/{b['id']}/meetings", json={"day": "2018-04-17"})
    assert r.status_code == 200 and "2018-04-17" in r.json()["days"]


def test_the_door_between_two_meetings(api: TestClient, db: Session) -> None:
    tid = _training(api)
    b = api.post(f"/api/trainings/{tid}/batches", json={
        "name": "Kec. Pontianak Barat", "capacity": 12, "dates": TUESDAYS}).json()
    r = api.post(f"/api/trainings/{tid}/registrations", json={
        "name": "Hj. Rusmiati", "phone": "081256780001", "batch_id": b["id"]})
    assert r.status_code == 201, r.text
    reg = db.get(Registration, r.json()["id"])
    assert reg is not None
    code = factories.ticket_code(db, reg)
    factories.committed(db)
    between = api.post("/api/checkins", json={"code": code,
                                              "scanned_at": "2018-02-20T01:00:00Z"})
    assert between.status_code == 409 and between.json()["code"] == "wrong_day"
    assert "13 Maret 2018" in between.json()["message"]
    on_day = api.post("/api/checkins", json={"code": code, "scanned_at": "2018-03-13T01:00:00Z"})
    assert on_day.status_code == 201, on_day.text
    assert on_day.json()["day"] == "2018-03-13"
