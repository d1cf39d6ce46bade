"""A forgotten password: a one-time link an admin hands over (/users), or one emailed from
the login page's "Forgot password?" when mail is set up. Links are random, stored hashed,
work once, expire after 24 hours; the new password is checked and every session ends."""

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.errors import Conflict, FieldError
from service.models import AuthToken, User
from service.models.base import utcnow
from service.services import auth, password_reset, scanner_logins
from service.services.password_reset import LinkExpired, LinkUnknown, LinkUsed
from service.settings import get_settings
from tests import factories
from tests.conftest import PASSWORD
from tests.helpers import CSRF_RE, login_page_client, post_login
from tests.test_mailer import Inbox, free_port

NEW = "sapu-lidi-kuning-pagi"


@pytest.fixture
def member(db: Session, org: Any) -> User:
    return factories.user(db, org, role="committee", name="Sekretaris",
                          email="sekretaris@padang.test")


# --- the link, as a service ---------------------------------------------------------------

def test_a_reset_link_sets_the_password_and_works_once(db: Session, member: User) -> None:
    link = password_reset.issue_link(db, member)
    password_reset.redeem(db, link.raw, "reset", NEW)
    assert auth.authenticate(db, member.email, NEW).id == member.id
    with pytest.raises(LinkUsed):
        password_reset.redeem(db, link.raw, "reset", "another-fine-sentence")


def test_a_reset_link_expires_after_24_hours(db: Session, member: User) -> None:
    link = password_reset.issue_link(db, member)
    assert timedelta(hours=23, minutes=59) < link.expires_at - utcnow() <= timedelta(hours=24)
    token = db.exec(select(AuthToken).where(AuthToken.user_id == member.id,
                                            AuthToken.kind == "reset")).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.add(token)
    db.flush()
    with pytest.raises(LinkExpired):
        password_reset.redeem(db, link.raw, "reset", NEW)


def test_a_weak_password_is_refused_and_the_link_still_works(db: Session,
                                                             member: User) -> None:
    link = password_reset.issue_link(db, member)
    for weak in ("pendek", "password123", "sekretaris@padang.test", "DP3AP2KB Kota Padang"):
        with pytest.raises(FieldError) as refused:
            password_reset.redeem(db, link.raw, "reset", weak)
        assert refused.value.field == "new_password"
    assert auth.authenticate(db, member.email, PASSWORD)
    password_reset.redeem(db, link.raw, "reset", NEW)


def test_setting_the_password_ends_every_session_and_token(db: Session, member: User) -> None:
    session_raw, _ = auth.issue_token(db, member, "session", 14)
    api_raw, _ = auth.issue_token(db, member, "api", 30)
    link = password_reset.issue_link(db, member)
    password_reset.redeem(db, link.raw, "reset", NEW)
    assert auth.resolve_token(db, session_raw, "session") is None
    assert auth.resolve_token(db, api_raw, "api") is None


def test_a_newer_link_replaces_the_older_one(db: Session, member: User) -> None:
    old = password_reset.issue_link(db, member)
    new = password_reset.issue_link(db, member)
    with pytest.raises(LinkUsed):
        password_reset.peek(db, old.raw, "reset")
    assert password_reset.peek(db, new.raw, "reset")[0].id == member.id


def test_links_are_random_and_only_their_hash_is_stored(db: Session, member: User) -> None:
    a, b = password_reset.issue_link(db, member), password_reset.issue_link(db, member)
    # token_urlsafe(32): 256 random bits, 43 characters.
    assert a.raw != b.raw and len(a.raw) >= 43
    stored = db.exec(select(AuthToken.token_hash).where(AuthToken.user_id == member.id,
                                                        AuthToken.kind == "reset")).all()
    assert auth.token_hash(a.raw) in stored and a.raw not in stored


def test_a_reset_link_is_no_login(db: Session, member: User) -> None:
    link = password_reset.issue_link(db, member)
    assert auth.resolve_token(db, link.raw, "session") is None
    assert auth.resolve_token(db, link.raw, "api") is None


