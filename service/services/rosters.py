"""A batch's roster with attendance per day, as plain data for the roster PDF, XLSX and
CSV and for the printed attendance sheet (daftar hadir).

Two queries whatever the batch's size: the people, then their check-in days.
Who sees what is decided here, once: a narasumber's roster never carries phone
numbers or NIK; the committee's carries NIK masked to its last 4 digits unless an
admin asks for the full export.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlmodel import Session, col, select

from service.errors import Forbidden
from service.i18n import N_
from service.i18n import gettext as _
from service.i18n.formats import fmt_date, fmt_phone, fmt_range
from service.models import (
    Batch,
    CheckIn,
    Organization,
    Participant,
    Registration,
    Training,
    TrainingCategory,
    User,
    Venue,
)
from service.rendering.attendance_sheet_pdf import AttendanceSheet, SignRow
from service.rendering.roster_sheets import Cell, Column, Sheet
from service.services.attendance import check_day
from service.services.registrations import mask_nik
from service.services.trainings import days_between

Audience = Literal["committee", "narasumber"]
PRESENT, ABSENT = "\u2713", "\u2013"  # ✓ and an en dash (not "-", which Excel reads as a sign)
# Rows printed for a batch nobody is in yet, to fill in by hand at the door.
BLANK_ROWS = 15


class FullNikForbidden(Forbidden):
    code, message = "full_nik_admin_only", N_(
        "Only an admin may export full NIK numbers.")


@dataclass(frozen=True)
class RosterRow:
    registration_id: int
    name: str
    nik: str | None
    phone: str | None
    category: str | None
    institution: str | None
    village: str | None
    district: str | None
    present: tuple[bool, ...]  # one per day of the batch


@dataclass(frozen=True)
class Roster:
    organization: str
    city: str | None
    logo: bytes | None
    training: Training
    batch: Batch
    venue: str | None
    venue_city: str | None
    days: list[date]
    rows: list[RosterRow]


def _venue(db: Session, batch: Batch, training: Training) -> Venue | None:
    venue_id = batch.venue_id or training.venue_id
    return db.get(Venue, venue_id) if venue_id else None


def roster(db: Session, training: Training, batch: Batch) -> Roster:
    """The confirmed registrations of the batch by name, each with a present flag per day
    (present: checked in that day, for the day or at any of its sessions)."""
    people = db.exec(
        select(col(Registration.id), col(Participant.name),  # type: ignore[call-overload]
               col(Participant.nik), col(Participant.phone), col(TrainingCategory.name),
               col(Participant.institution), col(Participant.village),
               col(Participant.district))
        .select_from(Registration)
        .join(Participant, col(Participant.id) == Registration.participant_id)
        .outerjoin(TrainingCategory, col(TrainingCategory.id) == Registration.category_id)
        .where(Registration.batch_id == batch.id, Registration.status == "confirmed")).all()
    seen = set(db.exec(
        select(col(CheckIn.registration_id), col(CheckIn.day))
        .join(Registration, col(Registration.id) == CheckIn.registration_id)
        .where(Registration.batch_id == batch.id, Registration.status == "confirmed",
               col(CheckIn.day) >= batch.start_date, col(CheckIn.day) <= batch.end_date)
        .distinct()).all())
    days = days_between(batch.start_date, batch.end_date)
    # Sorted here, not by the database: "abdul" typed in lower case and "Ḥalimah" with a
    # diacritic file among the others, the same on SQLite and PostgreSQL.
    people = sorted(people, key=lambda row: (sort_key(row[1]), row[0]))
    rows = [RosterRow(rid, name, nik, phone, category, institution, village, district,
                      tuple((rid, d) in seen for d in days))
            for rid, name, nik, phone, category, institution, village, district in people]
    org = db.get(Organization, training.organization_id)
    venue = _venue(db, batch, training)
    return Roster(organization=org.name if org else "", city=org.city if org else None,
                  logo=org.logo_png if org else None, training=training, batch=batch,
                  venue=venue.name if venue else None,
                  venue_city=venue.city if venue else None, days=days, rows=rows)


def sort_key(name: str) -> str:
    """A name as an alphabetical list orders it: without case or diacritics."""
    plain = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()


def check_nik_access(user: User | None, nik: str | None) -> bool:
    """Whether the export carries full NIKs: only when an admin asks for it."""
    if nik != "full":
        return False
    if user is None or user.role != "admin":
        raise FullNikForbidden()
    return True


def _day_label(n: int, day: date) -> str:
    return f"{_('Day {n}', n=n)} ({day.day:02d}/{day.month:02d})"


def sheet(r: Roster, audience: Audience, full_nik: bool = False,
          today: date | None = None) -> Sheet:
    """The roster as one table for PDF, XLSX and CSV, with the audience's columns."""
    committee = audience == "committee"
    columns = [Column(_("No."), 3, "right"), Column(_("Name"), 20)]
    if committee:
        columns += [Column(_("NIK"), 12), Column(_("Mobile number"), 10)]
    columns += [Column(_("Category"), 9), Column(_("Institution"), 15),
                Column(_("Kelurahan/Desa"), 10), Column(_("Kecamatan"), 10)]
    columns += [Column(_day_label(i, d), 5, "center") for i, d in enumerate(r.days, start=1)]
    rows: list[list[Cell]] = []
    for n, p in enumerate(r.rows, start=1):
        row: list[Cell] = [n, p.name]
        if committee:
            row += [p.nik if full_nik else mask_nik(p.nik), fmt_phone(p.phone)]
        row += [p.category, p.institution, p.village, p.district]
        row += [PRESENT if here else ABSENT for here in p.present]
        rows.append(row)
    b = r.batch
    heading = [r.training.title, f"{b.name} \u00b7 {fmt_range(b.start_date, b.end_date)}"]
    if r.venue:
        heading.append(r.venue)
    footer = r.organization
    if today is not None:
        footer += f" \u00b7 {_('Printed on {date}', date=fmt_date(today))}"
    note = (_("{present} present, {absent} absent.", present=PRESENT, absent=ABSENT)
            if r.rows else _("No participants in this batch yet."))
    return Sheet(title=_("PARTICIPANT LIST"), organization=r.organization,
                 heading=tuple(heading), columns=tuple(columns), rows=rows,
                 sheet_name=b.name, note=note,
                 page_label=_("Page {page} of {total}", page="{page}", total="{total}"),
                 footer=footer)


