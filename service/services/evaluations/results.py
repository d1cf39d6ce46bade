"""What the committee and a narasumber see of the evaluations: response rates, means per
item, the spread of scores and the comments, never who gave them.

Results of a form with fewer than MIN_SHOWN answers are held back (only the count is
shown): the committee watches the count rise live, and the first one or two answers of a
session could otherwise be told apart by who was seen holding a phone. Comments are
listed in the order of the responses' random ids, not in the order they came in.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from service.errors import NotFound
from service.models import (
    AgendaSession,
    Batch,
    EvaluationReceipt,
    EvaluationResponse,
    Organization,
    Registration,
    SessionSpeaker,
    Speaker,
    Training,
)
from service.models.base import pk
from service.rendering.evaluation_pdf import (
    EvaluationSummaryDoc,
    SummaryItem,
    SummarySection,
)
from service.services.evaluations.answers import EVENT, evaluated, scope_of
from service.services.evaluations.forms import FormSpec, get_form
from service.services.overview import SessionItem, load_sessions
from service.services.trainings import list_batches

MIN_SHOWN = 3


@dataclass(frozen=True)
class ItemResult:
    key: str
    text: str
    mean: float | None
    counts: list[int]  # counts[n - 1]: how many gave n


@dataclass(frozen=True)
class FormResult:
    responses: int
    shown: bool
    mean: float | None  # over every score of every item
    items: list[ItemResult]
    comments: list[str]
    scale: int


@dataclass(frozen=True)
class Rate:
    expected: int
    answered: int

    @property
    def share(self) -> float:
        return self.answered / self.expected if self.expected else 0.0

    @property
    def percent(self) -> int:
        return round(100 * min(self.share, 1.0))


@dataclass(frozen=True)
class SessionEvaluation:
    item: SessionItem
    batch: Batch
    rate: Rate
    result: FormResult | None  # None when only the rates were asked for


@dataclass(frozen=True)
class TrainingEvaluations:
    training: Training
    narasumber_form: FormSpec
    event_form: FormSpec
    sessions: list[SessionEvaluation]
    event_rate: Rate
    event: FormResult | None


def summarize(spec: FormSpec, rows: Iterable[EvaluationResponse]) -> FormResult:
    """Means and counts per item of the form, and the comments, over these responses."""
    rows = sorted(rows, key=lambda r: r.id)
    scale = max([spec.scale, *(r.scale for r in rows)])
    items = []
    every: list[int] = []
    for item in spec.items:
        scores = [r.answers[item.key] for r in rows if isinstance(r.answers.get(item.key), int)]
        every += scores
        counts = Counter(scores)
        items.append(ItemResult(item.key, item.text,
                                sum(scores) / len(scores) if scores else None,
                                [counts.get(n, 0) for n in range(1, scale + 1)]))
    shown = len(rows) >= MIN_SHOWN
    if not shown:
        return FormResult(len(rows), False, None,
                          [ItemResult(i.key, i.text, None, []) for i in items], [], scale)
    return FormResult(len(rows), True, sum(every) / len(every) if every else None, items,
                      [r.comment for r in rows if r.comment], scale)


def _confirmed_by_batch(db: Session, training_id: int) -> dict[int, int]:
    rows = db.exec(select(Registration.batch_id, func.count())
                   .where(Registration.training_id == training_id,
                          Registration.status == "confirmed",
                          col(Registration.batch_id).is_not(None))
                   .group_by(col(Registration.batch_id))).all()
    return {int(b): int(n) for b, n in rows if b is not None}


def _answered(db: Session, training_id: int) -> dict[str, int]:
    rows = db.exec(select(EvaluationReceipt.scope, func.count())
                   .where(EvaluationReceipt.training_id == training_id)
                   .group_by(col(EvaluationReceipt.scope))).all()
    return {scope: int(n) for scope, n in rows}


def training_evaluations(db: Session, training: Training, *, results: bool = True,
                         speaker_id: int | None = None) -> TrainingEvaluations:
    """Every evaluated session of the training (or of one narasumber) with its response
    rate and, with `results`, its summary; and the event's."""
    tid = pk(training)
    batches = {pk(b): b for b in list_batches(db, tid)}
    items = [i for i in load_sessions(db, list(batches)) if evaluated(i)]
    if speaker_id is not None:
        items = [i for i in items if any(s.id == speaker_id for s in i.speakers)]
    expected = _confirmed_by_batch(db, tid)
    answered = _answered(db, tid)
    n_form = get_form(db, training.organization_id, "narasumber")
    e_form = get_form(db, training.organization_id, EVENT)
    by_session: dict[int | None, list[EvaluationResponse]] = {}
    if results:
        # A training's own questionnaire's sheets (assessment_id set) are counted by
        # services/assessments/questionnaire.py, not as the event's.
        query = select(EvaluationResponse).where(EvaluationResponse.training_id == tid,
                                                 col(EvaluationResponse.assessment_id).is_(None))
        if speaker_id is not None:
            query = query.where(col(EvaluationResponse.session_id).in_(
                [i.session.id for i in items]))
        for row in db.exec(query).all():
            by_session.setdefault(row.session_id, []).append(row)
    sessions = [SessionEvaluation(
        i, batches[i.session.batch_id],
        Rate(expected.get(i.session.batch_id, 0), answered.get(scope_of(i.session.id), 0)),
        summarize(n_form, by_session.get(i.session.id, [])) if results else None)
        for i in items]
    return TrainingEvaluations(
        training, n_form, e_form, sessions,
        Rate(sum(expected.values()), answered.get(EVENT, 0)),
        summarize(e_form, by_session.get(None, [])) if results and speaker_id is None
        else None)