def test_a_reset_link_does_not_open_the_setup_page(db: Session, member: User) -> None:
    link = password_reset.issue_link(db, member)
    with pytest.raises(LinkUnknown):
        password_reset.redeem(db, link.raw, "welcome", NEW)


def test_a_deactivated_account_gets_no_link_and_its_link_stops(db: Session, org: Any,
                                                               admin: User,
                                                               member: User) -> None:
    from service.services import users

    link = password_reset.issue_link(db, member)
    users.set_active(db, admin, member, False)
    with pytest.raises(LinkUnknown):
        password_reset.redeem(db, link.raw, "reset", NEW)
    with pytest.raises(Conflict):
        password_reset.issue_link(db, member)


def test_a_door_login_gets_no_reset_link(db: Session, org: Any) -> None:
    t = factories.training(db, org, start=utcnow().date() + timedelta(days=3), days=2)
    door = scanner_logins.create_login(db, t, "Gerbang 1").user
    with pytest.raises(Conflict) as refused:
        password_reset.issue_link(db, door)
    assert refused.value.code == "door_login"


def test_an_unknown_link_is_refused(db: Session) -> None:
    for raw in ("", "x" * 43, "x" * 500):
        with pytest.raises(LinkUnknown):
            password_reset.peek(db, raw, "reset")


# --- /users and /api/users: the admin's link ---------------------------------------------

def test_an_admin_makes_a_reset_link_shown_once_with_its_qr(client: TestClient, db: Session,
                                                          admin: User, member: User) -> None:
    factories.committed(db)
    csrf = login_page_client(client, admin.email)
    r = client.post(f"/users/{member.id}/reset-link", data={"csrf_token": csrf})
    assert r.status_code == 200, r.text
    url = re.search(r'id="fresh-url" value="([^"]+)"', r.text)
    assert url and re.fullmatch(r"http://testserver/reset/[A-Za-z0-9_-]{43}", url.group(1))
    assert "<svg" in r.text and "Sekretaris" in r.text
    again = client.get("/users")
    assert url.group(1) not in again.text and 'id="fresh-url"' not in again.text


def test_the_api_makes_a_reset_link_that_works(api: TestClient, db: Session,
                                               member: User) -> None:
    factories.committed(db)
    r = api.post(f"/api/users/{member.id}/reset-link")
    assert r.status_code == 201, r.text
    raw = r.json()["url"].rpartition("/")[2]
    password_reset.redeem(db, raw, "reset", NEW)
    assert auth.authenticate(db, member.email, NEW)


def test_an_admin_of_another_office_gets_a_404(api: TestClient, client: TestClient,
                                               db: Session) -> None:
    other = factories.organization(db, "DP3AP2KB Kota Pontianak")
    stranger = factories.user(db, other, email="kader@pontianak.test")
    factories.committed(db)
    r = api.post(f"/api/users/{stranger.id}/reset-link")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    del api.headers["Authorization"]
    csrf = login_page_client(api, "admin@padang.test")
    page = api.post(f"/users/{stranger.id}/reset-link", data={"csrf_token": csrf})
    assert page.status_code == 404
    assert not db.exec(select(AuthToken).where(AuthToken.user_id == stranger.id)).all()


