"""Changing and deleting a test or questionnaire: everything while nobody has answered;
afterwards only the title and the pass rule (409 assessment_answered otherwise), and no
deletion. Over the API (PATCH/DELETE) and on the test's page."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.errors import DomainError
from service.models import Assessment, AssessmentBatch, AssessmentQuestion
from service.models.base import pk
from service.schemas.assessments import AssessmentCreate, AssessmentUpdate
from service.services.assessments import answering, bank, editing, paper, windows
from tests import factories
from tests.helpers import login_page_client

QUESTIONS = [
    {"text": "Kepanjangan BKB adalah ...", "choices": ["Bina Keluarga Balita", "Balai KB"],
     "answer": "a"},
    {"text": "Kampung KB dicanangkan tahun 2016.", "choices": ["Benar", "Salah"],
     "answer": "Benar"},
]
NEW = [{"text": "PIK-R adalah wadah bagi ...", "choices": ["Remaja", "Lansia", "Balita"],
        "answer": "a"}]


def _world(db: Session, org: Any, kind: str = "posttest") -> tuple[Any, Any, list[Any], Any]:
    t = factories.training(db, org)
    b = factories.batch(db, t)
    regs = factories.register_many(db, t, b, 2)
    a = bank.create_assessment(db, t, AssessmentCreate.model_validate(
        {"kind": kind, "title": "Post-test", "questions": QUESTIONS}))
    windows.set_open(db, a, pk(b), True)
    return t, b, regs, a


def test_questions_and_keys_change_while_nobody_answered(db: Session, org: Any) -> None:
    _t, _b, _regs, a = _world(db, org)
    editing.update(db, a, AssessmentUpdate.model_validate(
        {"title": "Post-test baru", "questions": NEW, "pass_score": 70}))
    qs = bank.questions(db, pk(a))
    assert [(q.position, q.text, q.answer) for q in qs] == [(1, NEW[0]["text"], 0)]
    assert (a.title, a.pass_score) == ("Post-test baru", 70)


def test_after_an_answer_only_title_and_pass_rule_change(db: Session, org: Any) -> None:
    _t, b, regs, a = _world(db, org)
    paper.save_grid(db, a, pk(b), {pk(regs[0]): "aa"})
    with pytest.raises(DomainError) as err:
        editing.update(db, a, AssessmentUpdate.model_validate({"questions": NEW}))
    assert (err.value.code, err.value.status) == ("assessment_answered", 409)
    assert [q.text for q in bank.questions(db, pk(a))] == [q["text"] for q in QUESTIONS]
    # The same questions sent again are no change: the title and the rule still save.
    editing.update(db, a, AssessmentUpdate.model_validate(
        {"title": "Post-test materi", "questions": QUESTIONS, "pass_score": 50}))
    assert (a.title, a.pass_score) == ("Post-test materi", 50)
    editing.update(db, a, AssessmentUpdate.model_validate({"clear_pass_score": True}))
    assert a.pass_score is None


def test_delete_only_without_answers(db: Session, org: Any) -> None:
    _t, b, regs, a = _world(db, org)
    _t2, _b2, _r2, other = _world(db, org, "evaluation")
    answering.submit(db, _r2[0], pk(other), [0, 1], None)
    with pytest.raises(DomainError) as err:
        editing.remove(db, other)
    assert err.value.code == "assessment_answered"
    editing.remove(db, a)
    assert db.get(Assessment, pk(a)) is None
    assert db.exec(select(AssessmentQuestion).where(
        AssessmentQuestion.assessment_id == pk(a))).first() is None
    assert db.exec(select(AssessmentBatch).where(
        AssessmentBatch.assessment_id == pk(a))).first() is None
    assert db.get(Assessment, pk(other)) is not None


def test_api_patch_and_delete(api: TestClient, db: Session, org: Any) -> None:
    t, b, regs, a = _world(db, org)
    factories.committed(db)
    base = f"/api/trainings/{pk(t)}/assessments/{pk(a)}"
    r = api.patch(base, json={"title": "Ubah", "questions": NEW})
    assert r.status_code == 200, r.text
    assert (r.json()["title"], r.json()["answered"], len(r.json()["questions"])) == (
        "Ubah", 0, 1)
    assert api.patch(base, json={"questions": [{"text": "?", "choices": ["x", "y"]}]}
                     ).json()["code"] == "answer_missing"
    answered = api.post(f"/api/tickets/{regs[0].ticket_token}/assessments/{pk(a)}",
                        json={"answers": [0]})
    assert answered.status_code == 201, answered.text
    refused = api.patch(base, json={"questions": QUESTIONS}, headers={"Accept-Language": "id"})
    assert refused.status_code == 409 and refused.json()["code"] == "assessment_answered"
    assert refused.json()["message"].startswith("Sudah ada yang menjawab")
    assert api.patch(base, json={"pass_score": 80}).json()["pass_score"] == 80
    gone = api.delete(base)
    assert gone.status_code == 409 and gone.json()["code"] == "assessment_answered"
    fresh = api.post(f"/api/trainings/{pk(t)}/assessments", json={
        "kind": "pretest", "title": "Pre", "questions": QUESTIONS}).json()["id"]
    assert api.delete(f"/api/trainings/{pk(t)}/assessments/{fresh}").status_code == 204
    assert api.get(f"/api/trainings/{pk(t)}/assessments/{fresh}").status_code == 404


def _csrf(client: TestClient, admin: Any) -> str:
    return login_page_client(client, admin.email)


def test_the_test_page_edits_and_deletes(client: TestClient, db: Session, org: Any,
                                         admin: Any) -> None:
    t, b, regs, a = _world(db, org)
    factories.committed(db)
    csrf = _csrf(client, admin)
    page = client.get(f"/trainings/{pk(t)}/tests/{pk(a)}")
    assert 'id="edit-questions"' in page.text and 'id="delete-test"' in page.text
    assert "Bina Keluarga Balita *" in page.text  # the questions as the text box writes them
    r = client.post(f"/trainings/{pk(t)}/tests/{pk(a)}/edit", data={
        "csrf_token": csrf, "title": "Post-test diubah", "pass_score": "60",
        "questions": "1. Soal baru\na. satu *\nb. dua"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    db.refresh(a)
    assert (a.title, a.pass_score) == ("Post-test diubah", 60)
    assert [q.text for q in bank.questions(db, pk(a))] == ["Soal baru"]
    bad = client.post(f"/trainings/{pk(t)}/tests/{pk(a)}/edit", data={
        "csrf_token": csrf, "title": "X", "questions": "1. Soal\na. x\nb. y"})
    assert bad.status_code == 422 and "Soal" in bad.text
    paper.save_grid(db, a, pk(b), {pk(regs[0]): "a"})
    factories.committed(db)
    locked = client.get(f"/trainings/{pk(t)}/tests/{pk(a)}")
    assert 'id="edit-locked"' in locked.text and 'id="delete-test"' not in locked.text
    refused = client.post(f"/trainings/{pk(t)}/tests/{pk(a)}/delete",
                          data={"csrf_token": csrf})
    assert refused.status_code == 409 and re.search(r"tidak dapat dihapus|cannot be deleted",
                                                    refused.text)
    fresh = bank.create_assessment(db, t, AssessmentCreate.model_validate(
        {"kind": "evaluation", "title": "Evaluasi", "questions": [
            {"text": "Ruang", "choices": ["1", "2", "3"]}]}))
    factories.committed(db)
    gone = client.post(f"/trainings/{pk(t)}/tests/{pk(fresh)}/delete",
                       data={"csrf_token": csrf}, follow_redirects=False)
    assert gone.status_code == 303
    assert db.exec(select(Assessment).where(Assessment.id == pk(fresh))).first() is None
