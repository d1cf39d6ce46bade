"""The units register (issue 17): API and pages, the focal phone masked but for admins,
deleting only what nothing names."""

from datetime import date, time
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.models import OrgUnit
from service.models.base import pk
from service.schemas.meetings import PresenterIn
from service.services import units
from service.services.meetings import presenters
from tests import factories
from tests.conftest import PASSWORD
from tests.helpers import login_page_client


def test_api_creates_lists_updates_and_deletes(api: TestClient, db: Session) -> None:
    r = api.post("/api/units", json={"name": "Dinas Kesehatan", "kind": "opd",
                                     "focal_name": "dr. Allin", "focal_phone": "0812-1111-2222"})
    assert r.status_code == 201, r.text
    unit = r.json()
    assert unit["focal_phone"] == "+6281211112222"  # an admin sees it whole
    dup = api.post("/api/units", json={"name": " Dinas  Kesehatan "})
    assert dup.status_code == 422 and dup.json()["code"] == "duplicate"
    r = api.patch(f"/api/units/{unit['id']}", json={"kind": "other", "focal_email": "a@b.id"})
    assert r.status_code == 200
    assert r.json()["kind"] == "other" and r.json()["focal_phone"] == "+6281211112222"
    assert r.json()["name"] == "Dinas Kesehatan" and r.json()["focal_email"] == "a@b.id"
    assert api.get("/api/units").json()["total"] == 1
    assert api.delete(f"/api/units/{unit['id']}").status_code == 204
    assert api.get("/api/units").json()["total"] == 0


def test_a_bad_kind_or_phone_is_refused(api: TestClient) -> None:
    assert api.post("/api/units", json={"name": "X", "kind": "pabrik"}).status_code == 422
    r = api.post("/api/units", json={"name": "X", "focal_phone": "12"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "focal_phone"


def test_the_committee_sees_the_focal_phone_masked(client: TestClient, db: Session,
                                                   org: Any) -> None:
    units.create_unit(db, pk(org), "Bappeda", focal_phone="081234567890")
    member = factories.user(db, org, role="committee", email="panitia@padang.test")
    factories.committed(db)
    token = client.post("/api/auth/token", data={"username": member.email,
                                                 "password": PASSWORD}).json()["access_token"]
    item = client.get("/api/units", headers={"Authorization": f"Bearer {token}"}
                      ).json()["items"][0]
    assert item["focal_phone"] == "••••••••7890"
    login_page_client(client, member.email)
    page = client.get("/units")
    assert "••••••••7890" in page.text and "81234567890" not in page.text


def test_a_unit_in_use_is_not_deleted(api: TestClient, db: Session, org: Any) -> None:
    t = factories.training(db, org, kind="pertemuan", start=date(2018, 10, 2), days=1,
                           categories=())
    factories.batch(db, t, start=date(2018, 10, 2), days=1)
    p = presenters.create_presenter(db, t, PresenterIn(
        unit="Disdukcapil", name="Kabid", topic="KIA", day=date(2018, 10, 2),
        start_time=time(9), end_time=time(9, 30)))
    factories.committed(db)
    r = api.delete(f"/api/units/{p.unit_id}")
    assert r.status_code == 409 and r.json()["code"] == "unit_in_use"
    assert db.get(OrgUnit, p.unit_id) is not None
    assert api.get("/api/units").json()["items"][0]["in_use"] is True


def test_the_pages_add_edit_and_delete(client: TestClient, db: Session, admin: Any) -> None:
    csrf = login_page_client(client, admin.email)
    r = client.post("/units", data={"csrf_token": csrf, "name": "Kecamatan Ciputat",
                                    "kind": "kecamatan", "focal_name": "Camat",
                                    "focal_phone": "0812 3333 4444"}, follow_redirects=False)
    assert r.status_code == 303
    unit = db.exec(select(OrgUnit).where(OrgUnit.name == "Kecamatan Ciputat")).one()
    assert unit.kind == "kecamatan" and unit.focal_phone == "+6281233334444"
    bad = client.post("/units", data={"csrf_token": csrf, "name": "", "kind": "opd"})
    assert bad.status_code == 422
    r = client.post(f"/units/{pk(unit)}/edit", data={
        "csrf_token": csrf, "name": "Kecamatan Ciputat Timur", "kind": "kecamatan",
        "focal_phone": "0812 3333 4444"}, follow_redirects=False)
    assert r.status_code == 303
    db.refresh(unit)
    assert unit.name == "Kecamatan Ciputat Timur"
    assert "Kecamatan Ciputat Timur" in client.get("/units").text
    r = client.post(f"/units/{pk(unit)}/delete", data={"csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303
    assert db.exec(select(OrgUnit)).all() == []
