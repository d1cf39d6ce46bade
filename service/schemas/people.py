"""People across trainings as the API returns them (service.services.people builds them).
NIK, NIP and phone are whole for admins only, else their last 4 digits."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from service.models import Participant
from service.models.base import pk
from service.schemas.common import MAX_ID
from service.services.people import distinct, duplicates, identity
from service.services.people.record import PersonRecord, TrainingLine
from service.services.people.search import Found, LastTraining


class LastTrainingRead(BaseModel):
    training_id: int
    title: str
    start_date: date
    end_date: date


class PersonListItem(BaseModel):
    id: int
    name: str
    nik: str | None
    nip: str | None = None
    phone: str | None
    institution: str | None = None
    trainings_count: int
    last_training: LastTrainingRead | None


class PersonList(BaseModel):
    items: list[PersonListItem]
    total: int
    page: int
    pages: int


class PersonTraining(BaseModel):
    training_id: int
    registration_id: int
    title: str
    kind: str
    status: str
    batch: str | None
    start_date: date
    end_date: date
    days_present: int
    days_total: int
    jpl: int
    jpl_offered: int
    certificate_number: str | None
    certificate_url: str | None


class MergeRead(BaseModel):
    merged_name: str
    merged_nik_tail: str | None
    registrations_moved: int
    by: str | None
    at: datetime


class PersonRead(BaseModel):
    id: int
    name: str
    nik: str | None
    nip: str | None
    phone: str | None
    institution: str | None
    position: str | None
    rank: str | None
    trainings: list[PersonTraining]
    jpl_total: int
    # Years as JSON keys ("2018"), oldest first.
    jpl_by_year: dict[str, int]
    merges: list[MergeRead]


class DuplicatePerson(BaseModel):
    id: int
    name: str
    nik: str | None
    phone: str | None
    trainings_count: int


class DuplicatePair(BaseModel):
    first: DuplicatePerson
    second: DuplicatePerson
    reasons: list[str]


class DuplicateList(BaseModel):
    items: list[DuplicatePair]
    total: int


class DistinctIn(BaseModel):
    other_id: int = Field(ge=1, le=MAX_ID)


class DistinctRead(BaseModel):
    """A pair marked as two people: who marked it and when (`first_id` the lower id)."""

    first_id: int
    second_id: int
    by: str | None
    at: datetime


class MarkedPerson(BaseModel):
    id: int
    name: str
    nik: str | None
    phone: str | None


class DistinctPair(BaseModel):
    first: MarkedPerson
    second: MarkedPerson
    by: str | None
    at: datetime


class DistinctList(BaseModel):
    items: list[DistinctPair]
    total: int


class MergeIn(BaseModel):
    other_id: int = Field(ge=1, le=MAX_ID)


class MergeResult(BaseModel):
    kept_id: int
    merged_id: int
    registrations_moved: int


def _last(t: LastTraining | None) -> LastTrainingRead | None:
    return LastTrainingRead(training_id=t.training_id, title=t.title, start_date=t.start_date,
                            end_date=t.end_date) if t else None


def list_item(f: Found, admin: bool) -> PersonListItem:
    p = f.person
    return PersonListItem(id=pk(p), name=p.name, nik=identity.shown_nik(p, admin),
                          nip=identity.shown_nip(p, admin),
                          phone=identity.shown_phone(p, admin), institution=p.institution,
                          trainings_count=f.trainings_count, last_training=_last(f.last_training))


def _training(t: TrainingLine) -> PersonTraining:
    return PersonTraining(
        training_id=t.training_id, registration_id=t.registration_id, title=t.title,
        kind=t.kind, status=t.status, batch=t.batch, start_date=t.start_date,
        end_date=t.end_date, days_present=t.days_present, days_total=t.days_total, jpl=t.jpl,
        jpl_offered=t.jpl_offered, certificate_number=t.certificate_number,
        certificate_url=(f"/api/registrations/{t.registration_id}/certificate.pdf"
                         if t.certificate_number else None))


def person_read(r: PersonRecord, admin: bool) -> PersonRead:
    p = r.person
    return PersonRead(
        id=pk(p), name=p.name, nik=identity.shown_nik(p, admin),
        nip=identity.shown_nip(p, admin), phone=identity.shown_phone(p, admin),
        institution=p.institution, position=p.position, rank=p.rank,
        trainings=[_training(t) for t in r.trainings], jpl_total=r.jpl_total,
        jpl_by_year={str(y): n for y, n in r.jpl_by_year.items()},
        merges=[MergeRead(merged_name=m.merged_name, merged_nik_tail=m.merged_nik_tail,
                          registrations_moved=m.registrations_moved, by=m.by, at=m.at)
                for m in r.merges])


def duplicate_pair(pair: duplicates.Pair, admin: bool) -> DuplicatePair:
    def one(p: Participant, n: int) -> DuplicatePerson:
        return DuplicatePerson(id=pk(p), name=p.name, nik=identity.shown_nik(p, admin),
                               phone=identity.shown_phone(p, admin), trainings_count=n)
    return DuplicatePair(first=one(pair.first, pair.first_trainings),
                         second=one(pair.second, pair.second_trainings),
                         reasons=list(pair.reasons))


def distinct_pair(mark: distinct.Mark, admin: bool) -> DistinctPair:
    def one(p: Participant) -> MarkedPerson:
        return MarkedPerson(id=pk(p), name=p.name, nik=identity.shown_nik(p, admin),
                            phone=identity.shown_phone(p, admin))
    return DistinctPair(first=one(mark.first), second=one(mark.second), by=mark.by,
                        at=mark.at)
