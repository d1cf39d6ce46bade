"""The retention setting: an organization may erase the participants whose last training
ended more than N years ago (off by default). Nobody goes unannounced: each run of the
worker first lists the candidates (the preview page shows them, with the day they go),
and erases only people listed for at least GRACE_DAYS; someone who takes part in a newer
training drops off the list. Each erasure is recorded as a request approved by
"retensi otomatis". The nominations of trainings past the cutoff go too (unit_papers.py:
delegates never accepted, and the units' surat tugas), no sooner than GRACE_DAYS after the
setting took its present value and after the training passed the cutoff."""

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from service.errors import FieldError, NotFound
from service.i18n import N_
from service.models import Organization, Participant, Registration, Training
from service.models.base import as_utc, pk, utcnow
from service.models.erasure import ErasureRequest, RetentionListing
from service.services.erasure import requests, unit_papers

log = logging.getLogger(__name__)

GRACE_DAYS = 7
MAX_YEARS = 50
# The worker looks at the setting at most this often (the candidates' query reads every
# registration of the office).
RUN_EVERY_SECONDS = 3600.0
PREVIEW_LIMIT = 500
_last_run = 0.0


@dataclass(frozen=True)
class Candidate:
    participant_id: int
    name: str
    last_training_id: int | None
    last_training: str
    last_end: date


@dataclass(frozen=True)
class PreviewItem:
    candidate: Candidate
    listed_at: datetime | None  # None: listed on the worker's next run
    erase_on: date


@dataclass(frozen=True)
class Preview:
    years: int | None
    cutoff: date | None
    items: list[PreviewItem]
    total: int
    # The nominations of trainings that ended before the cutoff (unit_papers.py), and
    # the first day they may go.
    papers: unit_papers.Papers = unit_papers.Papers(0, 0)
    papers_on: date | None = None


def cutoff(today: date, years: int) -> date:
    """The day N years before today (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def set_years(db: Session, org_id: int, years: int | None, now: datetime | None = None
              ) -> Organization:
    """Turn the setting on (1..50 years) or off (None); the list follows at once."""
    if years is not None and not 1 <= years <= MAX_YEARS:
        raise FieldError("years", N_("Choose between {low} and {high} years, or turn the "
                                     "setting off."), low=1, high=MAX_YEARS)
    org = db.get(Organization, org_id)
    if org is None:
        raise NotFound()
    now = now or utcnow()
    if years != org.retention_years:
        # A new period makes other trainings due: announced afresh.
        org.retention_since = None if years is None else now
    org.retention_years = years
    db.add(org)
    db.flush()
    refresh(db, org, now)
    return org


def _papers_from(org: Organization, now: datetime) -> datetime:
    """The first moment the setting may remove nominations: GRACE_DAYS after it took its
    present value (from now, should that moment be unknown)."""
    return as_utc(org.retention_since or now) + timedelta(days=GRACE_DAYS)


def candidates(db: Session, org_id: int, years: int, today: date,
               limit: int | None = None) -> tuple[list[Candidate], int]:
    """The people not yet erased whose every training ended before the cutoff, oldest
    last training first; and how many there are."""
    last_end = func.max(Training.end_date)
    erased = select(ErasureRequest.participant_id).where(
        ErasureRequest.organization_id == org_id, ErasureRequest.status == "approved",
        col(ErasureRequest.participant_id).is_not(None))
    query = (select(Registration.participant_id, last_end)
             .join(Training, col(Training.id) == Registration.training_id)
             .where(Training.organization_id == org_id,
                    col(Registration.participant_id).not_in(erased))
             .group_by(col(Registration.participant_id))
             .having(last_end < cutoff(today, years)))
    found = [(int(pid), end) for pid, end in db.exec(query).all()]
    total = len(found)
    found.sort(key=lambda x: (x[1], x[0]))
    if limit is not None:
        found = found[:limit]
    ids = [pid for pid, _end in found]
    names: dict[int, str] = {}
    trainings: dict[int, tuple[int, str, date]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        names.update({int(i or 0): n for i, n in db.exec(
            select(col(Participant.id), col(Participant.name))
            .where(col(Participant.id).in_(chunk)))})
        for pid, tid, title, end in db.exec(
                select(col(Registration.participant_id), col(Training.id),
                       col(Training.title), col(Training.end_date))
                .join(Training, col(Training.id) == Registration.training_id)
                .where(col(Registration.participant_id).in_(chunk))):
            if pid not in trainings or (end, tid) > (trainings[pid][2], trainings[pid][0]):
                trainings[pid] = (int(tid or 0), title, end)
    out = [Candidate(pid, names.get(pid, ""), trainings[pid][0] if pid in trainings else None,
                     trainings[pid][1] if pid in trainings else "", end)
           for pid, end in found]
    return out, total


def refresh(db: Session, org: Organization, now: datetime) -> int:
    """Bring the list in step with the setting: new candidates listed (from now), those
    no longer candidates taken off; how many are listed."""
    if org.retention_years is None:
        db.execute(delete(RetentionListing)
                   .where(col(RetentionListing.organization_id) == org.id)
                   .execution_options(synchronize_session=False))
        db.flush()
        return 0
    found, _total = candidates(db, pk(org), org.retention_years, now.date())
    wanted = {c.participant_id: c for c in found}
    listed = {row.participant_id: row for row in db.exec(
        select(RetentionListing).where(RetentionListing.organization_id == org.id))}
    for pid, row in listed.items():
        if pid not in wanted:
            db.delete(row)
    for pid, c in wanted.items():
        if pid not in listed:
            db.add(RetentionListing(organization_id=pk(org), participant_id=pid,
                                    last_training_id=c.last_training_id,
                                    last_training_end=c.last_end, listed_at=now))
    db.flush()
    return len(wanted)


def preview(db: Session, org_id: int, now: datetime | None = None) -> Preview:
    """Who the setting would erase, and when: listed people GRACE_DAYS after they were
    listed; people not listed yet GRACE_DAYS after the worker's next run."""
    now = now or utcnow()
    org = db.get(Organization, org_id)
    years = org.retention_years if org is not None else None
    if org is None or years is None:
        return Preview(None, None, [], 0)
    found, total = candidates(db, org_id, years, now.date(), PREVIEW_LIMIT)
    listed = {row.participant_id: as_utc(row.listed_at) for row in db.exec(
        select(RetentionListing).where(RetentionListing.organization_id == org_id,
                                       col(RetentionListing.participant_id).in_(
                                           [c.participant_id for c in found])))}
    items = []
    for c in found:
        at = listed.get(c.participant_id)
        items.append(PreviewItem(c, at, ((at or now) + timedelta(days=GRACE_DAYS)).date()))
    day = cutoff(now.date(), years)
    return Preview(years, day, items, total, unit_papers.count(db, org_id, day),
                   max(_papers_from(org, now), now).date())


