"""Follow-up actions (rencana tindak lanjut): made at a meeting, owned by a unit and a
person, due on a day, moved through open -> in progress -> done (or dropped), each change
kept with who, when and a note.

Carry-over: the open actions of the EARLIER meetings of the same programme (a training of
the programme whose first day is before this one's) show at the next meeting, where the
committee updates them. A training meeting on listed dates (Pontianak's monthly coaching,
services/meeting_days.py) is several meetings: each action keeps the meeting day it was
agreed at (`meeting_on`), and its open actions carry from one meeting date to the next.
A training meeting every day from its first to its last (a 3-day workshop) is one meeting.
"""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from service.errors import FieldError, NotFound
from service.i18n import N_
from service.models import (
    ActionEvidence,
    ActionUpdate,
    FollowUpAction,
    MinutesDecision,
    OrgUnit,
    Training,
    User,
)
from service.models.actions import ACTION_STATUSES, OPEN_STATUSES
from service.models.base import pk, utcnow
from service.models.minutes import Minutes
from service.schemas.actions import ActionCreate
from service.services import training_clock, trainings, units
from service.services.meeting_days import days_of

PER_PAGE = 50
# Lists across an office's trainings count "overdue" from this zone's date (the training's
# own zone where one training is in view).
OFFICE_ZONE = "Asia/Jakarta"


@dataclass(frozen=True)
class ActionRow:
    action: FollowUpAction
    training: Training
    unit: OrgUnit | None
    evidence: ActionEvidence | None
    overdue: bool


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    program_id: int | None = None
    overdue: bool = False
    unit_id: int | None = None
    training_id: int | None = None


def office_today() -> date:
    return utcnow().astimezone(ZoneInfo(OFFICE_ZONE)).date()


def is_overdue(action: FollowUpAction, today: date) -> bool:
    return action.status in OPEN_STATUSES and action.due_date < today


# --- meetings of a training --------------------------------------------------------------

def meeting_days(db: Session, training: Training) -> list[date]:
    """The training's meetings: the listed dates of its batches that meet on listed dates
    (monthly coaching), else one meeting on its first day."""
    listed = {d for b in trainings.list_batches(db, pk(training)) if b.meeting_dates
              for d in days_of(b)}
    return sorted(listed) or [training.start_date]


def meeting_in_view(db: Session, training: Training, asked: date | None = None,
                    today: date | None = None) -> date:
    """The meeting a page shows: the one asked for; else today's, else the next one,
    else the last."""
    days = meeting_days(db, training)
    if asked is not None and asked in days:
        return asked
    today = today or training_clock.today(training)
    return next((d for d in days if d >= today), days[-1])


# --- making and changing -----------------------------------------------------------------

def _decision(db: Session, training: Training, decision_id: int | None) -> int | None:
    if decision_id is None:
        return None
    found = db.exec(select(MinutesDecision.id)
                    .join(Minutes, col(Minutes.id) == MinutesDecision.minutes_id)
                    .where(MinutesDecision.id == decision_id,
                           Minutes.training_id == training.id)).first()
    if found is None:
        raise FieldError("decision_id", N_("This decision is not part of the meeting's "
                                           "minutes."), code="invalid_decision")
    return decision_id


def create_action(db: Session, training: Training, data: ActionCreate, user: User | None,
                  today: date | None = None) -> FollowUpAction:
    unit = units.resolve_unit(db, training.organization_id, data.unit_id, data.unit)
    days = meeting_days(db, training)
    if data.meeting_on is not None and data.meeting_on not in days:
        raise FieldError("meeting_on", N_("Choose one of the meeting's dates."),
                         code="invalid_meeting")
    meeting = data.meeting_on or meeting_in_view(db, training, today=today)
    if data.due_date < meeting:
        raise FieldError("due_date", N_("The due date is before the meeting."),
                         code="invalid_due_date")
    action = FollowUpAction(organization_id=training.organization_id,
                            training_id=pk(training), meeting_on=meeting,
                            decision_id=_decision(db, training, data.decision_id),
                            unit_id=unit.id if unit else None, title=data.title,
                            owner=data.owner or "", due_date=data.due_date,
                            created_by=user.id if user else None)
    db.add(action)
    db.flush()
    return action


def get_action(db: Session, org_id: int, action_id: int) -> FollowUpAction:
    action = db.get(FollowUpAction, action_id)
    if action is None or action.organization_id != org_id:
        raise NotFound(N_("Action not found."))
    return action


def set_status(db: Session, action: FollowUpAction, status: str, note: str | None,
               by_name: str, user_id: int | None = None, via_link: bool = False
               ) -> FollowUpAction:
    """Move the action to `status` (or only add a note), kept in its history."""
    if status not in ACTION_STATUSES:
        raise FieldError("status", N_("Choose open, in progress, done or dropped."),
                         code="invalid_status")
    note = " ".join((note or "").split())[:1000]
    # Two members changing the same action at once: one after the other, both kept.
    db.exec(select(FollowUpAction.id).where(FollowUpAction.id == action.id)
            .with_for_update()).one()
    db.refresh(action)
    if status == action.status and not note:
        return action
    db.add(ActionUpdate(action_id=pk(action), status_from=action.status, status_to=status,
                        note=note, user_id=user_id, by_name=by_name[:200], via_link=via_link))
    action.status = status
    if note:
        action.note = note
    action.updated_at = utcnow()
    db.add(action)
    db.flush()
    return action


