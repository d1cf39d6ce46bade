"""Build the printable agenda of a batch (plain data for rendering.agenda_pdf)."""

from datetime import date

from sqlmodel import Session

from service.i18n import get_locale
from service.models import TIMEZONES, Batch, Organization, Training, Venue
from service.rendering.agenda_pdf import AgendaDay, AgendaDoc, AgendaRow
from service.services.meetings import presenters
from service.services.overview import batch_info
from service.services.speakers import display_name


def _place(venue: Venue | None) -> str | None:
    """A place as the agenda prints it: its name, and its address when known."""
    if venue is None:
        return None
    return f"{venue.name}, {venue.address}" if venue.address else venue.name


def _presenter_rows(db: Session, batch: Batch, training: Training
                    ) -> dict[date, list[AgendaRow]]:
    """A meeting's presenters as agenda rows: the unit first, then who speaks for it."""
    out: dict[date, list[AgendaRow]] = {}
    for r in presenters.list_presenters(db, training):
        if r.batch.id != batch.id:
            continue
        p = r.presenter
        who = f"{p.name}, {p.position}" if p.position else p.name
        out.setdefault(p.day, []).append(AgendaRow(
            start=p.start_time, end=p.end_time, title=p.topic, kind="presentation",
            speakers=(r.unit.name, who), room=None, jpl=0))
    return out


def agenda_doc(db: Session, batch: Batch, training: Training) -> AgendaDoc:
    info = batch_info(db, batch, training)
    org = db.get(Organization, training.organization_id)
    presented = _presenter_rows(db, batch, training)
    days = tuple(
        AgendaDay(day, tuple(sorted((*(
            AgendaRow(start=i.session.start_time, end=i.session.end_time, title=i.session.title,
                      kind=i.session.kind, jpl=i.session.jpl,
                      room=i.room.name if i.room else None,
                      # The name only: it shares the narrow room column.
                      place=(p.name if (p := info.session_place(i)) else None),
                      speakers=tuple(display_name(s) + (f" ({s.institution})" if s.institution
                                                        else "") for s in i.speakers))
            for i in info.sessions_on(day)), *presented.get(day, [])), key=lambda r: r.start)),
            place=_place(info.own_place_on(day)))
        for day in info.days)
    return AgendaDoc(organization=org.name if org else "", training_title=training.title,
                     batch_name=batch.name, start_date=batch.start_date, end_date=batch.end_date,
                     venue=info.venue.name if info.venue else None,
                     timezone_label=TIMEZONES.get(training.timezone, "WIB"), days=days,
                     locale=get_locale())
