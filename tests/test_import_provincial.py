"""A provincial office's sheet lands whole: title block, office headers, titled names, NIPs,
pangkat/golongan, phones in four shapes, "Unsur" as the category of a training that had
none; as .xlsx and as a semicolon Windows-1252 .csv, through the API and through the page.
"""

import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from service.i18n.names import sort_key
from service.models import Participant, Registration, Training, TrainingCategory
from service.models.base import pk
from tests import factories
from tests.helpers import login_page_client
from tests.import_samples import (
    PROVINCIAL_PHONES,
    PROVINCIAL_ROWS,
    provincial_csv,
    provincial_xlsx,
)

FILES = {"xlsx": ("peserta-workshop.xlsx", provincial_xlsx),
         "csv": ("peserta-workshop.csv", provincial_csv)}
UNSUR = ["Dinas Kesehatan", "Bappeda", "Dinas PMD", "Dinas PPAKB"]


def workshop(db: Session, org: Any) -> Training:
    """Palembang 2022: one batch, kabupaten/kota as its region, no categories yet."""
    t = factories.training(db, org, title="Workshop Penguatan Kampung KB Sumatera Selatan",
                           start=date(2022, 8, 24), days=3, categories=(),
                           region_level="regency")
    factories.batch(db, t, capacity=144, days=3)
    factories.committed(db)
    return t


def assert_landed(db: Session, t: Training) -> None:
    """Every field of every row, as the database holds it."""
    rows = db.exec(select(Participant, Registration, TrainingCategory)
                   .join(Registration, col(Registration.participant_id) == Participant.id)
                   .join(TrainingCategory,
                         col(TrainingCategory.id) == Registration.category_id)
                   .where(Registration.training_id == t.id)).all()
    by_name = {p.name: (p, reg, cat) for p, reg, cat in rows}
    assert set(by_name) == {r["Nama"] for r in PROVINCIAL_ROWS}
    for row, phone in zip(PROVINCIAL_ROWS, PROVINCIAL_PHONES, strict=True):
        person, reg, category = by_name[str(row["Nama"])]
        assert person.sort_name == sort_key(person.name)
        assert person.nip == row["NIP"]
        assert person.rank == row["Pangkat/Golongan"]
        assert person.position == row["Jabatan"]
        assert person.institution == row["Instansi/OPD"]
        assert person.regency == row["Asal Kab/Kota"]
        assert person.phone == phone
        assert category.name == row["Unsur"]
        assert reg.status == "waitlisted" and reg.source == "import"
    aminah = by_name["Dr. dr. Hj. Siti Aminah, M.Kes."][0]
    # The titles stay in the name and out of its sort key; gender and birth from the NIP.
    assert aminah.sort_name.startswith("siti aminah")
    assert (aminah.gender, aminah.birth_date) == ("P", date(1979, 3, 12))
    categories = db.exec(select(TrainingCategory.name).where(TrainingCategory.training_id == t.id)
                         .order_by(col(TrainingCategory.position))).all()
    assert list(categories) == UNSUR


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_api_imports_a_provincial_sheet(api: TestClient, db: Session, org: Any,
                                            kind: str) -> None:
    t = workshop(db, org)
    name, make = FILES[kind]
    r = api.post(f"/api/trainings/{t.id}/registrations/import",
                 files={"file": (name, make(), "application/octet-stream")})
    assert r.status_code == 200, r.text
    assert r.json() == {"imported": 4, "errors": [], "header_row": 5, "new_categories": UNSUR,
                        "kampung_kb_linked": 0, "kampung_kb_unmatched": 0}
    assert_landed(db, t)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_page_imports_a_provincial_sheet(client: TestClient, admin: Any, db: Session,
                                             org: Any, kind: str) -> None:
    t = workshop(db, org)
    csrf = login_page_client(client, admin.email)
    name, make = FILES[kind]
    r = client.post(f"/trainings/{t.id}/import", data={"csrf_token": csrf},
                    files={"file": (name, make(), "application/octet-stream")},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    preview = client.get(r.headers["location"])
    assert preview.status_code == 200, preview.text
    page = preview.text
    assert re.search(r'id="row-count">4<', page)
    assert "Judul kolom ditemukan di baris 5." in page
    assert "4 baris di atasnya" not in page  # the empty row 4 is no row to speak of
    assert "3 baris di atasnya (judul, instansi, tanggal) tidak diimpor." in page
    assert "Baris 6 hanya menomori kolom dan dilewati." in page
    assert "Akan ditambahkan kategori: Dinas Kesehatan, Bappeda, Dinas PMD, Dinas PPAKB." \
        in page
    assert "0813 6712 3344" in page  # phones as everywhere else
    assert "197903122005012004" not in page  # NIPs masked, like NIKs
    r = client.post(r.headers["location"], data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("imported=4")
    assert_landed(db, pk(t) and t)
