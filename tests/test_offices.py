"""New offices set up in the browser by a superuser: the office with its first admin, who
chooses their own password through a one-time link. Counts only for the superuser, and
no admin rights over the offices it sets up."""

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.errors import Conflict, FieldError
from service.models import AuthToken, Organization, User
from service.models.base import pk, utcnow
from service.schemas.accounts import OfficeCreate
from service.services import auth, offices, password_reset
from service.services.auth import InvalidCredentials
from tests import factories
from tests.conftest import PASSWORD
from tests.helpers import CSRF_RE, login_page_client, post_login

NEW = "pempek-kapal-selam-ampera"
PALEMBANG = OfficeCreate(name="DP3AP2KB Kota Palembang", city="Palembang",
                         admin_name="Rina Marlina", admin_email="Rina@Palembang.test")


@pytest.fixture
def superuser(db: Session, org: Any) -> User:
    return factories.superuser(db, org)


def test_a_new_office_gets_an_admin_without_a_password_and_a_setup_link(db: Session) -> None:
    link = offices.create_office(db, PALEMBANG)
    admin = link.user
    assert admin.email == "rina@palembang.test" and admin.role == "admin"
    assert not admin.is_superuser
    org = db.get(Organization, admin.organization_id)
    assert org is not None and (org.name, org.city) == ("DP3AP2KB Kota Palembang", "Palembang")
    assert link.path.startswith("/welcome/")
    assert timedelta(hours=71) < link.expires_at - utcnow() <= timedelta(hours=72)
    # No password opens the account before the link sets one.
    with pytest.raises(InvalidCredentials):
        auth.authenticate(db, admin.email, "")


def test_its_admin_sets_a_password_through_the_link_and_logs_in(db: Session) -> None:
    link = offices.create_office(db, PALEMBANG)
    password_reset.redeem(db, link.raw, "welcome", NEW)
    assert auth.authenticate(db, "rina@palembang.test", NEW).id == link.user.id


def test_the_setup_link_refuses_a_weak_password(db: Session) -> None:
    link = offices.create_office(db, PALEMBANG)
    with pytest.raises(FieldError):
        password_reset.redeem(db, link.raw, "welcome", "dp3ap2kb kota palembang")


def test_a_second_office_of_the_same_name_is_refused(db: Session, org: Any) -> None:
    with pytest.raises(FieldError) as refused:
        offices.create_office(db, PALEMBANG.model_copy(update={"name": "dp3ap2kb kota  padang"}))
    assert refused.value.field == "name" and refused.value.code == "duplicate"


def test_an_email_in_use_is_refused(db: Session, admin: User) -> None:
    with pytest.raises(FieldError) as refused:
        offices.create_office(db, PALEMBANG.model_copy(update={"admin_email": admin.email}))
    assert refused.value.field == "admin_email"


def test_the_list_counts_users_and_trainings_only(db: Session, org: Any, admin: User) -> None:
    factories.user(db, org, email="panitia@padang.test")
    factories.training(db, org)
    offices.create_office(db, PALEMBANG)
    listed = {o.name: o for o in offices.list_offices(db)}
    padang, palembang = listed["DP3AP2KB Kota Padang"], listed["DP3AP2KB Kota Palembang"]
    assert (padang.users, padang.trainings, padang.awaiting_admin) == (2, 1, False)
    assert (palembang.users, palembang.trainings, palembang.awaiting_admin) == (1, 0, True)
    assert palembang.link_expires_at is not None
    assert not any("@" in str(v) for v in vars(padang).values())


def test_a_new_setup_link_replaces_the_old_one_while_the_admin_waits(db: Session) -> None:
    first = offices.create_office(db, PALEMBANG)
    org = offices.get_office(db, first.user.organization_id)
    second = offices.new_welcome_link(db, org)
    with pytest.raises(password_reset.LinkUsed):
        password_reset.peek(db, first.raw, "welcome")
    password_reset.redeem(db, second.raw, "welcome", NEW)
    with pytest.raises(Conflict) as refused:
        offices.new_welcome_link(db, org)
    assert refused.value.code == "office_set_up"


# --- the page -----------------------------------------------------------------------------

def test_the_offices_page_is_there_for_superusers_only(client: TestClient, db: Session,
                                                      admin: User, superuser: User) -> None:
    factories.committed(db)
    login_page_client(client, admin.email)
    # Settings, in the top bar of every admin, lists the offices for the operator only.
    assert 'href="/settings"' in client.get("/trainings").text
    assert 'href="/offices"' not in client.get("/settings").text
    assert client.get("/offices").status_code == 404
    client.cookies.clear()
    login_page_client(client, superuser.email)
    assert 'href="/offices"' in client.get("/settings").text
    page = client.get("/offices")
    assert page.status_code == 200 and "DP3AP2KB Kota Padang" in page.text


