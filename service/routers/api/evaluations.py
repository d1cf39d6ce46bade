"""Evaluations of narasumber and of the event: the organization's standard forms, the
ticket holder's anonymous answers, and the rates and results (never who answered what)."""

from fastapi import APIRouter
from fastapi.responses import Response

from service.db import DB
from service.models import Training
from service.rendering.evaluation_pdf import render_evaluation_summary_pdf
from service.routers.deps import ApiAdmin, ApiPlanner, ApiTraining
from service.routers.files import pdf
from service.schemas.evaluations import (
    AnswerIn,
    AnswerReceived,
    EventEvaluationOut,
    FormItemOut,
    FormOut,
    FormUpdate,
    HolderEvaluationsOut,
    HolderTargetOut,
    ItemResultOut,
    ResultOut,
    SessionEvaluationOut,
    SpeakerOut,
    TrainingEvaluationsOut,
)
from service.services import training_clock
from service.services.evaluations import answers, forms, results

router = APIRouter(prefix="/api", tags=["evaluations"])


def form_out(spec: forms.FormSpec) -> FormOut:
    return FormOut(key=spec.key, title=spec.title, scale=spec.scale, customized=spec.customized,
                   items=[FormItemOut(key=i.key, text=i.text) for i in spec.items])


def _result(r: results.FormResult | None) -> ResultOut | None:
    if r is None:
        return None
    return ResultOut(responses=r.responses, shown=r.shown, min_responses=results.MIN_SHOWN,
                     mean=r.mean, comments=r.comments,
                     items=[ItemResultOut(key=i.key, text=i.text, mean=i.mean,
                                          distribution=i.counts) for i in r.items])


def _session(s: results.SessionEvaluation) -> SessionEvaluationOut:
    session = s.item.session
    return SessionEvaluationOut(
        session_id=session.id or 0, batch_id=s.batch.id or 0, batch=s.batch.name,
        title=session.title, date=session.date.isoformat(),
        start_time=session.start_time.strftime("%H:%M"),
        end_time=session.end_time.strftime("%H:%M"),
        speakers=[SpeakerOut(id=p.id or 0, name=p.name) for p in s.item.speakers],
        expected=s.rate.expected, answered=s.rate.answered, rate=round(s.rate.share, 4),
        results=_result(s.result))


@router.get("/evaluation-forms")
def list_forms(user: ApiPlanner, db: DB) -> dict[str, list[FormOut]]:
    """The organization's evaluation forms (narasumber, event): its own or the default."""
    return {"items": [form_out(f) for f in forms.list_forms(db, user.organization_id)]}


@router.put("/evaluation-forms/{form_key}")
def save_form(form_key: str, data: FormUpdate, user: ApiAdmin, db: DB) -> FormOut:
    """Replace the organization's version of a form (`narasumber` or `event`); an item
    sent with its `key` keeps the answers already given to it."""
    forms.check_key(form_key)
    return form_out(forms.save_form(db, user.organization_id, form_key, data, user))


@router.get("/trainings/{training_id}/evaluations")
def training_evaluations(training: ApiTraining, db: DB) -> TrainingEvaluationsOut:
    """Response rates and results per evaluated session and for the event: counts, means
    per item, the spread of scores and comments; no respondent ids."""
    ev = results.training_evaluations(db, training)
    return TrainingEvaluationsOut(
        training_id=training.id or 0,
        forms=[form_out(ev.narasumber_form), form_out(ev.event_form)],
        sessions=[_session(s) for s in ev.sessions],
        event=EventEvaluationOut(expected=ev.event_rate.expected,
                                 answered=ev.event_rate.answered,
                                 rate=round(ev.event_rate.share, 4),
                                 results=_result(ev.event)))


@router.get("/trainings/{training_id}/evaluations/sessions/{session_id}")
def session_evaluation(training: ApiTraining, session_id: int, db: DB
                       ) -> SessionEvaluationOut:
    """One session's response rate and results."""
    return _session(results.session_evaluation(db, training, session_id))


def speaker_pdf(db: DB, training: Training, speaker_id: int) -> Response:
    speaker = results.training_speaker(db, training, speaker_id)
    doc = results.speaker_summary(db, training, speaker, training_clock.today(training))
    return pdf(render_evaluation_summary_pdf(doc), f"evaluasi-{speaker.name}.pdf")


@router.get("/trainings/{training_id}/evaluations/speakers/{speaker_id}.pdf")
def speaker_summary(training: ApiTraining, speaker_id: int, db: DB) -> Response:
    """A narasumber's evaluation summary of their own sessions (PDF)."""
    return speaker_pdf(db, training, speaker_id)


@router.get("/tickets/{ticket_token}/evaluations")
def holder_evaluations(ticket_token: str, db: DB) -> HolderEvaluationsOut:
    """What the ticket's holder may evaluate, and what they already did (no login: the
    ticket's token is the key)."""
    view = answers.holder(db, ticket_token)
    org = view.training.organization_id
    targets = [HolderTargetOut(form_key=t.form_key, session_id=t.session_id,
                               title=t.item.session.title if t.item else None,
                               date=t.item.session.date.isoformat() if t.item else None,
                               speakers=[p.name for p in t.speakers], open=t.open, done=t.done)
               for t in [*view.sessions, view.event]]
    return HolderEvaluationsOut(forms=[form_out(f) for f in forms.list_forms(db, org)],
                                targets=targets)


@router.post("/tickets/{ticket_token}/evaluations/{form_key}", status_code=201)
def answer(ticket_token: str, form_key: str, data: AnswerIn, db: DB) -> AnswerReceived:
    """One anonymous answer sheet: `{session_id?, answers: {item key: score}, comment?}`;
    409 `already_evaluated` for a second one."""
    target = answers.submit(db, ticket_token, form_key, data)
    return AnswerReceived(form_key=form_key, session_id=target.session_id)
