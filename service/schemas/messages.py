"""Shapes of message requests and answers: a bulk send, the log, the reminder rules."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from service.schemas.common import MultiLine


class MessageSend(BaseModel):
    model_config = ConfigDict(extra="ignore")

    kind: Literal["ticket", "reminder", "certificate", "custom", "test", "evaluation"]
    channel: Literal["whatsapp", "email", "both"]
    batch_id: Annotated[int, Field(ge=1, le=2**62)] | None = None
    # "not_answered" (kinds test and evaluation): those who have not answered yet.
    only: Literal["not_reached", "absent_today", "not_answered"] | None = None
    # The test whose personal links go out (kind "test").
    assessment_id: Annotated[int, Field(ge=1, le=2**62)] | None = None
    # The committee's own message (kind "custom"); {nama}, {angkatan}, {tanggal},
    # {tempat}, {tiket} and {pelatihan} are filled in per person.
    text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000),
                    MultiLine] | None = None
    # The same key sent twice (a retried request) queues the messages once.
    idempotency_key: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
                               ] | None = None


class MessageQueued(BaseModel):
    queued: int
    people: int
    channels: list[str]
    without_address: dict[str, int]
    opted_out: int


class MessageRead(BaseModel):
    id: int
    registration_id: int | None
    name: str
    channel: str
    kind: str
    status: str
    attempts: int
    error: str | None = None
    created_at: datetime
    sent_at: datetime | None = None
    delivered_at: datetime | None = None
    read_at: datetime | None = None


class MessageList(BaseModel):
    items: list[MessageRead]
    total: int
    page: int
    pages: int
    counts: dict[str, int]


class ResendResult(BaseModel):
    queued: int


class RuleIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    enabled: bool
    hour: Annotated[int, Field(ge=0, le=23)] = 16
    channel: Literal["whatsapp", "email", "both"] = "both"


class RuleRead(BaseModel):
    rule: str
    enabled: bool
    hour: int
    channel: str


class PlannedRead(BaseModel):
    batch_id: int
    batch: str
    day: str
    at: datetime
    people: int
    queued: int


class RulesRead(BaseModel):
    rules: list[RuleRead]
    scheduled: list[PlannedRead]
    channels: list[str]

