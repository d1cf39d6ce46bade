"""Who sees the money: the treasurer and admins see the SPJ, the rate tables and the
narasumber's finance fields; the committee and door scanners get a 403, and the
committee never sees a narasumber's NIP, NPWP or account number in any page or export."""

import io
import logging
import re
import subprocess
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from service.models.base import pk
from service.routers.pages.account import _landing
from tests import factories, spj_world
from tests.conftest import PASSWORD
from tests.helpers import CSRF_RE, post_login

SECRETS = (spj_world.NPWP, "12.345.678.9-012.345", spj_world.ACCOUNT, spj_world.NIP,
           "19700101 199003 1 002")


@pytest.fixture
def world(db: Session) -> spj_world.World:
    w = spj_world.build(db)
    factories.committed(db)
    return w


def _signed_in(app: object, email: str, home: str) -> Iterator[tuple[TestClient, str]]:
    with TestClient(app) as client:  # type: ignore[arg-type]
        token = client.post("/api/auth/token", data={"username": email, "password": PASSWORD})
        assert token.status_code == 200, token.text
        assert post_login(client, email, next=home).status_code == 303
        match = CSRF_RE.search(client.get(home).text)
        assert match, "no CSRF token"
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        yield client, match.group(1)


@pytest.fixture
def treasurer(app: object, world: spj_world.World) -> Iterator[tuple[TestClient, str]]:
    yield from _signed_in(app, world.treasurer.email, "/spj")


@pytest.fixture
def committee(app: object, world: spj_world.World) -> Iterator[tuple[TestClient, str]]:
    yield from _signed_in(app, world.committee.email, "/trainings")


def _finance_urls(w: spj_world.World) -> list[str]:
    t, b, s = pk(w.training), pk(w.batch), pk(w.hendra)
    return [f"/api/trainings/{t}/spj", "/api/rates", "/api/rates/2018",
            f"/api/speakers/{s}/finance", f"/api/trainings/{t}/spj/signers",
            f"/api/trainings/{t}/spj/honorarium.pdf", f"/api/trainings/{t}/spj/honorarium.xlsx",
            f"/api/batches/{b}/spj/transport.pdf", f"/api/trainings/{t}/spj/receipts.pdf",
            "/spj", "/spj/speakers", "/rates/2018", f"/trainings/{t}/spj",
            f"/speakers/{s}/finance", f"/trainings/{t}/spj/honorarium.pdf",
            f"/batches/{b}/spj/transport.xlsx", f"/trainings/{t}/spj/receipts.pdf"]


def test_committee_gets_403_everywhere_in_the_spj(committee: tuple[TestClient, str],
                                                  world: spj_world.World) -> None:
    client, csrf = committee
    for url in _finance_urls(world):
        assert client.get(url).status_code == 403, url
    assert client.put("/api/rates/2018", json=spj_world.rates_2018()).status_code == 403
    assert client.put(f"/api/speakers/{pk(world.hendra)}/finance",
                      json={"npwp": "1" * 15}).status_code == 403
    assert client.post("/rates/2018", data={"csrf_token": csrf}).status_code == 403


def test_scanner_gets_403(app: object, db: Session, world: spj_world.World) -> None:
    scanner = factories.user(db, world.org, role="scanner", email="pintu@padang.test")
    factories.committed(db)
    with TestClient(app) as client:  # type: ignore[arg-type]
        token = client.post("/api/auth/token", data={"username": scanner.email,
                                                       "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        for url in _finance_urls(world):
            if url.startswith("/api/"):
                assert client.get(url, headers=headers).status_code == 403, url


def test_treasurer_reaches_all_of_it(treasurer: tuple[TestClient, str],
                                     world: spj_world.World) -> None:
    client, _csrf = treasurer
    for url in _finance_urls(world):
        assert client.get(url).status_code == 200, url


def test_treasurer_does_not_plan_nor_scan(treasurer: tuple[TestClient, str],
                                          world: spj_world.World) -> None:
    client, _csrf = treasurer
    assert client.get("/trainings").status_code == 403
    assert client.get(f"/api/trainings/{pk(world.training)}").status_code == 403
    assert client.post("/api/checkins", json={"code": "x"}).status_code == 403


def test_treasurer_lands_on_the_spj(world: spj_world.World) -> None:
    assert _landing(world.treasurer) == "/spj"
    assert _landing(world.treasurer, "/rates/2018") == "/rates/2018"
    assert _landing(world.treasurer, "/trainings") == "/spj"
    assert _landing(world.committee) == "/trainings"


def test_nav_shows_spj_and_rates(treasurer: tuple[TestClient, str],
                                 committee: tuple[TestClient, str]) -> None:
    page = treasurer[0].get("/spj").text
    assert 'id="nav-spj"' in page and 'id="nav-rates"' in page
    assert 'href="/trainings"' not in page.split("</nav>")[0]
    assert 'id="nav-spj"' not in committee[0].get("/trainings").text


def test_an_admin_may_make_a_treasurer(api: TestClient, db: Session) -> None:
    r = api.post("/api/users", json={"email": "bendahara2@padang.test", "name": "Rosa",
                                     "role": "treasurer", "password": "Padang-2018-kader!"})
    assert r.status_code == 201, r.text
    assert r.json()["role"] == "treasurer"


def test_users_page_offers_the_treasurer_role(client: TestClient, admin: object) -> None:
    assert post_login(client, "admin@padang.test").status_code == 303
    page = client.get("/users").text
    assert '<option value="treasurer"' in page and "Bendahara" in page


def _pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def _xlsx_text(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data))
    return " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows()
                    for c in row if c.value is not None)


