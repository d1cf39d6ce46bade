"""Planning a training through the API: trainings, batches, sessions, conflicts, copying."""

from typing import Any

from fastapi.testclient import TestClient

PADANG = {"title": "Pelatihan Pengelolaan Kelompok Kegiatan Kampung KB Kota Padang",
          "kind": "pelatihan", "start_date": "2018-09-12", "end_date": "2018-09-18",
          "venue": "Hotel Pangeran Beach", "timezone": "WIB",
          "categories": [{"name": "Kader BKB", "quota": 100}, {"name": "PKB"}]}


def make_training(api: TestClient, **over: Any) -> dict[str, Any]:
    r = api.post("/api/trainings", json={**PADANG, **over})
    assert r.status_code == 201, r.text
    return r.json()


def make_batch(api: TestClient, tid: int, name: str, start: str = "2018-09-12",
               end: str = "2018-09-13", capacity: int = 105) -> dict[str, Any]:
    r = api.post(f"/api/trainings/{tid}/batches",
                 json={"name": name, "start_date": start, "end_date": end, "capacity": capacity})
    assert r.status_code == 201, r.text
    return r.json()


def make_speaker(api: TestClient, name: str = "Drs. Syahrul", **over: Any) -> dict[str, Any]:
    r = api.post("/api/speakers", json={"name": name, "title": "M.Si",
                                        "institution": "BKKBN Sumbar", **over})
    assert r.status_code == 201, r.text
    return r.json()


def session_body(**over: Any) -> dict[str, Any]:
    return {"title": "Kebijakan Program Bangga Kencana", "date": "2018-09-12",
            "start_time": "08:00", "end_time": "09:30", "jpl": 2, **over}


def test_create_training_returns_contract_fields(api: TestClient) -> None:
    t = make_training(api)
    assert t["id"] and t["title"] == PADANG["title"] and t["kind"] == "pelatihan"
    assert t["timezone"] == "Asia/Jakarta" and t["timezone_label"] == "WIB"
    assert t["venue"] == "Hotel Pangeran Beach"
    assert [c["name"] for c in t["categories"]] == ["Kader BKB", "PKB"]
    assert t["categories"][0]["quota"] == 100
    assert api.get(f"/api/trainings/{t['id']}").json()["batches"] == []


def test_two_batches_on_the_same_days(api: TestClient) -> None:
    t = make_training(api)
    one = make_batch(api, t["id"], "Angkatan I")
    two = make_batch(api, t["id"], "Angkatan II")
    assert one["days"] == ["2018-09-12", "2018-09-13"] == two["days"]
    got = api.get(f"/api/trainings/{t['id']}").json()
    assert [b["name"] for b in got["batches"]] == ["Angkatan I", "Angkatan II"]
    assert got["batches"][0]["capacity"] == 105


def test_speaker_conflict_across_batches_side_by_side(api: TestClient) -> None:
    t = make_training(api)
    one, two = make_batch(api, t["id"], "Angkatan I"), make_batch(api, t["id"], "Angkatan II")
    sp = make_speaker(api)
    assert api.post(f"/api/batches/{one['id']}/sessions",
                    json=session_body(speaker_ids=[sp["id"]])).status_code == 201
    r = api.post(f"/api/batches/{two['id']}/sessions",
                 json=session_body(start_time="09:00", end_time="10:00", speaker_ids=[sp["id"]]))
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "speaker_conflict"
    assert "Drs. Syahrul" in body["message"] and "Angkatan I" in body["message"]
    assert body["clashes"][0]["batch"] == "Angkatan I"
    assert len(api.get(f"/api/batches/{two['id']}/sessions").json()) == 0
    # Back to back is fine: intervals are half-open.
    ok = api.post(f"/api/batches/{two['id']}/sessions",
                  json=session_body(start_time="09:30", end_time="11:00", speaker_ids=[sp["id"]]))
    assert ok.status_code == 201, ok.text


def test_room_conflict(api: TestClient) -> None:
    t = make_training(api)
    one, two = make_batch(api, t["id"], "Angkatan I"), make_batch(api, t["id"], "Angkatan II")
    assert api.post(f"/api/batches/{one['id']}/sessions",
                    json=session_body(room="Ruang Minang")).status_code == 201
    r = api.post(f"/api/batches/{two['id']}/sessions", json=session_body(room="Ruang Minang"))
    assert r.status_code == 409 and r.json()["code"] == "room_conflict"
    assert api.post(f"/api/batches/{two['id']}/sessions",
                    json=session_body(room="Ruang Bagonjong")).status_code == 201


def test_session_outside_batch_and_bad_times(api: TestClient) -> None:
    t = make_training(api)
    b = make_batch(api, t["id"], "Angkatan I")
    r = api.post(f"/api/batches/{b['id']}/sessions", json=session_body(date="2018-09-17"))
    assert r.status_code == 422 and r.json()["code"] == "session_outside_batch"
    r = api.post(f"/api/batches/{b['id']}/sessions",
                 json=session_body(start_time="10:00", end_time="09:00"))
    assert r.status_code == 422 and r.json()["code"] == "invalid_times"


