"""A batch's roster with attendance per day, as plain data for the roster PDF, XLSX and
CSV and for the printed attendance sheet (daftar hadir).

A fixed number of queries whatever the batch's size: the people, then who was present on
each day (service.services.presence: the door's check-ins and the committee's marks).
Who sees what is decided here, once: a narasumber's roster never carries phone
numbers or NIK; the committee's carries NIK masked to its last 4 digits unless an
admin asks for the full export.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sqlmodel import Session, col, select

from service.errors import Forbidden
from service.i18n import N_, ngettext
from service.i18n import gettext as _
from service.i18n.formats import fmt_date, fmt_phone
from service.models import (
    Batch,
    Organization,
    Participant,
    Registration,
    Training,
    TrainingCategory,
    User,
    Venue,
)
from service.models.base import pk
from service.rendering.attendance_sheet_pdf import AttendanceSheet, Heading, SignRow
from service.rendering.roster_sheets import Cell, Column, Sheet
from service.services import places, presence, regions
from service.services.assessments import learning
from service.services.attendance import check_day
from service.services.meeting_days import days_of, every_day, label
from service.services.registrations import by_sort_name, mask_nik, mask_nip

Audience = Literal["committee", "narasumber"]
PRESENT, ABSENT = "\u2713", "\u2013"  # ✓ and an en dash (not "-", which Excel reads as a sign)
# Excused days as offices mark them on a daftar hadir: I (izin) and S (sakit).
EXCUSED = {"leave": "I", "sick": "S"}
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
    # One per day: "leave" (izin) or "sick" (sakit) when excused, else None.
    excused: tuple[str | None, ...] = ()
    nip: str | None = None
    position: str | None = None  # jabatan
    rank: str | None = None  # pangkat/golongan
    regency: str | None = None

    def region(self, level: str) -> str | None:
        return self.regency if level == "regency" else self.district


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
    # Days held away from the venue (a field visit): day -> the place as printed.
    day_places: dict[date, str] = field(default_factory=dict)
    # Pre-test and post-test scores by registration ({} without tests): spreadsheets only.
    scores: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)


def _venue(db: Session, batch: Batch, training: Training) -> Venue | None:
    venue_id = batch.venue_id or training.venue_id
    return db.get(Venue, venue_id) if venue_id else None


def roster(db: Session, training: Training, batch: Batch) -> Roster:
    """The confirmed registrations of the batch by name, each with a present flag per day
    and the excuse of an excused day, as service.services.presence says."""
    people = db.exec(
        select(col(Registration.id), col(Participant.name),  # type: ignore[call-overload]
               col(Participant.nik), col(Participant.phone), col(TrainingCategory.name),
               col(Participant.institution), col(Participant.village),
               col(Participant.district), col(Participant.nip), col(Participant.position),
               col(Participant.rank), col(Participant.regency))
        .select_from(Registration)
        .join(Participant, col(Participant.id) == Registration.participant_id)
        .outerjoin(TrainingCategory, col(TrainingCategory.id) == Registration.category_id)
        .where(Registration.batch_id == batch.id, Registration.status == "confirmed")
        # By name without front titles ("dr. Rina" under R), the same on every database.
        .order_by(by_sort_name(db), col(Registration.id))).all()
    found = presence.load(db, training, [batch])
    days = days_of(batch)
    states = {row[0]: [found.state(row[0], d) for d in days] for row in people}
    rows = [RosterRow(rid, name, nik, phone, category, institution, village, district,
                      tuple(s.present for s in states[rid]),
                      tuple(s.excuse if s.excused else None for s in states[rid]),
                      nip=nip, position=position, rank=rank, regency=regency)
            for rid, name, nik, phone, category, institution, village, district, nip,
            position, rank, regency in people]
    org = db.get(Organization, training.organization_id)
    venue = _venue(db, batch, training)
    return Roster(organization=org.name if org else "", city=org.city if org else None,
                  logo=org.logo_png if org else None, training=training, batch=batch,
                  venue=venue.name if venue else None,
                  venue_city=venue.city if venue else None, days=days, rows=rows,
                  day_places=_day_places(db, batch, venue),
                  scores=learning.scores_by_registration(db, pk(training)))


def _day_places(db: Session, batch: Batch, venue: Venue | None) -> dict[date, str]:
    own = places.day_places(db, [batch.id or 0]).get(batch.id or 0, {})
    return {d: _place(v) for d, v in own.items() if venue is None or v.id != venue.id}


def _place(venue: Venue) -> str:
    return f"{venue.name}, {venue.address}" if venue.address else venue.name


def check_nik_access(user: User | None, nik: str | None) -> bool:
    """Whether the export carries full NIKs: only when an admin asks for it."""
    if nik != "full":
        return False
    if user is None or user.role != "admin":
        raise FullNikForbidden()
    return True


def _day_label(n: int, day: date, meetings: bool = False) -> str:
    # A batch meeting on listed dates (monthly coaching) counts meetings, not days.
    label = _("Meeting {n}", n=n) if meetings else _("Day {n}", n=n)
    return f"{label} ({day.day:02d}/{day.month:02d})"


def _person_columns(r: Roster, audience: Audience, full_nik: bool, printed: bool
                    ) -> list[tuple[Column, Callable[[RosterRow], Cell]]]:
    """The columns between the name and the days, each with its value. A printed roster
    leaves out those nobody has a value in (no kelurahan or kecamatan at a provincial
    event, no NIP among cadres); a spreadsheet keeps them all, so it re-imports alike."""
    found: list[tuple[Column, Callable[[RosterRow], Cell]]] = []
    if audience == "committee":
        found += [(Column(_("NIK"), 12), lambda p: p.nik if full_nik else mask_nik(p.nik)),
                  (Column(_("NIP"), 14), lambda p: p.nip if full_nik else mask_nip(p.nip)),
                  (Column(_("Mobile number"), 10), lambda p: fmt_phone(p.phone))]
    found += [(Column(_("Position"), 14), lambda p: p.position),
              (Column(_("Rank (pangkat/golongan)"), 12), lambda p: p.rank),
              (Column(_("Category"), 9), lambda p: p.category),
              (Column(_("Institution"), 15), lambda p: p.institution),
              (Column(_("Kelurahan/Desa"), 10), lambda p: p.village),
              (Column(_("Kecamatan"), 10), lambda p: p.district),
              (Column(_("Kabupaten/Kota"), 11), lambda p: p.regency)]
    if printed and r.rows:
        found = [(c, value) for c, value in found if any(value(p) for p in r.rows)]
    return found


def sheet(r: Roster, audience: Audience, full_nik: bool = False,
          today: date | None = None, printed: bool = False) -> Sheet:
    """The roster as one table for PDF (printed), XLSX and CSV, with the audience's
    columns."""
    middle = _person_columns(r, audience, full_nik, printed)
    columns = [Column(_("No."), 3, "right"), Column(_("Name"), 20), *(c for c, _v in middle)]
    meetings = not every_day(r.batch)
    columns += [Column(_day_label(i, d, meetings), 5, "center")
                for i, d in enumerate(r.days, start=1)]
    # The learning results ride along in the spreadsheets (the printed roster keeps its
    # room for signatures).
    scored = bool(r.scores) and not printed and audience == "committee"
    if scored:
        columns += [Column(_("Pre-test"), 6, "right"), Column(_("Post-test"), 6, "right")]
    rows: list[list[Cell]] = []
    for n, p in enumerate(r.rows, start=1):
        row: list[Cell] = [n, p.name, *(value(p) for _c, value in middle)]
        row += [_day_cell(p, i) for i in range(len(p.present))]
        if scored:
            row += list(r.scores.get(p.registration_id, (None, None)))
        rows.append(row)
    b = r.batch
    heading = [r.training.title, f"{b.name} \u00b7 {label(b)}"]
    if r.venue:
        heading.append(r.venue)
    footer = r.organization
    if today is not None:
        # Outside the f-string: Babel's extractor does not look into f-strings.
        printed_on = _("Printed on {date}", date=fmt_date(today))
        footer += f" \u00b7 {printed_on}"
    note = (_("{present} present, {absent} absent, {leave} excused (izin), {sick} sick "
              "(sakit).", present=PRESENT, absent=ABSENT, leave=EXCUSED["leave"],
              sick=EXCUSED["sick"])
            if r.rows else _("No participants in this batch yet."))
    return Sheet(title=_("PARTICIPANT LIST"), organization=r.organization,
                 heading=tuple(heading), columns=tuple(columns), rows=rows,
                 sheet_name=b.name, note=note,
                 page_label=_("Page {page} of {total}", page="{page}", total="{total}"),
                 footer=footer)


def _day_cell(p: RosterRow, i: int) -> str:
    if p.present[i]:
        return PRESENT
    excuse = p.excused[i] if i < len(p.excused) else None
    return EXCUSED.get(excuse or "", ABSENT)


def _sign_row(n: int, p: RosterRow, level: str, with_region: bool) -> SignRow:
    # The committee prints the daftar hadir: a NIP shows its last 4 digits, like a NIK.
    nip = mask_nip(p.nip)
    return SignRow(n, p.name, p.institution or "", note=f"NIP {nip}" if nip else "",
                   # The jabatan; the pangkat is on the roster, not needed to sign.
                   detail=p.position or "",
                   region=(p.region(level) or "") if with_region else "")


def _groups(r: Roster, level: str) -> list[tuple[str | None, list[RosterRow]]]:
    """The people by region, regions alphabetical, those without one last."""
    groups: dict[str | None, list[RosterRow]] = {}
    shown: dict[str | None, str] = {}
    for p in r.rows:
        key = regions.key(p.region(level))
        groups.setdefault(key, []).append(p)
        shown.setdefault(key, " ".join((p.region(level) or "").split()))
    order = sorted(groups, key=lambda k: (k is None, k or ""))
    return [(shown[k] if k is not None else None, groups[k]) for k in order]


def attendance_sheet(r: Roster, day: date, grouped: bool = False) -> AttendanceSheet:
    """The daftar hadir of one day of the batch: everyone confirmed, to sign; as one
    list, or (grouped) one section per kecamatan or kabupaten/kota, each numbered from 1."""
    check_day(r.batch, day)
    level = regions.level(r.training)
    with_region = not grouped and any(p.region(level) for p in r.rows)
    rows: list[SignRow | Heading] = []
    if grouped and r.rows:
        for name, people in _groups(r, level):
            title = name or _(regions.BLANK[level])
            count = ngettext("{n} person", "{n} people", len(people))
            rows.append(Heading(f"{title} ({count})"))
            rows += [_sign_row(n, p, level, False) for n, p in enumerate(people, start=1)]
    else:
        rows += [_sign_row(n, p, level, with_region) for n, p in enumerate(r.rows, start=1)]
    if not rows:
        rows = [SignRow(n, "", "") for n in range(1, BLANK_ROWS + 1)]
    details = [(_("Batch"), r.batch.name), (_("Day/Date"), fmt_date(day, weekday=True))]
    # A day held elsewhere (a field visit) prints that day's place, not the hotel's.
    place = r.day_places.get(day) or r.venue
    if place:
        details.append((_("Venue"), place))
    city = r.city or r.venue_city
    place_date = f"{city}, {fmt_date(day)}" if city else fmt_date(day)
    # Headers name what the cells hold: no "NIP" over a sheet of cadres without one.
    columns: tuple[str, ...] = (
        _("No."), _("Name / NIP") if any(p.nip for p in r.rows) else _("Name"),
        _("Position / Institution") if any(p.position for p in r.rows)
        else _("Institution"))
    if with_region:
        columns += (regions.label(r.training),)
    return AttendanceSheet(
        organization=r.organization, title=_("ATTENDANCE SHEET"), training=r.training.title,
        details=tuple(details), columns=(*columns, _("Signature")), rows=rows,
        place_date=place_date, signer=_("Organizing committee,"),
        page_label=_("Page {page} of {total}", page="{page}", total="{total}"),
        footer=f"{r.organization} \u00b7 {r.batch.name} \u00b7 {fmt_date(day)}",
        logo=r.logo)


def filename(kind: str, batch: Batch, ext: str, day: date | None = None) -> str:
    """daftar-peserta-angkatan-i.pdf, daftar-hadir-angkatan-i-2018-09-12.pdf"""
    stem = re.sub(r"[^a-z0-9]+", "-", batch.name.casefold()).strip("-") or f"batch-{batch.id}"
    suffix = f"-{day.isoformat()}" if day else ""
    return f"{kind}-{stem}{suffix}.{ext}"
