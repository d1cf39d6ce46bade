"""The committee's test pages and the participant's: rendered, forms saved, bad input a
4xx with the form again and nothing changed."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.models import Assessment, AssessmentResponse
from service.models.base import pk
from service.schemas.assessments import AssessmentCreate
from service.services.assessments import bank, sheets, windows
from tests import factories
from tests.helpers import login_page_client

TEXT = ("1. Kepanjangan BKB adalah\na. Bina Keluarga Balita *\nb. Bina Kesehatan Bayi\n\n"
        "2. Kampung KB dicanangkan tahun 2016.\nBenar *\n")


def _world(db: Session, admin: Any) -> tuple[Any, Any, list[Any]]:
    t = factories.training(db, factories.organization(db))
    b = factories.batch(db, t)
    regs = factories.register_many(db, t, b, 3)
    factories.committed(db)
    return t, b, regs


def _client(client: TestClient, admin: Any) -> str:
    return login_page_client(client, admin.email)


def test_create_a_test_from_text_then_open_it(client: TestClient, db: Session,
                                               admin: Any) -> None:
    t, b, _regs = _world(db, admin)
    csrf = _client(client, admin)
    r = client.post(f"/trainings/{pk(t)}/tests", data={
        "csrf_token": csrf, "kind": "pretest", "title": "Pre-test Kampung KB",
        "questions": TEXT}, follow_redirects=False)
    assert r.status_code == 303, r.text
    a = db.exec(select(Assessment)).one()
    page = client.get(r.headers["location"])
    assert page.status_code == 200 and "Bina Keluarga Balita" in page.text
    r = client.post(f"/trainings/{pk(t)}/tests/{pk(a)}/batches/{pk(b)}",
                    data={"csrf_token": csrf, "open": "1"}, follow_redirects=False)
    assert r.status_code == 303
    assert windows.is_open(db, pk(a), pk(b))
    assert client.get(f"/trainings/{pk(t)}/tests").status_code == 200
    assert client.get(f"/trainings/{pk(t)}/tests/{pk(a)}/projector").status_code == 200


def test_a_question_without_its_star_is_refused_and_nothing_saved(
        client: TestClient, db: Session, admin: Any) -> None:
    t, _b, _regs = _world(db, admin)
    csrf = _client(client, admin)
    r = client.post(f"/trainings/{pk(t)}/tests", data={
        "csrf_token": csrf, "kind": "pretest", "title": "Pre", "questions": "1. Soal\na. x\nb. y"})
    assert r.status_code == 422
    assert "Soal" in r.text  # the form comes back with what was typed
    assert db.exec(select(Assessment)).first() is None


def test_paper_grid_saves_lines(client: TestClient, db: Session, admin: Any) -> None:
    t, b, regs = _world(db, admin)
    csrf = _client(client, admin)
    a = bank.create_assessment(db, t, AssessmentCreate.model_validate({
        "kind": "pretest", "title": "Pre", "questions": [
            {"text": q, "choices": c, "answer": k} for q, c, k in sheets.parse_text(TEXT)]}))
    factories.committed(db)
    assert client.get(f"/trainings/{pk(t)}/tests/{pk(a)}/paper?batch_id={pk(b)}").status_code == 200
    r = client.post(f"/trainings/{pk(t)}/tests/{pk(a)}/paper", data={
        "csrf_token": csrf, "batch_id": str(pk(b)), f"r-{pk(regs[0])}": "aa",
        f"r-{pk(regs[1])}": "ab"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert len(db.exec(select(AssessmentResponse)).all()) == 2
    bad = client.post(f"/trainings/{pk(t)}/tests/{pk(a)}/paper", data={
        "csrf_token": csrf, "batch_id": str(pk(b)), f"r-{pk(regs[2])}": "aaa"})
    assert bad.status_code == 422 and "paper-errors" in bad.text


def test_the_ticket_shows_an_open_test_and_its_page(client: TestClient, db: Session,
                                                    admin: Any) -> None:
    t, b, regs = _world(db, admin)
    a = bank.create_assessment(db, t, AssessmentCreate.model_validate({
        "kind": "pretest", "title": "Pre-test materi", "questions": [
            {"text": q, "choices": c, "answer": k} for q, c, k in sheets.parse_text(TEXT)]}))
    token = regs[0].ticket_token
    closed = client.get(f"/t/{token}/tes/{pk(a)}")
    assert closed.status_code == 200 and "as-closed" in closed.text
    assert "Pre-test materi" not in client.get(f"/t/{token}").text
    windows.set_open(db, a, pk(b), True)
    factories.committed(db)
    assert f"/t/{token}/tes/{pk(a)}" in client.get(f"/t/{token}").text
    page = client.get(f"/t/{token}/tes/{pk(a)}")
    assert "as-form" in page.text and "Kepanjangan BKB" in page.text
    assert regs[0].participant_id and "nik" not in page.text.lower()
    sent = client.post(f"/t/{token}/tes/{pk(a)}", data={"q1": "0", "q2": "1"})
    assert sent.status_code == 200 and 'id="as-score">50<' in sent.text
    again = client.post(f"/t/{token}/tes/{pk(a)}", data={"q1": "0", "q2": "0"})
    # The second sheet is refused (409) and the page shows the first one's score.
    assert again.status_code == 409 and 'id="as-score">50<' in again.text
    # The projector's QR: this phone opened its ticket page, so it goes on to the test...
    landing = client.get(f"/tes/{a.public_code}", follow_redirects=False)
    assert landing.status_code == 303
    assert landing.headers["location"].endswith(f"/t/{token}/tes/{pk(a)}")
    # ... a phone that never did is asked to open its ticket link (no script, no token).
    client.cookies.clear()
    fresh = client.get(f"/tes/{a.public_code}", follow_redirects=False)
    assert fresh.status_code == 200 and "<script" not in fresh.text and token not in fresh.text
