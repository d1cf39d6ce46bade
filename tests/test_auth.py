"""Accounts: argon2 hashes, tokens, revocation, the CLI's create-admin."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models.base import utcnow
from service.services import auth
from tests.conftest import PASSWORD


def test_passwords_are_argon2_hashed(admin: Any) -> None:
    assert admin.password_hash.startswith("$argon2id$")
    assert PASSWORD not in admin.password_hash


def test_token_login_and_revoke(client: TestClient, admin: Any) -> None:
    r = client.post("/api/auth/token", data={"username": "ADMIN@padang.test ",
                                             "password": PASSWORD})
    assert r.status_code == 200 and r.json()["token_type"] == "bearer"
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert client.get("/api/auth/me", headers=headers).json()["email"] == admin.email
    assert client.delete("/api/auth/token", headers=headers).status_code == 204
    assert client.get("/api/auth/me", headers=headers).status_code == 401


def test_wrong_password_gets_401_with_code(client: TestClient, admin: Any) -> None:
    r = client.post("/api/auth/token", data={"username": admin.email, "password": "nope"})
    assert r.status_code == 401 and r.json()["code"] == "invalid_credentials"
    r = client.post("/api/auth/token", data={"username": "nobody@x.id", "password": "nope"})
    assert r.status_code == 401 and r.json()["code"] == "invalid_credentials"


def test_expired_and_inactive_tokens_are_refused(db: Session, admin: Any) -> None:
    raw, token = auth.issue_token(db, admin, "api", days=1)
    assert auth.resolve_token(db, raw, "api") is not None
    assert auth.resolve_token(db, raw, "session") is None  # kinds do not mix
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.add(token)
    db.flush()
    assert auth.resolve_token(db, raw, "api") is None
    raw2, _ = auth.issue_token(db, admin, "api", days=1)
    admin.is_active = False
    db.add(admin)
    db.flush()
    assert auth.resolve_token(db, raw2, "api") is None


def test_logout_revokes_the_session(client: TestClient, admin: Any) -> None:
    from tests.helpers import login_page_client

    csrf = login_page_client(client, admin.email)
    cookie = client.cookies.get("bimtek_session")
    assert client.post("/logout", data={"csrf_token": csrf},
                       follow_redirects=False).status_code == 303
    client.cookies.set("bimtek_session", cookie or "")
    assert client.get("/trainings", follow_redirects=False).status_code == 303


def test_short_password_is_refused(db: Session, org: Any) -> None:
    import pytest

    from service.errors import FieldError

    with pytest.raises(FieldError):
        auth.create_user(db, email="x@y.id", password="short", name="X", role="admin",
                         organization=org)


def test_cli_create_admin(tmp_path: Any, monkeypatch: Any) -> None:
    from service import cli
    from service.db import get_engine
    from service.settings import get_settings

    monkeypatch.setenv("BIMTEK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        assert cli.main(["migrate"]) == 0
        assert cli.main(["create-admin", "kepala@dinas.id", "--password", "a-long-password",
                         "--org", "DP3AP2KB Kota Padang"]) == 0
        assert cli.main(["create-admin", "kepala@dinas.id", "--password", "a-long-password"]) == 1
        from service.db import open_session

        with open_session() as db:
            user = auth.authenticate(db, "kepala@dinas.id", "a-long-password")
            assert user.role == "admin"
    finally:
        get_engine().dispose()
        get_settings.cache_clear()
        get_engine.cache_clear()
