"""The door scanner page (/scan): who may open it, what it preselects, its offline parts."""

import json
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.i18n import gettext, use_locale
from service.models import User
from service.routers.pages.scan import ASSETS, MANIFEST_URL, asset_paths
from service.services.auth import create_user, get_or_create_organization
from tests.conftest import PASSWORD
from tests.helpers import post_login

CONFIG_RE = re.compile(r'<script type="application/json" id="scan-config">(.*?)</script>', re.S)


def _today() -> date:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def _training(api: TestClient, title: str, mode: str = "day") -> dict[str, Any]:
    """A training running now: batch "Angkatan I" meets today, "Angkatan II" in 3 days."""
    today = _today()
    r = api.post("/api/trainings", json={
        "title": title, "kind": "pelatihan", "start_date": (today - timedelta(days=1)).isoformat(),
        "end_date": (today + timedelta(days=5)).isoformat(), "checkin_mode": mode})
    assert r.status_code == 201, r.text
    t = r.json()
    t["batches"] = []
    for name, start, end in (("Angkatan I", -1, 1), ("Angkatan II", 3, 4)):
        b = api.post(f"/api/trainings/{t['id']}/batches", json={
            "name": name, "start_date": (today + timedelta(days=start)).isoformat(),
            "end_date": (today + timedelta(days=end)).isoformat(), "capacity": 30})
        assert b.status_code == 201, b.text
        t["batches"].append(b.json())
    return t


def _user(db: Session, org: Any, email: str, role: str, training_id: int | None = None,
          name: str = "Gerbang 2") -> User:
    user = create_user(db, email=email, password=PASSWORD, name=name, role=role,
                       organization=org)
    user.training_id = training_id
    db.add(user)
    db.flush()
    return user


def _login(client: TestClient, email: str) -> None:
    client.cookies.clear()
    r = post_login(client, email, next="/scan")
    assert r.status_code == 303, r.text


def _config(html: str) -> dict[str, Any]:
    match = CONFIG_RE.search(html)
    assert match, "not the scanning view"
    return dict(json.loads(match.group(1)))


def _selected(html: str, name: str) -> str | None:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, f"no {name} select"
    chosen = re.search(r'<option value="([^"]*)" selected', select.group(0))
    return chosen.group(1) if chosen else None


