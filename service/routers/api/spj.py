"""The SPJ (treasurer and admins only): the rate table per year, the narasumber's finance
fields, a training's SPJ and its documents (daftar nominatif, tanda terima)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from service.db import DB
from service.models import Speaker
from service.models.spj import RateTable, SpjSigners
from service.routers import files
from service.routers.deps import ApiFinance, ApiFinanceTraining
from service.schemas.spj import (
    BatchTotal,
    HonorariumRow,
    RateTableIn,
    RateTableRead,
    SignersIn,
    SpeakerFinanceIn,
    SpeakerFinanceRead,
    SpjRead,
    SpjTotals,
    TransportRow,
    Warning,
)
from service.services import speakers
from service.services.spj import compute, finance, rates

router = APIRouter(prefix="/api", tags=["spj"])

# A year in a path: four digits (a year names no object of an organization, so it is no
# id: every organization has its own table for each year).
Year = Annotated[str, Path(pattern=r"^\d{4}$")]


def rate_table_read(table: RateTable) -> RateTableRead:
    return RateTableRead(**rates.parsed(table).model_dump(), year=table.year,
                         updated_at=table.updated_at.isoformat())


@router.get("/rates")
def rate_years(user: ApiFinance, db: DB) -> dict[str, list[int]]:
    """The years that have a rate table, newest first."""
    return {"years": rates.years(db, user.organization_id)}


@router.get("/rates/{year}")
def get_rates(year: Year, user: ApiFinance, db: DB) -> RateTableRead:
    """The year's rate table (404 `no_rate_table` when it has none)."""
    return rate_table_read(rates.get(db, user.organization_id, int(year)))


@router.put("/rates/{year}")
def put_rates(year: Year, data: RateTableIn, user: ApiFinance, db: DB) -> RateTableRead:
    """Create or replace the year's rate table: honorarium per JP (or per orang-jam) by
    narasumber class, transport per day by origin (within the city, per kabupaten/kota,
    zones, a default), daily allowance and meals, PPh 21 by golongan and NPWP. Amounts in
    whole rupiah, percentages 0..100."""
    return rate_table_read(rates.save(db, user.organization_id, int(year), data, user))


@router.post("/rates/{year}/copy", status_code=201)
def copy_rates(year: Year, user: ApiFinance, db: DB) -> RateTableRead:
    """Start the year's table as a copy of the latest earlier year's (409 if it exists)."""
    return rate_table_read(rates.copy_previous(db, user.organization_id, int(year), user))


def finance_read(s: Speaker) -> SpeakerFinanceRead:
    return SpeakerFinanceRead(speaker_id=s.id or 0, name=s.name, nip=s.nip, golongan=s.golongan,
                              npwp=s.npwp, bank_name=s.bank_name, bank_account=s.bank_account,
                              account_holder=s.account_holder,
                              honorarium_class=s.honorarium_class)


@router.get("/speakers/{speaker_id}/finance")
def get_finance(speaker_id: int, user: ApiFinance, db: DB) -> SpeakerFinanceRead:
    """A narasumber's NIP, golongan, NPWP, bank account and honorarium class."""
    return finance_read(speakers.get_speaker(db, user.organization_id, speaker_id))


@router.put("/speakers/{speaker_id}/finance")
def put_finance(speaker_id: int, data: SpeakerFinanceIn, user: ApiFinance,
                db: DB) -> SpeakerFinanceRead:
    """Set a narasumber's finance fields (NIP 18 digits, NPWP 15 or 16 digits)."""
    speaker = speakers.get_speaker(db, user.organization_id, speaker_id)
    return finance_read(finance.save(db, speaker, data))


