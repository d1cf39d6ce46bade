"""Evaluation pages: the participant's forms behind their ticket (and the projector QR's
short link), the committee's live response rates and results, the projector screen of a
session, the office's forms, and the narasumber's own summary PDF behind their /n/ link.

The participant pages are public (the ticket token is the key, no login, no NIK) and as
light as the ticket page: no script, one small stylesheet."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup

from service.db import DB
from service.errors import DomainError, FieldError
from service.i18n import N_
from service.models import Training, User
from service.models.base import utcnow
from service.rendering.evaluation_pdf import fmt_mean, render_evaluation_summary_pdf
from service.rendering.qr import qr_svg
from service.routers.deps import PLANNERS, PageAdmin, PagePlanner, PageTraining, page_user
from service.routers.files import PRIVATE, pdf, private_headers
from service.routers.pages import messages as message_pages
from service.routers.pages import ticket_cookie
from service.routers.pages.forms import SubmittedForm, errors_by_field, parse, submit
from service.routers.pages.rendering import redirect, render
from service.routers.urls import public_base
from service.schemas.evaluations import AnswerIn, FormUpdate
from service.services import roster_links, training_clock
from service.services.assessments import questionnaire
from service.services.evaluations import answers, event_code, forms, results

router = APIRouter(include_in_schema=False)
# The ticket's token, remembered for the projector QR's short link (/e/...): a phone that
# opened its evaluations once goes straight to the session's form next time.
TICKET_COOKIE = "bimtek_eval_ticket"
POLL_SECONDS = 5


# --- the participant --------------------------------------------------------------------

def _remember(request: Request, response: Response, token: str) -> Response:
    ticket_cookie.remember(request, response, TICKET_COOKIE, "/e", token)
    response.headers.update(PRIVATE)
    return response


@router.get("/t/{token}/evaluasi")
def holder_page(token: str, request: Request, db: DB, done: str = "") -> Response:
    """The sessions and the event the ticket's holder may evaluate, and which are done."""
    view = answers.holder(db, token)
    return _remember(request, render(request, "public/evaluations/list.html",
                                     {"v": view, "thanks": bool(done)}), token)


def _form_page(request: Request, view: answers.HolderView, target: answers.Target,
               spec: forms.FormSpec, values: dict[str, Any] | None = None,
               exc: DomainError | None = None) -> Response:
    response = render(request, "public/evaluations/form.html", {
        "v": view, "target": target, "form": spec, "values": values or {},
        "errors": errors_by_field(exc) if exc else {},
        "error": exc.text() if exc else None}, exc.status if exc else 200)
    return _remember(request, response, view.token)


def _target(db: DB, token: str, form_key: str, session_id: int | None
            ) -> tuple[answers.HolderView, answers.Target, forms.FormSpec]:
    view = answers.holder(db, token)
    target = view.target(form_key, session_id)
    return view, target, forms.get_form(db, view.training.organization_id, form_key)


@router.get("/t/{token}/evaluasi/event")
def event_form(token: str, request: Request, db: DB) -> Response:
    """The event's evaluation form."""
    return _form_page(request, *_target(db, token, "event", None))


@router.get("/t/{token}/evaluasi/sessions/{session_id}")
def session_form(token: str, session_id: int, request: Request, db: DB) -> Response:
    """A session's narasumber evaluation form."""
    return _form_page(request, *_target(db, token, "narasumber", session_id))


def _answers(form: SubmittedForm, session_id: int | None) -> AnswerIn:
    scores: dict[str, int] = {}
    for name, value in form.items():
        if name.startswith("q_") and value.strip():
            if not value.strip().isdigit():
                field = "answers." + name[2:]
                raise FieldError(field, "Not a whole number.")
            scores[name[2:]] = int(value.strip())
    return parse(AnswerIn, {"session_id": session_id, "answers": scores,
                            "comment": form.get("comment")})


def _save(request: Request, db: DB, form: SubmittedForm, token: str, form_key: str,
          session_id: int | None) -> Response:
    view, target, spec = _target(db, token, form_key, session_id)
    values = form.values()
    return submit(
        db, lambda: answers.submit(db, token, form_key, _answers(form, session_id)),
        lambda _t: redirect(request, f"/t/{token}/evaluasi?done={form_key}"),
        lambda exc: _form_page(request, view, target, spec, values, exc))


@router.post("/t/{token}/evaluasi/event")
def save_event(token: str, request: Request, form: SubmittedForm, db: DB) -> Response:
    return _save(request, db, form, token, "event", None)


@router.post("/t/{token}/evaluasi/sessions/{session_id}")
def save_session(token: str, session_id: int, request: Request, form: SubmittedForm,
                 db: DB) -> Response:
    return _save(request, db, form, token, "narasumber", session_id)


