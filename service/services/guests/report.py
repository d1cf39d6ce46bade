"""The guests, committee and narasumber-attendance lists of the activity report."""

from sqlmodel import Session

from service.models import Training
from service.rendering.guests_report_sections import GuestFigures, GuestLine, SpeakerPresenceLine
from service.services.guests import attendance, speaker_attendance
from service.services.speakers import display_name


def figures(db: Session, training: Training) -> GuestFigures:
    grid = attendance.grid(db, training)
    lines = {kind: [GuestLine(p.name, p.position, p.institution, p.committee_role,
                              grid.days_present(p))
                    for p in grid.people if p.kind == kind] for kind in ("guest", "committee")}
    speakers = [SpeakerPresenceLine(
        s.session.date, s.session.start_time, s.session.end_time, s.batch.name,
        s.session.title, display_name(s.speaker), s.session.counted_jpl, s.present,
        bool(s.record and s.record.via_link)) for s in speaker_attendance.slots(db, training)]
    return GuestFigures(grid.days, lines["guest"], lines["committee"], speakers)
