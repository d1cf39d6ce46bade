"""The Kampung KB register and coverage over HTTP: the JSON contract, refusals as clear 4xx,
another organization's entries and programmes out of reach, the XLSX export and the pages."""

import io
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from service.models import Organization, User
from service.models.base import pk
from service.rendering.spreadsheet_safety import is_live_formula
from service.schemas.kampung_kb import KampungKBCreate
from service.schemas.programs import ProgramCreate
from service.services import kampung_kb, programs
from tests import factories
from tests.helpers import login_page_client

MELATI = {"name": "Kampung KB Melati", "village": "Air Tawar Barat",
          "district": "Padang Utara", "year_formed": 2016, "poktan": ["BKB", "PIK R"]}


def make_entry(api: TestClient, **over: object) -> int:
    r = api.post("/api/kampung-kb", json={**MELATI, **over})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def trained_cadre(db: Session, org: Organization, by: User) -> None:
    """One BKB cadre of Kampung KB Melati, present on the first day of a 2018 training."""
    t = factories.training(db, org, start=date(2018, 9, 12), days=2,
                           categories=("Kader BKB", "PKB"))
    b = factories.batch(db, t)
    reg = factories.register(db, t, b, **{**factories.kader(0), "category": "Kader BKB",
                                          "kampung_kb": "Kampung KB Melati"})
    factories.check_in(db, reg, b.start_date, by)
    kampung_kb.match_participants(db, pk(org))
    factories.committed(db)


def test_register_crud(api: TestClient) -> None:
    kkb_id = make_entry(api)
    r = api.get("/api/kampung-kb")
    assert r.json()["items"] == [{"id": kkb_id, "name": "Kampung KB Melati",
                                  "village": "Air Tawar Barat", "district": "Padang Utara",
                                  "year_formed": 2016, "poktan": ["BKB", "PIK-R"]}]
    r = api.put(f"/api/kampung-kb/{kkb_id}", json={**MELATI, "poktan": "BKB, BKR, UPPKS"})
    assert r.status_code == 200 and r.json()["poktan"] == ["BKB", "BKR", "UPPKA"]
    assert api.delete(f"/api/kampung-kb/{kkb_id}").status_code == 204
    assert api.get("/api/kampung-kb").json()["total"] == 0
    assert api.delete(f"/api/kampung-kb/{kkb_id}").status_code == 404


def test_bad_input_is_a_clear_4xx(api: TestClient) -> None:
    make_entry(api)
    r = api.post("/api/kampung-kb", json={**MELATI, "name": "melati"})
    assert r.status_code == 409 and r.json()["code"] == "duplicate_kampung_kb"
    r = api.post("/api/kampung-kb", json={**MELATI, "name": "Mawar", "poktan": ["Posyandu"]})
    assert r.status_code == 422 and r.json()["code"] == "unknown_poktan"
    assert "Posyandu" in r.json()["message"]
    r = api.post("/api/kampung-kb", json={**MELATI, "name": "Mawar", "year_formed": 1800})
    assert r.status_code == 422
    assert api.post("/api/kampung-kb", json={"name": ""}).status_code == 422
    assert api.get("/api/coverage?year=abc").status_code == 422
    assert api.get("/api/coverage?program_id=99999999999999999999").status_code == 422
    assert api.put("/api/kampung-kb-target", json={"target": -1}).status_code == 422


def test_import_lists_bad_rows_and_imports_nothing(api: TestClient) -> None:
    bad = (b"Nama Kampung KB;Kelurahan/Desa;Kecamatan;Tahun Terbentuk;Poktan\n"
           b"Kampung KB Melati;Air Tawar Barat;Padang Utara;2016;BKB\n"
           b"Kampung KB Mawar;Lapai;;2017;BKB\n")
    r = api.post("/api/kampung-kb/import", files={"file": ("kkb.csv", bad, "text/csv")})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "register_rows_invalid"
    assert [e["row"] for e in r.json()["errors"]] == [3]
    assert api.get("/api/kampung-kb").json()["total"] == 0
    good = bad.replace(b"Lapai;;", b"Lapai;Nanggalo;")
    r = api.post("/api/kampung-kb/import", files={"file": ("kkb.csv", good, "text/csv")})
    assert r.status_code == 200 and r.json() == {"created": 2, "updated": 0, "linked": 0}
    r = api.post("/api/kampung-kb/import", files={"file": ("x.pdf", b"%PDF-1.4", "text/csv")})
    assert r.status_code == 415