def attendance_sheet(r: Roster, day: date) -> AttendanceSheet:
    """The daftar hadir of one day of the batch: everyone confirmed, to sign."""
    check_day(r.batch, day)
    rows = [SignRow(n, p.name, p.institution or "") for n, p in enumerate(r.rows, start=1)]
    if not rows:
        rows = [SignRow(n, "", "") for n in range(1, BLANK_ROWS + 1)]
    details = [(_("Batch"), r.batch.name), (_("Day/Date"), fmt_date(day, weekday=True))]
    if r.venue:
        details.append((_("Venue"), r.venue))
    city = r.city or r.venue_city
    place_date = f"{city}, {fmt_date(day)}" if city else fmt_date(day)
    return AttendanceSheet(
        organization=r.organization, title=_("ATTENDANCE SHEET"), training=r.training.title,
        details=tuple(details),
        columns=(_("No."), _("Name"), _("Institution"), _("Signature")), rows=rows,
        place_date=place_date, signer=_("Organizing committee,"),
        page_label=_("Page {page} of {total}", page="{page}", total="{total}"),
        footer=f"{r.organization} \u00b7 {r.batch.name} \u00b7 {fmt_date(day)}",
        logo=r.logo)


def filename(kind: str, batch: Batch, ext: str, day: date | None = None) -> str:
    """daftar-peserta-angkatan-i.pdf, daftar-hadir-angkatan-i-2018-09-12.pdf"""
    stem = re.sub(r"[^a-z0-9]+", "-", batch.name.casefold()).strip("-") or f"batch-{batch.id}"
    suffix = f"-{day.isoformat()}" if day else ""
    return f"{kind}-{stem}{suffix}.{ext}"