def test_a_committee_member_makes_no_reset_link(client: TestClient, db: Session,
                                               admin: User, member: User) -> None:
    factories.committed(db)
    token = client.post("/api/auth/token", data={"username": member.email,
                                                 "password": PASSWORD}).json()["access_token"]
    r = client.post(f"/api/users/{admin.id}/reset-link",
                    headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403


def test_a_refused_link_says_why_in_indonesian(client: TestClient, db: Session, admin: User,
                                               org: Any) -> None:
    t = factories.training(db, org, start=utcnow().date() + timedelta(days=3), days=2)
    door = scanner_logins.create_login(db, t, "Gerbang 1").user
    factories.committed(db)
    csrf = login_page_client(client, admin.email)
    r = client.post(f"/users/{door.id}/reset-link", data={"csrf_token": csrf})
    assert r.status_code == 409 and "Login pintu tidak punya kata sandi" in r.text


# --- the link's page ----------------------------------------------------------------------

def _form_token(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "no-store"
    match = CSRF_RE.search(page.text)
    assert match, "no CSRF token on the form"
    return match.group(1)


def test_the_reset_page_sets_the_password_then_the_login_works(client: TestClient,
                                                               db: Session,
                                                               member: User) -> None:
    link = password_reset.issue_link(db, member)
    factories.committed(db)
    csrf = _form_token(client, link.path)
    r = client.post(link.path, data={"csrf_token": csrf, "new_password": NEW,
                                     "new_password_again": NEW}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?done=reset"
    assert "Kata sandi baru Anda tersimpan" in client.get("/login?done=reset").text
    assert post_login(client, member.email, PASSWORD).status_code == 401
    assert post_login(client, member.email, NEW).status_code == 303


def test_the_reset_page_refuses_a_post_without_its_csrf_token(client: TestClient, db: Session,
                                                              member: User) -> None:
    link = password_reset.issue_link(db, member)
    factories.committed(db)
    r = client.post(link.path, data={"new_password": NEW, "new_password_again": NEW})
    assert r.status_code == 403 and "Muat ulang halaman" in r.text
    # Nothing changed: the link still works, the old password still opens the account.
    assert auth.authenticate(db, member.email, PASSWORD)
    assert password_reset.peek(db, link.raw, "reset")


def test_the_reset_page_says_what_is_wrong_with_a_password(client: TestClient, db: Session,
                                                           member: User) -> None:
    link = password_reset.issue_link(db, member)
    factories.committed(db)
    csrf = _form_token(client, link.path)
    r = client.post(link.path, data={"csrf_token": csrf, "new_password": "password123",
                                     "new_password_again": "password123"})
    assert r.status_code == 422 and "paling umum" in r.text
    differ = client.post(link.path, data={"csrf_token": csrf, "new_password": NEW,
                                          "new_password_again": NEW + "x"})
    assert differ.status_code == 422 and "Kedua kata sandi baru tidak sama" in differ.text
    assert auth.authenticate(db, member.email, PASSWORD)


def test_a_used_link_page_says_so(client: TestClient, db: Session, member: User) -> None:
    link = password_reset.issue_link(db, member)
    password_reset.redeem(db, link.raw, "reset", NEW)
    factories.committed(db)
    r = client.get(link.path)
    assert r.status_code == 410 and 'id="link-error"' in r.text and "sudah dipakai" in r.text
    unknown = client.get("/reset/" + "A" * 43)
    assert unknown.status_code == 404 and "tidak berlaku" in unknown.text


def test_resetting_ends_the_session_of_the_browser_that_was_logged_in(
        client: TestClient, db: Session, member: User) -> None:
    factories.committed(db)
    login_page_client(client, member.email)
    assert client.get("/trainings", follow_redirects=False).status_code == 200
    link = password_reset.issue_link(db, member)
    factories.committed(db)
    csrf = _form_token(client, link.path)
    client.post(link.path, data={"csrf_token": csrf, "new_password": NEW,
                                 "new_password_again": NEW})
    assert client.get("/trainings", follow_redirects=False).status_code == 303


# --- "Forgot password?" --------------------------------------------------------------------

@pytest.fixture
def mail(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", controller.port)
    monkeypatch.setattr(settings, "public_base_url", "https://bimtek.padang.example")
    try:
        yield handler
    finally:
        controller.stop()


def _forgot(client: TestClient, email: str) -> Any:
    csrf = _form_token(client, "/forgot")
    return client.post("/forgot", data={"email": email, "csrf_token": csrf})


def test_without_mail_the_login_page_points_to_an_admin(client: TestClient) -> None:
    login = client.get("/login")
    assert 'href="/forgot"' in login.text
    page = client.get("/forgot")
    assert page.status_code == 200 and 'id="forgot-ask-admin"' in page.text
    assert 'name="email"' not in page.text
    r = client.post("/forgot", data={"email": "x@padang.test"})
    assert r.status_code == 404


def test_forgot_emails_a_link_that_sets_the_password(client: TestClient, db: Session,
                                                     member: User, mail: Inbox) -> None:
    factories.committed(db)
    r = _forgot(client, "Sekretaris@Padang.test ")
    assert r.status_code == 200 and 'id="forgot-sent"' in r.text
    (rcpt, msg), = mail.messages
    assert rcpt == ["sekretaris@padang.test"]
    assert msg["Subject"] == "Atur ulang kata sandi Bimtek Anda"
    text = msg.get_body(("plain",)).get_content()
    url = re.search(r"https://bimtek\.padang\.example(/reset/[A-Za-z0-9_-]{43})", text)
    assert url, text
    csrf = _form_token(client, url.group(1))
    done = client.post(url.group(1), data={"csrf_token": csrf, "new_password": NEW,
                                           "new_password_again": NEW}, follow_redirects=False)
    assert done.status_code == 303
    assert auth.authenticate(db, member.email, NEW)


def test_forgot_answers_the_same_for_a_known_and_an_unknown_email(
        client: TestClient, db: Session, member: User, mail: Inbox) -> None:
    factories.committed(db)
    known = _forgot(client, member.email)
    unknown = _forgot(client, "tidak.ada@padang.test")
    assert known.status_code == unknown.status_code == 200
    strip = re.compile(r'name="csrf_token" value="[^"]+"')
    assert strip.sub("", known.text) == strip.sub("", unknown.text)
    assert len(mail.messages) == 1


def test_forgot_is_limited_per_address_typed(client: TestClient, db: Session, member: User,
                                            mail: Inbox) -> None:
    factories.committed(db)
    limit = get_settings().reset_account_limit
    for _ in range(limit):
        assert _forgot(client, member.email).status_code == 200
    refused = _forgot(client, member.email)
    assert refused.status_code == 429 and "Terlalu banyak permintaan" in refused.text
    assert len(mail.messages) == limit
    # An unknown address is limited the same way: the limit tells nothing either.
    for _ in range(limit):
        _forgot(client, "tidak.ada@padang.test")
    assert _forgot(client, "tidak.ada@padang.test").status_code == 429


def test_forgot_is_limited_per_client_address(client: TestClient, db: Session,
                                             monkeypatch: pytest.MonkeyPatch,
                                             mail: Inbox) -> None:
    monkeypatch.setattr(get_settings(), "reset_address_limit", 2)
    assert _forgot(client, "a@padang.test").status_code == 200
    assert _forgot(client, "b@padang.test").status_code == 200
    assert _forgot(client, "c@padang.test").status_code == 429


def test_forgot_refuses_a_post_from_elsewhere(client: TestClient, db: Session, member: User,
                                              mail: Inbox) -> None:
    factories.committed(db)
    r = client.post("/forgot", data={"email": member.email, "csrf_token": "x" * 64})
    assert r.status_code == 403 and not mail.messages


def test_forgot_needs_a_public_address_for_its_links(client: TestClient,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    mail: Inbox) -> None:
    # A link built from the request's Host header could point at whoever asked.
    monkeypatch.setattr(get_settings(), "public_base_url", "")
    assert not password_reset.email_enabled()
    assert 'id="forgot-ask-admin"' in client.get("/forgot").text


def test_a_door_login_or_deactivated_account_gets_no_email(db: Session, org: Any,
                                                           admin: User, member: User,
                                                           mail: Inbox) -> None:
    from service.services import users

    users.set_active(db, admin, member, False)
    assert password_reset.request_by_email(db, member.email) is None
    assert password_reset.request_by_email(db, "not-an-email") is None
    assert password_reset.request_by_email(db, admin.email) is not None
