"""Erasure requests and the retention setting as the API takes and returns them. A
request carries the participant's id and how many fields went, never their values."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from service.models.base import pk
from service.schemas.common import MultiLine, SingleLine
from service.services.erasure.requests import RequestRow
from service.services.erasure.retention import Preview


class ErasureRequestIn(BaseModel):
    requested_by_text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                        max_length=300), SingleLine]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000),
                      MultiLine] = ""


class RefuseIn(BaseModel):
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500),
                    SingleLine] = ""


class Created(BaseModel):
    id: int


class ErasureRequestRead(BaseModel):
    id: int
    participant_id: int | None
    person: str  # the name while pending; the pseudonym label once erased
    source: str  # request | retention
    status: str  # pending | approved | refused
    requested_by_text: str
    reason: str
    recorded_by: str | None
    recorded_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    pseudonym: str | None
    fields: list[str]
    fields_count: int
    copies_count: int


class ErasureRequestList(BaseModel):
    items: list[ErasureRequestRead]
    total: int


class RetentionIn(BaseModel):
    years: Annotated[int | None, Field(ge=1, le=50)]


class RetentionItem(BaseModel):
    participant_id: int
    name: str
    last_training_id: int | None
    last_training: str
    last_training_end: date
    listed_at: datetime | None
    erase_on: date


class RetentionPreviewRead(BaseModel):
    years: int | None
    cutoff: date | None
    grace_days: int
    items: list[RetentionItem]
    total: int
    # Of trainings that ended before the cutoff: delegates named by units and never
    # accepted, and the units' surat tugas; removed no sooner than papers_on.
    unaccepted_nominees: int = 0
    surat_tugas: int = 0
    papers_on: date | None = None


def request_read(row: RequestRow) -> ErasureRequestRead:
    r = row.request
    return ErasureRequestRead(
        id=pk(r), participant_id=r.participant_id, person=row.person_name, source=r.source,
        status=r.status, requested_by_text=r.requested_by_text, reason=r.reason,
        recorded_by=row.recorded_by, recorded_at=r.recorded_at, decided_by=row.decided_by,
        decided_at=r.decided_at, decision_note=r.decision_note, pseudonym=r.pseudonym,
        fields=[f for f in r.fields.split(",") if f], fields_count=r.fields_count,
        copies_count=r.copies_count)


def preview_read(p: Preview, grace_days: int) -> RetentionPreviewRead:
    return RetentionPreviewRead(
        years=p.years, cutoff=p.cutoff, grace_days=grace_days, total=p.total,
        unaccepted_nominees=p.papers.nominees, surat_tugas=p.papers.letters,
        papers_on=p.papers_on,
        items=[RetentionItem(participant_id=i.candidate.participant_id, name=i.candidate.name,
                             last_training_id=i.candidate.last_training_id,
                             last_training=i.candidate.last_training,
                             last_training_end=i.candidate.last_end, listed_at=i.listed_at,
                             erase_on=i.erase_on) for i in p.items])
