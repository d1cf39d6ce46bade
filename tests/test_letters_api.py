"""The letters' HTTP contract: settings (admins), issuing, the list, downloads and the
ZIP; bad input is a 4xx in Indonesian that uses no number."""

import io
import zipfile
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.models import Counter, IssuedLetter
from service.models.base import pk
from tests import factories as f
from tests.letters_world import HEADER, PATTERN, world

SETTINGS = {
    "header_lines": HEADER, "place": "Padang", "signatory_name": "Drs. H. Editiawarman, M.Si.",
    "signatory_nip": "196805141994031007", "signatory_position": "Kepala Dinas",
    "kinds": {"invitation": {"pattern": PATTERN, "code": "005"},
              "speaker_request": {"pattern": PATTERN, "code": "005"},
              "committee_assignment": {"pattern": PATTERN, "code": "094"}}}


def _login(client: TestClient, db: Session, role: str) -> TestClient:
    from tests.conftest import PASSWORD

    w_org = f.organization(db)
    u = f.user(db, w_org, role=role)
    f.committed(db)
    r = client.post("/api/auth/token", data={"username": u.email, "password": PASSWORD})
    client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return client


def test_settings_start_unconfigured_and_save(api: TestClient, db: Session) -> None:
    r = api.get("/api/letter-settings")
    assert r.status_code == 200 and r.json()["configured"] is False
    r = api.put("/api/letter-settings", json=SETTINGS)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["configured"] and body["header_lines"] == HEADER
    assert body["next_numbers"]["committee_assignment"].startswith("001/094/DP3AP2KB/")


def test_a_bad_pattern_is_a_422_in_indonesian(api: TestClient) -> None:
    bad = {**SETTINGS, "kinds": {"invitation": {"pattern": "{code}/{year}", "code": "005"}}}
    r = api.put("/api/letter-settings", json=bad)
    assert r.status_code == 422 and r.json()["code"] == "invalid_pattern"
    assert "{seq}" in r.json()["message"] and "tepat" in r.json()["message"].lower()
    assert api.get("/api/letter-settings").json()["configured"] is False


def test_six_header_lines_are_refused(api: TestClient) -> None:
    r = api.put("/api/letter-settings", json={**SETTINGS, "header_lines": ["A"] * 6})
    assert r.status_code == 422


def test_committee_members_cannot_change_the_settings(client: TestClient, db: Session) -> None:
    c = _login(client, db, "committee")
    assert c.get("/api/letter-settings").status_code == 403
    assert c.put("/api/letter-settings", json=SETTINGS).status_code == 403


def test_issue_list_and_download(api: TestClient, db: Session, org: Any) -> None:
    w = world(db)
    f.committed(db)
    r = api.post(f"/api/trainings/{pk(w.training)}/letters",
                 json={"kind": "invitation", "letter_date": "2018-09-03"})
    assert r.status_code == 201, r.text
    items = r.json()["items"]
    assert [i["number"] for i in items] == [f"00{n}/005/DP3AP2KB/IX/2018" for n in (1, 2, 3)]
    assert {i["recipient"] for i in items} == {"Camat Kuranji", "Camat Padang Barat",
                                              "Kepala Dinas Kesehatan Kota Padang"}
    listed = api.get(f"/api/trainings/{pk(w.training)}/letters").json()["items"]
    assert [i["id"] for i in listed] == [i["id"] for i in items]
    docx = api.get(f"/api/letters/{items[0]['id']}.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "001-undangan-" in docx.headers["content-disposition"]
    pdf = api.get(f"/api/letters/{items[0]['id']}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_zip_has_one_file_per_recipient(api: TestClient, db: Session, org: Any) -> None:
    w = world(db)
    f.committed(db)
    api.post(f"/api/trainings/{pk(w.training)}/letters",
             json={"kind": "invitation", "letter_date": "2018-09-03"})
    r = api.get(f"/api/trainings/{pk(w.training)}/letters.zip?kind=invitation&format=pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert len(names) == 3 and all(n.endswith(".pdf") and "/" not in n for n in names)


def test_bad_input_uses_no_number(api: TestClient, db: Session, org: Any) -> None:
    w = world(db)
    other = f.organization(db, "DP3AKB Kota Tangerang Selatan")
    foreign = f.speaker(db, other, "Drs. Asing")
    f.committed(db)
    url = f"/api/trainings/{pk(w.training)}/letters"
    for body, status, code in (
            ({"kind": "memo"}, 422, "validation_error"),
            ({"kind": "speaker_request", "speaker_ids": [pk(foreign)]}, 422,
             "not_a_recipient"),
            ({"kind": "invitation", "unit_ids": []}, 422, "no_recipients")):
        r = api.post(url, json=body)
        assert r.status_code == status and r.json()["code"] == code, (body, r.text)
        assert r.json()["message"]
    assert db.exec(select(IssuedLetter)).all() == []
    assert db.exec(select(Counter).where(Counter.name.startswith("letter:"))).all() == []  # type: ignore[attr-defined]


def test_no_settings_is_a_409_with_where_to_go(api: TestClient, db: Session, org: Any) -> None:
    w = world(db, with_settings=False)
    f.committed(db)
    r = api.post(f"/api/trainings/{pk(w.training)}/letters", json={"kind": "invitation"})
    assert r.status_code == 409 and r.json()["code"] == "letters_not_set_up"
    assert "Pengaturan" in r.json()["message"]


def test_a_training_without_units_is_a_422(api: TestClient, db: Session, org: Any) -> None:
    w = world(db, units=0)
    f.committed(db)
    r = api.post(f"/api/trainings/{pk(w.training)}/letters", json={"kind": "invitation"})
    assert r.status_code == 422 and r.json()["code"] == "no_recipients"


def test_another_offices_letter_is_not_found(client: TestClient, db: Session) -> None:
    w = world(db)
    letter = IssuedLetter(organization_id=pk(w.org), training_id=pk(w.training),
                          kind="committee_assignment", number="001", seq=1, year=2018,
                          letter_date=w.training.start_date, recipient="Panitia")
    db.add(letter)
    db.flush()
    other = f.organization(db, "DP3AKB Kota Tangerang Selatan")
    stranger = f.user(db, other, role="admin")
    f.committed(db)
    from tests.conftest import PASSWORD

    r = client.post("/api/auth/token", data={"username": stranger.email, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    for path in (f"/api/letters/{letter.id}.pdf", f"/api/letters/{letter.id}.docx",
                 f"/api/trainings/{pk(w.training)}/letters",
                 f"/api/trainings/{pk(w.training)}/letters.zip"):
        assert client.get(path, headers=headers).status_code == 404, path


def test_an_empty_zip_is_a_404(api: TestClient, db: Session, org: Any) -> None:
    w = world(db)
    f.committed(db)
    r = api.get(f"/api/trainings/{pk(w.training)}/letters.zip?kind=speaker_request")
    assert r.status_code == 404 and r.json()["code"] == "no_letters"
