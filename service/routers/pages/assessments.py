"""Pages: the committee's pre-tests and post-tests (questions typed or imported, batches
opened and closed, the projector's QR, paper sheets keyed into a grid, results with
charts); the participant's test page from their ticket; the projector QR's landing."""

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from service.db import DB
from service.errors import DomainError, FieldError, NotFound
from service.models import Assessment, Training
from service.models.base import pk
from service.rendering.evaluation_pdf import fmt_mean
from service.rendering.qr import qr_svg
from service.routers.deps import PageTraining
from service.routers.files import private_headers
from service.routers.pages import ticket_cookie
from service.routers.pages.forms import SubmittedForm, parse, render_form, submit
from service.routers.pages.rendering import redirect, render
from service.routers.urls import public_base
from service.schemas.assessments import AssessmentCreate, AssessmentUpdate, PassRuleIn
from service.services import tickets, trainings
from service.services.assessments import (
    answering,
    bank,
    editing,
    learning,
    paper,
    questionnaire,
    results,
    sheets,
    windows,
)

router = APIRouter(include_in_schema=False)
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
PRIVATE = private_headers(0)
BatchId = Annotated[int | None, Query(ge=1, le=2**63 - 1)]


def page_assessment(assessment_id: int, training: PageTraining, db: DB) -> Assessment:
    return bank.get_assessment(db, training, assessment_id)


PageAssessment = Annotated[Assessment, Depends(page_assessment)]


# --- the training's tests and what they taught --------------------------------------------

def _list_page(request: Request, db: DB, training: Training, values: dict[str, Any],
               exc: DomainError | None = None, import_exc: DomainError | None = None
               ) -> Response:
    tests = bank.list_assessments(db, training)
    return render_form(request, "assessments/list.html", {
        "training": training, "tests": tests, "values": values,
        "learning": learning.learning(db, training), "import_error": import_exc,
        "import_rows": getattr(import_exc, "rows", [])}, exc or import_exc)


@router.get("/trainings/{training_id}/tests")
def list_page(request: Request, training: PageTraining, db: DB) -> Response:
    """The pre-test and post-test, the gain between them, and forms for a new test."""
    return _list_page(request, db, training, {"kind": "pretest"})


@router.post("/trainings/{training_id}/tests")
def create(request: Request, training: PageTraining, form: SubmittedForm, db: DB) -> Response:
    data = form.values()

    def work() -> Assessment:
        same_as = data.get("same_as", "")
        if same_as.isdigit():
            rows = bank.copy_questions(db, bank.get_assessment(db, training, int(same_as)))
        else:
            rows = sheets.parse_text(data.get("questions", ""),
                                     keyed=data.get("kind") != "evaluation")
        return bank.create_assessment(db, training, parse(AssessmentCreate, {
            "kind": data.get("kind"), "title": data.get("title"),
            "pass_score": data.get("pass_score") or None,
            "questions": [{"text": t, "choices": c, "answer": k} for t, c, k in rows]}))

    return submit(db, work, lambda a: redirect(request, f"/trainings/{pk(training)}/tests/{pk(a)}"),
                  lambda exc: _list_page(request, db, training, data, exc))


@router.post("/trainings/{training_id}/tests/import")
def import_test(request: Request, training: PageTraining, form: SubmittedForm,
                db: DB) -> Response:
    """A test whose questions come from a spreadsheet: every row or none."""
    data = form.values()
    file = form.file("file")

    def work() -> Assessment:
        if file is None:
            raise FieldError("file", "Choose a file to upload.", code="no_file")
        rows = sheets.read_sheet(file.file.read(), file.filename or "")
        return bank.create_assessment(db, training, parse(AssessmentCreate, {
            "kind": data.get("kind"), "title": data.get("title"),
            "questions": [{"text": t, "choices": c, "answer": k} for t, c, k in rows]}))

    return submit(db, work, lambda a: redirect(request, f"/trainings/{pk(training)}/tests/{pk(a)}"),
                  lambda exc: _list_page(request, db, training, {"kind": "pretest"},
                                         import_exc=exc))


# --- one test ------------------------------------------------------------------------------

def _test_page(request: Request, db: DB, training: Training, assessment: Assessment,
               exc: DomainError | None = None, values: dict[str, Any] | None = None
               ) -> Response:
    url = f"{public_base(request)}/tes/{assessment.public_code}"
    evaluation = assessment.kind == "evaluation"
    qs = bank.questions(db, pk(assessment))
    return render_form(request, "assessments/test.html", {
        "training": training, "a": assessment, "r": results.results(db, assessment),
        "batches": trainings.list_batches(db, pk(training)),
        "states": windows.batch_states(db, assessment), "public_url": url,
        "answered": editing.answered(db, assessment), "evaluation": evaluation,
        "questionnaires": [questionnaire.results(db, assessment)] if evaluation else [],
        "mean": fmt_mean, "min_shown": questionnaire.MIN_SHOWN,
        "values": values or {"pass_score": assessment.pass_score, "title": assessment.title,
                             "questions": sheets.to_text(
                                 [(q.text, list(q.choices), q.answer) for q in qs])}},
        exc)


