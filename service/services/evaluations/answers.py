"""The participant's side: what their ticket may evaluate, and one anonymous answer sheet.

One answer per person and form is enforced by the receipt's primary key (registration,
scope), written in the same transaction as the response: a second answer, also two at
once from two phones, meets the key and is a 409, and neither row is kept. The response
itself carries no registration, no time and a random id (see models/evaluations.py).
"""

import re
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.errors import Conflict, DomainError, FieldError, NotFound
from service.i18n import N_
from service.models import (
    AgendaSession,
    Assessment,
    AssessmentBatch,
    Batch,
    EvaluationCode,
    EvaluationReceipt,
    EvaluationResponse,
    Organization,
    Registration,
    Speaker,
    Training,
)
from service.models.base import pk
from service.models.evaluations import EVALUATED_SESSION_KINDS
from service.schemas.evaluations import AnswerIn
from service.services import training_clock
from service.services.evaluations.forms import FormSpec, check_key, get_form
from service.services.overview import SessionItem, load_sessions

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# A ticket link pasted whole (from WhatsApp) or just its token.
_TICKET_IN_TEXT = re.compile(r"(?:/t/)?([A-Za-z0-9_-]{16,64})/?\s*$")
CODE = re.compile(r"^[a-z0-9]{6,16}$")
EVENT = "event"


class TicketNotFound(NotFound):
    code, message = "invalid_ticket", N_(
        "This ticket does not exist. Check the link you received.")


class NotEvaluable(NotFound):
    code, message = "not_evaluable", N_("This session is not one your ticket can evaluate.")


class NotOpenYet(DomainError):
    code, status, message = "evaluation_not_open", 422, N_(
        "This evaluation opens on the day of the session.")


class NoSeat(DomainError):
    code, status, message = "not_confirmed", 422, N_(
        "Only a confirmed participant with a batch can fill in the evaluation.")


class AlreadyEvaluated(Conflict):
    code, message = "already_evaluated", N_(
        "You have already filled in this evaluation. Thank you!")


class CodeNotFound(NotFound):
    code, message = "evaluation_code_not_found", N_(
        "This evaluation code does not exist. Scan the QR on the screen again.")


def scope_of(session_id: int | None) -> str:
    return f"session:{session_id}" if session_id else EVENT


@dataclass(frozen=True)
class Target:
    """One form the holder may fill in: a session's narasumber, or the event."""

    form_key: str
    item: SessionItem | None
    open: bool
    done: bool

    @property
    def session_id(self) -> int | None:
        return self.item.session.id if self.item else None

    @property
    def speakers(self) -> list[Speaker]:
        return self.item.speakers if self.item else []


@dataclass(frozen=True)
class Questionnaire:
    """A training's own evaluation questionnaire (an assessment of kind "evaluation")
    opened to the holder's batch: answered on /t/{token}/tes/{id}, kept as anonymously
    as the forms here (services/assessments/questionnaire.py)."""

    id: int
    title: str
    open: bool
    done: bool


@dataclass(frozen=True)
class HolderView:
    """What a ticket holder's evaluation pages show (loaded up front: pages render after
    the session has closed). No name: the pages are about the answers, not the person."""

    token: str
    registration_id: int
    training: Training
    organization: str
    batch: Batch
    sessions: list[Target]
    event: Target
    questionnaires: tuple[Questionnaire, ...] = ()

    def target(self, form_key: str, session_id: int | None) -> Target:
        if form_key == EVENT:
            return self.event
        found = next((t for t in self.sessions if t.session_id == session_id), None)
        if found is None:
            raise NotEvaluable()
        return found

    @property
    def open_count(self) -> int:
        targets = [(t.open, t.done) for t in [*self.sessions, self.event]]
        targets += [(q.open, q.done) for q in self.questionnaires]
        return sum(1 for is_open, done in targets if is_open and not done)


def evaluated(item: SessionItem) -> bool:
    """Only teaching sessions with a narasumber are evaluated (not an opening or a break)."""
    return item.session.kind in EVALUATED_SESSION_KINDS and bool(item.speakers)


def _registration(db: Session, token: str) -> tuple[Registration, Training, Organization]:
    if not TOKEN.match(token):
        raise TicketNotFound()
    row = db.exec(select(Registration, Training, Organization)
                  .join(Training, col(Training.id) == Registration.training_id)
                  .join(Organization, col(Organization.id) == Training.organization_id)
                  .where(Registration.ticket_token == token)).first()
    if row is None:
        raise TicketNotFound()
    return row


