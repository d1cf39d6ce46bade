"""The import pages' HTTP contract: picking the header row, mapping category spellings,
correcting cells in the browser (all or nothing still), remembered layouts, and who sees
which digits of a NIK while correcting it."""

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from service.models import Participant, Registration, Training, TrainingCategory
from tests import factories
from tests.helpers import login_page_client
from tests.import_samples import make_xlsx, provincial_xlsx

ROWS = [{"Nama": "Nur Aisyah", "NIK": "1371015203850001", "Unsur": "Dinkes"},
        {"Nama": "Syafi'i", "NIK": "6,17101E+15", "Unsur": "Dinkes"},
        {"Nama": "Zuraida", "NIK": "1371070101800003", "Unsur": "OPD KB"}]
HEADERS = ["Nama", "NIK", "Unsur"]


@pytest.fixture
def training(db: Session, org: Any) -> Training:
    t = factories.training(db, org, categories=("Dinas Kesehatan", "Bappeda"))
    factories.committed(db)
    return t


def login(client: TestClient, db: Session, org: Any, role: str = "admin") -> str:
    account = factories.user(db, org, role=role)
    factories.committed(db)
    return login_page_client(client, account.email)


def upload(client: TestClient, t: Training, csrf: str, content: bytes,
           name: str = "peserta.xlsx") -> str:
    r = client.post(f"/trainings/{t.id}/import", data={"csrf_token": csrf},
                    files={"file": (name, content, "application/octet-stream")},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return str(r.headers["location"])


def registered(db: Session, t: Training) -> dict[str, str | None]:
    rows = db.exec(select(Participant.name, TrainingCategory.name)
                   .join(Registration, col(Registration.participant_id) == Participant.id)
                   .join(TrainingCategory, col(TrainingCategory.id) == Registration.category_id,
                         isouter=True)
                   .where(Registration.training_id == t.id)).all()
    return dict(rows)


CHOICES = {"cat:Dinkes": "Dinas Kesehatan", "cat:OPD KB": "+"}


def test_the_preview_offers_each_unknown_spelling_once(client: TestClient, db: Session,
                                                       org: Any, training: Training) -> None:
    csrf = login(client, db, org)
    page = client.get(upload(client, training, csrf, make_xlsx(ROWS, HEADERS))).text
    assert 'name="cat:Dinkes"' in page and 'name="cat:OPD KB"' in page
    assert "2 ejaan bukan kategori pelatihan ini (3 baris):</strong>" in page
    assert 'name="fix:3:1"' in page  # the damaged NIK, offered for correction
    assert 'name="fix:2:2"' not in page  # a spelling is chosen above, not typed per row


def test_an_in_browser_fix_and_category_choices_import_every_row(
        client: TestClient, db: Session, org: Any, training: Training) -> None:
    csrf = login(client, db, org)
    preview = upload(client, training, csrf, make_xlsx(ROWS, HEADERS))
    refused = client.post(preview, data={"csrf_token": csrf, **CHOICES})
    assert refused.status_code == 422 and "Excel mengubah NIK ini" in refused.text
    assert registered(db, training) == {}

    r = client.post(preview + "/fix", data={"csrf_token": csrf, "fix:3:1": "1371070101800002",
                                            **CHOICES}, follow_redirects=False)
    assert r.status_code == 303
    checked = client.get(r.headers["location"])
    assert checked.status_code == 200 and 'id="import-button"' in checked.text
    assert "1 sel diperbaiki di halaman ini" in checked.text
    done = client.post(preview, data={"csrf_token": csrf, **CHOICES}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("imported=3")
    assert registered(db, training) == {"Nur Aisyah": "Dinas Kesehatan",
                                        "Syafi'i": "Dinas Kesehatan", "Zuraida": "OPD KB"}
    nik = db.exec(select(Participant.nik).where(Participant.name == "Syafi'i")).one()
    assert nik == "1371070101800002"


def test_the_committee_corrects_a_nik_without_seeing_it(client: TestClient, db: Session,
                                                        org: Any, training: Training) -> None:
    rows = [{**ROWS[0], "NIK": "137101520385000"}]  # 15 digits: the NIK is all but there
    csrf = login(client, db, org, role="committee")
    page = client.get(upload(client, training, csrf, make_xlsx(rows, HEADERS))).text
    assert "137101520385000" not in page
    assert re.search(r'name="fixm:2:1" value="" placeholder="•+5000"', page)


def test_an_admin_sees_the_nik_being_corrected(client: TestClient, db: Session, org: Any,
                                               training: Training) -> None:
    rows = [{**ROWS[0], "NIK": "137101520385000"}]
    csrf = login(client, db, org)
    page = client.get(upload(client, training, csrf, make_xlsx(rows, HEADERS))).text
    assert 'name="fix:2:1" value="137101520385000"' in page


def test_an_empty_masked_cell_leaves_the_file_as_it_is(client: TestClient, db: Session,
                                                       org: Any, training: Training) -> None:
    csrf = login(client, db, org, role="committee")
    preview = upload(client, training, csrf, make_xlsx(ROWS, HEADERS))
    r = client.post(preview + "/fix", data={"csrf_token": csrf, "fixm:3:1": "  "},
                    follow_redirects=False)
    assert r.status_code == 303
    assert "diperbaiki di halaman ini" not in client.get(r.headers["location"]).text


def test_a_forged_cell_is_refused_with_a_message(client: TestClient, db: Session, org: Any,
                                                 training: Training) -> None:
    csrf = login(client, db, org)
    preview = upload(client, training, csrf, make_xlsx(ROWS, HEADERS))
    r = client.post(preview + "/fix", data={"csrf_token": csrf, "fix:3:x": "1"})
    assert r.status_code == 422 and "tidak punya sel itu" in r.text


def test_the_header_row_can_be_picked_on_the_page(client: TestClient, db: Session, org: Any,
                                                  training: Training) -> None:
    csrf = login(client, db, org)
    preview = upload(client, training, csrf, provincial_xlsx())
    page = client.get(preview).text
    assert re.search(r'<option value="5" selected>Baris 5: No · Nama · NIP', page)
    picked = client.get(preview + "?header=7")
    assert "Judul kolom ditemukan di baris 7." in picked.text
    assert 'id="row-count">3<' in picked.text


def test_a_header_row_that_is_not_a_number_is_refused(client: TestClient, db: Session,
                                                      org: Any, training: Training) -> None:
    csrf = login(client, db, org)
    preview = upload(client, training, csrf, provincial_xlsx())
    r = client.get(preview + "?header=lima")
    assert r.status_code == 422 and "Pilih baris yang berisi judul kolom" in r.text


def test_the_next_file_of_a_layout_starts_from_the_choices_made(
        client: TestClient, db: Session, org: Any, training: Training) -> None:
    csrf = login(client, db, org)
    rows = [{**r, "NIK": ""} for r in ROWS]
    preview = upload(client, training, csrf, make_xlsx(rows, HEADERS))
    done = client.post(preview, data={"csrf_token": csrf, **CHOICES}, follow_redirects=False)
    assert done.status_code == 303
    later = [{"Nama": "Afrizal", "NIK": "", "Unsur": "Dinkes"}]
    page = client.get(upload(client, training, csrf, make_xlsx(later, HEADERS))).text
    assert "Susunan kolom ini pernah diimpor sebelumnya." in page
    assert 'id="import-button"' in page
    assert re.search(r'<option value="Dinas Kesehatan" selected>', page)
    declined = client.get(upload(client, training, csrf, make_xlsx(later, HEADERS))
                          + "?" + urlencode({"layout": "0"})).text
    assert "pernah diimpor" not in declined and 'id="import-button"' not in declined
