"""Every browser asks for /favicon.ico on a first visit: it gets the app's icon, not a 404
in the log (and a console error on every page)."""

from fastapi.testclient import TestClient


def test_the_favicon_is_the_apps_icon_kept_a_week(client: TestClient) -> None:
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert r.content.startswith(b"\x89PNG\r\n\x1a\n") and len(r.content) > 100
    assert r.headers["cache-control"] == "public, max-age=604800"
    assert client.head("/favicon.ico").status_code == 200