def test_the_superuser_flag_is_shown_nowhere_to_admins(api: TestClient, db: Session,
                                                       superuser: User) -> None:
    factories.committed(db)
    listed = api.get("/api/users").json()
    assert all("superuser" not in str(u).lower() for u in listed)
    assert superuser.email in {u["email"] for u in listed}


def test_a_superuser_sets_up_an_office_whose_admin_sets_a_password_and_logs_in(
        client: TestClient, db: Session, superuser: User) -> None:
    factories.committed(db)
    csrf = login_page_client(client, superuser.email)
    r = client.post("/offices", data={"csrf_token": csrf, "name": "DP3AP2KB Kota Palembang",
                                      "city": "Palembang", "admin_name": "Rina Marlina",
                                      "admin_email": "rina@palembang.test"})
    assert r.status_code == 200, r.text
    url = re.search(r'id="fresh-url" value="http://testserver(/welcome/[A-Za-z0-9_-]{43})"',
                    r.text)
    assert url, r.text
    assert "Rina Marlina" in r.text and "<svg" in r.text

    # The new admin, in a browser of their own.
    client.cookies.clear()
    page = client.get(url.group(1))
    assert page.status_code == 200 and "DP3AP2KB Kota Palembang" in page.text
    assert page.headers["cache-control"] == "no-store"
    token = CSRF_RE.search(page.text)
    assert token
    done = client.post(url.group(1), data={"csrf_token": token.group(1), "new_password": NEW,
                                           "new_password_again": NEW},
                       follow_redirects=False)
    assert done.headers["location"] == "/login?done=welcome"
    assert post_login(client, "rina@palembang.test", NEW).status_code == 303
    users = client.get("/users")
    assert users.status_code == 200 and "Rina Marlina" in users.text
    # Her office is her own: Padang's admin (the superuser) is not among her users.
    assert superuser.email not in users.text


def test_a_superuser_is_no_admin_of_the_offices_it_set_up(client: TestClient, db: Session,
                                                         superuser: User) -> None:
    link = offices.create_office(db, PALEMBANG)
    t = factories.training(db, db.get(Organization, link.user.organization_id))
    factories.committed(db)
    token = client.post("/api/auth/token", data={"username": superuser.email,
                                                 "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/trainings/{pk(t)}", headers=headers).status_code == 404
    r = client.post(f"/api/users/{pk(link.user)}/reset-link", headers=headers)
    assert r.status_code == 404
    assert not db.exec(select(AuthToken).where(AuthToken.user_id == link.user.id,
                                               AuthToken.kind == "reset")).all()


def test_a_refused_office_keeps_what_was_typed_and_says_why(client: TestClient, db: Session,
                                                            superuser: User) -> None:
    factories.committed(db)
    csrf = login_page_client(client, superuser.email)
    r = client.post("/offices", data={"csrf_token": csrf, "name": "DP3AP2KB Kota Padang",
                                      "admin_name": "Budi", "admin_email": "budi@x.test"})
    assert r.status_code == 422 and "sudah ada" in r.text and 'value="budi@x.test"' in r.text
    bad = client.post("/offices", data={"csrf_token": csrf, "name": "Dinas\x07",
                                        "admin_name": "", "admin_email": "no-at"})
    assert bad.status_code == 422
    assert db.exec(select(Organization).where(Organization.name == "Dinas\x07")).first() is None


def test_a_new_setup_link_from_the_page(client: TestClient, db: Session,
                                        superuser: User) -> None:
    link = offices.create_office(db, PALEMBANG)
    org_id = link.user.organization_id
    factories.committed(db)
    csrf = login_page_client(client, superuser.email)
    r = client.post(f"/offices/{org_id}/welcome-link", data={"csrf_token": csrf})
    assert r.status_code == 200 and 'id="fresh-url"' in r.text
    with pytest.raises(password_reset.LinkUsed):
        password_reset.peek(db, link.raw, "welcome")
    unknown = client.post("/offices/999999/welcome-link", data={"csrf_token": csrf})
    assert unknown.status_code == 404


def test_cli_creates_a_superuser(tmp_path: Any, monkeypatch: Any) -> None:
    from service import cli
    from service.db import get_engine, open_session
    from service.settings import get_settings

    monkeypatch.setenv("BIMTEK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        assert cli.main(["migrate"]) == 0
        assert cli.main(["create-admin", "pusat@bimtek.id", "--password", "a-long-password",
                         "--org", "Bimtek Pusat", "--superuser"]) == 0
        assert cli.main(["create-admin", "kepala@dinas.id", "--password", "a-long-password",
                         "--org", "DP3AP2KB Kota Padang"]) == 0
        with open_session() as db:
            assert auth.authenticate(db, "pusat@bimtek.id", "a-long-password").is_superuser
            assert not auth.authenticate(db, "kepala@dinas.id", "a-long-password").is_superuser
    finally:
        get_engine().dispose()
        get_settings.cache_clear()
        get_engine.cache_clear()
