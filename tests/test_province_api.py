"""The province view over HTTP: the JSON contract, refusals as clear 4xx (an office is no
province, an office that does not share is not there), sharing and withdrawing by the
office's admin, the pages, and every answer the province gets scanned for the names,
NIKs, NIPs, phones and emails of the people behind the figures."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.models import ProvinceShare
from service.models.base import pk
from tests import factories
from tests.conftest import PASSWORD
from tests.helpers import login_page_client
from tests.province_world import (
    BUKITTINGGI,
    OTHER_SECRETS,
    PADANG,
    PEOPLE,
    World,
    build,
    person,
    secrets_of,
)


@pytest.fixture
def world(db: Session) -> World:
    made = build(db)
    factories.committed(db)
    return made


class Clients(dict[str, TestClient]):
    """A client per account (its own cookies), signed in with a bearer token when first
    asked for."""

    def __init__(self, app: Any) -> None:
        super().__init__()
        self.app = app

    def __missing__(self, email: str) -> TestClient:
        c = TestClient(self.app)
        c.__enter__()
        token = c.post("/api/auth/token", data={"username": email, "password": PASSWORD})
        assert token.status_code == 200, token.text
        c.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        self[email] = c
        return c

    def close(self) -> None:
        for c in self.values():
            c.__exit__(None, None, None)


@pytest.fixture
def clients(app: Any, world: World) -> Iterator[Clients]:
    made = Clients(app)
    yield made
    made.close()


PROVINCE, OFFICE_ADMIN = "admin@sumbar.test", "admin.rahasia@padang.test"


# --- the JSON contract -----------------------------------------------------------------------

def test_the_province_lists_the_sharing_offices_and_their_total(
        world: World, clients: Clients) -> None:
    r = clients[PROVINCE].get("/api/province/offices")
    assert r.status_code == 200, r.text
    body = r.json()
    assert [i["name"] for i in body["items"]] == [PADANG, BUKITTINGGI]
    padang = body["items"][0]
    assert padang["organization_id"] == pk(world.padang) and padang["city"] == "Padang"
    assert {k: padang[k] for k in ("trainings", "registrations", "people_trained",
                                   "days_attended", "jpl_total", "certificates",
                                   "kampung_kb_registered", "kampung_kb_target",
                                   "kampung_kb_covered")} == {
        "trainings": 2, "registrations": 7, "people_trained": 5, "days_attended": 7,
        "jpl_total": 22, "certificates": 1, "kampung_kb_registered": 3,
        "kampung_kb_target": 10, "kampung_kb_covered": 3}
    assert padang["by_poktan"]["BKB"] == 2 and padang["trainings_by_year"] == {
        "2019": 1, "2018": 1}
    assert body["totals"]["people_trained"] == 6 and body["years"] == [2019, 2018]
    r = clients[PROVINCE].get("/api/province/offices", params={"year": 2018})
    assert [i["trainings"] for i in r.json()["items"]] == [1, 0]


def test_one_sharing_office_in_detail(world: World, clients: Clients) -> None:
    r = clients["staf@sumbar.test"].get(f"/api/province/offices/{pk(world.padang)}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert [(y["year"], y["people_trained"]) for y in body["by_year"]] == [(2019, 2), (2018, 4)]
    assert body["by_year"][1]["trainings_list"][0]["title"] == "Pelatihan Kader Kampung KB 2018"
    assert [(d["district"], d["covered"]) for d in body["by_district"]] == [
        ("Nanggalo", 1), ("Padang Utara", 2)]
    assert body["unlinked"] == 1


def test_an_office_that_does_not_share_is_not_there(world: World,
                                                    clients: Clients) -> None:
    for office_id in (pk(world.agam), 10**9, pk(world.province)):
        r = clients[PROVINCE].get(f"/api/province/offices/{office_id}")
        assert r.status_code == 404 and r.json()["code"] == "office_not_shared", r.text
    # Riau sees Agam, and not West Sumatra's offices.
    riau = clients["admin@riau.test"]
    assert [i["name"] for i in riau.get("/api/province/offices").json()["items"]] == [
        world.agam.name]
    assert riau.get(f"/api/province/offices/{pk(world.padang)}").status_code == 404


def test_an_office_is_refused_with_a_clear_403(world: World,
                                               clients: Clients) -> None:
    office = clients[OFFICE_ADMIN]
    for path in ("/api/province/offices", f"/api/province/offices/{pk(world.bukittinggi)}"):
        r = office.get(path)
        assert r.status_code == 403 and r.json()["code"] == "not_province", r.text
        assert "provinsi" in r.json()["message"]


def test_a_bad_year_is_a_422(world: World, clients: Clients) -> None:
    assert clients[PROVINCE].get("/api/province/offices?year=1800").status_code == 422
    assert clients[PROVINCE].get("/api/province/offices?year=abc").status_code == 422


def test_the_province_changes_nothing_of_an_office(db: Session, world: World,
                                                   clients: Clients) -> None:
    province = clients[PROVINCE]
    assert province.get(f"/api/trainings/{pk(world.t2018)}").status_code == 404
    assert province.get("/api/people").json()["total"] == 0
    # It cannot end (or make) an office's agreement: only the office's admin can.
    assert province.delete(f"/api/province-sharing/{pk(world.province)}").status_code == 404
    r = province.post("/api/province-sharing", json={"province_id": pk(world.province)})
    assert r.status_code == 409 and r.json()["code"] == "province_cannot_share"
    assert len(db.exec(select(ProvinceShare).where(
        ProvinceShare.province_id == pk(world.province))).all()) == 2


# --- sharing ----------------------------------------------------------------------------------

def test_an_office_admin_shares_and_withdraws(world: World,
                                              clients: Clients) -> None:
    office = clients[OFFICE_ADMIN]
    got = office.get("/api/province-sharing").json()["items"]
    assert [(i["name"], i["shared"]) for i in got] == [
        (world.other_province.name, False), (world.province.name, True)]
    riau = pk(world.other_province)
    r = office.post("/api/province-sharing", json={"province_id": riau})
    assert r.status_code == 201 and r.json()["shared"] is True, r.text
    assert PADANG in [i["name"] for i in clients["admin@riau.test"].get(
        "/api/province/offices").json()["items"]]
    assert office.delete(f"/api/province-sharing/{riau}").status_code == 204
    r = office.delete(f"/api/province-sharing/{riau}")
    assert r.status_code == 404 and r.json()["code"] == "not_shared"
    assert PADANG not in [i["name"] for i in clients["admin@riau.test"].get(
        "/api/province/offices").json()["items"]]


def test_sharing_is_refused_clearly(db: Session, world: World,
                                    clients: Clients) -> None:
    office = clients[OFFICE_ADMIN]
    r = office.post("/api/province-sharing", json={"province_id": pk(world.bukittinggi)})
    assert r.status_code == 404 and r.json()["code"] == "province_not_found"
    assert office.post("/api/province-sharing", json={}).status_code == 422
    colleague = factories.user(db, world.padang, role="committee", email="panitia@padang.test")
    factories.committed(db)
    r = clients[colleague.email].post("/api/province-sharing",
                                      json={"province_id": pk(world.other_province)})
    assert r.status_code == 403
    assert clients[colleague.email].get("/api/province-sharing").status_code == 200


# --- the pages -------------------------------------------------------------------------------

def _page_client(app: Any, email: str) -> tuple[TestClient, str]:
    c = TestClient(app)
    return c, login_page_client(c, email)


def test_the_pages_of_the_province(app: Any, world: World) -> None:
    c, _csrf = _page_client(app, PROVINCE)
    with c:
        page = c.get("/trainings")
        assert 'href="/province"' in page.text
        r = c.get("/province")
        assert r.status_code == 200
        assert PADANG in r.text and BUKITTINGGI in r.text and world.agam.name not in r.text
        assert 'id="province-total"' in r.text and 'id="people-chart"' in r.text
        assert c.get("/province?year=2019").status_code == 200
        assert c.get("/province?year=18").status_code == 422
        r = c.get(f"/province/offices/{pk(world.padang)}?year=2018")
        assert r.status_code == 200 and "Pelatihan Kader Kampung KB 2018" in r.text
        assert "Padang Utara" in r.text
        assert c.get(f"/province/offices/{pk(world.agam)}").status_code == 404


def test_an_office_has_no_province_page(app: Any, world: World) -> None:
    c, _csrf = _page_client(app, OFFICE_ADMIN)
    with c:
        assert 'href="/province"' not in c.get("/trainings").text
        r = c.get("/province")
        assert r.status_code == 403 and "provinsi" in r.text


def test_the_office_admin_shares_on_its_page(app: Any, db: Session, world: World) -> None:
    c, csrf = _page_client(app, OFFICE_ADMIN)
    riau = pk(world.other_province)
    with c:
        assert 'href="/province-sharing"' in c.get("/users").text
        page = c.get("/province-sharing")
        assert page.status_code == 200 and world.other_province.name in page.text
        r = c.post("/province-sharing", data={"csrf_token": csrf, "province_id": str(riau)},
                   follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/province-sharing?done=shared"
        assert "Dibagikan sejak" in c.get("/province-sharing?done=shared").text
        r = c.post(f"/province-sharing/{riau}/stop", data={"csrf_token": csrf},
                   follow_redirects=False)
        assert r.status_code == 303
        r = c.post(f"/province-sharing/{riau}/stop", data={"csrf_token": csrf})
        assert r.status_code == 404 and 'id="sharing-error"' in r.text
    assert db.exec(select(ProvinceShare).where(ProvinceShare.province_id == riau,
                                               ProvinceShare.office_id == pk(world.padang))
                   ).first() is None


def test_the_superuser_marks_a_province_office(app: Any, db: Session, world: World) -> None:
    boss = factories.superuser(db, factories.organization(db, "Bimtek Pusat"))
    factories.committed(db)
    c, csrf = _page_client(app, boss.email)
    with c:
        r = c.post(f"/offices/{pk(world.agam)}/kind", data={"csrf_token": csrf,
                                                             "kind": "province"},
                   follow_redirects=False)
        assert r.status_code == 303
        assert "Kantor provinsi" in c.get("/offices").text
        r = c.post(f"/offices/{pk(world.agam)}/kind", data={"csrf_token": csrf,
                                                             "kind": "kingdom"})
        assert r.status_code == 422
    db.refresh(world.agam)
    assert world.agam.kind == "province"


# --- nothing personal, anywhere ------------------------------------------------------------

def _everything_the_province_gets(app: Any, world: World,
                                  clients: Clients) -> list[tuple[str, str]]:
    """(what, body) of every province answer: the API and the pages, every year, every
    sharing office's detail, the refusals, in both languages."""
    years = ["", "2018", "2019", "2020"]
    office_ids = [pk(world.padang), pk(world.bukittinggi), pk(world.agam)]
    got: list[tuple[str, str]] = []
    api = clients[PROVINCE]
    for y in years:
        q = f"?year={y}" if y else ""
        got.append((f"api list {y}", api.get(f"/api/province/offices{q}").text))
        got += [(f"api detail {o} {y}", api.get(f"/api/province/offices/{o}{q}").text)
                for o in office_ids]
    c, _csrf = _page_client(app, PROVINCE)
    with c:
        for lang in ("id", "en"):
            c.get(f"/lang/{lang}")
            for y in years:
                q = f"?year={y}" if y else ""
                got.append((f"page list {lang} {y}", c.get(f"/province{q}").text))
                got += [(f"page detail {o} {lang} {y}",
                         c.get(f"/province/offices/{o}{q}").text) for o in office_ids]
            got.append((f"sharing page {lang}", c.get("/province-sharing").text))
    return got


def test_no_answer_to_the_province_names_a_person(app: Any, world: World,
                                                  clients: Clients) -> None:
    forbidden = [s for n in PEOPLE for s in secrets_of(n)] + OTHER_SECRETS
    # The strings are really there to be found: the office itself sees them.
    own = clients[OFFICE_ADMIN].get("/api/people", params={"q": "Qistiyani"}).text
    assert person(0)["name"] in own
    answers = _everything_the_province_gets(app, world, clients)
    assert len(answers) > 40
    assert all("Internal Server Error" not in body for _what, body in answers)
    leaks = [(what, s) for what, body in answers for s in forbidden if s.casefold()
             in body.casefold()]
    assert leaks == []