def holder(db: Session, token: str) -> HolderView:
    """The holder's evaluations: the sessions of their batch with a narasumber and the
    event, each open from its day on, with whether they answered it."""
    registration, training, org = _registration(db, token)
    batch = db.get(Batch, registration.batch_id) if registration.batch_id else None
    if registration.status != "confirmed" or batch is None:
        raise NoSeat()
    done = set(db.exec(select(EvaluationReceipt.scope)
                       .where(EvaluationReceipt.registration_id == registration.id)).all())
    today = training_clock.today(training)
    sessions = [Target("narasumber", item, item.session.date <= today,
                       scope_of(item.session.id) in done)
                for item in load_sessions(db, [pk(batch)]) if evaluated(item)]
    event = Target(EVENT, None, batch.start_date <= today, EVENT in done)
    own = tuple(Questionnaire(pk(a), a.title, w.closed_at is None,
                              f"assessment:{pk(a)}" in done)
                for a, w in db.exec(select(Assessment, AssessmentBatch)
                                    .join(AssessmentBatch,
                                          col(AssessmentBatch.assessment_id) == Assessment.id)
                                    .where(Assessment.training_id == training.id,
                                           Assessment.kind == "evaluation",
                                           AssessmentBatch.batch_id == batch.id)
                                    .order_by(col(Assessment.id))).all())
    return HolderView(token, pk(registration), training, org.name, batch, sessions, event,
                      own)


def _scores(spec: FormSpec, answers: dict[str, int]) -> dict[str, int]:
    """Every item of the form answered with a whole number 1..scale, nothing else."""
    unknown = set(answers) - set(spec.item_keys())
    if unknown:
        raise FieldError("answers", "Unknown question: {keys}.", keys=", ".join(sorted(unknown)))
    missing = [i.key for i in spec.items if i.key not in answers]
    if missing:
        raise FieldError("answers", "Answer every question ({n} left).", n=len(missing))
    for key, value in answers.items():
        if isinstance(value, bool) or not 1 <= value <= spec.scale:
            field = "answers." + key
            raise FieldError(field, "Choose a score from 1 to {scale}.", scale=spec.scale)
    return {i.key: answers[i.key] for i in spec.items}


def submit(db: Session, token: str, form_key: str, data: AnswerIn) -> Target:
    """Keep one anonymous answer sheet; 409 `already_evaluated` for a second one."""
    check_key(form_key)
    view = holder(db, token)
    if form_key == "narasumber" and data.session_id is None:
        raise FieldError("session_id", "Choose the session you evaluate.")
    target = view.target(form_key, data.session_id if form_key != EVENT else None)
    if not target.open:
        raise NotOpenYet()
    if target.done:
        raise AlreadyEvaluated()
    spec = get_form(db, view.training.organization_id, form_key)
    scores = _scores(spec, data.answers)
    scope = scope_of(target.session_id)
    try:
        # The receipt first, in a savepoint: its key settles a race between two phones.
        with db.begin_nested():
            db.add(EvaluationReceipt(registration_id=view.registration_id, scope=scope,
                                     training_id=pk(view.training),
                                     session_id=target.session_id))
    except IntegrityError:
        raise AlreadyEvaluated() from None
    db.add(EvaluationResponse(id=uuid.uuid4().hex, training_id=pk(view.training),
                              form_key=form_key, session_id=target.session_id,
                              scale=spec.scale, answers=scores, comment=data.comment))
    db.flush()
    return target


# --- the projector QR of a session ------------------------------------------------------

def session_code(db: Session, session: AgendaSession) -> str:
    """The session's QR code, made the first time the committee shows it."""
    query = select(EvaluationCode.code).where(EvaluationCode.session_id == session.id)
    found = db.exec(query).first()
    if found:
        return found
    try:
        with db.begin_nested():
            db.add(EvaluationCode(session_id=pk(session),
                                  code=secrets.token_hex(5)))  # 10 characters, 40 bits
    except IntegrityError:
        pass  # another request made it at the same moment: use theirs
    return db.exec(query).one()


@dataclass(frozen=True)
class CodeTarget:
    session: AgendaSession
    batch: Batch
    training: Training
    organization: str


def resolve_code(db: Session, code: str) -> CodeTarget:
    if not CODE.match(code):
        raise CodeNotFound()
    row = db.exec(select(AgendaSession, Batch, Training, Organization)
                  .join(EvaluationCode, col(EvaluationCode.session_id) == AgendaSession.id)
                  .join(Batch, col(Batch.id) == AgendaSession.batch_id)
                  .join(Training, col(Training.id) == Batch.training_id)
                  .join(Organization, col(Organization.id) == Training.organization_id)
                  .where(EvaluationCode.code == code)).first()
    if row is None:
        raise CodeNotFound()
    return CodeTarget(*row[:3], organization=row[3].name)


def ticket_token_in(text: str) -> str | None:
    """The ticket token in what a participant pasted: the link from WhatsApp or the token."""
    found = _TICKET_IN_TEXT.search(text.strip())
    return found.group(1) if found else None


def ticket_for_code(db: Session, target: CodeTarget, token: str) -> str:
    """The holder's token when the ticket belongs to the session's batch, else why not."""
    registration, _training, _org = _registration(db, token)
    if registration.batch_id != target.batch.id or registration.status != "confirmed":
        raise NotEvaluable()
    return token