@router.get("/trainings/{training_id}/tests/{assessment_id}")
def test_page(request: Request, training: PageTraining, assessment: PageAssessment,
              db: DB) -> Response:
    """A test: open it per batch, its questions, and its results with charts."""
    return _test_page(request, db, training, assessment)


@router.post("/trainings/{training_id}/tests/{assessment_id}/batches/{batch_id}")
def open_batch(request: Request, training: PageTraining, assessment: PageAssessment,
               batch_id: int, form: SubmittedForm, db: DB) -> Response:
    opened = form.get("open") == "1"
    return submit(db, lambda: windows.set_open(db, assessment, batch_id, opened),
                  lambda _: redirect(request, f"/trainings/{pk(training)}/tests/"
                                              f"{pk(assessment)}#batches"),
                  lambda exc: _test_page(request, db, training, assessment, exc))


@router.post("/trainings/{training_id}/tests/{assessment_id}/pass-rule")
def pass_rule(request: Request, training: PageTraining, assessment: PageAssessment,
              form: SubmittedForm, db: DB) -> Response:
    data = form.values()
    return submit(db, lambda: bank.set_pass_score(
        db, assessment, parse(PassRuleIn, {"pass_score": data.get("pass_score") or None})
        .pass_score),
        lambda _: redirect(request, f"/trainings/{pk(training)}/tests/{pk(assessment)}"),
        lambda exc: _test_page(request, db, training, assessment, exc))


@router.post("/trainings/{training_id}/tests/{assessment_id}/edit")
def edit(request: Request, training: PageTraining, assessment: PageAssessment,
         form: SubmittedForm, db: DB) -> Response:
    """Change the title, the pass score and (while nobody has answered) the questions."""
    data = form.values()

    def work() -> Assessment:
        text = data.get("questions", "")
        rows = sheets.parse_text(text, keyed=assessment.kind != "evaluation") \
            if text.strip() else None
        score = data.get("pass_score", "").strip()
        return editing.update(db, assessment, parse(AssessmentUpdate, {
            "title": data.get("title"), "pass_score": score or None,
            "clear_pass_score": assessment.kind == "posttest" and not score,
            "questions": None if rows is None else [
                {"text": t, "choices": c, "answer": k} for t, c, k in rows]}))

    return submit(db, work, lambda a: redirect(request, f"/trainings/{pk(training)}/tests/"
                                                        f"{pk(a)}?saved=1"),
                  lambda exc: _test_page(request, db, training, assessment, exc, data))


@router.post("/trainings/{training_id}/tests/{assessment_id}/delete")
def delete(request: Request, training: PageTraining, assessment: PageAssessment,
           form: SubmittedForm, db: DB) -> Response:
    """Delete a test nobody has answered."""
    return submit(db, lambda: editing.remove(db, assessment),
                  lambda _: redirect(request, f"/trainings/{pk(training)}/tests"),
                  lambda exc: _test_page(request, db, training, assessment, exc))


@router.get("/trainings/{training_id}/tests/{assessment_id}/projector")
def projector(request: Request, training: PageTraining, assessment: PageAssessment) -> Response:
    """The QR to show on the projector: it opens the test on phones that opened a ticket."""
    url = f"{public_base(request)}/tes/{assessment.public_code}"
    return render(request, "assessments/projector.html", {
        "training": training, "a": assessment, "url": url,
        "qr": Markup(qr_svg(url))})  # noqa: S704 (generated SVG)


# --- paper sheets ----------------------------------------------------------------------------

def _paper_page(request: Request, db: DB, training: Training, assessment: Assessment,
                batch_id: int | None, typed: dict[int, str] | None = None,
                exc: DomainError | None = None, saved: int | None = None) -> Response:
    paper.check_paper(assessment)
    batches = trainings.list_batches(db, pk(training))
    chosen = next((b for b in batches if b.id == batch_id), batches[0] if batches else None)
    qs = bank.questions(db, pk(assessment))
    return render_form(request, "assessments/paper.html", {
        "training": training, "a": assessment, "batches": batches, "batch": chosen,
        "questions": qs, "true_false": [paper.true_false(q) for q in qs],
        "key_line": paper.shown_letters(paper.letters_of([q.answer for q in qs]), qs),
        "shown": lambda letters: paper.shown_letters(letters, qs),
        "rows": paper.grid(db, assessment, pk(chosen)) if chosen else [],
        "typed": typed or {}, "saved": saved, "values": {},
        "paper_errors": getattr(exc, "lines", [])}, exc)


@router.get("/trainings/{training_id}/tests/{assessment_id}/paper")
def paper_page(request: Request, training: PageTraining, assessment: PageAssessment, db: DB,
               batch_id: BatchId = None, saved: Annotated[int | None, Query(ge=0)] = None
               ) -> Response:
    """Key in a batch's paper answer sheets: one line of letters per person."""
    return _paper_page(request, db, training, assessment, batch_id, saved=saved)


