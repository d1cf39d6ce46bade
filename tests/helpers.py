"""Small helpers shared by the router tests."""

import re

from fastapi.testclient import TestClient

from tests.conftest import PASSWORD

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def login_page_client(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the CSRF token of the new session."""
    r = client.post("/login", data={"email": email, "password": password, "next": "/trainings"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get("/trainings")
    match = CSRF_RE.search(page.text)
    assert match, "no CSRF token on the page"
    return match.group(1)