# --- the projector QR's short link --------------------------------------------------------

def _code_page(request: Request, target: answers.CodeTarget | event_code.EventTarget,
               value: str = "",
               error: str | None = None, status: int = 200) -> Response:
    response = render(request, "public/evaluations/code.html",
                      {"c": target, "value": value, "error": error}, status)
    response.headers.update(PRIVATE)
    return response


@router.get("/e/{code}")
def code_page(code: str, request: Request, db: DB) -> Response:
    """The session's (or the event's) form for a phone that has opened its ticket's
    evaluations before; else a page that asks for the ticket's link."""
    if event_code.is_event_code(code):
        return _event_code_page(request, db, code)
    target = answers.resolve_code(db, code)
    remembered = request.cookies.get(TICKET_COOKIE, "")
    if remembered:
        try:
            token = answers.ticket_for_code(db, target, remembered)
            return redirect(request, f"/t/{token}/evaluasi/sessions/{target.session.id}")
        except DomainError:
            pass  # another training's ticket on this phone: ask
    return _code_page(request, target)


def _event_code_page(request: Request, db: DB, code: str) -> Response:
    target = event_code.resolve(db, code)
    remembered = request.cookies.get(TICKET_COOKIE, "")
    if remembered:
        try:
            token = event_code.ticket_for_event(db, target, remembered)
            return redirect(request, f"/t/{token}/evaluasi/event")
        except DomainError:
            pass  # another training's ticket on this phone: ask
    return _code_page(request, target)


def _pasted_ticket(request: Request, form: SubmittedForm,
                   target: answers.CodeTarget | event_code.EventTarget,
                   check: Callable[[str], object], path: Callable[[str], str]) -> Response:
    """The ticket link pasted on a projector QR's page: checked against the code's
    training (`check` raises), then on to its form; the page again with why if not."""
    text = form.get("ticket")
    token = answers.ticket_token_in(text)
    try:
        if token is None:
            raise answers.TicketNotFound()
        check(token)
    except DomainError as exc:
        return _code_page(request, target, text, exc.text(), exc.status)
    return redirect(request, path(token))


@router.post("/e/{code}")
def code_ticket(code: str, request: Request, form: SubmittedForm, db: DB) -> Response:
    """The ticket pasted on the projector QR's page: on to the session's (or the event's)
    form."""
    if event_code.is_event_code(code):
        event = event_code.resolve(db, code)
        return _pasted_ticket(request, form, event,
                              lambda token: event_code.ticket_for_event(db, event, token),
                              lambda token: f"/t/{token}/evaluasi/event")
    target = answers.resolve_code(db, code)
    return _pasted_ticket(request, form, target,
                          lambda token: answers.ticket_for_code(db, target, token),
                          lambda token: f"/t/{token}/evaluasi/sessions/{target.session.id}")


# --- the committee ------------------------------------------------------------------------

@router.get("/trainings/{training_id}/evaluations")
def results_page(request: Request, training: PageTraining,
                 user: Annotated[User, Depends(page_user)], db: DB) -> Response:
    """Response rates (live) and results per session and for the event; for htmx only the
    rates block, polled every few seconds."""
    live = bool(request.headers.get("hx-request"))
    ev = results.training_evaluations(db, training, results=not live)
    response = render(request, "evaluations/page.html", {
        "training": training, "ev": ev, "poll": POLL_SECONDS, "mean": fmt_mean,
        "min_shown": results.MIN_SHOWN,
        "as_of": training_clock.local(training, utcnow()),
        "questionnaires": [] if live else questionnaire.training_results(db, training.id or 0),
        "speakers": _speakers(ev),
        # The links go out from here to whoever may send messages (not a scanner).
        **({} if live or user.role not in PLANNERS
           else message_pages.links_form(db, training, "evaluation"))},
        block="live")
    response.headers.update({"Cache-Control": "no-store", "Vary": "HX-Request"})
    return response


def _speakers(ev: results.TrainingEvaluations) -> list[Any]:
    seen: dict[int, Any] = {}
    for s in ev.sessions:
        for p in s.item.speakers:
            seen.setdefault(p.id or 0, p)
    return sorted(seen.values(), key=lambda p: p.name)


@router.get("/trainings/{training_id}/evaluations/sessions/{session_id}/screen")
def screen_page(request: Request, training: PageTraining, session_id: int,
                db: DB) -> Response:
    """The big QR for the projector at the end of a session: it opens the session's form."""
    found = results.session_evaluation(db, training, session_id)
    # Made on the first showing; the request's commit keeps it before the page is sent.
    code = answers.session_code(db, found.item.session)
    url = f"{public_base(request)}/e/{code}"
    return render(request, "evaluations/screen.html", {
        "training": training, "s": found, "url": url, "poll": POLL_SECONDS,
        "qr": Markup(qr_svg(url))}, block="count")  # noqa: S704 (generated SVG)


