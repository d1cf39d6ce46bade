"""Admins manage their organization's accounts; deactivating one ends its sessions."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.helpers import login_page_client


def test_admin_adds_a_committee_member_who_can_log_in(api: TestClient) -> None:
    r = api.post("/api/users", json={"email": "Sekretaris@Padang.test", "name": "Sekretaris",
                                     "role": "committee", "password": "a-good-password"})
    assert r.status_code == 201, r.text
    assert r.json()["email"] == "sekretaris@padang.test" and r.json()["role"] == "committee"
    token = api.post("/api/auth/token", data={"username": "sekretaris@padang.test",
                                              "password": "a-good-password"})
    assert token.status_code == 200


def test_deactivating_revokes_tokens_at_once(api: TestClient) -> None:
    created = api.post("/api/users", json={"email": "gate@padang.test", "name": "Gate 2",
                                           "role": "scanner", "password": "a-good-password"})
    uid = created.json()["id"]
    raw = api.post("/api/auth/token", data={"username": "gate@padang.test",
                                            "password": "a-good-password"}).json()["access_token"]
    gate = {"Authorization": f"Bearer {raw}"}
    assert api.get("/api/auth/me", headers=gate).status_code == 200
    r = api.patch(f"/api/users/{uid}", json={"is_active": False})
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert api.get("/api/auth/me", headers=gate).status_code == 401


def test_bad_user_input(api: TestClient, admin: Any) -> None:
    for body, status in [({"email": "no-at-sign", "name": "X", "password": "a-good-password"}, 422),
                         ({"email": "x@y.id", "name": "X", "password": "short"}, 422),
                         ({"email": "x@y.id", "name": "X", "password": "a-good-password",
                           "role": "root"}, 422),
                         ({"email": admin.email, "name": "X", "password": "a-good-password"},
                          422)]:
        assert api.post("/api/users", json=body).status_code == status, body
    r = api.patch(f"/api/users/{admin.id}", json={"is_active": False})
    assert r.status_code == 409 and r.json()["code"] == "self_deactivate"


def test_committee_member_cannot_manage_users(client: TestClient, db: Session, org: Any) -> None:
    from service.services.auth import create_user

    create_user(db, email="c@padang.test", password="a-good-password", name="C",
                role="committee", organization=org)
    raw = client.post("/api/auth/token", data={"username": "c@padang.test",
                                               "password": "a-good-password"}).json()
    r = client.get("/api/users", headers={"Authorization": f"Bearer {raw['access_token']}"})
    assert r.status_code == 403


def test_users_page(client: TestClient, admin: Any) -> None:
    csrf = login_page_client(client, admin.email)
    r = client.post("/users", data={"name": "<b>Bendahara</b>", "email": "b@padang.test",
                                    "role": "committee", "password": "a-good-password",
                                    "csrf_token": csrf})
    assert r.status_code == 200
    assert "&lt;b&gt;Bendahara&lt;/b&gt;" in r.text and "Panitia" in r.text
    bad = client.post("/users", data={"name": "X", "email": "x@padang.test", "role": "committee",
                                      "password": "pendek", "csrf_token": csrf})
    assert bad.status_code == 422 and "x@padang.test" in bad.text
