"""Shapes for registrations: what a committee, the API or the public form sends, and reads."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from service.schemas.common import Id, OptInt, _blank_to_none
from service.services.registrations import mask_nik, mask_nip

if TYPE_CHECKING:
    from service.services.registrations import RegistrationRow

# Raw text: the real checks (NIK, +62 phone, names) happen in participant_fields, which
# reports every problem at once and is shared with the spreadsheet import.
RawText = Annotated[Annotated[str, StringConstraints(max_length=300)] | None,
                    BeforeValidator(_blank_to_none)]
Status = Literal["confirmed", "waitlisted", "cancelled"]


class RegistrationCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: RawText = None
    nik: RawText = None
    gender: RawText = None
    phone: RawText = None
    email: RawText = None
    category: RawText = None
    institution: RawText = None
    position: RawText = None  # jabatan
    rank: RawText = None  # pangkat/golongan
    nip: RawText = None  # a civil servant's 18 digits (birth date and TMT checked)
    village: RawText = None
    district: RawText = None
    regency: RawText = None
    province: RawText = None
    kampung_kb: RawText = None
    batch_id: OptInt = None

    def raw(self) -> dict[str, str | None]:
        return self.model_dump(exclude={"batch_id"})


class MoveRequest(BaseModel):
    batch_id: Id


class AssignRequest(BaseModel):
    strategy: Literal["balanced", "region"] = "balanced"
    dry_run: bool = False


class TicketVerifyRequest(BaseModel):
    code: Annotated[str, Field(max_length=2000)]


class RegistrationRead(BaseModel):
    id: int
    participant_id: int
    training_id: int
    batch_id: int | None
    batch: str | None
    preferred_batch_id: int | None
    status: Status
    name: str
    nik_masked: str | None
    # The whole NIK, only for an organization's admins (personal data, UU PDP).
    nik: str | None = None
    gender: str | None
    phone: str | None
    email: str | None
    category: str | None
    institution: str | None
    position: str | None
    rank: str | None = None
    # A NIP is personal data like a NIK: its last 4 digits, whole only for admins.
    nip_masked: str | None = None
    nip: str | None = None
    village: str | None
    district: str | None
    regency: str | None
    kampung_kb: str | None
    source: str
    ticket_url: str
    created_at: datetime
    cancelled_at: datetime | None


class RegistrationPage(BaseModel):
    items: list[RegistrationRead]
    total: int
    page: int
    pages: int
    per_page: int


def registration_read(row: "RegistrationRow", base_url: str, full_nik: bool = False
                      ) -> RegistrationRead:
    reg, person = row.registration, row.participant
    return RegistrationRead(
        id=reg.id or 0, participant_id=person.id or 0, training_id=reg.training_id,
        batch_id=reg.batch_id, batch=row.batch.name if row.batch else None,
        preferred_batch_id=reg.preferred_batch_id, status=reg.status,
        name=person.name, nik_masked=mask_nik(person.nik),
        nik=person.nik if full_nik else None, gender=person.gender,
        phone=person.phone, email=person.email,
        category=row.category.name if row.category else None,
        institution=person.institution, position=person.position, rank=person.rank,
        nip_masked=mask_nip(person.nip), nip=person.nip if full_nik else None,
        village=person.village,
        district=person.district, regency=person.regency, kampung_kb=person.kampung_kb,
        source=reg.source, ticket_url=f"{base_url}/t/{reg.ticket_token}",
        created_at=reg.created_at, cancelled_at=reg.cancelled_at)
