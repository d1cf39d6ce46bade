"""Weak passwords are refused, saying why in Indonesian: at account creation (CLI, /users,
/api/users) and on a change of password (its page and POST /api/auth/password)."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from service.errors import FieldError
from service.models import AuthToken
from service.services import auth
from service.services.passwords import check_password, common_passwords
from tests import factories
from tests.conftest import PASSWORD
from tests.helpers import CSRF_RE, login_page_client, post_login

COMMON = "Kata sandi ini termasuk yang paling umum dipakai, yang pertama kali dicoba penyerang. " \
    "Pilih yang lain."


def _why(password: str, email: str = "siti@padang.test",
         organization: str = "DP3AP2KB Kota Padang") -> str:
    with pytest.raises(FieldError) as refused:
        check_password(password, email=email, organization=organization)
    assert refused.value.field == "password" and refused.value.code == "weak_password"
    return refused.value.message


def test_the_list_holds_at_least_the_top_10000() -> None:
    assert len(common_passwords()) >= 10_000


@pytest.mark.parametrize("password", ["qwertyuiop", "1234567890", "Password123",
                                      "bismillah123", "iloveyou1!", "1q2w3e4r5t"])
def test_a_common_password_is_refused(password: str) -> None:
    assert _why(password).startswith("This password is one of the most common")


def test_a_password_of_one_character_is_refused() -> None:
    assert _why("aaaaaaaaaaaa").startswith("A password of one character repeated")


def test_a_short_password_is_refused() -> None:
    assert _why("x7#kQ2").startswith("The password needs at least")


@pytest.mark.parametrize("password", ["siti@padang.test", "SITI@PADANG.TEST", "siti-2024!",
                                      "Siti.Padang.Test"])
def test_the_email_or_its_name_part_is_refused(password: str) -> None:
    assert "email" in _why(password, email="siti@padang.test").lower()


def test_the_organization_name_is_refused() -> None:
    assert "organization" in _why("dp3ap2kb kota padang")


def test_a_long_uncommon_password_is_taken() -> None:
    check_password(PASSWORD, email="siti@padang.test", organization="DP3AP2KB Kota Padang")


def test_create_user_refuses_a_weak_password(db: Session) -> None:
    with pytest.raises(FieldError):
        auth.create_user(db, email="x@padang.test", password="password123", name="X",
                         role="committee", organization=factories.organization(db))


def test_the_api_says_why_in_indonesian(api: TestClient) -> None:
    r = api.post("/api/users", json={"name": "Siti", "email": "siti@padang.test",
                                     "role": "committee", "password": "qwertyuiop"})
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [{"field": "password", "message": COMMON}]


def test_the_api_says_a_short_password_is_short(api: TestClient) -> None:
    r = api.post("/api/users", json={"name": "Siti", "email": "siti@padang.test",
                                     "role": "committee", "password": "pendek"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["message"] == "Kata sandi minimal 10 karakter."


def test_the_users_page_says_why(client: TestClient, admin: Any) -> None:
    csrf = login_page_client(client, admin.email)
    r = client.post("/users", data={"name": "Siti", "email": "siti@padang.test",
                                    "role": "committee", "password": "siti@padang.test",
                                    "csrf_token": csrf})
    assert r.status_code == 422
    assert "Kata sandi tidak boleh sama dengan alamat email akun atau bagiannya." in r.text


def test_the_cli_refuses_a_weak_admin_password(tmp_path: Any, monkeypatch: Any,
                                                capsys: Any) -> None:
    from service import cli
    from service.db import get_engine
    from service.settings import get_settings

    monkeypatch.setenv("BIMTEK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        assert cli.main(["migrate"]) == 0
        assert cli.main(["create-admin", "admin@padang.test", "--password", "1234567890",
                         "--org", "DP3AP2KB Kota Padang"]) == 1
        assert "paling umum" in capsys.readouterr().err
    finally:
        get_engine().dispose()
        get_settings.cache_clear()
        get_engine.cache_clear()


# --- changing one's own password ---------------------------------------------------------

NEW = "tiga-kata-acak-sekali"


def test_the_api_changes_the_password_and_ends_other_tokens(api: TestClient, client: TestClient,
                                                            admin: Any, db: Session) -> None:
    other = client.post("/api/auth/token", data={"username": admin.email, "password": PASSWORD})
    other_token = other.json()["access_token"]
    r = api.post("/api/auth/password", json={"current_password": PASSWORD, "new_password": NEW})
    assert r.status_code == 204, r.text
    assert api.get("/api/auth/me").status_code == 200  # the token that changed it stays
    assert api.get("/api/auth/me", headers={
        "Authorization": f"Bearer {other_token}"}).status_code == 401
    assert client.post("/api/auth/token", data={"username": admin.email,
                                                "password": NEW}).status_code == 200


def test_the_api_needs_the_current_password(api: TestClient) -> None:
    r = api.post("/api/auth/password", json={"current_password": "salah-sekali-ini",
                                             "new_password": NEW})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "current_password",
                                   "message": "Kata sandi saat ini salah."}]


def test_the_api_refuses_a_weak_new_password(api: TestClient) -> None:
    r = api.post("/api/auth/password", json={"current_password": PASSWORD,
                                             "new_password": "password123"})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "new_password", "message": COMMON}]


def test_guessing_the_current_password_locks_the_account(api: TestClient) -> None:
    answers = [api.post("/api/auth/password", json={"current_password": f"tebakan-{n:03d}",
                                                    "new_password": NEW}).status_code
               for n in range(11)]
    assert answers == [422] * 10 + [429]


def test_the_page_changes_the_password(client: TestClient, admin: Any, db: Session) -> None:
    csrf = login_page_client(client, admin.email)
    form = client.get("/account/password")
    assert form.status_code == 200 and 'name="current_password"' in form.text
    r = client.post("/account/password", data={
        "csrf_token": csrf, "current_password": PASSWORD, "new_password": NEW,
        "new_password_again": NEW}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert "Kata sandi Anda sudah diganti" in client.get(r.headers["location"]).text
    live = db.exec(select(AuthToken).where(AuthToken.user_id == admin.id,
                                           col(AuthToken.revoked_at).is_(None))).all()
    assert [t.kind for t in live] == ["session"]  # this browser's own session
    client.cookies.clear()
    assert post_login(client, admin.email, NEW).status_code == 303


def test_the_page_says_why_a_new_password_is_refused(client: TestClient, admin: Any) -> None:
    csrf = login_page_client(client, admin.email)
    r = client.post("/account/password", data={
        "csrf_token": csrf, "current_password": PASSWORD, "new_password": "aaaaaaaaaaaa",
        "new_password_again": "aaaaaaaaaaaa"})
    assert r.status_code == 422
    assert "satu karakter berulang" in r.text
    assert CSRF_RE.search(r.text)