def session_evaluation(db: Session, training: Training, session_id: int) -> SessionEvaluation:
    for found in training_evaluations(db, training).sessions:
        if found.item.session.id == session_id:
            return found
    raise NotFound("Session not found.")


def training_speaker(db: Session, training: Training, speaker_id: int) -> Speaker:
    """A narasumber teaching in the training, else not found."""
    speaker = db.get(Speaker, speaker_id)
    teaches = db.exec(select(SessionSpeaker.session_id)
                      .join(AgendaSession, col(AgendaSession.id) == SessionSpeaker.session_id)
                      .join(Batch, col(Batch.id) == AgendaSession.batch_id)
                      .where(SessionSpeaker.speaker_id == speaker_id,
                             Batch.training_id == training.id)).first()
    if speaker is None or teaches is None or speaker.organization_id != training.organization_id:
        raise NotFound("Narasumber not found.")
    return speaker


def _sections(ev: TrainingEvaluations) -> list[SummarySection]:
    out = []
    for s in ev.sessions:
        r = s.result
        assert r is not None
        out.append(SummarySection(
            title=s.item.session.title, batch=s.batch.name, day=s.item.session.date,
            start=s.item.session.start_time, end=s.item.session.end_time,
            speakers=[sp.name for sp in s.item.speakers], expected=s.rate.expected,
            responses=r.responses, shown=r.shown, mean=r.mean, scale=r.scale,
            items=[SummaryItem(i.text, i.mean, i.counts) for i in r.items],
            comments=r.comments))
    return out


def speaker_summary(db: Session, training: Training, speaker: Speaker,
                    printed_on: date) -> EvaluationSummaryDoc:
    """The narasumber's own sessions of the training, for their PDF."""
    ev = training_evaluations(db, training, speaker_id=pk(speaker))
    org = db.get(Organization, training.organization_id)
    return EvaluationSummaryDoc(
        organization=org.name if org else "", organization_city=org.city if org else None,
        logo_png=org.logo_png if org else None, training=training.title,
        start_date=training.start_date, end_date=training.end_date,
        speaker=", ".join(p for p in (speaker.name, speaker.title) if p),
        institution=speaker.institution, form_title=ev.narasumber_form.title,
        min_shown=MIN_SHOWN, sections=_sections(ev), printed_on=printed_on)
