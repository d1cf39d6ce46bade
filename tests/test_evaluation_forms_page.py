"""The office's evaluation forms, edited on /evaluation-forms: one question per line."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.services.evaluations import forms
from tests import factories
from tests.helpers import login_page_client


def _save(client: TestClient, csrf: str, items: str, scale: str = "4") -> Any:
    return client.post("/evaluation-forms/event", data={
        "csrf_token": csrf, "title": "Evaluasi penyelenggaraan", "scale": scale,
        "items": items}, follow_redirects=False)


def test_an_admin_rewrites_the_event_form_one_question_per_line(
        client: TestClient, db: Session, admin: Any) -> None:
    """The page's select sends the scale as text ("4"), which the schema refused: every
    save was a 422 with no message on the page (the scale had none)."""
    factories.committed(db)
    csrf = login_page_client(client, admin.email)
    r = _save(client, csrf, "Konsumsi\r\n\r\n  Ruang pelatihan  \nMateri sesuai kebutuhan\n")
    assert r.status_code == 303 and r.headers["location"].endswith("/evaluation-forms")
    form = forms.get_form(db, admin.organization_id, "event")
    assert [i.text for i in form.items] == ["Konsumsi", "Ruang pelatihan",
                                            "Materi sesuai kebutuhan"]
    assert form.scale == 4 and form.title == "Evaluasi penyelenggaraan"


def test_a_bad_question_is_the_forms_message_and_changes_nothing(
        client: TestClient, db: Session, admin: Any) -> None:
    """A control character (pasted from a PDF) or an over-long line in one question was a
    500 (a ValidationError raised outside the form's parsing)."""
    factories.committed(db)
    csrf = login_page_client(client, admin.email)
    before = [i.text for i in forms.get_form(db, admin.organization_id, "event").items]
    for items, says in (("Konsumsi\nRuang\x05 pelatihan", "karakter kontrol"),
                        ("Konsumsi\n" + "sangat " * 100, "")):
        r = _save(client, csrf, items)
        assert r.status_code == 422, r.text
        assert 'class="field-error"' in r.text and says in r.text
        # the page keeps what was typed, to be corrected
        assert "Konsumsi" in r.text
    for items, scale, says in (("  \n ", "4", "Isian ini wajib diisi."),
                               ("Konsumsi", "7", "Pilih salah satu: 4 atau 5.")):
        r = _save(client, csrf, items, scale)
        assert r.status_code == 422 and 'class="field-error"' in r.text
        assert says in r.text
    db.expire_all()
    assert [i.text for i in forms.get_form(db, admin.organization_id, "event").items] == before
