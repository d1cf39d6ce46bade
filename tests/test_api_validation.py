"""Bad input on the planning API: a clear 4xx in the caller's language, and nothing changes."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from service.models import AgendaSession, Batch, Training
from tests.test_api_planning import PADANG, make_batch, make_training, session_body


def count(db: Session, model: Any) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


@pytest.mark.parametrize("change, code, fragment", [
    ({"end_date": "2018-09-01"}, "invalid_dates", "Tanggal selesai lebih awal"),
    ({"title": "t" * 301}, "validation_error", "maksimal 300 karakter"),
    ({"title": ""}, "validation_error", "wajib diisi"),
    ({"kind": "konser"}, "validation_error", "Pilih salah satu"),
    ({"timezone": "Europe/Paris"}, "validation_error", "Pilih salah satu"),
    ({"start_date": "2018-02-30"}, "validation_error", "Tanggal tidak valid"),
    ({"categories": [{"name": "PKB"}, {"name": "pkb"}]}, "duplicate", "dua kali"),
])
def test_bad_training_is_refused(api: TestClient, db: Session, change: dict[str, Any], code: str,
                                 fragment: str) -> None:
    r = api.post("/api/trainings", json={**PADANG, **change})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == code and fragment in r.json()["message"]
    assert count(db, Training) == 0


def test_messages_follow_accept_language(api: TestClient) -> None:
    r = api.post("/api/trainings", json={**PADANG, "end_date": "2018-09-01"},
                 headers={"Accept-Language": "en-US,en;q=0.9"})
    assert r.json()["message"] == "The end date is before the start date."
    assert r.json()["errors"] == [{"field": "end_date",
                                   "message": "The end date is before the start date."}]


def test_ten_megabyte_title_gets_413(api: TestClient, db: Session) -> None:
    r = api.post("/api/trainings", json={**PADANG, "title": "x" * 10_000_000})
    assert r.status_code == 413 and r.json()["code"] == "too_large"
    assert count(db, Training) == 0


def test_broken_json_gets_422(api: TestClient) -> None:
    r = api.post("/api/trainings", content=b"{not json",
                 headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["code"] == "validation_error"


@pytest.mark.parametrize("change, code", [
    ({"capacity": 0}, "validation_error"),
    ({"capacity": -3}, "validation_error"),
    ({"start_date": "2018-09-11"}, "batch_outside_training"),
    ({"end_date": "2018-09-19"}, "batch_outside_training"),
    ({"start_date": "2018-09-13", "end_date": "2018-09-12"}, "invalid_dates"),
])
def test_bad_batch_is_refused(api: TestClient, db: Session, change: dict[str, Any],
                              code: str) -> None:
    t = make_training(api)
    body = {"name": "Angkatan I", "start_date": "2018-09-12", "end_date": "2018-09-13",
            "capacity": 105, **change}
    r = api.post(f"/api/trainings/{t['id']}/batches", json=body)
    assert r.status_code == 422 and r.json()["code"] == code, r.text
    assert count(db, Batch) == 0


def test_duplicate_batch_name_is_refused(api: TestClient) -> None:
    t = make_training(api)
    make_batch(api, t["id"], "Angkatan I")
    r = api.post(f"/api/trainings/{t['id']}/batches", json={
        "name": "Angkatan I", "start_date": "2018-09-12", "end_date": "2018-09-13",
        "capacity": 10})
    assert r.status_code == 422 and r.json()["code"] == "duplicate"


def test_shrinking_training_below_its_batches_is_refused(api: TestClient) -> None:
    t = make_training(api)
    make_batch(api, t["id"], "Angkatan III", "2018-09-17", "2018-09-18")
    r = api.put(f"/api/trainings/{t['id']}", json={**PADANG, "end_date": "2018-09-13"})
    assert r.status_code == 422 and r.json()["code"] == "batch_outside_training"
    assert api.get(f"/api/trainings/{t['id']}").json()["end_date"] == "2018-09-18"


def test_moving_a_batch_away_from_its_sessions_is_refused(api: TestClient) -> None:
    t = make_training(api)
    b = make_batch(api, t["id"], "Angkatan I")
    api.post(f"/api/batches/{b['id']}/sessions", json=session_body(date="2018-09-13"))
    r = api.put(f"/api/batches/{b['id']}", json={
        "name": "Angkatan I", "start_date": "2018-09-17", "end_date": "2018-09-18",
        "capacity": 105})
    assert r.status_code == 422 and r.json()["code"] == "session_outside_batch"


@pytest.mark.parametrize("change", [
    {"speaker_ids": [999999]}, {"jpl": -1}, {"jpl": 99}, {"start_time": "25:00"},
    {"kind": "party"}, {"title": "x" * 301}, {"room_id": 999999},
])
def test_bad_session_is_refused(api: TestClient, db: Session, change: dict[str, Any]) -> None:
    t = make_training(api)
    b = make_batch(api, t["id"], "Angkatan I")
    r = api.post(f"/api/batches/{b['id']}/sessions", json=session_body(**change))
    assert r.status_code == 422, r.text
    assert r.json()["message"]
    assert count(db, AgendaSession) == 0


def test_room_without_a_venue_is_explained(api: TestClient) -> None:
    t = make_training(api, venue=None)
    b = make_batch(api, t["id"], "Angkatan I")
    r = api.post(f"/api/batches/{b['id']}/sessions", json=session_body(room="Aula"))
    assert r.status_code == 422 and r.json()["code"] == "no_venue"


def test_html_in_a_name_comes_back_verbatim_as_data(api: TestClient) -> None:
    title = "<img src=x onerror=alert(1)> Bimtek"
    t = make_training(api, title=title)
    assert api.get(f"/api/trainings/{t['id']}").json()["title"] == title


def test_api_needs_a_token(client: TestClient) -> None:
    r = client.get("/api/trainings")
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"
    r = client.get("/api/trainings", headers={"Authorization": "Bearer forged"})
    assert r.status_code == 401 and r.json()["code"] == "invalid_token"


def test_scanner_cannot_plan(client: TestClient, db: Session, org: Any) -> None:
    from service.services.auth import create_user

    create_user(db, email="gate@padang.test", password="gate-password-1", name="Gate 2",
                role="scanner", organization=org)
    token = client.post("/api/auth/token", data={"username": "gate@padang.test",
                                                 "password": "gate-password-1"}).json()
    r = client.post("/api/trainings", json=PADANG,
                    headers={"Authorization": f"Bearer {token['access_token']}"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_other_organizations_objects_are_404(api: TestClient, db: Session) -> None:
    from service.schemas.planning import BatchCreate, SpeakerCreate, TrainingCreate
    from service.services import speakers, trainings
    from service.services.auth import get_or_create_organization

    other = get_or_create_organization(db, "BKKBN Sumatera Selatan")
    t = trainings.create_training(db, other.id, TrainingCreate.model_validate(
        {**PADANG, "categories": []}))
    b = trainings.create_batch(db, t, BatchCreate(name="A", start_date=t.start_date,
                                                   end_date=t.start_date, capacity=5))
    sp = speakers.create_speaker(db, other.id, SpeakerCreate(name="Their speaker"))
    assert api.get(f"/api/trainings/{t.id}").status_code == 404
    assert api.get(f"/api/batches/{b.id}").status_code == 404
    assert api.post(f"/api/batches/{b.id}/sessions", json=session_body()).status_code == 404
    mine = make_training(api)
    mb = make_batch(api, mine["id"], "Angkatan I")
    r = api.post(f"/api/batches/{mb['id']}/sessions", json=session_body(speaker_ids=[sp.id]))
    assert r.status_code == 422  # their speaker is unknown to us
    assert sp.id not in [s["id"] for s in api.get("/api/speakers").json()]


def test_batch_error_names_the_field_that_is_out_of_range(api: TestClient) -> None:
    t = make_training(api)
    body = {"name": "Angkatan V", "start_date": "2018-09-17", "end_date": "2018-09-20",
            "capacity": 10}
    r = api.post(f"/api/trainings/{t['id']}/batches", json=body,
                 headers={"Accept-Language": "en"})
    assert r.json()["errors"][0]["field"] == "end_date"
    assert "(12 September 2018 – 18 September 2018)" in r.json()["message"]


def test_a_nul_character_is_never_a_500(api: TestClient) -> None:
    # Refused on input like every control character, on SQLite and PostgreSQL alike.
    r = api.post("/api/trainings", json={"title": "Pelatihan\x00 Kader", "kind": "pelatihan",
                                         "start_date": "2018-09-12", "end_date": "2018-09-13"})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "validation_error"
    assert r.json()["errors"][0]["field"] == "title"


def test_the_choices_of_a_refused_value_are_listed_in_the_users_language(
        api: TestClient) -> None:
    """Pydantic lists them in English ("'a', 'b' or 'c'"): the last "or" is translated."""
    r = api.post("/api/trainings", json={**PADANG, "kind": "kursus"})
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert error["field"] == "kind" and error["message"].startswith("Pilih salah satu: ")
    assert " atau 'pertemuan'" in error["message"] and " or " not in error["message"]
    english = api.post("/api/trainings", json={**PADANG, "kind": "kursus"},
                       headers={"Accept-Language": "en"}).json()["errors"][0]["message"]
    assert english.startswith("Choose one of: ") and " or 'pertemuan'" in english