def _readable(r: object) -> str:
    content_type = r.headers.get("content-type", "")  # type: ignore[attr-defined]
    body: bytes = r.content  # type: ignore[attr-defined]
    if content_type.startswith("application/pdf"):
        return _pdf_text(body)
    if "spreadsheetml" in content_type:
        return _xlsx_text(body)
    return body.decode(errors="replace")


def _leaks(text: str) -> list[str]:
    flat = re.sub(r"\s+", " ", text)
    return [s for s in SECRETS if s in flat or s in text]


def test_committee_never_sees_the_finance_fields(committee: tuple[TestClient, str],
                                                 world: spj_world.World) -> None:
    client, _csrf = committee
    t, b, s = pk(world.training), pk(world.batch), pk(world.hendra)
    urls = ["/speakers", f"/speakers/{s}/edit", "/api/speakers", f"/batches/{b}",
            f"/trainings/{t}", f"/batches/{b}/agenda.pdf", f"/api/batches/{b}/agenda.pdf",
            f"/api/batches/{b}/sessions", f"/batches/{b}/roster.pdf",
            f"/batches/{b}/roster.xlsx", f"/batches/{b}/roster.csv",
            f"/api/batches/{b}/roster.pdf", f"/trainings/{t}/report",
            f"/api/trainings/{t}/report", f"/trainings/{t}/report.pdf",
            f"/trainings/{t}/rosters", f"/trainings/{t}/evaluations",
            f"/api/trainings/{t}/evaluations/speakers/{s}.pdf", "/export"]
    reached = 0
    for url in urls:
        r = client.get(url)
        if r.status_code != 200:
            assert r.status_code in (403, 404), (url, r.status_code)
            continue
        reached += 1
        assert _leaks(_readable(r)) == [], url
    assert reached >= 12


def test_treasurer_documents_carry_them(treasurer: tuple[TestClient, str],
                                        world: spj_world.World) -> None:
    client, _csrf = treasurer
    r = client.get(f"/api/trainings/{pk(world.training)}/spj/honorarium.pdf")
    assert r.status_code == 200
    text = _pdf_text(r.content)
    assert "12.345.678.9-012.345" in text and spj_world.ACCOUNT in text
    sheet = _xlsx_text(client.get(
        f"/api/trainings/{pk(world.training)}/spj/honorarium.xlsx").content)
    assert "12.345.678.9-012.345" in sheet and spj_world.ACCOUNT in sheet


def test_finance_list_masks_them(treasurer: tuple[TestClient, str],
                                 world: spj_world.World) -> None:
    page = treasurer[0].get("/spj/speakers").text
    # The NPWP by its taxpayer digits (its last six name the tax office), the account by
    # its last four.
    assert "•••• 6789" in page and "•••• 0011" in page
    assert _leaks(page) == []


def test_finance_form_saves_and_refuses_in_indonesian(treasurer: tuple[TestClient, str],
                                                      world: spj_world.World) -> None:
    client, csrf = treasurer
    url = f"/speakers/{pk(world.rina)}/finance"
    bad = client.post(url, data={"csrf_token": csrf, "npwp": "123"})
    assert bad.status_code == 422
    assert "15 atau 16 digit" in bad.text
    ok = client.post(url, data={"csrf_token": csrf, "npwp": "98.765.432.1-098.765",
                                "golongan": "III", "honorarium_class": "Eselon III ke bawah",
                                "back": f"/trainings/{pk(world.training)}/spj"},
                     follow_redirects=False)
    assert ok.status_code == 303
    assert ok.headers["location"] == f"/trainings/{pk(world.training)}/spj"
    got = client.get(f"/api/speakers/{pk(world.rina)}/finance").json()
    assert (got["npwp"], got["golongan"]) == ("987654321098765", "III")


def test_speaker_form_links_finance_for_admins_only(
        app: object, committee: tuple[TestClient, str], db: Session,
        world: spj_world.World) -> None:
    url = f"/speakers/{pk(world.hendra)}/edit"
    assert 'id="speaker-finance"' not in committee[0].get(url).text
    factories.user(db, world.org, role="admin", email="kepala@padang.test")
    factories.committed(db)
    for client, _csrf in _signed_in(app, "kepala@padang.test", "/trainings"):
        page = client.get(url).text
        assert f'href="/speakers/{pk(world.hendra)}/finance' in page
        assert _leaks(page) == []


def test_finance_fields_never_reach_the_logs(treasurer: tuple[TestClient, str],
                                             world: spj_world.World,
                                             caplog: pytest.LogCaptureFixture) -> None:
    client, csrf = treasurer
    caplog.set_level(logging.DEBUG)
    url = f"/speakers/{pk(world.rina)}/finance"
    client.put(f"/api/speakers/{pk(world.rina)}/finance",
               json={"npwp": "55.444.333.2-111.000", "bank_account": "99887766554"})
    client.post(url, data={"csrf_token": csrf, "npwp": "5544433321", "bank_account": "x"})
    text = caplog.text
    assert "554443332111000" not in text and "55.444.333.2-111.000" not in text
    assert "99887766554" not in text and "5544433321" not in text
