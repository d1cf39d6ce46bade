"""Optional text fields sent as null mean "leave as it is", never a 500 (found by the
schemathesis run: null met the control-character check), and a training title at its
longest still makes a Word document (Word keeps at most 255 characters of a title)."""

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models.base import pk
from tests import factories


def test_null_in_optional_texts_leaves_them_as_they_are(api: TestClient, db: Session,
                                                        org: Any) -> None:
    t = factories.training(db, org, title="Rapat Pokja Kampung KB", start=date(2018, 10, 4),
                           days=1, kind="pertemuan")
    factories.committed(db)
    tid = pk(t)
    saved = api.put(f"/api/trainings/{tid}/minutes", json={
        "text": "Rapat dibuka.", "base_version": 0, "place": "Aula Setda"})
    assert saved.status_code == 200, saved.text
    again = api.put(f"/api/trainings/{tid}/minutes", json={
        "text": "Rapat dibuka.", "base_version": 1, "place": None, "chair_nip": None})
    assert again.status_code == 200, again.text
    assert api.get(f"/api/trainings/{tid}/minutes").json()["place"] == "Aula Setda"
    aid = api.post(f"/api/trainings/{tid}/actions", json={
        "title": "Rekap data PUS", "due_date": "2018-11-01"}).json()["id"]
    done = api.patch(f"/api/actions/{aid}", json={"status": "done", "note": None})
    assert done.status_code == 200 and done.json()["status"] == "done"
    texts = api.put(f"/api/trainings/{tid}/report/texts", json={
        "background": "Latar belakang.", "objectives": "", "conclusions": "",
        "follow_up": None})
    assert texts.status_code == 200, texts.text
    assert texts.json()["background"] == "Latar belakang."


def test_a_report_of_a_training_with_the_longest_title_is_a_word_document(
        api: TestClient, db: Session, org: Any) -> None:
    t = factories.training(db, org, title="Pelatihan " + "K" * 290, start=date(2018, 10, 4),
                           days=1)
    factories.committed(db)
    docx = api.get(f"/api/trainings/{pk(t)}/report.docx",
                   params={"signer_name": "0" * 200, "signer_position": "0" * 200})
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
