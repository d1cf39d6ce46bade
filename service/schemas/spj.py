"""Shapes of the SPJ: the rate table a treasurer enters per year, a narasumber's finance
fields, the signers, and the computed SPJ (transport, honorarium, totals)."""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from service.schemas.common import SingleLine, _blank_to_none

# Whole rupiah: no negative amounts, no cents; at most a trillion (Rp 1.000.000.000.000).
Rupiah = Annotated[int, Field(ge=0, le=1_000_000_000_000)]
# A tax rate in percent, 0..100, at most two decimals ("2.5", "15").
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
                  SingleLine]
OptLabel = Annotated[Label | None, BeforeValidator(_blank_to_none)]
Digits = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40), SingleLine]

GOLONGAN = ("I", "II", "III", "IV")
# The keys of the PPh 21 table: each golongan, and narasumber who are not civil servants.
TAX_GROUPS = (*GOLONGAN, "non_asn")
HONORARIUM_UNITS = ("jp", "orang_jam")


class Input(BaseModel):
    model_config = ConfigDict(extra="ignore")


class HonorariumClass(Input):
    name: Label
    rate: Rupiah


class RegencyRate(Input):
    name: Label
    rate: Rupiah


class Zone(Input):
    name: Label
    rate: Rupiah
    regencies: list[Label] = Field(default_factory=list, max_length=200)


class TransportRates(Input):
    # Participants from the organization's own city.
    within_city: Rupiah = 0
    # Anyone whose origin no row names.
    default: Rupiah = 0
    # Per kabupaten/kota, or by zones that each hold some kabupaten/kota.
    regencies: list[RegencyRate] = Field(default_factory=list, max_length=200)
    zones: list[Zone] = Field(default_factory=list, max_length=50)


class TaxPair(Input):
    with_npwp: Percent = Decimal(0)
    without_npwp: Percent = Decimal(0)


class TaxRates(Input):
    """PPh 21 on honorarium by golongan (or non-ASN) and NPWP status; and on transport."""

    pph21: dict[Literal["I", "II", "III", "IV", "non_asn"], TaxPair] = Field(
        default_factory=dict)
    transport: Percent = Decimal(0)


class RateTableIn(Input):
    honorarium_unit: Literal["jp", "orang_jam"] = "jp"
    classes: list[HonorariumClass] = Field(default_factory=list, max_length=50)
    transport: TransportRates = Field(default_factory=TransportRates)
    daily_allowance: Rupiah = 0
    meals: Rupiah = 0
    tax: TaxRates = Field(default_factory=TaxRates)


class RateTableRead(RateTableIn):
    year: int
    updated_at: str | None = None


class SpeakerFinanceIn(Input):
    # NIP, NPWP and the account number are checked (and their dots and spaces dropped)
    # by services/spj/finance.py, which says what is wrong in the user's language.
    nip: Annotated[Digits | None, BeforeValidator(_blank_to_none)] = None
    golongan: Annotated[Literal["I", "II", "III", "IV"] | None,
                        BeforeValidator(_blank_to_none)] = None
    npwp: Annotated[Digits | None, BeforeValidator(_blank_to_none)] = None
    bank_name: OptLabel = None
    bank_account: Annotated[Digits | None, BeforeValidator(_blank_to_none)] = None
    account_holder: Annotated[
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), SingleLine]
        | None, BeforeValidator(_blank_to_none)] = None
    honorarium_class: OptLabel = None


class SpeakerFinanceRead(BaseModel):
    speaker_id: int
    name: str
    nip: str | None
    golongan: str | None
    npwp: str | None
    bank_name: str | None
    bank_account: str | None
    account_holder: str | None
    honorarium_class: str | None


class SignersIn(Input):
    pptk_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200),
                         SingleLine] = ""
    pptk_nip: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(\d{18})?$")] = ""
    treasurer_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200),
                              SingleLine] = ""
    treasurer_nip: Annotated[str, StringConstraints(strip_whitespace=True,
                                                    pattern=r"^(\d{18})?$")] = ""
    place: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120),
                     SingleLine] = ""


class TransportRow(BaseModel):
    registration_id: int
    name: str
    batch_id: int
    batch: str
    origin: str | None
    days_present: int
    rate: int
    gross: int
    tax: int
    net: int


class HonorariumRow(BaseModel):
    speaker_id: int
    name: str
    honorarium_class: str | None
    golongan: str | None
    has_npwp: bool
    jp: int
    quantity: str
    unit: str
    rate: int
    tax_percent: str
    gross: int
    tax: int
    net: int


class BatchTotal(BaseModel):
    batch_id: int
    batch: str
    people: int
    gross: int
    tax: int
    net: int


class SpjTotals(BaseModel):
    transport_gross: int
    transport_tax: int
    transport_net: int
    honorarium_gross: int
    honorarium_tax: int
    honorarium_net: int
    gross: int
    tax: int
    net: int
    terbilang: str
    transport_terbilang: str
    honorarium_terbilang: str
    by_batch: list[BatchTotal]


class Warning(BaseModel):
    code: str
    message: str
    speaker_id: int | None = None
    registration_id: int | None = None
    session_id: int | None = None


class SpjRead(BaseModel):
    training_id: int
    year: int
    transport: list[TransportRow]
    honorarium: list[HonorariumRow]
    totals: SpjTotals
    warnings: list[Warning]