def test_a_visitor_is_sent_to_log_in(client: TestClient) -> None:
    r = client.get("/scan?batch_id=1", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/scan%3Fbatch_id%3D1"


def test_the_batch_meeting_today_and_today_are_preselected(api: TestClient, admin: Any) -> None:
    t = _training(api, "Pelatihan Kader Kampung KB Padang")
    _login(api, admin.email)
    r = api.get("/scan")
    assert r.status_code == 200
    assert "scan-config" not in r.text  # step 1: the choice, no camera yet
    assert _selected(r.text, "training_id") == str(t["id"])
    assert _selected(r.text, "batch_id") == str(t["batches"][0]["id"])
    assert _selected(r.text, "day") == _today().isoformat()
    assert 'id="not-today"' not in r.text
    assert "Mulai memindai" in r.text or "Start scanning" in r.text


def test_a_batch_that_does_not_meet_today_starts_on_its_first_day(api: TestClient,
                                                                  admin: Any) -> None:
    t = _training(api, "Pelatihan Kader Kampung KB Padang")
    later = t["batches"][1]
    _login(api, admin.email)
    r = api.get(f"/scan?training_id={t['id']}&batch_id={later['id']}&change=1")
    assert r.status_code == 200
    assert _selected(r.text, "batch_id") == str(later["id"])
    assert _selected(r.text, "day") == later["start_date"]
    assert 'id="not-today"' in r.text
    # The training's overview links here with ?training=.
    r = api.get(f"/scan?training={t['id']}")
    assert _selected(r.text, "training_id") == str(t["id"])
    # A day that is not one of the batch's falls back to its first day, on the form.
    r = api.get(f"/scan?batch_id={later['id']}&day={_today().isoformat()}")
    assert "scan-config" not in r.text
    assert _selected(r.text, "day") == later["start_date"]


def test_a_complete_choice_opens_the_scanner(api: TestClient, admin: Any) -> None:
    t = _training(api, "Pelatihan Kader Kampung KB Padang")
    batch = t["batches"][0]
    _login(api, admin.email)
    r = api.get(f"/scan?training_id={t['id']}&batch_id={batch['id']}"
                f"&day={_today().isoformat()}")
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-cache"
    config = _config(r.text)
    assert config["batch_id"] == batch["id"] and config["training_id"] == t["id"]
    assert config["day"] == _today().isoformat() and config["timezone"] == "Asia/Jakarta"
    assert config["session"] is None and config["checkin_mode"] == "day"
    assert config["user_name"] == "Admin" and len(config["csrf_token"]) >= 16
    assert config["urls"]["manifest"] == f"/api/batches/{batch['id']}/manifest"
    # Every message the script shows comes translated (Indonesian by default).
    with use_locale("id"):
        assert config["messages"]["checked_in"] == gettext("Checked in now")
        assert config["messages"]["already_at"] == gettext("First checked in at {time} by {by}")
    assert config["locale"] == "id"
    assert config["messages"]["pending_many"].count("{n}") == 1
    assert '<script type="module" src="/static/js/scanner/app.js">' in r.text
    assert f'<link rel="manifest" href="{MANIFEST_URL}">' in r.text
    # "Change" goes back to the form with the same choice.
    assert "change=1" in r.text
    # The same URL with change=1 is the form again.
    r = api.get(f"/scan?batch_id={batch['id']}&day={_today().isoformat()}&change=1")
    assert "scan-config" not in r.text


def test_committee_and_scanner_roles_may_scan(api: TestClient, db: Session, org: Any) -> None:
    t = _training(api, "Pelatihan Kader Kampung KB Padang")
    url = f"/scan?batch_id={t['batches'][0]['id']}&day={_today().isoformat()}"
    for email, role in (("panitia@padang.test", "committee"), ("pintu@padang.test", "scanner")):
        _user(db, org, email, role)
        _login(api, email)
        r = api.get(url)
        assert r.status_code == 200, (role, r.text)
        assert _config(r.text)["batch_id"] == t["batches"][0]["id"]


def test_a_limited_scanner_sees_only_its_training(api: TestClient, db: Session,
                                                  org: Any) -> None:
    mine = _training(api, "Pelatihan Kader Kampung KB Padang")
    other = _training(api, "Bimtek Pengelola Kampung KB Pontianak")
    _user(db, org, "gerbang2@padang.test", "scanner", training_id=mine["id"])
    _login(api, "gerbang2@padang.test")
    r = api.get("/scan")
    assert r.status_code == 200
    assert "Pelatihan Kader Kampung KB Padang" in r.text
    assert "Pontianak" not in r.text
    assert _selected(r.text, "training_id") == str(mine["id"])
    for url in (f"/scan?training_id={other['id']}",
                f"/scan?batch_id={other['batches'][0]['id']}&day={_today().isoformat()}"):
        r = api.get(url)
        assert r.status_code == 404, url
        assert "Pontianak" not in r.text


def test_another_organizations_training_is_not_found(api: TestClient, db: Session) -> None:
    t = _training(api, "Pelatihan Kader Kampung KB Padang")
    elsewhere = get_or_create_organization(db, "DP3AP2KB Kota Palembang")
    _user(db, elsewhere, "panitia@palembang.test", "committee")
    _login(api, "panitia@palembang.test")
    assert api.get(f"/scan?training_id={t['id']}").status_code == 404
    assert api.get(f"/scan?batch_id={t['batches'][0]['id']}").status_code == 404
    r = api.get("/scan")
    assert r.status_code == 200
    assert "Padang" not in r.text.replace("Palembang", "")
    with use_locale("id"):
        assert gettext("There is no training to check people in for.") in r.text


def test_a_role_that_does_not_scan_is_forbidden(api: TestClient, db: Session, org: Any) -> None:
    _training(api, "Pelatihan Kader Kampung KB Padang")
    user = _user(db, org, "tamu@padang.test", "committee")
    _login(api, "tamu@padang.test")
    user.role = "viewer"  # a role this page does not know (e.g. one added later)
    db.add(user)
    db.flush()
    assert api.get("/scan").status_code == 403


def test_nonsense_parameters_show_the_form(api: TestClient, admin: Any) -> None:
    t = _training(api, "Pelatihan Kader Kampung KB Padang")
    _login(api, admin.email)
    for query in ("training_id=abc", "batch_id=-1&day=kemarin", "day=2026-13-45",
                  f"training_id={t['id']}&batch_id=99999999999999999999",
                  f"training_id={t['id']}&batch_id={t['batches'][0]['id']}&day=1999-01-01"):
        r = api.get(f"/scan?{query}")
        assert r.status_code == 200, query
        assert "scan-config" not in r.text, query
    assert api.get("/scan?training_id=99999").status_code == 404


def test_per_session_training_asks_for_the_session(api: TestClient, admin: Any) -> None:
    t = _training(api, "Workshop Kampung KB Palembang", mode="session")
    batch = t["batches"][0]
    s = api.post(f"/api/batches/{batch['id']}/sessions", json={
        "date": _today().isoformat(), "start_time": "09:00", "end_time": "10:30",
        "title": "Pembukaan", "kind": "opening"})
    assert s.status_code == 201, s.text
    _login(api, admin.email)
    base = f"/scan?batch_id={batch['id']}&day={_today().isoformat()}"
    r = api.get(base)
    assert "scan-config" not in r.text
    assert _selected(r.text, "session") == "now"
    assert "Pembukaan" in r.text
    config = _config(api.get(base + f"&session={s.json()['id']}").text)
    assert config["session"] == str(s.json()["id"]) and config["checkin_mode"] == "session"
    assert _config(api.get(base + "&session=now").text)["session"] == "now"
    # A session of another day is not offered: back to the form.
    assert "scan-config" not in api.get(base + "&session=999999").text


def test_the_service_worker_and_the_app_manifest(client: TestClient) -> None:
    sw = client.get("/scan-sw.js")
    assert sw.status_code == 200
    assert sw.headers["content-type"].startswith("text/javascript")
    assert sw.headers["cache-control"] == "no-cache"
    assert "__VERSION__" not in sw.text and '["__ASSETS__"]' not in sw.text
    version = re.search(r'const VERSION = "([0-9a-f]{12})"', sw.text)
    assert version and sw.headers["etag"] == f'"{version.group(1)}"'
    cached = json.loads(re.search(r"const ASSETS = (\[.*?\]);", sw.text).group(1))  # type: ignore[union-attr]
    assert set(cached) == {*ASSETS, MANIFEST_URL}
    for path in asset_paths():
        assert path.exists(), path
    for url in ASSETS:  # served by the app, none from elsewhere
        r = client.get(url)
        assert r.status_code == 200, url
    assert client.get("/static/vendor/zxing-wasm/zxing_reader.wasm").headers[
        "content-type"] == "application/wasm"
    manifest = client.get(MANIFEST_URL)
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["start_url"] == "/scan" and body["scope"] == "/scan"
    assert {i["sizes"] for i in body["icons"]} == {"192x192", "512x512"}
    for icon in body["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_scanner_loads_nothing_from_a_cdn() -> None:
    for path in asset_paths():
        if path.suffix == ".js" and "vendor" not in path.parts:
            assert "http" not in path.read_text(), path
    # zxing-wasm's default wasm location is a CDN; camera.js overrides it.
    camera = next(p for p in asset_paths() if p.name == "camera.js").read_text()
    assert 'WASM_URL = "/static/vendor/zxing-wasm/zxing_reader.wasm"' in camera
    assert "locateFile" in camera
