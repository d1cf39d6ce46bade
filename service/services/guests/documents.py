"""The papers of a training's guests and committee: their daftar hadir (one sheet per
training day, guests and committee apart) and their QR cards."""

from datetime import date

from sqlmodel import Session

from service.i18n import gettext as _
from service.i18n.formats import fmt_date, fmt_range
from service.models import Organization, Training, Venue
from service.models.base import pk
from service.models.guests import EventPerson
from service.rendering.attendance_sheet_pdf import AttendanceSheet, SignRow
from service.rendering.ticket_cards_pdf import TicketCard
from service.services.guests.people import list_people, training_days
from service.services.registrations import mask_nip

BLANK_ROWS = 10
EXTRA_GUEST_ROWS = 3


def kind_label(kind: str) -> str:
    return _("Invited guests") if kind == "guest" else _("Committee")


def _place(db: Session, training: Training) -> tuple[str, str]:
    """The training's venue and the city its papers are signed in."""
    org = db.get(Organization, training.organization_id)
    venue = db.get(Venue, training.venue_id) if training.venue_id else None
    city = (org.city if org else None) or (venue.city if venue else None) or ""
    return (venue.name if venue else ""), city


def _row(n: int, person: EventPerson) -> SignRow:
    if person.kind == "committee":
        detail = person.committee_role or person.position
        institution = " · ".join(x for x in (person.position if person.committee_role
                                             else "", person.institution) if x)
    else:
        detail, institution = person.position, person.institution
    note = f"NIP {mask_nip(person.nip)}" if person.nip else ""
    return SignRow(n, person.name, institution, note=note, detail=detail)


def sheets(db: Session, training: Training, kind: str,
           days: list[date] | None = None) -> list[AttendanceSheet]:
    """One daftar hadir per training day (or the days asked for): everyone listed, to
    sign; blank numbered rows when nobody is listed yet."""
    org = db.get(Organization, training.organization_id)
    people = list_people(db, training, kind)
    venue, city = _place(db, training)
    rows: list[SignRow] = [_row(n, p) for n, p in enumerate(people, start=1)]
    # Officials arrive unannounced (a camat sends a deputy): room to write them in.
    extra = BLANK_ROWS if not rows else EXTRA_GUEST_ROWS if kind == "guest" else 0
    rows += [SignRow(n, "", "") for n in range(len(rows) + 1, len(rows) + extra + 1)]
    title = _("GUESTS' ATTENDANCE SHEET") if kind == "guest" \
        else _("COMMITTEE ATTENDANCE SHEET")
    second = _("Role / Position") if kind == "committee" else _("Position / Institution")
    out = []
    for day in days or training_days(db, training):
        details = [(_("Day/Date"), fmt_date(day, weekday=True))]
        if venue:
            details.append((_("Venue"), venue))
        out.append(AttendanceSheet(
            organization=org.name if org else "", title=title, training=training.title,
            details=tuple(details), columns=(_("No."), _("Name"), second, _("Signature")),
            rows=rows, place_date=f"{city}, {fmt_date(day)}" if city else fmt_date(day),
            signer=_("Organizing committee,"),
            page_label=_("Page {page} of {total}", page="{page}", total="{total}"),
            footer=f"{org.name if org else ''} \u00b7 {kind_label(kind)} \u00b7 "
                   f"{fmt_date(day)}",
            logo=org.logo_png if org else None))
    return out


def card_url(base_url: str, person: EventPerson) -> str:
    return f"{base_url}/g/{person.token}"


def cards(db: Session, training: Training, base_url: str,
          kind: str | None = None) -> list[TicketCard]:
    """One QR card per guest and committee member; the QR holds <base>/g/<token>, a
    shape the door scanner sends to the guests' check-in, never to the participants'."""
    org = db.get(Organization, training.organization_id)
    venue, _city = _place(db, training)
    dates = fmt_range(training.start_date, training.end_date)
    out = []
    for p in list_people(db, training, kind):
        label = kind_label(p.kind).upper()
        if p.kind == "committee" and p.committee_role:
            label = f"{label} \u00b7 {p.committee_role}"
        url = card_url(base_url, p)
        out.append(TicketCard(
            name=p.name, training_title=training.title,
            organization=org.name if org else "", batch_name="", dates=dates,
            venue=venue or None, code=url, ticket_url=url.split("://", 1)[-1],
            category=label,
            subtitle=" \u00b7 ".join(x for x in (p.position, p.institution) if x) or None))
    return out


def filename(kind: str, training: Training, ext: str) -> str:
    stem = "daftar-hadir-tamu" if kind == "guest" else "daftar-hadir-panitia"
    return f"{stem}-{pk(training)}.{ext}"
