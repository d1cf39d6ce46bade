"""A person's record of trainings: each training they were registered in, with the days
they were present (service.services.presence, the one answer for attendance), the JPL
they accrued, and their certificate; JPL per year and in all; and who was merged into
them.

JPL accrued in a training: a valid certificate counts the JPL it states (its batch's
agenda, certificates.documents); without one, the JPL of the sessions they attended (on
the days they were present; per session where the door checks in per session), as the
certificate review counts them. A year is the year the batch ended.

A fixed number of queries, however many trainings: the registrations with their
trainings and batches, the certificates, the agenda, presence (three queries for each
check-in mode among the trainings), the merges."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from service.errors import NotFound
from service.i18n import N_
from service.models import (
    AgendaSession,
    Batch,
    Certificate,
    Organization,
    Participant,
    PersonMerge,
    Registration,
    Training,
    User,
)
from service.models.base import pk
from service.rendering.person_record_pdf import PersonRecordDoc, RecordLine
from service.services import presence
from service.services.certificates import documents
from service.services.certificates.eligibility import batch_days
from service.services.people.identity import get_person, shown_nip


@dataclass(frozen=True)
class TrainingLine:
    registration_id: int
    training_id: int
    title: str
    kind: str
    status: str  # confirmed | waitlisted
    batch: str | None
    start_date: date  # the batch's days, else the training's
    end_date: date
    days_present: int
    days_total: int
    jpl: int  # accrued (see the module's note)
    jpl_offered: int  # the batch agenda's JPL
    certificate_number: str | None  # a valid certificate's
    certificate_revoked: bool = False

    @property
    def year(self) -> int:
        return self.end_date.year


@dataclass(frozen=True)
class MergeLine:
    merged_name: str
    merged_nik_tail: str | None
    registrations_moved: int
    by: str | None
    at: datetime


@dataclass(frozen=True)
class PersonRecord:
    person: Participant
    organization: str
    trainings: list[TrainingLine]  # newest first
    merges: list[MergeLine] = field(default_factory=list)  # newest first

    @property
    def jpl_total(self) -> int:
        return sum(t.jpl for t in self.trainings)

    @property
    def jpl_by_year(self) -> dict[int, int]:
        """JPL per year, oldest year first; a year without JPL is left out."""
        years: dict[int, int] = defaultdict(int)
        for t in self.trainings:
            if t.jpl:
                years[t.year] += t.jpl
        return dict(sorted(years.items()))

    @property
    def certificates(self) -> int:
        return sum(1 for t in self.trainings if t.certificate_number)


def _presence(db: Session, person: Participant,
              rows: Sequence[tuple[Registration, Training, Batch | None]]
              ) -> dict[str, presence.Presence]:
    """Presence in the person's batches, one load per check-in mode: presence.load reads
    the mode from the training it is given and the batches only from the list, so batches
    of several trainings of one mode load together; only the person's own attendance,
    not their batchmates'."""
    groups: dict[str, tuple[Training, list[Batch]]] = {}
    for reg, training, batch in rows:
        if batch is None or reg.status != "confirmed":
            continue
        mode = training.checkin_mode
        groups.setdefault(mode, (training, []))[1].append(batch)
    own = select(Registration.id).where(Registration.participant_id == pk(person))
    return {mode: presence.load(db, training, batches, only=own)
            for mode, (training, batches) in groups.items()}


def _sessions(db: Session, batch_ids: list[int]) -> dict[int, list[AgendaSession]]:
    out: dict[int, list[AgendaSession]] = defaultdict(list)
    if batch_ids:
        for s in db.exec(select(AgendaSession)
                         .where(col(AgendaSession.batch_id).in_(batch_ids))
                         .order_by(col(AgendaSession.date), col(AgendaSession.start_time))):
            out[s.batch_id].append(s)
    return out