def spj_read(spj: compute.Spj) -> SpjRead:
    totals = SpjTotals(
        transport_gross=spj.transport_gross, transport_tax=spj.transport_tax,
        transport_net=spj.transport_net, honorarium_gross=spj.honorarium_gross,
        honorarium_tax=spj.honorarium_tax, honorarium_net=spj.honorarium_net,
        gross=spj.gross, tax=spj.tax, net=spj.net, terbilang=compute.words(spj.net),
        transport_terbilang=compute.words(spj.transport_net),
        honorarium_terbilang=compute.words(spj.honorarium_net),
        by_batch=[BatchTotal(batch_id=b.batch_id, batch=b.batch, people=b.people,
                             gross=b.gross, tax=b.tax, net=b.net) for b in spj.by_batch()])
    return SpjRead(
        training_id=spj.training.id or 0, year=spj.year,
        transport=[TransportRow(registration_id=x.registration_id, name=x.name,
                                batch_id=x.batch_id, batch=x.batch, origin=x.origin,
                                days_present=x.days_present, rate=x.rate, gross=x.gross,
                                tax=x.tax, net=x.net) for x in spj.transport],
        honorarium=[HonorariumRow(
            speaker_id=x.speaker.id or 0, name=x.speaker.name,
            honorarium_class=x.speaker.honorarium_class, golongan=x.speaker.golongan,
            has_npwp=bool(x.speaker.npwp), jp=x.jp, quantity=str(x.quantity),
            unit=spj.rates.honorarium_unit, rate=x.rate,
            tax_percent=str(x.tax_percent), gross=x.gross, tax=x.tax, net=x.net)
            for x in spj.honorarium],
        totals=totals,
        warnings=[Warning(code=w.code, message=w.message, speaker_id=w.speaker_id,
                          registration_id=w.registration_id, session_id=w.session_id)
                  for w in spj.warnings])


@router.get("/trainings/{training_id}/spj")
def get_spj(training: ApiFinanceTraining, db: DB) -> SpjRead:
    """The training's SPJ under its start year's rate table: transport per registration
    (days present from the attendance record), honorarium per narasumber (JP of the
    sessions they were recorded present at), totals in figures and words, warnings.
    409 `no_rate_table` when that year has no table. Tax is rounded per row to the whole
    rupiah, half up."""
    return spj_read(compute.build(db, training))


def _signers_read(s: SpjSigners) -> SignersIn:
    return SignersIn(pptk_name=s.pptk_name, pptk_nip=s.pptk_nip,
                     treasurer_name=s.treasurer_name, treasurer_nip=s.treasurer_nip,
                     place=s.place)


@router.get("/trainings/{training_id}/spj/signers")
def get_signers(training: ApiFinanceTraining, db: DB) -> SignersIn:
    """Who signs the training's daftar nominatif: the PPTK and the treasurer."""
    return _signers_read(compute.signers(db, training))


@router.put("/trainings/{training_id}/spj/signers")
def put_signers(training: ApiFinanceTraining, data: SignersIn, db: DB) -> SignersIn:
    """Set the PPTK's and the treasurer's names and NIPs, and the place of signing."""
    return _signers_read(compute.save_signers(db, training, data))


@router.get("/trainings/{training_id}/spj/honorarium.{fmt}")
def honorarium_file(training: ApiFinanceTraining, fmt: Literal["pdf", "xlsx"],
                    db: DB) -> Response:
    """The daftar nominatif of the narasumber's honorarium (with NPWP and bank account)."""
    return files.honorarium_file(db, training, fmt, attachment=False)


@router.get("/batches/{batch_id}/spj/transport.{fmt}")
def transport_file(batch_id: int, fmt: Literal["pdf", "xlsx"], user: ApiFinance,
                   db: DB) -> Response:
    """The daftar nominatif of a batch's transport: days present × rate per day."""
    return files.transport_file(db, user.organization_id, batch_id, fmt, attachment=False)


@router.get("/trainings/{training_id}/spj/receipts.pdf")
def receipts_file(training: ApiFinanceTraining, db: DB,
                  kind: Annotated[Literal["honorarium", "transport"], Query()] = "honorarium",
                  batch_id: int | None = None) -> Response:
    """Tanda terima, a page per person: the narasumber, or a batch's participants
    (`kind=transport&batch_id=`)."""
    return files.receipts_file(db, training, kind, batch_id, attachment=False)
