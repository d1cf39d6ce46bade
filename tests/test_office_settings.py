"""The settings page: every admin's way to the office's settings (the top bar links it);
the server's own settings (offices, backups) for its operator only; not for committee."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests import factories
from tests.helpers import login_page_client

OFFICE_LINKS = ("/users", "/evaluation-forms", "/province-sharing", "/export", "/erasure",
                "/erasure/retention")
SERVER_LINKS = ("/offices", "/backups")


def test_an_admin_finds_the_office_settings_but_not_the_servers(
        client: TestClient, db: Session, admin: Any) -> None:
    factories.committed(db)
    login_page_client(client, admin.email)
    assert 'href="/settings"' in client.get("/trainings").text
    page = client.get("/settings")
    assert page.status_code == 200 and "Pengaturan" in page.text
    for link in OFFICE_LINKS:
        assert f'href="{link}"' in page.text, link
        assert client.get(link).status_code == 200, link  # every card leads somewhere
    for link in SERVER_LINKS:
        assert f'href="{link}"' not in page.text, link


def test_the_operator_also_finds_offices_and_backups(client: TestClient, db: Session,
                                                     org: Any) -> None:
    operator = factories.superuser(db, org)
    factories.committed(db)
    login_page_client(client, operator.email)
    page = client.get("/settings")
    for link in SERVER_LINKS:
        assert f'href="{link}"' in page.text, link
        assert client.get(link).status_code == 200, link


def test_committee_has_no_settings(client: TestClient, db: Session, org: Any) -> None:
    member = factories.user(db, org, role="committee", email="panitia@settings.test")
    factories.committed(db)
    login_page_client(client, member.email)
    assert 'href="/settings"' not in client.get("/trainings").text
    assert client.get("/settings").status_code in (403, 404)
