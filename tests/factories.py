"""Test data built through the services, the way the app builds it: organizations,
users, trainings with categories, batches, narasumber and sessions, registrations (one
or in bulk), ticket codes, check-ins, certificate templates and certificates.

A test module builds its world here unless it tests the HTTP contract itself
(design.md, convention 16): a service call is a fraction of a request's cost, and a
broken request then fails the test about that request, not every test that needed data.

Each function flushes and returns the row it made; none commits (the `db` fixture's
transaction is rolled back after each test). `committed(db)` marks the world as
built, for tests whose requests may fail and roll back their own work only.
"""

import secrets
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from service.models import (
    AgendaSession,
    Batch,
    Certificate,
    Organization,
    Registration,
    Speaker,
    Training,
    User,
    Venue,
)
from service.models.base import pk
from service.schemas import participants, planning
from service.schemas.certificates import TemplateUpdate
from service.schemas.planning import (
    BatchCreate,
    CategoryIn,
    SessionCreate,
    SpeakerCreate,
    TrainingCreate,
)
from service.services import (
    agenda,
    attendance_records,
    auth,
    checkins,
    imports,
    overview,
    registrations,
    speakers,
    tickets,
    trainings,
    venues,
)
from service.services.auth import Principal
from service.services.certificates import issuing as certificate_issuing
from service.services.certificates import template as certificate_template
from service.services.checkins import Outcome, ScanIn
from tests.conftest import PASSWORD

# Padang, 12 September 2018: the first day of Angkatan I and II (design.md).
DAY1 = date(2018, 9, 12)


def committed(db: Session) -> None:
    """Commit what was built (a savepoint inside the test's transaction): a request that
    fails later rolls back its own work, not the world."""
    db.commit()


# --- accounts -----------------------------------------------------------------------------

def organization(db: Session, name: str = "DP3AP2KB Kota Padang") -> Organization:
    return auth.get_or_create_organization(db, name)


def user(db: Session, org: Organization, role: str = "committee", name: str = "Panitia",
         email: str | None = None, training: Training | None = None) -> User:
    """An account with the suite's PASSWORD; `training` limits a scanner to it."""
    made = auth.create_user(db, email=email or f"{secrets.token_hex(5)}@{role}.test",
                            password=PASSWORD, name=name, role=role, organization=org)
    if training is not None:
        made.training_id = pk(training)
        db.add(made)
        db.flush()
    return made


def superuser(db: Session, org: Organization, email: str = "pusat@bimtek.test") -> User:
    """An admin of `org` who may also set up new offices (as `create-admin --superuser`)."""
    return auth.create_admin(db, email, PASSWORD, org.name, superuser=True)


def venue(db: Session, org: Organization, name: str = "Hotel Pangeran Beach",
          city: str | None = "Padang", rooms: Sequence[str] = ()) -> Venue:
    return venues.create_venue(db, pk(org), planning.VenueCreate(name=name, city=city,
                                                                 rooms=list(rooms)))


def principal(account: User) -> Principal:
    """The user as the check-in service sees who scans."""
    return Principal(id=pk(account), organization_id=account.organization_id,
                     training_id=account.training_id, name=account.name, role=account.role)


# --- planning -----------------------------------------------------------------------------

def training(db: Session, org: Organization, title: str = "Pelatihan Kader Kampung KB",
             start: date = DAY1, days: int = 11,
             categories: Sequence[str | tuple[str, int]] = ("Kader BKB", "PKB"),
             mode: str = "day", timezone: str = "Asia/Jakarta", kind: str = "pelatihan",
             **fields: Any) -> Training:
    """A training of `days` calendar days from `start`; a category is a name, or
    (name, quota)."""
    cats = [CategoryIn(name=c) if isinstance(c, str) else CategoryIn(name=c[0], quota=c[1])
            for c in categories]
    return trainings.create_training(db, pk(org), TrainingCreate(
        title=title, kind=kind, start_date=start, end_date=start + timedelta(days=days - 1),
        timezone=timezone, checkin_mode=mode, categories=cats, **fields))


