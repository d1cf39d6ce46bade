"""Programmes over HTTP: the JSON contract (/api/programs, trainings' program_id), another
organization's programmes and trainings out of reach, and the programme page's forms and
query count."""

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models import Organization, Training, User
from service.models.base import pk
from service.schemas.programs import ProgramCreate
from service.services import programs
from tests import factories
from tests.conftest import PASSWORD
from tests.helpers import login_page_client

PONTIANAK = {"title": "Bimtek Pengelola Kampung KB Kota Pontianak 2018",
             "start_date": "2018-03-01", "end_date": "2018-12-31"}


def make_program(api: TestClient, **over: Any) -> int:
    r = api.post("/api/programs", json={**PONTIANAK, **over})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def make_stage(api: TestClient, program_id: int, title: str, start: str, end: str,
               **over: Any) -> dict[str, Any]:
    r = api.post("/api/trainings", json={"title": title, "kind": "bimtek", "start_date": start,
                                         "end_date": end, "program_id": program_id, **over})
    assert r.status_code == 201, r.text
    return dict(r.json())


def make_batch(api: TestClient, training_id: int, name: str, start: str, end: str,
               capacity: int = 50) -> int:
    r = api.post(f"/api/trainings/{training_id}/batches", json={
        "name": name, "start_date": start, "end_date": end, "capacity": capacity})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def register(api: TestClient, training_id: int, n: int, batch_id: int | None = None) -> int:
    r = api.post(f"/api/trainings/{training_id}/registrations", json={
        "name": f"Hj. Peserta {n:02d} Pontianak", "phone": f"08125600{n:04d}",
        "district": "Pontianak Barat" if n % 2 else "Pontianak Kota", "batch_id": batch_id})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def check_in(api: TestClient, registration_id: int, batch_id: int, day: str) -> None:
    r = api.post("/api/checkins", json={"registration_id": registration_id, "batch_id": batch_id,
                                        "scanned_at": f"{day}T01:00:00Z",
                                        "nonce": f"n-{registration_id}-{day}"})
    assert r.status_code == 201, r.text


