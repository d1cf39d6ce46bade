"""The figures of a training's activity report (laporan kegiatan): who registered, who
came on each day of each batch, the breakdowns by category, gender, kecamatan and
kabupaten/kota, the agenda with its narasumber, and the certificates issued.

Pure queries: a fixed number of them whatever the number of participants, aggregated
here into the renderer's plain dataclasses (service.rendering.activity_report_pdf owns
them, as every renderer owns its input), which the page and the JSON API read too.

Definitions (the same everywhere the report is shown):
- registered: confirmed registrations (waitlisted and cancelled are counted apart);
- present on a day: as service.services.presence says, on a day of the person's own
  batch (checked in that day, for the day or at any of its sessions, unless the committee
  marked otherwise after the day; a day excused with izin or sakit is not present, and
  is counted apart);
- attended: present on at least one day; complete: present on every day of the batch;
- attendance rate: person-days present / person-days expected (confirmed x batch days).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import and_, case, func
from sqlmodel import Session, col, select

from service.models import (
    GENDER_LABELS,
    Certificate,
    Organization,
    Participant,
    Registration,
    Training,
    TrainingCategory,
)
from service.rendering.activity_report_pdf import (
    ActivityReport,
    AgendaLine,
    BatchAgenda,
    BatchFigures,
    Breakdown,
    DayCount,
    SpeakerLine,
)
from service.services import (
    learning_charts,
    presence,
    registrations,
    report_evaluation,
    report_photos,
    report_signature,
    report_texts,
)
from service.services.grouping import Groups
from service.services.guests import report as guests_report
from service.services.overview import training_overview
from service.services.speakers import display_name


def _breakdown(groups: Groups, by_count: bool = False) -> list[Breakdown]:
    """Registered and attended per name: in the given order (categories, gender), or the
    largest first (regions)."""
    return [Breakdown(name, *counts) for name, counts in groups.rows(by_count)]


def _people(db: Session, training: Training) -> list[tuple[int, int | None, str | None, int,
                                                          str | None, str | None, str | None]]:
    """Every confirmed registration: id, batch, category and its position, gender,
    kecamatan, kabupaten/kota."""
    rows = db.exec(
        select(col(Registration.id), col(Registration.batch_id),  # type: ignore[call-overload]
               col(TrainingCategory.name), col(TrainingCategory.position),
               col(Participant.gender), col(Participant.district), col(Participant.regency))
        .select_from(Registration)
        .join(Participant, col(Participant.id) == Registration.participant_id)
        .outerjoin(TrainingCategory, col(TrainingCategory.id) == Registration.category_id)
        .where(Registration.training_id == training.id, Registration.status == "confirmed")
        .order_by(col(Registration.id))).all()
    return [(rid, bid, cat, pos if pos is not None else 1 << 30, gender, district, regency)
            for rid, bid, cat, pos, gender, district, regency in rows]


def _certificates(db: Session, training: Training) -> tuple[int, int]:
    """(issued, revoked) for the training's registrations."""
    issued, revoked = db.exec(
        select(func.count(col(Certificate.id)),
               func.coalesce(func.sum(case((col(Certificate.revoked_at).is_not(None), 1),
                                           else_=0)), 0))
        .join(Registration, and_(col(Registration.id) == Certificate.registration_id,
                                 col(Registration.training_id) == training.id))).one()
    return int(issued or 0), int(revoked or 0)


def _speakers(agenda: Iterable[tuple[str, list[tuple[str, str | None, int]]]]
              ) -> list[SpeakerLine]:
    """Each narasumber once, with their sessions, JPL and batches, in name order."""
    found: dict[tuple[str, str | None], list[int]] = {}
    batches: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for batch, entries in agenda:
        for name, institution, jpl in entries:
            counts = found.setdefault((name, institution), [0, 0])
            counts[0] += 1
            counts[1] += jpl
            if batch not in batches[(name, institution)]:
                batches[(name, institution)].append(batch)
    return [SpeakerLine(name, inst, n, jpl, batches[(name, inst)])
            for (name, inst), (n, jpl) in sorted(found.items(),
                                                 key=lambda kv: (kv[0][0].casefold(),
                                                                 kv[0][1] or ""))]


def filename(report: ActivityReport) -> str:
    """The PDF's file name: laporan-kegiatan- and the start of the training's title."""
    return f"laporan-kegiatan-{report.title[:60]}.pdf"


def docx_filename(report: ActivityReport) -> str:
    return f"laporan-kegiatan-{report.title[:60]}.docx"


