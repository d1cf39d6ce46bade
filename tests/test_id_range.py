"""Every route with an integer id in its path answers an id beyond 64 bits with 404 or
422, never 500 (SQLite cannot even bind one: OverflowError); ids beyond range in JSON
bodies, forms and query strings too."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models.base import pk
from tests import factories
from tests.conftest import PASSWORD
from tests.helpers import id_routes, login_page_client

BEYOND = (2**63, 10**30)
# Values for the string parameters of paths that also carry an id.
STRINGS = {"fmt": "xlsx", "token": "AbCdEfGhIjKlMnOpQrStUv"}
ID_FIELDS = ("batch_id", "target_batch_id", "training_id", "registration_id", "session_id",
             "speaker_id", "venue_id", "room_id", "user_id")


def fill(template: str, params: dict[str, Any], ids: dict[str, int]) -> str:
    path = template
    for name, kind in params.items():
        value = ids[name] if kind is int else STRINGS.get(name, "x")
        path = path.replace("{" + name + "}", str(value))
    return path


def ask(client: TestClient, method: str, path: str, big: int, csrf: str) -> int:
    query = {name: str(big) for name in ID_FIELDS}
    if path.startswith("/api"):
        body = {**{name: big for name in ID_FIELDS}, "speaker_ids": [big]}
        r = client.request(method, path, params=query,
                           json=body if method in ("POST", "PUT", "PATCH") else None)
    else:
        form = {**{name: str(big) for name in ID_FIELDS}, "csrf_token": csrf}
        r = client.request(method, path, params=query, headers={"X-CSRF-Token": csrf},
                           data=form if method == "POST" else None, follow_redirects=False)
    return r.status_code


@pytest.fixture
def signed_in(app: Any, db: Session, admin: Any) -> Iterator[tuple[TestClient, str]]:
    """A client with the admin's bearer token (for /api) and page session (for pages);
    a server error comes back as a 500 rather than raising in the test."""
    with TestClient(app, raise_server_exceptions=False) as client:
        token = client.post("/api/auth/token", data={"username": admin.email,
                                                     "password": PASSWORD}).json()
        csrf = login_page_client(client, admin.email)
        client.headers["Authorization"] = f"Bearer {token['access_token']}"
        yield client, csrf


def test_every_id_route_answers_ids_beyond_64_bits_without_a_server_error(
        app: Any, signed_in: tuple[TestClient, str]) -> None:
    client, csrf = signed_in
    routes = id_routes(app)
    assert len(routes) > 100
    errors = []
    for method, template, params in routes:
        for big in BEYOND:
            path = fill(template, params, dict.fromkeys(params, big))
            status = ask(client, method, path, big, csrf)
            if status >= 500:
                errors.append((method, path[:60], status))
    assert errors == []


def test_a_real_outer_id_with_an_inner_id_beyond_range(app: Any, db: Session, admin: Any,
                                                       signed_in: tuple[TestClient, str]
                                                       ) -> None:
    client, csrf = signed_in
    org = factories.organization(db)
    t = factories.training(db, org)
    b = factories.batch(db, t)
    factories.register(db, t, b, **factories.kader(0))
    factories.committed(db)
    real = {"training_id": pk(t), "batch_id": pk(b)}
    errors = []
    for method, template, params in id_routes(app):
        if not set(params) & set(real) or len([p for p in params.values() if p is int]) < 2:
            continue
        for big in BEYOND:
            ids = {name: real.get(name, big) for name in params}
            status = ask(client, method, fill(template, params, ids), big, csrf)
            if status >= 500:
                errors.append((method, template, status))
    assert errors == []


def test_ids_beyond_range_in_bodies_and_queries(db: Session,
                                                signed_in: tuple[TestClient, str]) -> None:
    client, _csrf = signed_in
    t = factories.training(db, factories.organization(db))
    b = factories.batch(db, t)
    factories.committed(db)
    big = 2**63
    answers = [
        client.post(f"/api/trainings/{t.id}/registrations",
                    json={"name": "Siti", "batch_id": big}).status_code,
        client.get(f"/api/trainings/{t.id}/registrations", params={"batch_id": big}).status_code,
        client.get(f"/api/trainings/{t.id}/registrations", params={"page": big}).status_code,
        client.post(f"/api/batches/{b.id}/copy-agenda",
                    json={"target_batch_id": big}).status_code,
        client.post(f"/api/batches/{b.id}/sessions", json={
            "title": "Materi", "date": b.start_date.isoformat(), "start_time": "08:00",
            "end_time": "09:00", "speaker_ids": [big]}).status_code,
        client.post("/api/checkins", json={"registration_id": big}).status_code,
    ]
    assert all(400 <= status < 500 for status in answers), answers
    # The scanner's set-up page simply does not find the training or batch asked for.
    assert client.get("/scan", params={"training": big, "batch": big}).status_code == 200