@pytest.fixture
def other(client: TestClient, db: Session) -> TestClient:
    """Organization B's admin: a second client with its own bearer token."""
    org_b = factories.organization(db, "DP3AP2KB Kota Padang Panjang")
    user = factories.user(db, org_b, role="admin", email="admin@b.test")
    factories.committed(db)
    c = TestClient(client.app)
    r = c.post("/api/auth/token", data={"username": user.email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return c


def test_create_program_answers_its_id(api: TestClient) -> None:
    r = api.post("/api/programs", json=PONTIANAK)
    assert r.status_code == 201, r.text
    assert set(r.json()) == {"id"}


def test_a_program_ending_before_it_starts_is_a_422(api: TestClient) -> None:
    r = api.post("/api/programs", json={**PONTIANAK, "end_date": "2017-12-31"})
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_dates" and r.json()["message"]


def test_a_program_without_a_title_is_a_422(api: TestClient) -> None:
    r = api.post("/api/programs", json={**PONTIANAK, "title": "  "})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "title"


def test_list_programs_has_items_and_total(api: TestClient) -> None:
    pid = make_program(api)
    make_stage(api, pid, "Tahap 1", "2018-03-20", "2018-03-21")
    body = api.get("/api/programs").json()
    assert body["total"] == 1
    assert body["items"][0]["id"] == pid and body["items"][0]["stages"] == 1


def test_a_training_carries_its_program_and_stage(api: TestClient) -> None:
    pid = make_program(api)
    one = make_stage(api, pid, "Tahap 1", "2018-03-20", "2018-03-21")
    two = make_stage(api, pid, "Pembinaan bulanan", "2018-05-01", "2018-12-31",
                     program_stage=3)
    assert (one["program_id"], one["program_stage"]) == (pid, 1)
    assert (two["program_id"], two["program_stage"]) == (pid, 3)
    got = api.get(f"/api/trainings/{one['id']}").json()
    assert (got["program_id"], got["program_stage"]) == (pid, 1)


def test_a_stage_number_out_of_range_is_a_422(api: TestClient) -> None:
    pid = make_program(api)
    r = api.post("/api/trainings", json={"title": "Tahap 0", "kind": "bimtek",
                                         "start_date": "2018-03-20", "end_date": "2018-03-21",
                                         "program_id": pid, "program_stage": 0})
    assert r.status_code == 422


def test_get_program_lists_stages_people_and_waiting(api: TestClient) -> None:
    pid = make_program(api)
    one = make_stage(api, pid, "Tahap 1", "2018-03-20", "2018-03-21")
    make_stage(api, pid, "Pembinaan bulanan", "2018-05-01", "2018-12-31", kind="pembinaan")
    batch = make_batch(api, one["id"], "Angkatan I", "2018-03-20", "2018-03-21")
    regs = [register(api, one["id"], n, batch) for n in range(3)]
    check_in(api, regs[0], batch, "2018-03-20")
    body = api.get(f"/api/programs/{pid}").json()
    assert [s["title"] for s in body["stages"]] == ["Tahap 1", "Pembinaan bulanan"]
    first = body["stages"][0]
    assert (first["stage"], first["registered"], first["attended"]) == (1, 3, 1)
    assert body["people"] == 3
    assert len(body["waiting"]) == 3 and body["waiting"][0]["after_training_id"] == one["id"]


def test_put_program_changes_it(api: TestClient) -> None:
    pid = make_program(api)
    r = api.put(f"/api/programs/{pid}", json={**PONTIANAK, "title": "Program Kampung KB 2018",
                                              "description": "Tahap 1, Tahap 2, pembinaan"})
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "Program Kampung KB 2018"


def test_carry_answers_carried_already_waitlisted(api: TestClient) -> None:
    pid = make_program(api)
    one = make_stage(api, pid, "Tahap 1", "2018-03-20", "2018-03-21")
    two = make_stage(api, pid, "Pembinaan bulanan", "2018-05-01", "2018-12-31")
    b1 = make_batch(api, one["id"], "Angkatan I", "2018-03-20", "2018-03-21")
    make_batch(api, two["id"], "Pertemuan Mei", "2018-05-15", "2018-05-15", capacity=1)
    regs = [register(api, one["id"], n, b1) for n in range(3)]
    for rid in regs[:2]:
        check_in(api, rid, b1, "2018-03-20")
    body = {"from_training_id": one["id"], "to_training_id": two["id"], "only_attended": True}
    r = api.post(f"/api/programs/{pid}/carry", json=body)
    assert r.status_code == 200, r.text
    # One seat in the only batch: one confirmed, one waits.
    assert r.json() == {"carried": 2, "already": 0, "waitlisted": 1}
    again = api.post(f"/api/programs/{pid}/carry", json={**body, "only_attended": False})
    assert again.json() == {"carried": 1, "already": 2, "waitlisted": 1}


def test_carry_with_a_training_outside_the_program_is_a_422(api: TestClient) -> None:
    pid = make_program(api)
    one = make_stage(api, pid, "Tahap 1", "2018-03-20", "2018-03-21")
    r = api.post("/api/trainings", json={"title": "Lain", "kind": "bimtek",
                                         "start_date": "2018-03-20", "end_date": "2018-03-21"})
    r = api.post(f"/api/programs/{pid}/carry", json={
        "from_training_id": one["id"], "to_training_id": r.json()["id"]})
    assert r.status_code == 422 and r.json()["code"] == "not_in_program"


# --- another organization ---------------------------------------------------------------------

def test_another_organizations_program_is_not_found(api: TestClient, other: TestClient) -> None:
    pid = make_program(api)
    assert other.get(f"/api/programs/{pid}").status_code == 404
    assert other.put(f"/api/programs/{pid}", json=PONTIANAK).status_code == 404
    assert other.post(f"/api/programs/{pid}/carry", json={
        "from_training_id": 1, "to_training_id": 2}).status_code == 404
    assert other.get("/api/programs").json() == {"items": [], "total": 0}


def test_a_training_cannot_join_another_organizations_program(
        api: TestClient, other: TestClient) -> None:
    pid = make_program(api)
    r = other.post("/api/trainings", json={"title": "Pelatihan B", "kind": "bimtek",
                                           "start_date": "2018-03-20",
                                           "end_date": "2018-03-21", "program_id": pid})
    assert r.status_code == 422 and r.json()["code"] == "unknown_program"


def test_carry_from_another_organizations_training_is_not_found(
        api: TestClient, other: TestClient) -> None:
    theirs = make_stage(api, make_program(api), "Tahap 1", "2018-03-20", "2018-03-21")
    mine = make_program(other)
    own = make_stage(other, mine, "Tahap 1 B", "2018-03-20", "2018-03-21")
    r = other.post(f"/api/programs/{mine}/carry", json={
        "from_training_id": theirs["id"], "to_training_id": own["id"]})
    assert r.status_code == 404


# --- the pages ----------------------------------------------------------------------------------

@pytest.fixture
def world(db: Session, org: Organization, admin: User) -> dict[str, Any]:
    prog = programs.create_program(db, pk(org), ProgramCreate(
        title="Bimtek Pengelola Kampung KB 2018", start_date=date(2018, 3, 1),
        end_date=date(2018, 12, 31)))
    one = factories.training(db, org, title="Tahap 1", start=date(2018, 3, 20), days=2,
                             program_id=pk(prog))
    coaching = factories.training(db, org, title="Pembinaan bulanan", start=date(2018, 5, 1),
                                  days=200, kind="pembinaan", program_id=pk(prog))
    factories.batch(db, coaching, name="Pontianak Barat", start=date(2018, 5, 15), days=1)
    batch = factories.batch(db, one, capacity=90)
    factories.committed(db)
    return {"program": prog, "one": one, "coaching": coaching, "batch": batch, "admin": admin}


def _fill(db: Session, w: dict[str, Any], first: int, count: int) -> None:
    regs = factories.register_many(db, w["one"], w["batch"], count, first)
    for reg in regs[::2]:
        factories.check_in(db, reg, date(2018, 3, 20), w["admin"])
    factories.committed(db)


def test_program_page_queries_do_not_grow_with_people(
        client: TestClient, db: Session, world: dict[str, Any],
        count_queries: list[str]) -> None:
    login_page_client(client, world["admin"].email)
    url = f"/programs/{pk(world['program'])}"
    counts = []
    for first, count in ((0, 5), (5, 40)):
        _fill(db, world, first, count)
        count_queries.clear()
        r = client.get(url)
        assert r.status_code == 200, r.text
        counts.append(len(count_queries))
    assert counts[0] == counts[1], counts


def test_program_page_carries_with_one_form(client: TestClient, db: Session,
                                            world: dict[str, Any]) -> None:
    _fill(db, world, 0, 4)
    csrf = login_page_client(client, world["admin"].email)
    r = client.post(f"/programs/{pk(world['program'])}/carry", data={
        "csrf_token": csrf, "from_training_id": str(pk(world["one"])),
        "to_training_id": str(pk(world["coaching"])), "only_attended": "1"},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    assert "carried=2&already=0&waitlisted=0" in r.headers["location"]
    page = client.get(r.headers["location"])
    assert 'id="carry-carried">2<' in page.text


def test_program_page_refuses_bad_carry_with_a_4xx(client: TestClient, db: Session,
                                                   world: dict[str, Any]) -> None:
    csrf = login_page_client(client, world["admin"].email)
    r = client.post(f"/programs/{pk(world['program'])}/carry", data={
        "csrf_token": csrf, "from_training_id": str(pk(world["one"])),
        "to_training_id": str(pk(world["one"]))})
    assert r.status_code == 422
    assert 'class="alert alert-error"' in r.text
    r = client.post(f"/programs/{pk(world['program'])}/carry", data={
        "csrf_token": csrf, "from_training_id": "x", "to_training_id": ""})
    assert r.status_code == 422


def test_create_form_refuses_bad_dates_with_a_4xx(client: TestClient, admin: User) -> None:
    csrf = login_page_client(client, admin.email)
    r = client.post("/programs", data={"csrf_token": csrf, "title": "Program 2018",
                                       "start_date": "2018-12-31", "end_date": "2018-01-01"})
    assert r.status_code == 422
    assert "has-error" in r.text
    r = client.post("/programs", data={"csrf_token": csrf, "title": "Program 2018",
                                       "start_date": "2018-01-01", "end_date": "2018-12-31"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/programs/")


def test_training_form_puts_a_training_into_a_program(client: TestClient, db: Session,
                                                      world: dict[str, Any]) -> None:
    csrf = login_page_client(client, world["admin"].email)
    form = client.get(f"/trainings/new?program_id={pk(world['program'])}").text
    assert f'<option value="{pk(world["program"])}" selected>' in form
    start = date(2018, 4, 24)
    r = client.post("/trainings", data={
        "csrf_token": csrf, "title": "Tahap 2", "kind": "bimtek", "timezone": "Asia/Jakarta",
        "start_date": start.isoformat(), "end_date": (start + timedelta(days=1)).isoformat(),
        "program_id": str(pk(world["program"])), "program_stage": ""},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    tid = int(r.headers["location"].rsplit("/", 1)[1])
    made = db.get(Training, tid)
    assert made is not None and (made.program_id, made.program_stage) == (
        pk(world["program"]), 3)
    overview = client.get(f"/trainings/{tid}").text
    assert f'href="/programs/{pk(world["program"])}"' in overview