def batch(db: Session, t: Training, name: str = "Angkatan I", start: date | None = None,
          days: int = 2, capacity: int = 50, **fields: Any) -> Batch:
    """A batch of `days` days from `start` (the training's first day by default)."""
    first = start or t.start_date
    return trainings.create_batch(db, t, BatchCreate(
        name=name, start_date=first, end_date=first + timedelta(days=days - 1),
        capacity=capacity, **fields))


def speaker(db: Session, org: Organization, name: str = "Dr. Siti Rahma",
            **fields: Any) -> Speaker:
    return speakers.create_speaker(db, pk(org), SpeakerCreate(name=name, **fields))


def session(db: Session, t: Training, b: Batch, title: str = "Kesehatan Reproduksi Remaja",
            day: date | None = None, start: time = time(8), end: time = time(9, 30),
            jpl: int = 2, teachers: Iterable[Speaker] = (), **fields: Any) -> AgendaSession:
    """A session of the batch's timetable (on its first day by default)."""
    return agenda.save_session(db, t.organization_id, b, t, SessionCreate(
        title=title, date=day or b.start_date, start_time=start, end_time=end, jpl=jpl,
        speaker_ids=[pk(s) for s in teachers], **fields))


# --- participants -----------------------------------------------------------------------

def register(db: Session, t: Training, b: Batch | None = None, name: str = "Siti Rahmawati",
             **fields: Any) -> Registration:
    """One registration as the committee's form makes it: confirmed while `b` (or any
    batch) has a seat. `fields` are the form's (nik, phone, category, district, ...)."""
    raw = {"name": name, **{k: v for k, v in fields.items() if v is not None}}
    reg = registrations.register(db, t, raw, pk(b) if b is not None else None)
    # The seat was taken by an UPDATE in the database: the batch as loaded here still
    # shows the old count until it is read again.
    for loaded in (b, db.get(Batch, reg.batch_id) if reg.batch_id else None):
        if loaded is not None:
            db.expire(loaded, ["confirmed_count"])
    return reg


def kader(n: int) -> dict[str, str]:
    """The n-th (0-based, n < 90) made-up cadre: a name with an apostrophe, a phone and
    a NIK that pass the checks, alternating kecamatan and category."""
    assert 0 <= n < 90, "the NIK has room for 90 cadres"
    return {"name": f"Kader {n + 1:02d} Nur'aini", "phone": f"0812663400{n:02d}",
            "nik": f"13710152038500{n + 10:02d}",
            "district": "Padang Utara" if n % 2 else "Kuranji",
            "category": "Kader BKB" if n % 2 else "PKB"}


def register_many(db: Session, t: Training, b: Batch | None, count: int,
                  first: int = 0) -> list[Registration]:
    """`count` cadres (kader(first) onwards) registered into `b`."""
    return [register(db, t, b, **kader(n)) for n in range(first, first + count)]


def ticket_code(db: Session, reg: Registration) -> str:
    """The QR text of a confirmed registration's ticket."""
    assert reg.batch_id is not None, "only a registration with a batch has a ticket"
    t = db.get(Training, reg.training_id)
    b = db.get(Batch, reg.batch_id)
    assert t is not None and b is not None
    code = tickets.ticket_code(db, t, reg, b)
    assert code is not None
    return code


def import_file(db: Session, t: Training, content: bytes, filename: str = "peserta.xlsx",
                **choices: Any) -> int:
    """Import a participant list through the import service, as the page's Import button
    does (`choices`: imports.check_file's overrides, header_row, category_choices,
    corrections); raises its refusals."""
    check = imports.check_file(db, t, content, filename, **choices)
    return imports.import_rows(db, t, check).imported


# --- at the door -----------------------------------------------------------------------