@router.get("/trainings/{training_id}/evaluations/event/screen")
def event_screen_page(request: Request, training: PageTraining, db: DB) -> Response:
    """The big QR for the projector at the end of the event: it opens the event's form
    (venue, food, organisation, materials)."""
    ev = results.training_evaluations(db, training, results=False)
    url = f"{public_base(request)}/e/{event_code.event_code(db, training)}"
    return render(request, "evaluations/screen.html", {
        "training": training, "s": None, "event_rate": ev.event_rate, "url": url,
        "poll": POLL_SECONDS, "qr": Markup(qr_svg(url))}, block="count")  # noqa: S704


# --- the participants' own links, as messages --------------------------------------------

@router.get("/trainings/{training_id}/evaluations/links")
def links_page(request: Request, training: PageTraining, user: PagePlanner,
               db: DB) -> Response:
    """The form that sends each participant their own link to the evaluations."""
    return message_pages.links_page(request, db, training, "evaluation")


@router.post("/trainings/{training_id}/evaluations/links")
def send_links(request: Request, training: PageTraining, user: PagePlanner,
               form: SubmittedForm, db: DB) -> Response:
    """Queue each participant's own link to the evaluation forms (of the batches that
    have begun; only those with a form left to fill in, or everyone)."""
    return message_pages.send_links(request, db, training, user.id or 0, "evaluation", form)


@router.get("/trainings/{training_id}/evaluations/speakers/{speaker_id}.pdf")
def speaker_pdf(training: PageTraining, speaker_id: int, db: DB) -> Response:
    """A narasumber's evaluation summary (PDF), as their /n/ link gives it."""
    return _summary(db, training, speaker_id)


def _summary(db: DB, training: Training, speaker_id: int) -> Response:
    speaker = results.training_speaker(db, training, speaker_id)
    doc = results.speaker_summary(db, training, speaker, training_clock.today(training))
    response = pdf(render_evaluation_summary_pdf(doc), f"evaluasi-{speaker.name}.pdf")
    response.headers.update(PRIVATE)
    return response


# --- the office's forms -----------------------------------------------------------------

def _forms_page(request: Request, db: DB, user: Any, key: str | None = None,
                values: dict[str, Any] | None = None,
                exc: DomainError | None = None) -> Response:
    return render(request, "evaluations/forms.html", {
        "forms": forms.list_forms(db, user.organization_id), "labels": forms.FORM_LABELS,
        "editing": key, "values": values or {}, "is_admin": user.role == "admin",
        "errors": errors_by_field(exc) if exc else {}}, exc.status if exc else 200)


@router.get("/evaluation-forms")
def forms_page(request: Request, user: PagePlanner, db: DB) -> Response:
    """The office's standard evaluation forms (narasumber, event)."""
    return _forms_page(request, db, user)


def _form_update(values: dict[str, Any], current: forms.FormSpec) -> FormUpdate:
    lines = [line.strip() for line in str(values.get("items", "")).splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise FieldError("items", N_("This field is required."), code="required")
    keys = {i.text.casefold(): i.key for i in current.items}
    # The items go as data, validated by parse() with the rest: a line too long or
    # holding a control character is the form's message, not an error outside it.
    return parse(FormUpdate, {"title": values.get("title", ""),
                              "scale": values.get("scale", 5),
                              "items": [{"key": keys.get(t.casefold()), "text": t}
                                        for t in lines]})


@router.post("/evaluation-forms/{form_key}")
def save_form(form_key: str, request: Request, user: PageAdmin, form: SubmittedForm,
              db: DB) -> Response:
    forms.check_key(form_key)
    values = form.values()

    def work() -> forms.FormSpec:
        if values.get("reset"):
            return forms.reset_form(db, user.organization_id, form_key)
        current = forms.get_form(db, user.organization_id, form_key)
        return forms.save_form(db, user.organization_id, form_key,
                               _form_update(values, current), user)

    return submit(db, work, lambda _f: redirect(request, "/evaluation-forms"),
                  lambda exc: _forms_page(request, db, user, form_key, values, exc))


# --- the narasumber's own summary behind their private link -------------------------------

@router.get("/n/{token}/evaluasi.pdf")
def narasumber_pdf(request: Request, token: str, db: DB) -> Response:
    """The narasumber's evaluation summary of their own sessions (PDF)."""
    try:
        _link, speaker, training = roster_links.resolve(db, token)
    except DomainError as exc:
        response = render(request, "rosters/link_not_found.html", {"message": exc.text()},
                          status_code=404)
        response.headers.update(private_headers())
        return response
    return _summary(db, training, speaker.id or 0)
