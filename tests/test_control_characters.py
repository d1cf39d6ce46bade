"""Control characters are refused on input (422, saying so), and rows that hold them from
before still download as spreadsheets (openpyxl refused the whole workbook: a 500)."""

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session, select

from service.models import Participant, TrainingCategory
from service.rendering.import_template import import_template_xlsx
from service.rendering.roster_sheets import Column, Sheet, roster_xlsx
from service.rendering.spreadsheet_safety import neutralise
from tests import factories
from tests.helpers import login_page_client

MESSAGE = ("Berisi karakter kontrol yang tidak terlihat (sering ikut tersalin dari program "
           "lain): hapus karakter itu.")
TRAINING = {"title": "Pelatihan Kader", "kind": "pelatihan", "start_date": "2027-03-01",
            "end_date": "2027-03-03"}
# BEL, ESC, DEL, a C1 control, a lone line break in a one-line field, a non-character.
BAD = ["\x07", "\x1b[31m", "\x7f", "\x85", "\u009b", "a\nb", "\ufffe", "\x00"]


@pytest.mark.parametrize("bad", BAD)
def test_a_title_with_a_control_character_is_refused_by_the_api(api: TestClient,
                                                                  bad: str) -> None:
    r = api.post("/api/trainings", json={**TRAINING, "title": f"Pelatihan {bad} Kader"})
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [{"field": "title", "message": MESSAGE}]


def test_a_title_with_a_control_character_is_refused_by_the_page(client: TestClient,
                                                                   admin: Any) -> None:
    csrf = login_page_client(client, admin.email)
    r = client.post("/trainings", data={**TRAINING, "title": "Pelatihan\x07 Kader",
                                        "timezone": "Asia/Jakarta", "csrf_token": csrf})
    assert r.status_code == 422
    assert MESSAGE in r.text


def test_a_description_keeps_its_line_breaks_and_tabs(api: TestClient) -> None:
    r = api.post("/api/trainings", json={**TRAINING, "description": "Hari 1:\n\tPembukaan"})
    assert r.status_code == 201, r.text
    assert r.json()["description"] == "Hari 1:\n\tPembukaan"


@pytest.mark.parametrize(("path", "body"), [
    ("/api/speakers", {"name": "Dr. Siti\x07"}),
    ("/api/speakers", {"name": "Dr. Siti", "institution": "BKKBN\x1b"}),
    ("/api/venues", {"name": "Hotel\x08 Pangeran"}),
    ("/api/venues", {"name": "Hotel Pangeran", "rooms": ["Ruang\x0c A"]}),
    ("/api/trainings", {**TRAINING, "categories": [{"name": "Kader\x07 BKB"}]}),
    ("/api/trainings", {**TRAINING, "venue": "Balai\x1f Desa"}),
    ("/api/users", {"name": "Gerbang\x07", "email": "g@padang.test", "role": "scanner",
                    "password": "correct-horse-battery"}),
])
def test_every_free_text_input_refuses_control_characters(api: TestClient, path: str,
                                                          body: dict[str, Any]) -> None:
    r = api.post(path, json=body)
    assert r.status_code == 422, r.text
    assert MESSAGE in r.json()["message"]


def test_a_batch_name_and_a_session_title_refuse_control_characters(api: TestClient) -> None:
    t = api.post("/api/trainings", json=TRAINING).json()
    r = api.post(f"/api/trainings/{t['id']}/batches", json={
        "name": "Angkatan\x07 I", "start_date": "2027-03-01", "end_date": "2027-03-02",
        "capacity": 30})
    assert r.status_code == 422 and MESSAGE in r.json()["message"]
    b = api.post(f"/api/trainings/{t['id']}/batches", json={
        "name": "Angkatan I", "start_date": "2027-03-01", "end_date": "2027-03-02",
        "capacity": 30}).json()
    r = api.post(f"/api/batches/{b['id']}/sessions", json={
        "title": "Materi\x1b", "date": "2027-03-01", "start_time": "08:00",
        "end_time": "09:00", "room": "Aula"})
    assert r.status_code == 422 and MESSAGE in r.json()["message"]


# --- what is already stored still downloads -------------------------------------------------

# (No NUL: PostgreSQL never stores one.)
DIRTY = "Pelatihan\x07 Kader\x1b Kampung\ufffe KB\x85"


def test_rows_stored_with_control_characters_still_download_as_xlsx(api: TestClient,
                                                                    db: Session) -> None:
    org = factories.organization(db)
    t = factories.training(db, org)
    b = factories.batch(db, t)
    reg = factories.register(db, t, b, **factories.kader(0))
    # As rows written before input refused them: straight into the database.
    t.title, b.name = DIRTY, "Angkatan\x07 I\x1b"
    person = db.get(Participant, reg.participant_id)
    assert person is not None
    person.name, person.institution = "Nur\x07aini\x0b", "PKK\x1f"
    db.add_all([t, b, person])
    factories.committed(db)
    for fmt in ("xlsx", "csv", "pdf"):
        r = api.get(f"/api/batches/{b.id}/roster.{fmt}")
        assert r.status_code == 200, (fmt, r.text[:300])
    sheet = load_workbook(io.BytesIO(api.get(f"/api/batches/{b.id}/roster.xlsx").content))
    cells = [str(c.value) for row in sheet.active.iter_rows() for c in row if c.value]
    assert any("Pelatihan Kader Kampung KB" in c for c in cells)
    assert "Nuraini" in cells


def test_the_import_template_downloads_with_a_category_stored_with_controls(
        api: TestClient, db: Session) -> None:
    t = factories.training(db, factories.organization(db), categories=["Kader BKB"])
    category = db.exec(select(TrainingCategory).where(
        TrainingCategory.training_id == t.id)).one()
    category.name = "Kader\x07 BKB"
    db.add(category)
    factories.committed(db)
    r = api.get(f"/api/trainings/{t.id}/registrations/template.xlsx")
    assert r.status_code == 200, r.text
    load_workbook(io.BytesIO(r.content))


def test_the_spreadsheet_writers_drop_what_a_sheet_cannot_hold() -> None:
    assert neutralise("\x07=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    sheet = Sheet(title="DAFTAR\x07", organization="DP3AP2KB\x1b", heading=("A\ufffe",),
                  columns=(Column("Nama\x00"),), rows=[["Nur\x08aini"], [3]],
                  sheet_name="Angkatan\x07 I", note="\x0b")
    load_workbook(io.BytesIO(roster_xlsx(sheet)))
    load_workbook(io.BytesIO(import_template_xlsx(["Kader\x07 BKB", "PKB\x1b"])))