def activity_report(db: Session, training: Training, *, photos: bool = False) -> ActivityReport:
    """Every figure of the training's activity report, as of now; with `photos`, the
    photos' images too (the documents print them; the page and the JSON link to them)."""
    tid = training.id or 0
    org = db.get(Organization, training.organization_id)
    ov = training_overview(db, training)
    counts = registrations.status_counts(db, tid)
    found = presence.load(db, training)
    people = _people(db, training)

    batch_days = {b.batch.id: b.days for b in ov.batches}
    by_batch: dict[int, list[int]] = defaultdict(list)
    category, gender, district, regency = Groups(fold=False), Groups(fold=False), Groups(), \
        Groups()
    unassigned = 0
    present: dict[int, list[date]] = {}
    for rid, bid, cat, position, sex, kecamatan, kabupaten in people:
        if bid is None or bid not in batch_days:
            unassigned += 1
        else:
            by_batch[bid].append(rid)
        present[rid] = found.days_present(rid, batch_days.get(bid, [])) if bid else []
        came = int(bool(present[rid]))
        category.add(cat, 1, came, order=position)
        sex_code = (sex or "").strip().upper()
        gender.add(sex_code if sex_code in GENDER_LABELS else None, 1, came,
                   order=list(GENDER_LABELS).index(sex_code) if sex_code in GENDER_LABELS
                   else 9)
        district.add(kecamatan, 1, came)
        regency.add(kabupaten, 1, came)

    figures: list[BatchFigures] = []
    per_day: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for info in ov.batches:
        b = info.batch
        members = by_batch.get(b.id or 0, [])
        days = []
        for d in info.days:
            here = sum(1 for rid in members if d in present.get(rid, ()))
            away = sum(1 for rid in members if found.state(rid, d).excused)
            days.append(DayCount(d, len(members), here, away))
            per_day[d][0] += len(members)
            per_day[d][1] += here
            per_day[d][2] += away
        n_days = len(info.days)
        figures.append(BatchFigures(
            id=b.id or 0, name=b.name, start_date=b.start_date, end_date=b.end_date,
            venue=info.venue.name if info.venue else None, capacity=b.capacity,
            registered=len(members), days=days,
            attended=sum(1 for rid in members if present.get(rid)),
            complete=sum(1 for rid in members if len(present.get(rid, ())) >= n_days)))

    agenda: list[BatchAgenda] = []
    speaker_entries: list[tuple[str, list[tuple[str, str | None, int]]]] = []
    for info in ov.batches:
        lines = [AgendaLine(i.session.date, i.session.start_time, i.session.end_time,
                            i.session.title, i.session.kind, i.session.jpl,
                            [display_name(s) + (f" ({s.institution})" if s.institution else "")
                             for s in i.speakers])
                 for i in info.sessions]
        agenda.append(BatchAgenda(info.batch.name, lines))
        speaker_entries.append((info.batch.name, [
            (display_name(s), s.institution, i.session.counted_jpl)
            for i in info.sessions for s in i.speakers]))

    venues: list[str] = []
    for v in [ov.venue, *(b.venue for b in ov.batches)]:
        if v is not None:
            label = v.name + (f", {v.city}" if v.city and v.city not in v.name else "")
            if label not in venues:
                venues.append(label)
    # The signature block: as the committee set it, else the venue's city and last day.
    signer = report_signature.current(db, training, org, [b.venue for b in ov.batches])
    issued, revoked = _certificates(db, training)
    return ActivityReport(
        training_id=tid, organization=org.name if org else "",
        organization_city=org.city if org else None, logo_png=org.logo_png if org else None,
        title=training.title, kind=training.kind, start_date=training.start_date,
        end_date=training.end_date, timezone=training.timezone,
        checkin_mode=training.checkin_mode, venues=venues,
        confirmed=counts["confirmed"], waitlisted=counts["waitlisted"],
        cancelled=counts["cancelled"], batches=figures,
        days=[DayCount(d, *per_day[d]) for d in sorted(per_day)],
        by_category=_breakdown(category), by_gender=_breakdown(gender),
        by_district=_breakdown(district, by_count=True),
        by_regency=_breakdown(regency, by_count=True),
        agenda=agenda, speakers=_speakers(speaker_entries),
        certificates_issued=issued, certificates_revoked=revoked,
        place=signer.place, report_date=signer.signed_on or training.end_date,
        unassigned=unassigned, signer=signer,
        learning=learning_charts.figures(db, training),
        texts=report_texts.current(db, training),
        evaluation=report_evaluation.figures(db, training),
        photos=report_photos.report_items(db, training) if photos else [],
        people=guests_report.figures(db, training))