@router.post("/trainings/{training_id}/tests/{assessment_id}/paper")
def paper_save(request: Request, training: PageTraining, assessment: PageAssessment,
               form: SubmittedForm, db: DB) -> Response:
    raw_batch = form.get("batch_id")
    batch_id = int(raw_batch) if raw_batch.isdigit() and len(raw_batch) < 19 else 0
    typed = {int(k[2:]): v for k, v in form.items()
             if k.startswith("r-") and k[2:].isdigit() and len(k) < 22}
    return submit(db, lambda: paper.save_grid(db, assessment, batch_id, typed),
                  lambda n: redirect(request, f"/trainings/{pk(training)}/tests/"
                                              f"{pk(assessment)}/paper?batch_id={batch_id}"
                                              f"&saved={n}"),
                  lambda exc: _paper_page(request, db, training, assessment, batch_id,
                                          typed, exc))


@router.post("/trainings/{training_id}/tests/{assessment_id}/paper/import")
def paper_import(request: Request, training: PageTraining, assessment: PageAssessment,
                 form: SubmittedForm, db: DB) -> Response:
    file = form.file("file")

    def work() -> int:
        if file is None:
            raise FieldError("file", "Choose a file to upload.", code="no_file")
        return paper.import_sheet(db, assessment, file.file.read(), file.filename or "")

    return submit(db, work, lambda n: redirect(
        request, f"/trainings/{pk(training)}/tests/{pk(assessment)}/paper?saved={n}"),
        lambda exc: _paper_page(request, db, training, assessment, None, exc=exc))


# --- the participant's side -------------------------------------------------------------------

def _participant_page(request: Request, db: DB, token: str, assessment_id: int,
                      done: Any = None, exc: DomainError | None = None,
                      values: dict[str, str] | None = None) -> Response:
    if not TOKEN.match(token):
        raise NotFound("This ticket does not exist. Check the link you received.")
    reg = answering.registration_by_token(db, token)
    assessment = answering.assessment_for_ticket(db, reg, assessment_id)
    evaluation = assessment.kind == "evaluation"
    sheet = None if evaluation else done or answering.answered(db, pk(assessment), pk(reg))
    response = render(request, "assessments/answer.html", {
        "token": token, "a": assessment, "questions": bank.questions(db, pk(assessment)),
        "sheet": sheet, "error": exc.text() if exc else None, "evaluation": evaluation,
        "evaluated": evaluation and questionnaire.done(db, pk(assessment), pk(reg)),
        "numeric": questionnaire.numeric, "values": values or {},
        "is_open": reg.status == "confirmed" and windows.is_open(db, pk(assessment),
                                                                  reg.batch_id)},
        exc.status if exc else 200)
    response.headers.update(PRIVATE)
    return response


@router.get("/t/{token}/tes/{assessment_id}")
def answer_page(token: str, assessment_id: int, request: Request, db: DB) -> Response:
    """The participant's test on their phone: no login, answers kept on the phone."""
    return _participant_page(request, db, token, assessment_id)


@router.post("/t/{token}/tes/{assessment_id}")
def answer_submit(token: str, assessment_id: int, request: Request, form: SubmittedForm,
                  db: DB) -> Response:
    """The same answers as a plain form (a phone without JavaScript)."""
    values = form.values()

    def work() -> Any:
        reg = answering.registration_by_token(db, token) if TOKEN.match(token) else None
        if reg is None:
            raise NotFound("This ticket does not exist. Check the link you received.")
        count = len(bank.questions(db, assessment_id))
        answers = [int(v) if v.isdigit() and len(v) == 1 else None
                   for v in (values.get(f"q{i}", "") for i in range(1, count + 1))]
        comment = values.get("comment", "").strip()[:1000] or None
        return answering.submit(db, reg, assessment_id, answers, comment)

    return submit(db, work,
                  lambda row: _participant_page(request, db, token, assessment_id, row),
                  lambda exc: _participant_page(request, db, token, assessment_id, exc=exc,
                                                values=values))


# The ticket's token, remembered per training for the projector QR's short link (/tes/...):
# set when the phone opens its ticket page (pages/tickets.py), sent only to /tes, never
# readable by a script.
TICKET_COOKIE = "bimtek_test_ticket_{training_id}"


def remember_ticket(request: Request, response: Response, training_id: int,
                    token: str) -> None:
    ticket_cookie.remember(request, response, TICKET_COOKIE.format(training_id=training_id),
                           "/tes", token)


@router.get("/tes/{code}")
def projector_landing(code: str, request: Request, db: DB) -> Response:
    """Where the projector's QR leads: the phone's own ticket (remembered when it opened
    its ticket page) takes it on to the test; else it says to open the ticket link."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,32}", code):
        raise NotFound("This test does not exist.")
    assessment = bank.by_code(db, code)
    token = request.cookies.get(TICKET_COOKIE.format(training_id=assessment.training_id), "")
    if re.fullmatch(r"[A-Za-z0-9_-]{16,64}", token) and tickets.holds_ticket(
            db, assessment.training_id, token):
        return redirect(request, f"/t/{token}/tes/{assessment.id}")
    response = render(request, "assessments/landing.html", {"a": assessment})
    response.headers.update(PRIVATE)
    return response