def test_copy_agenda_shifts_dates_and_reports_busy_speakers(api: TestClient) -> None:
    t = make_training(api)
    one = make_batch(api, t["id"], "Angkatan I")
    two = make_batch(api, t["id"], "Angkatan II")
    three = make_batch(api, t["id"], "Angkatan III", "2018-09-17", "2018-09-18")
    sp = make_speaker(api)
    api.post(f"/api/batches/{one['id']}/sessions", json=session_body(speaker_ids=[sp["id"]]))
    api.post(f"/api/batches/{one['id']}/sessions",
             json=session_body(title="Ishoma", kind="break", date="2018-09-13",
                               start_time="12:00", end_time="13:00", jpl=0))
    r = api.post(f"/api/batches/{one['id']}/copy-agenda", json={"target_batch_id": three["id"]})
    assert r.status_code == 200 and r.json() == {"copied": 2, "warnings": []}
    sessions = api.get(f"/api/batches/{three['id']}/sessions").json()
    assert [s["date"] for s in sessions] == ["2018-09-17", "2018-09-18"]
    assert sessions[0]["speaker_ids"] == [sp["id"]]
    # Side by side: the speaker is busy teaching angkatan I, so the copy leaves them off.
    r = api.post(f"/api/batches/{one['id']}/copy-agenda", json={"target_batch_id": two["id"]})
    assert r.json()["copied"] == 2
    assert r.json()["warnings"][0]["reason"] == "speaker_busy"
    # Copying again needs replace.
    r = api.post(f"/api/batches/{one['id']}/copy-agenda", json={"target_batch_id": two["id"]})
    assert r.status_code == 409 and r.json()["code"] == "agenda_not_empty"
    r = api.post(f"/api/batches/{one['id']}/copy-agenda",
                 json={"target_batch_id": two["id"], "replace": True})
    assert r.status_code == 200
    assert len(api.get(f"/api/batches/{two['id']}/sessions").json()) == 2


def test_total_jpl_per_batch(api: TestClient) -> None:
    t = make_training(api)
    b = make_batch(api, t["id"], "Angkatan I")
    api.post(f"/api/batches/{b['id']}/sessions", json=session_body(jpl=2))
    api.post(f"/api/batches/{b['id']}/sessions",
             json=session_body(start_time="10:00", end_time="12:15", jpl=3))
    assert api.get(f"/api/batches/{b['id']}").json()["total_jpl"] == 5


def test_agenda_pdf(api: TestClient) -> None:
    t = make_training(api)
    b = make_batch(api, t["id"], "Angkatan I")
    api.post(f"/api/batches/{b['id']}/sessions", json=session_body())
    r = api.get(f"/api/batches/{b['id']}/agenda.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_delete_training_takes_its_batches_and_sessions(api: TestClient, db: Any) -> None:
    from sqlmodel import func, select

    from service.models import AgendaSession, Batch, SessionSpeaker

    t = make_training(api)
    b = make_batch(api, t["id"], "Angkatan I")
    sp = make_speaker(api)
    api.post(f"/api/batches/{b['id']}/sessions", json=session_body(speaker_ids=[sp["id"]]))
    assert api.delete(f"/api/trainings/{t['id']}").status_code == 204
    assert api.get(f"/api/trainings/{t['id']}").status_code == 404
    for model in (Batch, AgendaSession, SessionSpeaker):
        assert db.exec(select(func.count()).select_from(model)).one() == 0, model
    # The narasumber belongs to the organization and stays.
    assert [s["id"] for s in api.get("/api/speakers").json()] == [sp["id"]]


def test_training_with_registrations_cannot_be_deleted(api: TestClient, db: Any,
                                                       org: Any) -> None:
    from service.models import Participant, Registration

    t = make_training(api)
    person = Participant(organization_id=org.id, name="Siti Aminah")
    db.add(person)
    db.flush()
    db.add(Registration(training_id=t["id"], participant_id=person.id, ticket_token="x" * 43))
    db.flush()
    r = api.delete(f"/api/trainings/{t['id']}")
    assert r.status_code == 409 and r.json()["code"] == "training_in_use"
    assert api.get(f"/api/trainings/{t['id']}").status_code == 200


def test_speaker_who_teaches_cannot_be_deleted(api: TestClient) -> None:
    t = make_training(api)
    b = make_batch(api, t["id"], "Angkatan I")
    busy, idle = make_speaker(api), make_speaker(api, "Rinaldi Putra")
    s = api.post(f"/api/batches/{b['id']}/sessions",
                 json=session_body(speaker_ids=[busy["id"]])).json()
    r = api.delete(f"/api/speakers/{busy['id']}")
    assert r.status_code == 409 and r.json()["code"] == "speaker_in_use"
    assert "Drs. Syahrul mengisi 1 sesi" in r.json()["message"]
    assert api.delete(f"/api/speakers/{idle['id']}").status_code == 204
    assert api.delete(f"/api/sessions/{s['id']}").status_code == 204
    assert api.delete(f"/api/speakers/{busy['id']}").status_code == 204
    assert api.get("/api/speakers").json() == []