def moment(t: Training, day: date, at: time = time(8)) -> datetime:
    """A wall-clock time on a day where the training happens, in UTC."""
    return datetime.combine(day, at, ZoneInfo(t.timezone)).astimezone(UTC)


def check_in(db: Session, reg: Registration, day: date, by: User, at: time = time(8),
             session_id: int | None = None, code: bool = False) -> Outcome:
    """Check someone in through the check-in service, as the door does at that moment
    (`day` at `at` local time, so days to come work too): by their ticket's QR
    (code=True) or found by name."""
    t = db.get(Training, reg.training_id)
    assert t is not None
    scan = ScanIn(code=ticket_code(db, reg) if code else None,
                  registration_id=None if code else pk(reg), batch_id=reg.batch_id,
                  session_id=session_id, scanned_at=moment(t, day, at),
                  nonce=secrets.token_hex(8))
    return checkins.check_in(db, principal(by), scan, now=moment(t, day, at))


def mark(db: Session, regs: Registration | Sequence[Registration], day: date, by: User,
         status: str, reason: str = "", excuse: str | None = None,
         session_id: int | None = None) -> None:
    """The committee's record after the day (attendance_records.record) for one or more
    registrations of one batch: present, absent or excused."""
    people = [regs] if isinstance(regs, Registration) else list(regs)
    t = db.get(Training, people[0].training_id)
    b = db.get(Batch, people[0].batch_id)
    assert t is not None and b is not None
    attendance_records.record(db, t, b, pk(by), attendance_records.Correction(
        registration_ids=[pk(r) for r in people], day=day, status=status, reason=reason,
        excuse=excuse, session_id=session_id))


# --- certificates ------------------------------------------------------------------------

PADANG_TEMPLATE: dict[str, Any] = {
    "title": "SERTIFIKAT", "place": "Padang", "issue_date": date(2018, 9, 14),
    "numbering_pattern": "{seq:03}/SERT/DP3AP2KB/{roman_month}/{year}",
    "signatories": [{"name": "dr. Hj. Rosa Rosita, M.Kes",
                     "title": "Kepala Dinas P3AP2KB Kota Padang",
                     "nip": "19680412 199003 2 004"}]}


def certificate_template_for(db: Session, t: Training, by: User | None = None,
                             **changes: Any) -> None:
    """Save the training's certificate template: the Padang committee's, with `changes`."""
    data = TemplateUpdate.model_validate({**PADANG_TEMPLATE, **changes})
    new = certificate_template.draft(certificate_template.current(db, t), data)
    certificate_template.save(db, t, pk(by) if by else None, new)


def issue_certificates(db: Session, t: Training, by: User | None = None,
                       batch_id: int | None = None) -> list[Certificate]:
    """Issue every eligible registration its certificate; the training's certificates."""
    certificate_issuing.issue(db, t, pk(by) if by else None, batch_id,
                              base_url="http://testserver")
    return list(db.exec(select(Certificate).where(Certificate.training_id == pk(t))
                        .order_by(col(Certificate.id))))


# --- as the API answers, for tests that speak JSON -------------------------------------

def training_json(db: Session, t: Training) -> dict[str, Any]:
    """GET /api/trainings/{id}: the training with its categories and batches."""
    return planning.training_read(overview.training_overview(db, t)).model_dump(mode="json")


def batch_json(db: Session, t: Training, b: Batch) -> dict[str, Any]:
    """GET /api/batches/{id}."""
    return planning.batch_read(overview.batch_info(db, b, t)).model_dump(mode="json")


def registration_json(db: Session, reg: Registration, base_url: str = "http://testserver",
                      full_nik: bool = True) -> dict[str, Any]:
    """GET /api/registrations/{id} (an admin sees whole NIKs)."""
    return participants.registration_read(registrations.registration_row(db, reg), base_url,
                                          full_nik).model_dump(mode="json")