def test_coverage_contract(api: TestClient, db: Session, org: Organization,
                           admin: User) -> None:
    kkb_id = make_entry(api)
    assert api.put("/api/kampung-kb-target", json={"target": 104}).json() == {"target": 104}
    trained_cadre(db, org, admin)
    r = api.get("/api/coverage")
    assert r.status_code == 200
    assert r.json() == {
        "target": 104, "registered": 1, "covered": 1, "unlinked": 0,
        "by_district": [{"district": "Padang Utara", "kampung_kb": 1, "covered": 1,
                         "by_poktan": {"BKB": 1, "BKR": 0, "BKL": 0, "UPPKA": 0, "PIK-R": 0,
                                       "lainnya": 0}}],
        "items": [{"id": kkb_id, "name": "Kampung KB Melati", "village": "Air Tawar Barat",
                   "district": "Padang Utara", "poktan": ["BKB", "PIK-R"],
                   "trained": {"BKB": 1, "BKR": 0, "BKL": 0, "UPPKA": 0, "PIK-R": 0,
                               "lainnya": 0},
                   "missing": ["PIK-R"]}]}
    assert api.get("/api/coverage?year=2019").json()["covered"] == 0


def test_coverage_xlsx(api: TestClient, db: Session, org: Organization, admin: User) -> None:
    make_entry(api, name="=HYPERLINK(\"http://x\")")
    trained_cadre(db, org, admin)
    r = api.get("/api/coverage.xlsx")
    assert r.status_code == 200
    assert r.headers["content-disposition"].endswith('"cakupan-kampung-kb.xlsx"')
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "'=HYPERLINK(\"http://x\")" in values
    assert not any(is_live_formula(v) for v in values)
    assert "Padang Utara" in values


def test_another_organizations_ids_are_not_found(api: TestClient, db: Session) -> None:
    other = factories.organization(db, "DP3AP2KB Kota Pontianak")
    theirs = kampung_kb.create_kampung_kb(db, pk(other), KampungKBCreate(
        name="Kampung KB Seroja", village="Sungai Bangkong", district="Pontianak Kota"))
    program = programs.create_program(db, pk(other), ProgramCreate(
        title="Program Pontianak", start_date=date(2018, 1, 1), end_date=date(2018, 12, 31)))
    factories.committed(db)
    assert api.get(f"/api/coverage?program_id={pk(program)}").status_code == 404
    assert api.get(f"/api/coverage.xlsx?program_id={pk(program)}").status_code == 404
    assert api.put(f"/api/kampung-kb/{pk(theirs)}", json=MELATI).status_code == 404
    assert api.delete(f"/api/kampung-kb/{pk(theirs)}").status_code == 404
    r = api.post("/api/kampung-kb/map", json={"text": "Seroja", "kampung_kb_id": pk(theirs)})
    assert r.status_code == 404
    assert api.get("/api/kampung-kb").json()["items"] == []
    assert api.get("/api/coverage").json()["registered"] == 0


def test_pages_render_and_never_show_nik_or_phone(client: TestClient, db: Session,
                                                  org: Organization, admin: User) -> None:
    kampung_kb.create_kampung_kb(db, pk(org), KampungKBCreate(**MELATI))
    trained_cadre(db, org, admin)
    login_page_client(client, admin.email)
    cadre = factories.kader(0)
    for url in ("/kampung-kb", "/kampung-kb/unmatched", "/coverage",
                "/coverage?program_id=&year=2018"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert cadre["nik"] not in r.text and cadre["phone"] not in r.text
    assert "belum ada" in client.get("/coverage").text
    assert client.get("/coverage?year=dua").status_code == 422
    assert client.get("/coverage?program_id=987654").status_code == 404
    assert client.get("/coverage.xlsx?year=2018").status_code == 200


def test_page_forms_add_refuse_and_import(client: TestClient, db: Session, org: Organization,
                                          admin: User) -> None:
    csrf = login_page_client(client, admin.email)
    r = client.post("/kampung-kb", data={**{k: v for k, v in MELATI.items() if k != "poktan"},
                                         "poktan": ["BKB", "BKR"], "csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    [kkb] = kampung_kb.list_register(db, pk(org))
    assert kkb.poktan == "BKB,BKR"
    r = client.post("/kampung-kb", data={"name": "", "village": "Lapai", "district": "",
                                         "csrf_token": csrf})
    assert r.status_code == 422 and "has-error" in r.text
    bad = b"Nama Kampung KB,Kelurahan/Desa,Kecamatan,Poktan\nMawar,Lapai,Nanggalo,Posyandu\n"
    r = client.post("/kampung-kb/import", data={"csrf_token": csrf},
                    files={"file": ("kkb.csv", bad, "text/csv")})
    assert r.status_code == 422 and 'id="import-errors"' in r.text and "Posyandu" in r.text
    r = client.post("/kampung-kb/import", data={"csrf_token": csrf},
                    files={"file": ("kkb.csv", bad.replace(b"Posyandu", b"BKL"), "text/csv")},
                    follow_redirects=False)
    assert r.status_code == 303 and "created=1" in r.headers["location"]
    r = client.post(f"/kampung-kb/{pk(kkb)}/delete", data={"csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303
    assert [k.name for k in kampung_kb.list_register(db, pk(org))] == ["Mawar"]
