"""The activity report's own text: background, objectives, conclusions and follow-up
(RTL). The committee writes them once per training; background and objectives start
from defaults (the training's description; objectives from its title and kind), so a
report is never empty, and whatever is left blank takes its default again."""

from sqlmodel import Session

from service.i18n import gettext as _
from service.models import ReportText, Training, User
from service.models.base import pk, utcnow
from service.models.trainings import KIND_LABELS
from service.rendering.report_sections import ReportTexts
from service.schemas.report_sections import ReportTextsUpdate


def _kind(training: Training) -> str:
    # The kind's own Indonesian word ("Pelatihan", "Bimtek"): the label's "(pelatihan)"
    # gloss reads oddly inside a sentence.
    return training.kind.capitalize() if training.kind in KIND_LABELS else training.kind


def default_background(training: Training) -> str:
    """The training's description, as the committee wrote it when planning; without one,
    the sentence most laporan kegiatan open with."""
    return (training.description or "").strip() or _(
        "The Kampung KB programme needs cadres and managers who understand it and can run "
        "its activities in their villages. For this reason the {kind} \"{title}\" was "
        "held.", kind=_kind(training), title=training.title)


def default_objectives(training: Training) -> str:
    """A sentence an office would write, from the training's kind and title."""
    return _("The {kind} \"{title}\" aims to improve the knowledge and skills of the "
             "participants, so that they can carry out the Kampung KB programme in their "
             "own areas.", kind=_kind(training), title=training.title)


def current(db: Session, training: Training) -> ReportTexts:
    """The texts as the report prints them: the committee's, else the defaults."""
    row = db.get(ReportText, pk(training))
    return ReportTexts(
        background=(row.background if row and row.background else default_background(training)),
        objectives=(row.objectives if row and row.objectives else default_objectives(training)),
        conclusions=row.conclusions if row else "", follow_up=row.follow_up if row else "",
        saved=row is not None)


def save(db: Session, training: Training, data: ReportTextsUpdate,
         by: User | None) -> ReportTexts:
    """Store what the committee wrote (a blank text: its default again)."""
    row = db.get(ReportText, pk(training)) or ReportText(training_id=pk(training))
    row.background = data.background or ""
    row.objectives = data.objectives or ""
    row.conclusions = data.conclusions or ""
    row.follow_up = data.follow_up or ""
    row.updated_by = by.id if by else None
    row.updated_at = utcnow()
    db.add(row)
    db.flush()
    return current(db, training)
