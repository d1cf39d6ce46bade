"""Pre-tests and post-tests: questions, batches opened and closed, answers by ticket (one
per person: the database settles a second), paper sheets, results and the gain."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.errors import DomainError, FieldError
from service.models import Batch, Registration, Training
from service.models.base import pk
from service.schemas.assessments import AssessmentCreate
from service.services.assessments import (
    answering,
    bank,
    learning,
    paper,
    passing,
    results,
    sheets,
    windows,
)
from tests import factories

QUESTIONS = [
    {"text": "Kepanjangan BKB adalah ...", "choices": ["Bina Keluarga Balita",
                                                     "Bina Kesehatan Bayi", "Balai KB"],
     "answer": "a"},
    {"text": "Kampung KB dicanangkan tahun 2016.", "choices": ["Benar", "Salah"],
     "answer": "Benar"},
    {"text": "Usia ideal menikah bagi perempuan menurut BKKBN", "choices": ["17", "19", "21"],
     "answer": 2},
    {"text": "PIK-R adalah wadah bagi ...", "choices": ["Remaja", "Lansia", "Balita"],
     "answer": 0},
]


def _world(db: Session, people: int = 4) -> tuple[Training, Batch, list[Registration]]:
    org = factories.organization(db)
    t = factories.training(db, org)
    b = factories.batch(db, t)
    return t, b, factories.register_many(db, t, b, people)


def _test(db: Session, t: Training, kind: str = "pretest", **extra: Any) -> Any:
    return bank.create_assessment(db, t, AssessmentCreate.model_validate(
        {"kind": kind, "title": f"{kind} materi Kampung KB", "questions": QUESTIONS,
         **extra}))


def test_answer_keys_are_read_from_letters_texts_and_indexes(db: Session) -> None:
    t, _b, _regs = _world(db, 0)
    a = _test(db, t)
    assert [q.answer for q in bank.questions(db, pk(a))] == [0, 0, 2, 0]


def test_a_question_without_its_answer_is_refused(db: Session) -> None:
    t, _b, _regs = _world(db, 0)
    with pytest.raises(FieldError) as err:
        bank.create_assessment(db, t, AssessmentCreate.model_validate(
            {"kind": "pretest", "title": "Pre", "questions": [
                {"text": "?", "choices": ["a", "b"]}]}))
    assert err.value.code == "answer_missing"


def test_phone_answers_need_the_batch_open(db: Session) -> None:
    t, b, regs = _world(db, 1)
    a = _test(db, t)
    with pytest.raises(DomainError) as err:
        answering.submit_by_ticket(db, regs[0].ticket_token, pk(a), [0, 0, 2, 0])
    assert err.value.code == "assessment_closed"
    windows.set_open(db, a, pk(b), True)
    row = answering.submit_by_ticket(db, regs[0].ticket_token, pk(a), [0, 0, 2, 1])
    assert (row.correct, row.score) == (3, 75)


def test_a_second_answer_is_a_conflict(db: Session) -> None:
    t, b, regs = _world(db, 1)
    a = _test(db, t)
    windows.set_open(db, a, pk(b), True)
    answering.submit_by_ticket(db, regs[0].ticket_token, pk(a), [0, 0, 2, 0])
    with pytest.raises(DomainError) as err:
        answering.submit_by_ticket(db, regs[0].ticket_token, pk(a), [1, 1, 1, 1])
    assert (err.value.code, err.value.status) == ("already_answered", 409)


def test_text_questions_with_a_star_and_true_false(db: Session) -> None:
    parsed = sheets.parse_text("1. Kepanjangan BKB?\na. Bina Keluarga Balita *\nb. Balai\n\n"
                               "2) Kampung KB ada di setiap kecamatan.\nSalah *\n")
    assert parsed == [("Kepanjangan BKB?", ["Bina Keluarga Balita", "Balai"], 0),
                      ("Kampung KB ada di setiap kecamatan.", ["Benar", "Salah"], 1)]
    with pytest.raises(FieldError):
        sheets.parse_text("1. Tanpa kunci\na. satu\nb. dua")


def test_questions_from_a_spreadsheet(db: Session) -> None:
    csv = (b"Daftar soal pre-test\n\nNo;Pertanyaan;A;B;C;Jawaban\n"
           b"1;Kepanjangan BKB?;Bina Keluarga Balita;Balai;Bayi;a\n"
           b"2;Kampung KB dicanangkan 2016;;;;Benar\n")
    assert sheets.read_sheet(csv, "soal.csv") == [
        ("Kepanjangan BKB?", ["Bina Keluarga Balita", "Balai", "Bayi"], 0),
        ("Kampung KB dicanangkan 2016", ["Benar", "Salah"], 0)]


def test_a_spreadsheet_row_without_a_valid_key_refuses_all(db: Session) -> None:
    csv = b"Pertanyaan,A,B,Jawaban\nSatu?,x,y,a\nDua?,x,y,d\n"
    with pytest.raises(sheets.QuestionRowsRefused) as err:
        sheets.read_sheet(csv, "soal.csv")
    assert [r.row for r in err.value.rows] == [3]


def test_paper_grid_saves_all_lines_or_none(db: Session) -> None:
    t, b, regs = _world(db, 3)
    a = _test(db, t)
    with pytest.raises(paper.PaperRefused) as err:
        paper.save_grid(db, a, pk(b), {pk(regs[0]): "aaca", pk(regs[1]): "aaz-"})
    assert len(err.value.lines) == 1
    assert paper.save_grid(db, a, pk(b), {pk(regs[0]): "a a c a", pk(regs[1]): "as--",
                                          pk(regs[2]): ""}) == 2
    rows = {r.registration_id: r for r in paper.grid(db, a, pk(b))}
    assert (rows[pk(regs[0])].score, rows[pk(regs[1])].letters) == (100, "ab--")
    assert rows[pk(regs[2])].letters is None
    # On a Benar/Salah question the sheet's B is Benar and S is Salah (as the grid shows
    # them, with or without script); a and 1 are Benar, 2 is Salah.
    qs = bank.questions(db, pk(a))
    assert [paper.parse_letters(f"a{k}ca", qs)[1] for k in "bsa12"] == [0, 1, 0, 0, 1]


def test_paper_sheets_from_a_spreadsheet_match_names(db: Session) -> None:
    t, _b, regs = _world(db, 2)
    a = _test(db, t)
    name = db.get(Registration, pk(regs[1]))
    assert name is not None
    content = b"Nama,1,2,3,4\nKader 02 Nur'aini,a,a,c,b\n"
    assert paper.import_sheet(db, a, content, "jawaban.csv") == 1
    assert [s.score for s in results.sheets(db, pk(a))] == [75]


def test_results_share_right_per_question_and_by_batch(db: Session) -> None:
    t, b, regs = _world(db, 4)
    a = _test(db, t)
    paper.save_grid(db, a, pk(b), {pk(regs[0]): "aaca", pk(regs[1]): "aacb",
                                   pk(regs[2]): "bsab", pk(regs[3]): "asca"})
    r = results.results(db, a)
    assert r.mean == 62.5  # 100, 75, 0, 75
    assert [q.share_right for q in r.questions] == [0.75, 0.5, 0.75, 0.5]
    assert r.hardest[0].question.position == 2
    assert [(g.responses, g.mean) for g in r.by_batch] == [(4, r.mean)]
    assert sum(r.distribution) == 4


def test_learning_gain_and_pass_rule(db: Session) -> None:
    t, b, regs = _world(db, 3)
    pre, post = _test(db, t), _test(db, t, "posttest", pass_score=75)
    paper.save_grid(db, pre, pk(b), {pk(regs[0]): "a---", pk(regs[1]): "aa--",
                                     pk(regs[2]): "----"})
    paper.save_grid(db, post, pk(b), {pk(regs[0]): "aac-", pk(regs[1]): "aaca"})
    x = learning.learning(db, t)
    assert (x.overall.pretest_mean, x.overall.posttest_mean) == (25.0, 87.5)
    assert x.overall.gain == 50.0  # (75-25 + 100-50) / 2: only who took both
    assert x.overall.passed == 2
    passed = passing.passed_registrations(db, t)
    assert passed == {pk(regs[0]), pk(regs[1])}
    assert passing.wording_for(passed, pk(regs[2])) == passing.ATTENDED_WORDING


# --- the HTTP contract ---------------------------------------------------------------------

def _api_world(db: Session, admin: Any) -> tuple[Training, Batch, list[Registration]]:
    t = factories.training(db, factories.organization(db))
    b = factories.batch(db, t)
    regs = factories.register_many(db, t, b, 2)
    factories.committed(db)
    return t, b, regs


def test_api_create_open_answer_and_results(api: TestClient, db: Session, admin: Any) -> None:
    t, b, regs = _api_world(db, admin)
    r = api.post(f"/api/trainings/{pk(t)}/assessments",
                 json={"kind": "pretest", "title": "Pre-test", "questions": QUESTIONS})
    assert r.status_code == 201, r.text
    aid = r.json()["id"]
    url = f"/api/tickets/{regs[0].ticket_token}/assessments/{aid}"
    assert api.post(url, json={"answers": [0, 0, 2, 0]}).status_code == 409
    assert api.put(f"/api/trainings/{pk(t)}/assessments/{aid}/batches/{pk(b)}",
                   json={"open": True}).status_code == 200
    r = api.post(url, json={"answers": [0, 0, 2, 0]})
    assert (r.status_code, r.json()["score"]) == (201, 100)
    again = api.post(url, json={"answers": [0, 0, 2, 0]})
    assert (again.status_code, again.json()["code"]) == (409, "already_answered")
    res = api.get(f"/api/trainings/{pk(t)}/assessments/{aid}/results").json()
    assert (res["responses"], res["mean"]) == (1, 100.0)
    assert res["questions"][0]["share_right"] == 1.0
    assert res["by_batch"][0]["responses"] == 1
    learn = api.get(f"/api/trainings/{pk(t)}/learning").json()
    assert (learn["pretest_mean"], learn["posttest_mean"], learn["gain"]) == (100.0, None, None)


def test_api_refuses_an_unknown_kind_and_bad_answers(api: TestClient, db: Session,
                                                     admin: Any) -> None:
    t, b, regs = _api_world(db, admin)
    # (kind "evaluation" is taken: tests/test_evaluation_kind.py)
    r = api.post(f"/api/trainings/{pk(t)}/assessments",
                 json={"kind": "kuis", "title": "Kuis", "questions": QUESTIONS})
    assert r.status_code == 422
    aid = api.post(f"/api/trainings/{pk(t)}/assessments",
                   json={"kind": "pretest", "title": "Pre", "questions": QUESTIONS}).json()["id"]
    api.put(f"/api/trainings/{pk(t)}/assessments/{aid}/batches/{pk(b)}", json={"open": True})
    r = api.post(f"/api/tickets/{regs[0].ticket_token}/assessments/{aid}",
                 json={"answers": [0, 1]})
    assert (r.status_code, r.json()["code"]) == (422, "answers_count")
    assert "jawaban" in r.json()["message"].lower()
    assert api.post(f"/api/tickets/not-a-ticket/assessments/{aid}",
                    json={"answers": [0, 0, 0, 0]}).status_code == 404


def test_certificates_are_worded_by_the_pass_rule(db: Session, admin: Any) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from service.rendering.certificate_pdf import render_certificate
    from service.services.certificates import documents

    t, b, regs = _world(db, 2)
    for reg in regs:
        for day in (b.start_date, b.end_date):
            factories.check_in(db, reg, day, admin)
    factories.certificate_template_for(db, t, admin)
    factories.issue_certificates(db, t, admin)
    post = _test(db, t, "posttest", pass_score=75)
    paper.save_grid(db, post, pk(b), {pk(regs[0]): "aaca", pk(regs[1]): "bsbb"})
    design = documents.saved_design(db, t)
    texts = {}
    for row in documents.issued(db, t, "http://testserver"):
        pdf = render_certificate(design, row.fields)
        texts[row.registration_id] = " ".join(PdfReader(BytesIO(pdf)).pages[0]
                                              .extract_text().split())
    assert "dinyatakan LULUS" in texts[pk(regs[0])]
    assert "telah mengikuti" in texts[pk(regs[1])]
    assert "LULUS" not in texts[pk(regs[1])]


def test_report_pdf_and_roster_show_the_learning(db: Session) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from service.rendering.activity_report_pdf import render_activity_report_pdf
    from service.services import activity_report, rosters

    t, b, regs = _world(db, 2)
    pre, post = _test(db, t), _test(db, t, "posttest")
    paper.save_grid(db, pre, pk(b), {pk(regs[0]): "a---", pk(regs[1]): "aa--"})
    paper.save_grid(db, post, pk(b), {pk(regs[0]): "aaca", pk(regs[1]): "aac-"})
    pdf = render_activity_report_pdf(activity_report.activity_report(db, t))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).split())
    assert "+50,0" in text  # (100-25 + 75-50) / 2
    sheet = rosters.sheet(rosters.roster(db, t, b), "committee")
    assert [c.label for c in sheet.columns][-2:] == ["Pre-test", "Post-test"]
    assert sorted(tuple(r[-2:]) for r in sheet.rows) == [(25, 100), (50, 75)]


def test_the_demo_has_a_pre_and_post_test_with_a_gain(db: Session) -> None:
    from service.services.demo import seed_demo

    demo = seed_demo(db, admin_email="admin@padang.demo", admin_password="demo-password-1")
    t = db.get(Training, demo.training_id)
    assert t is not None
    x = learning.learning(db, t)
    assert x.pretest is not None and x.posttest is not None
    assert len(bank.questions(db, pk(x.posttest))) == 10
    pre, post = x.overall.pretest_mean or 0, x.overall.posttest_mean or 0
    assert 50 <= pre <= 60 and 73 <= post <= 83, (pre, post)
    assert len(x.people) > 0.8 * demo.participant_count
