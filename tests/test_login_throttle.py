"""Password guessing is slowed per account and per client address, on /login and
/api/auth/token; an admin lifts an account's lockout. The login form carries a CSRF token."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.services import login_throttle
from service.services.login_throttle import LoginLocked
from service.settings import get_settings
from tests import factories
from tests.conftest import PASSWORD
from tests.helpers import login_form_token, login_page_client, post_login

T0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
EMAIL = "korban@padang.test"
LOCKED_MESSAGE = ("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit, "
                  "atau minta admin penyelenggara Anda membuka kunci akun.")


def _fail(db: Session, n: int, email: str = EMAIL, address: str = "10.0.0.7",
          at: datetime = T0) -> None:
    for _ in range(n):
        login_throttle.attempt(db, email, address, now=at)


# --- the service -------------------------------------------------------------------------

def test_ten_failures_lock_the_account(db: Session) -> None:
    _fail(db, 10)
    with pytest.raises(LoginLocked) as locked:
        login_throttle.attempt(db, EMAIL, "10.0.0.8", now=T0 + timedelta(minutes=1))
    assert locked.value.status == 429
    assert locked.value.params == {"minutes": 14}


def test_the_lockout_ends_a_window_after_it_began(db: Session) -> None:
    _fail(db, 10)
    for _ in range(5):  # refused attempts do not prolong it
        with pytest.raises(LoginLocked):
            login_throttle.attempt(db, EMAIL, "10.0.0.7", now=T0 + timedelta(minutes=5))
    login_throttle.attempt(db, EMAIL, "10.0.0.7", now=T0 + timedelta(minutes=15, seconds=1))


def test_other_accounts_are_not_locked_by_one(db: Session) -> None:
    _fail(db, 10)
    login_throttle.attempt(db, "other@padang.test", "10.0.0.9", now=T0)


def test_failures_from_one_address_lock_it_for_every_account(db: Session) -> None:
    for n in range(50):
        login_throttle.attempt(db, f"user{n}@padang.test", "10.0.0.7", now=T0)
    with pytest.raises(LoginLocked):
        login_throttle.attempt(db, "fresh@padang.test", "10.0.0.7", now=T0)


def test_a_success_does_not_wipe_the_address_count(db: Session) -> None:
    for n in range(49):
        login_throttle.attempt(db, f"user{n}@padang.test", "10.0.0.7", now=T0)
    login_throttle.attempt(db, EMAIL, "10.0.0.7", now=T0)
    login_throttle.succeeded(db, EMAIL, "10.0.0.7")  # takes back its own attempt only
    login_throttle.attempt(db, EMAIL, "10.0.0.7", now=T0)  # the 50th failure
    with pytest.raises(LoginLocked):
        login_throttle.attempt(db, "fresh@padang.test", "10.0.0.7", now=T0)


def test_a_success_starts_the_account_count_again(db: Session) -> None:
    _fail(db, 9)
    login_throttle.succeeded(db, EMAIL, "10.0.0.7")
    _fail(db, 9)
    login_throttle.attempt(db, EMAIL, "10.0.0.7", now=T0)


def test_unlock_lifts_the_lockout(db: Session) -> None:
    _fail(db, 10)
    login_throttle.unlock(db, EMAIL)
    login_throttle.attempt(db, EMAIL, "10.0.0.8", now=T0)


def test_locked_emails_names_the_locked_accounts(db: Session) -> None:
    _fail(db, 10, at=datetime.now(UTC))
    assert login_throttle.locked_emails(db, [EMAIL, "other@padang.test"]) == {EMAIL}


# --- over HTTP ---------------------------------------------------------------------------

def _victim(db: Session) -> Any:
    user = factories.user(db, factories.organization(db), role="committee", email=EMAIL)
    factories.committed(db)
    return user


def test_the_right_password_is_refused_once_locked(client: TestClient, db: Session) -> None:
    _victim(db)
    for _ in range(10):
        r = client.post("/api/auth/token", data={"username": EMAIL, "password": "tebakan-123"})
        assert r.status_code == 401
    r = client.post("/api/auth/token", data={"username": EMAIL, "password": PASSWORD})
    assert r.status_code == 429, r.text
    assert r.json()["code"] == "login_locked"
    assert r.json()["message"] == LOCKED_MESSAGE.format(minutes=15)
    page = post_login(client, EMAIL, PASSWORD)
    assert page.status_code == 429 and "Coba lagi dalam 15 menit" in page.text
    assert "bimtek_session" not in page.cookies


def test_an_unknown_email_locks_like_a_real_one(client: TestClient) -> None:
    answers = {client.post("/api/auth/token", data={"username": "nobody@padang.test",
                                                    "password": "tebakan-123"}).status_code
               for _ in range(11)}
    assert answers == {401, 429}


def test_an_admin_unlocks_an_account_over_the_api(api: TestClient, db: Session) -> None:
    victim = _victim(db)
    for _ in range(10):
        api.post("/api/auth/token", data={"username": EMAIL, "password": "tebakan-123"})
    listed = {u["id"]: u for u in api.get("/api/users").json()}
    assert listed[victim.id]["locked"] is True
    r = api.post(f"/api/users/{victim.id}/unlock")
    assert r.status_code == 200 and r.json()["locked"] is False
    r = api.post("/api/auth/token", data={"username": EMAIL, "password": PASSWORD})
    assert r.status_code == 200, r.text


def test_an_admin_unlocks_an_account_on_the_users_page(client: TestClient, db: Session,
                                                       admin: Any) -> None:
    victim = _victim(db)
    csrf = login_page_client(client, admin.email)
    _fail(db, 10, at=datetime.now(UTC))
    page = client.get("/users")
    assert "Terkunci" in page.text and f'action="/users/{victim.id}/unlock"' in page.text
    r = client.post(f"/users/{victim.id}/unlock", data={"csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    assert login_throttle.locked_emails(db, [EMAIL]) == set()
    assert f'action="/users/{victim.id}/unlock"' not in client.get("/users").text


def test_another_organizations_account_cannot_be_unlocked(api: TestClient, db: Session) -> None:
    other = factories.user(db, factories.organization(db, "DP3AP2KB Kota Pontianak"),
                           email="x@pontianak.test")
    assert api.post(f"/api/users/{other.id}/unlock").status_code == 404


def test_a_login_form_without_its_csrf_token_is_refused(client: TestClient, admin: Any) -> None:
    r = client.post("/login", data={"email": admin.email, "password": PASSWORD},
                    follow_redirects=False)
    assert r.status_code == 403 and "kedaluwarsa" in r.text
    assert "bimtek_session" not in r.cookies


def test_a_token_for_another_cookie_is_refused(client: TestClient, admin: Any) -> None:
    token = login_form_token(client)
    client.cookies.clear()
    login_form_token(client)  # a new pre-login cookie, as on another browser
    r = client.post("/login", data={"email": admin.email, "password": PASSWORD,
                                    "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 403


def test_the_address_limit_is_a_setting(client: TestClient, db: Session,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _victim(db)
    monkeypatch.setattr(get_settings(), "login_address_limit", 3)
    answers = [client.post("/api/auth/token", data={"username": f"u{n}@padang.test",
                                                    "password": "tebakan-123"}).status_code
               for n in range(4)]
    assert answers == [401, 401, 401, 429]
