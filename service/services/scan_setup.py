"""What the door scanner page offers: the trainings and batches a user may scan for, the
days and sessions to pick, and which day to preselect. Read-only."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from service.errors import Forbidden, NotFound
from service.models import AgendaSession, Batch, Training, User
from service.models.accounts import SCANNER_ROLES
from service.services import training_clock as clock
from service.services.meeting_days import days_of

NOW = "now"  # the session choice "whichever session is open at the moment of the scan"


@dataclass
class ScanChoice:
    """The step-1 form: options and what is selected; `ready` once everything is chosen."""

    trainings: list[Training]
    training: Training | None = None
    batches: list[Batch] = field(default_factory=list)
    batch: Batch | None = None
    days: list[date] = field(default_factory=list)
    day: date | None = None
    today: date | None = None
    sessions: list[AgendaSession] = field(default_factory=list)
    session: str | None = None  # NOW or a session id, per-session trainings only
    complete: bool = False  # everything was chosen explicitly and fits: start scanning

    @property
    def per_session(self) -> bool:
        return self.training is not None and self.training.checkin_mode == "session"

    @property
    def session_id(self) -> int | None:
        return int(self.session) if self.session and self.session != NOW else None

    @property
    def session_title(self) -> str | None:
        return next((s.title for s in self.sessions if str(s.id) == self.session), None)


def check_scanner(user: User) -> None:
    if user.role not in SCANNER_ROLES:
        raise Forbidden()


def scannable_trainings(db: Session, user: User) -> list[Training]:
    """The organization's trainings, newest first; only its own for a limited login."""
    query = select(Training).where(Training.organization_id == user.organization_id)
    if user.training_id is not None:
        query = query.where(Training.id == user.training_id)
    return list(db.exec(query.order_by(col(Training.start_date).desc(),
                                       col(Training.id).desc())).all())


def _running_first(items: list[Training], today_of: dict[int, date]) -> Training:
    """The training running today, else the next to start, else the latest."""
    for t in items:
        if t.start_date <= today_of[t.id or 0] <= t.end_date:
            return t
    upcoming = [t for t in items if t.start_date > today_of[t.id or 0]]
    return min(upcoming, key=lambda t: t.start_date) if upcoming else items[0]


def choose(db: Session, user: User, training_id: int | None = None,
           batch_id: int | None = None, day: date | None = None,
           session: str | None = None, now: datetime | None = None) -> ScanChoice:
    """Fill the step-1 form: a training the user may not see is 404; a batch, day or
    session that does not fit the training falls back to its default."""
    check_scanner(user)
    trainings = scannable_trainings(db, user)
    choice = ScanChoice(trainings=trainings)
    if training_id is not None:
        training = next((t for t in trainings if t.id == training_id), None)
        if training is None:
            raise NotFound("Training not found.")
    elif batch_id is not None:
        owner = db.get(Batch, batch_id)
        training = next((t for t in trainings if owner and t.id == owner.training_id), None)
        if training is None:
            raise NotFound("Batch not found.")
    elif trainings:
        training = _running_first(trainings, {t.id or 0: clock.today(t, now) for t in trainings})
    else:
        return choice
    choice.training = training
    choice.today = clock.today(training, now)
    choice.batches = list(db.exec(select(Batch).where(Batch.training_id == training.id)
                                  .order_by(col(Batch.start_date), col(Batch.position),
                                            col(Batch.id))).all())
    if not choice.batches:
        return choice
    picked = next((b for b in choice.batches if b.id == batch_id), None)
    choice.batch = picked or clock.default_batch(choice.batches, choice.today) \
        or choice.batches[0]
    choice.days = days_of(choice.batch)
    chosen_day = day if picked is not None and day in choice.days else None
    choice.day = chosen_day or clock.default_day(choice.batch, choice.today)
    if choice.per_session:
        choice.sessions = list(db.exec(
            select(AgendaSession).where(AgendaSession.batch_id == choice.batch.id,
                                        AgendaSession.date == choice.day,
                                        AgendaSession.kind != "break")
            .order_by(col(AgendaSession.start_time))).all())
        known = {str(s.id) for s in choice.sessions} | {NOW}
        choice.session = session if session in known else NOW
    # Scanning starts only from a complete, explicit choice; else the form shows again.
    choice.complete = (picked is not None and chosen_day is not None
                       and (not choice.per_session or session == choice.session))
    return choice
