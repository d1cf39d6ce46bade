"""Shapes of certificate requests and answers: the template, decisions, issuing, revoking."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from service.schemas.common import MultiLine, SingleLine, _blank_to_none

Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), SingleLine]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500),
                   MultiLine]
OptDate = Annotated[date | None, BeforeValidator(_blank_to_none)]


class SignatoryIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                           max_length=200), SingleLine]
    title: Line = ""  # the position: "Kepala Dinas P3AP2KB Kota Padang"
    nip: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40,
                                          pattern=r"^[0-9 .]*$")] = ""


class TemplateUpdate(BaseModel):
    """Every text setting of a training's certificate template (images go separately)."""

    model_config = ConfigDict(extra="ignore")

    orientation: Literal["landscape", "portrait"] = "landscape"
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=120), SingleLine] = "SERTIFIKAT"
    given_to: Line = "diberikan kepada"
    wording: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000),
                       MultiLine] = "sebagai peserta"
    place: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120),
                     SingleLine] = ""
    issue_date: OptDate = None
    numbering_pattern: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                        max_length=120), SingleLine] = \
        "{seq:03}/SERT/{roman_month}/{year}"
    rule: Literal["all_days", "days", "jpl"] = "all_days"
    min_percent: int = Field(default=100, ge=1, le=100)
    show_qr: bool = True
    use_background: bool = True
    # Print the "Kategori ... — Angkatan ..." line under the training's title.
    show_category_batch: bool = True
    # Place and date above this signatory (0-2, left to right); null: the last one.
    place_date_signatory: Annotated[int | None, Field(ge=0, le=2),
                                    BeforeValidator(_blank_to_none)] = None
    signatories: list[SignatoryIn] = Field(default_factory=list, max_length=3)


class SignatoryRead(BaseModel):
    position: int
    name: str
    title: str
    nip: str
    has_signature: bool


class TemplateRead(BaseModel):
    training_id: int
    orientation: str
    title: str
    given_to: str
    wording: str
    place: str
    issue_date: date | None
    numbering_pattern: str
    rule: str
    min_percent: int
    show_qr: bool
    show_category_batch: bool
    place_date_signatory: int | None
    has_background: bool
    background_name: str | None
    signatories: list[SignatoryRead]
    example_number: str


class DecisionIn(BaseModel):
    decision: Literal["include", "exclude", "auto"]
    reason: Reason


class RevokeIn(BaseModel):
    reason: Reason


class DecisionRead(BaseModel):
    decision: str
    reason: str
    by: str | None
    at: datetime


class EligibilityRead(BaseModel):
    registration_id: int
    name: str
    batch_id: int
    batch: str
    category: str
    days_present: int
    days_total: int
    jpl_attended: int
    jpl_total: int
    meets_rule: bool
    eligible: bool
    why: list[str]
    decision: DecisionRead | None
    certificate_id: int | None
    number: str | None


class EligibilityList(BaseModel):
    rule: str
    min_percent: int
    eligible: int
    not_eligible: int
    issued: int
    items: list[EligibilityRead]


class IssueResult(BaseModel):
    issued: int
    skipped: int
    not_eligible: int
    remaining: int


class CertificateRead(BaseModel):
    id: int
    registration_id: int
    name: str
    number: str
    verification_url: str
    issued_at: datetime
    revoked_at: datetime | None
    revoke_reason: str | None
    batch_id: int | None
    download_url: str


class CertificateList(BaseModel):
    items: list[CertificateRead]


class LinkReport(BaseModel):
    queued: int  # emails queued; the worker sends them
    without_email: int
    opted_out: int
