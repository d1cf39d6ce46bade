"""What the minutes' PDF and DOCX print: the heading, the attendance by unit (or
institution), the presenters, the text, the decisions and the actions."""

from collections import defaultdict

from sqlmodel import Session, col, select

from service.i18n import gettext as _
from service.i18n.formats import fmt_date, fmt_time
from service.models import Organization, OrgUnit, Participant, Registration, Training
from service.models.base import pk
from service.rendering.minutes_pdf import (
    ActionLine,
    AttendanceGroup,
    MinutesDoc,
    Person,
    PresenterLine,
    Signatory,
)
from service.services import presence, trainings
from service.services.actions import core
from service.services.actions.core import ActionRow
from service.services.meeting_days import days_of
from service.services.meetings import presenters
from service.services.minutes import editing

STATUS_LABELS = {"open": "Open", "in_progress": "In progress", "done": "Done",
                 "dropped": "Dropped"}


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def _line(row: ActionRow, with_meeting: bool = False) -> ActionLine:
    meeting = ""
    if with_meeting:
        meeting = f"{row.training.title}, {fmt_date(row.action.meeting_on)}"
    return ActionLine(row.action.title, row.unit.name if row.unit else "", row.action.owner,
                      row.action.due_date, status_label(row.action.status), meeting,
                      row.action.note if with_meeting else "")


def attendance(db: Session, training: Training, day: object = None) -> list[AttendanceGroup]:
    """Those present (on the meeting's day when it is one of their batch's days, else on
    any day), grouped by the unit they were delegated by, else by their institution."""
    batches = trainings.list_batches(db, pk(training))
    state = presence.load(db, training, batches)
    batch_days = {pk(b): days_of(b) for b in batches}
    rows = db.exec(select(Registration, Participant)
                   .join(Participant, col(Participant.id) == Registration.participant_id)
                   .where(Registration.training_id == training.id,
                          Registration.status == "confirmed")).all()
    unit_ids = {getattr(r, "unit_id", None) for r, _p in rows} - {None}
    unit_names = {pk(u): u.name for u in db.exec(select(OrgUnit).where(
        col(OrgUnit.id).in_(unit_ids))).all()} if unit_ids else {}
    groups: dict[str, list[Participant]] = defaultdict(list)
    for reg, person in rows:
        days = batch_days.get(reg.batch_id or 0, [])
        asked = [day] if day in days else days
        if not any(state.present(pk(reg), d) for d in asked):  # type: ignore[arg-type]
            continue
        unit = unit_names.get(getattr(reg, "unit_id", None) or 0)
        key = unit or (person.institution or "").strip() or _("Others")
        groups[key].append(person)
    return [AttendanceGroup(name, [Person(p.name, (p.position or p.institution or "").strip())
                                   for p in sorted(people, key=lambda p: (p.sort_name or p.name))])
            for name, people in sorted(groups.items(), key=lambda kv: kv[0].lower())]


def build(db: Session, training: Training) -> MinutesDoc:
    state = editing.current(db, training)
    org = db.get(Organization, training.organization_id)
    day = state.held_on or training.start_date
    groups = attendance(db, training, day)
    shown = [PresenterLine(r.unit.name, r.presenter.name, r.presenter.topic,
                           f"{fmt_date(r.presenter.day)} {fmt_time(r.presenter.start_time)}"
                           f"–{fmt_time(r.presenter.end_time)}")
             for r in presenters.list_presenters(db, training)]
    return MinutesDoc(
        organization=org.name if org else "", organization_city=(org.city or "") if org else "",
        logo_png=org.logo_png if org else None, title=training.title, held_on=day,
        place=state.place,
        chair=Signatory(_("Chair of the meeting"), state.chair_name, state.chair_nip,
                        state.chair_position),
        note_taker=Signatory(_("Note-taker"), state.note_taker_name, state.note_taker_nip),
        text=state.text, decisions=[d.text for d in state.decisions],
        actions=[_line(r) for r in core.meeting_actions(db, training)],
        carried=[_line(r, True) for r in core.carried_over(db, training)],
        attendance=groups, present_count=sum(len(g.people) for g in groups),
        presenters=shown)


def filename(doc: MinutesDoc, ext: str) -> str:
    return f"notulen-{doc.title[:60]}.{ext}"