def history(db: Session, action: FollowUpAction) -> list[ActionUpdate]:
    return list(db.exec(select(ActionUpdate).where(ActionUpdate.action_id == action.id)
                        .order_by(col(ActionUpdate.id).desc())).all())


def delete_action(db: Session, action: FollowUpAction) -> None:
    db.delete(action)
    db.flush()


# --- lists -------------------------------------------------------------------------------

def _rows(db: Session, query: object, today: date) -> list[ActionRow]:
    out = []
    for action, training, unit, evidence in db.exec(query).all():  # type: ignore[call-overload]
        out.append(ActionRow(action, training, unit, evidence, is_overdue(action, today)))
    return out


def _select() -> object:
    from sqlalchemy.orm import defer  # noqa: PLC0415 (a list never loads evidence bytes)

    return (select(FollowUpAction, Training, OrgUnit, ActionEvidence)
            .join(Training, col(Training.id) == FollowUpAction.training_id)
            .outerjoin(OrgUnit, col(OrgUnit.id) == FollowUpAction.unit_id)
            .outerjoin(ActionEvidence, col(ActionEvidence.action_id) == FollowUpAction.id)
            .options(defer(ActionEvidence.data)))  # type: ignore[arg-type]


def _where(org_id: int, f: Filters, today: date) -> list[object]:
    rules: list[object] = [col(FollowUpAction.organization_id) == org_id]
    if f.status:
        rules.append(col(FollowUpAction.status) == f.status)
    if f.program_id is not None:
        rules.append(col(Training.program_id) == f.program_id)
    if f.unit_id is not None:
        rules.append(col(FollowUpAction.unit_id) == f.unit_id)
    if f.training_id is not None:
        rules.append(col(FollowUpAction.training_id) == f.training_id)
    if f.overdue:
        rules.append(col(FollowUpAction.status).in_(OPEN_STATUSES))
        rules.append(col(FollowUpAction.due_date) < today)
    return rules


def list_actions(db: Session, org_id: int, f: Filters, page: int = 1,
                 per_page: int = PER_PAGE, today: date | None = None
                 ) -> tuple[list[ActionRow], int]:
    """One page of the office's actions, by due date; and how many match in all."""
    if f.status is not None and f.status not in ACTION_STATUSES:
        raise FieldError("status", N_("Choose open, in progress, done or dropped."),
                         code="invalid_status")
    today = today or office_today()
    rules = _where(org_id, f, today)
    total = db.exec(select(func.count(col(FollowUpAction.id)))
                    .join(Training, col(Training.id) == FollowUpAction.training_id)
                    .where(*rules)).one()  # type: ignore[arg-type]
    page = max(1, page)
    query = (_select().where(*rules)  # type: ignore[attr-defined]
             .order_by(col(FollowUpAction.due_date), col(FollowUpAction.id))
             .offset((page - 1) * per_page).limit(per_page))
    return _rows(db, query, today), int(total)


def action_row(db: Session, action: FollowUpAction, today: date | None = None) -> ActionRow:
    query = _select().where(col(FollowUpAction.id) == action.id)  # type: ignore[attr-defined]
    return _rows(db, query, today or office_today())[0]


def meeting_actions(db: Session, training: Training, day: date | None = None
                    ) -> list[ActionRow]:
    """The actions agreed at this meeting (at the meeting day `day` of a training that
    meets on listed dates), in the order they were made."""
    rules = [col(FollowUpAction.training_id) == training.id]
    if day is not None and len(meeting_days(db, training)) > 1:
        rules.append(col(FollowUpAction.meeting_on) == day)
    query = _select().where(*rules).order_by(col(FollowUpAction.id))  # type: ignore[attr-defined]
    return _rows(db, query, training_clock.today(training))


def carried_over(db: Session, training: Training, day: date | None = None) -> list[ActionRow]:
    """The open actions of the earlier meetings: of the programme's trainings that began
    before this one, and of this training's earlier meeting dates. Oldest meeting first."""
    day = day or meeting_in_view(db, training)
    earlier_here = and_(col(FollowUpAction.training_id) == training.id,
                        col(FollowUpAction.meeting_on) < day)
    sources = [earlier_here]
    if training.program_id is not None:
        sources.append(and_(col(Training.program_id) == training.program_id,
                            col(Training.start_date) < training.start_date,
                            col(Training.id) != training.id))
    query = (_select()  # type: ignore[attr-defined]
             .where(col(FollowUpAction.organization_id) == training.organization_id,
                    col(Training.organization_id) == training.organization_id,
                    col(FollowUpAction.status).in_(OPEN_STATUSES), or_(*sources))
             .order_by(col(FollowUpAction.meeting_on), col(FollowUpAction.id)))
    return _rows(db, query, training_clock.today(training))