def run(db: Session, now: datetime) -> int:
    """One pass over every organization with the setting on: refresh its list, erase the
    people listed for GRACE_DAYS or more, remove the nominations of trainings past the
    cutoff for as long; how many people were erased."""
    erased = 0
    for org in db.exec(select(Organization)
                       .where(col(Organization.retention_years).is_not(None))).all():
        refresh(db, org, now)
        due = db.exec(select(RetentionListing).where(
            RetentionListing.organization_id == org.id,
            col(RetentionListing.listed_at) <= now - timedelta(days=GRACE_DAYS))).all()
        for row in due:
            person = db.get(Participant, row.participant_id)
            if person is not None:
                requests.erase_by_retention(db, person, org.retention_years or 0, now)
                erased += 1
        if org.retention_since is None:
            # On before its moment was kept (set in the database): announced from now.
            org.retention_since = now
            db.add(org)
        if now < _papers_from(org, now):
            continue
        papers = unit_papers.remove(db, pk(org), unit_papers.due_before(
            cutoff(now.date(), org.retention_years or 0), GRACE_DAYS))
        if papers.nominees or papers.letters:
            log.info("retention: organization %s: %d unaccepted delegates and %d surat tugas "
                     "removed", org.id, papers.nominees, papers.letters)
    return erased


def run_in_worker(engine: Engine, now: datetime) -> int:
    """The worker's hook: at most once every RUN_EVERY_SECONDS, its own session."""
    global _last_run
    if time.monotonic() - _last_run < RUN_EVERY_SECONDS and _last_run:
        return 0
    _last_run = time.monotonic()
    try:
        with Session(engine, expire_on_commit=False) as db:
            erased = run(db, now)
            db.commit()
    except Exception:  # noqa: BLE001 (a failed pass must not stop the messages)
        log.exception("retention: pass failed; trying again later")
        return 0
    if erased:
        log.info("retention: %d people erased", erased)
    return erased