def training_lines(db: Session, person: Participant) -> list[TrainingLine]:
    """The person's trainings (cancelled registrations aside), newest first."""
    rows = [(r, t, b) for r, t, b in db.exec(
        select(Registration, Training, Batch)
        .join(Training, col(Training.id) == Registration.training_id)
        .outerjoin(Batch, col(Batch.id) == Registration.batch_id)
        .where(Registration.participant_id == pk(person),
               col(Registration.status) != "cancelled",
               Training.organization_id == person.organization_id)).all()]
    if not rows:
        return []
    reg_ids = [pk(r) for r, _t, _b in rows]
    certificates = {c.registration_id: c for c in db.exec(
        select(Certificate).where(col(Certificate.registration_id).in_(reg_ids)))}
    sessions = _sessions(db, sorted({pk(b) for _r, _t, b in rows if b is not None}))
    found = _presence(db, person, rows)
    lines = []
    for reg, training, batch in rows:
        cert = certificates.get(pk(reg))
        valid = cert is not None and cert.revoked_at is None
        days_present = days_total = jpl = offered = 0
        if batch is not None and reg.status == "confirmed":
            agenda = sessions.get(pk(batch), [])
            days = batch_days(batch)
            seen = found.get(training.checkin_mode) or presence.Presence.empty(training)
            present = set(seen.days_present(pk(reg), days))
            if training.checkin_mode == "session":
                attended = [s for s in agenda if seen.present(pk(reg), s.date, pk(s))]
            else:
                attended = [s for s in agenda if s.date in present]
            days_present, days_total = len(present), len(days)
            offered = sum(s.counted_jpl for s in agenda)
            jpl = offered if valid else sum(s.counted_jpl for s in attended)
        lines.append(TrainingLine(
            registration_id=pk(reg), training_id=pk(training), title=training.title,
            kind=training.kind, status=reg.status, batch=batch.name if batch else None,
            start_date=batch.start_date if batch else training.start_date,
            end_date=batch.end_date if batch else training.end_date,
            days_present=days_present, days_total=days_total, jpl=jpl, jpl_offered=offered,
            certificate_number=cert.number if cert is not None and valid else None,
            certificate_revoked=cert is not None and not valid))
    lines.sort(key=lambda t: (t.start_date, t.training_id), reverse=True)
    return lines


def merges(db: Session, person: Participant) -> list[MergeLine]:
    return [MergeLine(m.merged_name, m.merged_nik_tail, m.registrations_moved, by,
                      m.created_at)
            for m, by in db.exec(select(PersonMerge, User.name)
                                 .outerjoin(User, col(User.id) == PersonMerge.user_id)
                                 .where(PersonMerge.kept_id == pk(person))
                                 .order_by(col(PersonMerge.id).desc())).all()]


def person_record(db: Session, org_id: int, person_id: int) -> PersonRecord:
    """The organization's person with their trainings (PersonNotFound for another's)."""
    person = get_person(db, org_id, person_id)
    return of(db, person)


def of(db: Session, person: Participant) -> PersonRecord:
    org = db.get(Organization, person.organization_id)
    return PersonRecord(person, org.name if org else "", training_lines(db, person),
                        merges(db, person))


def document(db: Session, record: PersonRecord, admin: bool, today: date
             ) -> PersonRecordDoc:
    """What the record's PDF prints: the trainings the person took part in (confirmed
    in a batch), the NIP as the viewer may see it, never the NIK."""
    person = record.person
    org = db.get(Organization, person.organization_id)
    lines = [RecordLine(t.title, t.kind, t.batch, t.start_date, t.end_date, t.days_present,
                        t.days_total, t.jpl, t.certificate_number)
             for t in record.trainings if t.status == "confirmed" and t.batch is not None]
    return PersonRecordDoc(
        organization=org.name if org else record.organization,
        organization_city=(org.city or "").strip() or None if org else None,
        logo_png=org.logo_png if org else None, name=person.name,
        nip=shown_nip(person, admin), position=person.position, rank=person.rank,
        institution=person.institution, lines=lines, jpl_by_year=record.jpl_by_year,
        jpl_total=record.jpl_total, printed_on=today)


def filename(record: PersonRecord) -> str:
    return f"riwayat-pelatihan-{record.person.name}.pdf"


# --- the ticket holder's own record (public, by the ticket's secret) ---------------------

def holder(db: Session, token: str) -> tuple[Registration, PersonRecord]:
    """The ticket's registration and its holder's record (NotFound for an unknown token)."""
    reg = db.exec(select(Registration).where(Registration.ticket_token == token)).first()
    person = db.get(Participant, reg.participant_id) if reg is not None else None
    if reg is None or person is None:
        raise NotFound(N_("This ticket does not exist. Check the link you received."))
    return reg, PersonRecord(person, "", training_lines(db, person))


def holder_certificate(db: Session, token: str, registration_id: int, base_url: str
                       ) -> tuple[Training, documents.IssuedRow]:
    """A valid certificate of one of the ticket holder's own registrations."""
    reg, _record = _own_registration(db, token, registration_id)
    training = db.get(Training, reg.training_id)
    assert training is not None  # a registration's training is a foreign key
    rows = documents.issued(db, training, base_url, registration_id=pk(reg))
    if not rows:
        raise NotFound(N_("No certificate has been issued to you yet."), code="no_certificate")
    return training, rows[0]


def _own_registration(db: Session, token: str, registration_id: int
                      ) -> tuple[Registration, Registration]:
    holder_reg = db.exec(select(Registration)
                         .where(Registration.ticket_token == token)).first()
    other = db.get(Registration, registration_id) if 0 < registration_id < 2**31 else None
    if holder_reg is None or other is None \
            or other.participant_id != holder_reg.participant_id:
        raise NotFound(N_("No certificate has been issued to you yet."), code="no_certificate")
    return other, holder_reg
