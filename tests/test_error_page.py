"""The error page offers a way on that works for whoever sees it: "/" (each role's own
start) for a signed-in user, never the trainings list, which a treasurer or a door login
may not open either; nothing but "back" for a visitor of a public link."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models import Organization
from tests import factories as f
from tests.helpers import login_page_client


def test_a_treasurer_refused_a_page_is_offered_her_own_start(client: TestClient, db: Session,
                                                             org: Organization) -> None:
    treasurer = f.user(db, org, role="treasurer", name="Yuliana")
    f.committed(db)
    login_page_client(client, treasurer.email)
    page = client.get("/trainings")
    assert page.status_code == 403
    assert 'href="/trainings"' not in page.text
    assert 'id="home-link"' in page.text and "Halaman utama" in page.text
    assert client.get("/", follow_redirects=False).headers["location"] == "/spj"


def test_a_visitor_of_a_dead_public_link_gets_no_link_into_the_office(
        client: TestClient) -> None:
    page = client.get("/nominasi/" + "x" * 43)
    assert page.status_code == 404
    assert 'href="/trainings"' not in page.text and 'id="home-link"' not in page.text
