"""Pages of the SPJ, for the treasurer and admins: the trainings with their totals, a
training's SPJ (honorarium, transport per batch, warnings, signers, downloads), the rate
table per year, and the narasumber's finance fields."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError, InvalidInput
from service.models import Training, User
from service.routers import files
from service.routers.deps import PageFinance, PageFinanceTraining
from service.routers.pages.forms import SubmittedForm, errors_by_field, parse, submit
from service.routers.pages.rendering import redirect, render
from service.schemas.spj import GOLONGAN, TAX_GROUPS, RateTableIn, SignersIn, SpeakerFinanceIn
from service.services import speakers, trainings
from service.services.spj import compute, finance, rate_form, rates
from service.services.spj.money import fmt

router = APIRouter(include_in_schema=False)

# A year in a path: four digits (no id: each organization has its own table per year).
Year = Annotated[str, Path(pattern=r"^\d{4}$")]

TAX_LABELS = {"I": "Golongan I", "II": "Golongan II", "III": "Golongan III",
              "IV": "Golongan IV", "non_asn": "Non-ASN"}


def _errors(exc: DomainError | None) -> dict[str, str]:
    """Messages by full field path ("classes.1.rate"), so each row shows its own."""
    if exc is None:
        return {}
    if isinstance(exc, InvalidInput):
        return {e["field"]: e["message"] for e in exc.errors}
    return errors_by_field(exc)


@router.get("/spj")
def spj_list(request: Request, db: DB, user: PageFinance) -> Response:
    """The organization's trainings with their SPJ totals."""
    return render(request, "spj/list.html", {
        "rows": compute.summaries(db, user.organization_id), "rp": fmt})


def _spj_page(request: Request, db: DB, training: Training, values: dict[str, Any] | None = None,
              exc: DomainError | None = None, saved: bool = False) -> Response:
    signers = compute.signers(db, training)
    ctx: dict[str, Any] = {
        "training": training, "rp": fmt, "saved": saved,
        "signers": values or signers.model_dump(), "errors": _errors(exc),
        "batches": trainings.list_batches(db, training.id or 0), "spj": None,
        "missing": None, "mask": finance.mask,
        "mask_npwp": finance.mask_npwp}
    try:
        spj = compute.build(db, training)
        ctx["spj"] = spj
        ctx["words"] = {"net": compute.words(spj.net),
                        "transport": compute.words(spj.transport_net),
                        "honorarium": compute.words(spj.honorarium_net)}
    except rates.NoRateTable as missing:
        ctx["missing"] = missing.text()
        ctx["year"] = training.start_date.year
    return render(request, "spj/training.html", ctx, exc.status if exc else 200)


@router.get("/trainings/{training_id}/spj")
def spj_page(request: Request, training: PageFinanceTraining, db: DB,
             saved: bool = False) -> Response:
    """A training's SPJ: honorarium, transport per batch, warnings, signers, downloads."""
    return _spj_page(request, db, training, saved=saved)


@router.post("/trainings/{training_id}/spj/signers")
def save_signers(request: Request, training: PageFinanceTraining, form: SubmittedForm,
                 db: DB) -> Response:
    """Save who signs the daftar nominatif (PPTK, treasurer) and the place."""
    data = form.values()
    return submit(db, lambda: compute.save_signers(db, training, parse(SignersIn, data)),
                  lambda _s: redirect(request, f"/trainings/{training.id}/spj?saved=1#signers"),
                  lambda exc: _spj_page(request, db, training, data, exc))


@router.get("/trainings/{training_id}/spj/honorarium.{fmt}")
def honorarium_file(training: PageFinanceTraining, fmt: Literal["pdf", "xlsx"],
                    db: DB) -> Response:
    return files.honorarium_file(db, training, fmt, attachment=True)


@router.get("/batches/{batch_id}/spj/transport.{fmt}")
def transport_file(batch_id: int, fmt: Literal["pdf", "xlsx"], user: PageFinance,
                   db: DB) -> Response:
    return files.transport_file(db, user.organization_id, batch_id, fmt, attachment=True)


@router.get("/trainings/{training_id}/spj/receipts.pdf")
def receipts_file(training: PageFinanceTraining, db: DB,
                  kind: Annotated[Literal["honorarium", "transport"], Query()] = "honorarium",
                  batch_id: int | None = None) -> Response:
    return files.receipts_file(db, training, kind, batch_id, attachment=True)


# --- the rate table -------------------------------------------------------------------------

@router.get("/rates")
def rates_home(request: Request, db: DB, user: PageFinance,
               year: Annotated[int | None, Query(ge=rates.FIRST_YEAR, le=rates.LAST_YEAR)]
               = None) -> Response:
    """The rate tables: the chosen year's, or the newest (this year's when none)."""
    if year is None:
        known = rates.years(db, user.organization_id)
        year = known[0] if known else date.today().year
    return redirect(request, f"/rates/{year}")


def _rates_page(request: Request, db: DB, user: User, year: int,
                form: rate_form.RateForm | None = None, exc: DomainError | None = None,
                saved: bool = False, extra_rows: int = rate_form.EMPTY_ROWS) -> Response:
    rates.check_year(year)
    table = rates.find(db, user.organization_id, year)
    if form is None and table is not None:
        form = rate_form.from_table(rates.parsed(table))
    known = rates.years(db, user.organization_id)
    earlier = [y for y in known if y < year]
    return render(request, "spj/rates.html", {
        "year": year, "table": table, "form": form.padded(extra_rows) if form else None,
        "years": known,
        "copy_from": earlier[0] if earlier else None, "errors": _errors(exc), "saved": saved,
        "tax_groups": TAX_GROUPS, "tax_labels": TAX_LABELS,
    }, exc.status if exc else 200)


@router.get("/rates/{year}")
def rates_page(request: Request, year: Year, db: DB, user: PageFinance,
               saved: bool = False) -> Response:
    """The year's rate table, editable; a year without one offers to start it."""
    return _rates_page(request, db, user, int(year), saved=saved)


@router.post("/rates/{year}")
def save_rates(request: Request, year: Year, form: SubmittedForm, db: DB,
               user: PageFinance) -> Response:
    """Save the year's rate table; "More rows" re-renders with the typed values kept."""
    number = int(year)
    typed = rate_form.from_rows(form.values(), form.rows("class_name", "class_rate"),
                                form.rows("regency_name", "regency_rate"),
                                form.rows("zone_name", "zone_rate", "zone_regencies"))
    if form.get("action") == "more":
        return _rates_page(request, db, user, number, typed,
                           extra_rows=rate_form.EMPTY_ROWS + 3)
    return submit(db, lambda: rates.save(db, user.organization_id, number,
                                         parse(RateTableIn, rate_form.document(typed)), user),
                  lambda _t: redirect(request, f"/rates/{number}?saved=1"),
                  lambda exc: _rates_page(request, db, user, number, typed, exc))


@router.post("/rates/{year}/start")
def start_rates(request: Request, year: Year, form: SubmittedForm, db: DB,
                user: PageFinance) -> Response:
    """Start the year's table: a copy of the latest earlier year's, or empty."""
    number = int(year)
    def work() -> object:
        if form.get("copy") == "1":
            return rates.copy_previous(db, user.organization_id, number, user)
        return rates.save(db, user.organization_id, number, RateTableIn(), user)

    return submit(db, work, lambda _t: redirect(request, f"/rates/{number}"),
                  lambda exc: _rates_page(request, db, user, number, exc=exc))


# --- the narasumber's finance fields ------------------------------------------------------

@router.get("/spj/speakers")
def finance_list(request: Request, db: DB, user: PageFinance) -> Response:
    """The narasumber with their finance fields, masked."""
    return render(request, "spj/speakers.html", {
        "speakers": speakers.list_speakers(db, user.organization_id), "mask": finance.mask,
        "mask_npwp": finance.mask_npwp})


def _finance_form(request: Request, db: DB, user: User, speaker_id: int,
                  values: dict[str, Any] | None = None, exc: DomainError | None = None,
                  back: str = "") -> Response:
    speaker = speakers.get_speaker(db, user.organization_id, speaker_id)
    known = rates.years(db, user.organization_id)
    classes = [c.name for c in rates.parsed(rates.get(db, user.organization_id, known[0])
                                            ).classes] if known else []
    if speaker.honorarium_class and speaker.honorarium_class not in classes:
        classes.append(speaker.honorarium_class)
    return render(request, "spj/speaker_finance.html", {
        "speaker": speaker, "values": values if values is not None else speaker.model_dump(),
        "errors": _errors(exc), "classes": classes, "golongan": GOLONGAN,
        "back": back if back.startswith("/") and not back.startswith("//") else "/spj/speakers",
    }, exc.status if exc else 200)


@router.get("/speakers/{speaker_id}/finance")
def finance_page(request: Request, speaker_id: int, db: DB, user: PageFinance,
                 back: str = "") -> Response:
    """A narasumber's NIP, golongan, NPWP, bank account and honorarium class."""
    return _finance_form(request, db, user, speaker_id, back=back)


@router.post("/speakers/{speaker_id}/finance")
def save_finance(request: Request, speaker_id: int, form: SubmittedForm, db: DB,
                 user: PageFinance) -> Response:
    data = form.values()
    back = data.pop("back", "")
    speaker = speakers.get_speaker(db, user.organization_id, speaker_id)
    target = back if back.startswith("/") and not back.startswith("//") else "/spj/speakers"
    return submit(db, lambda: finance.save(db, speaker, parse(SpeakerFinanceIn, data)),
                  lambda _s: redirect(request, target),
                  lambda exc: _finance_form(request, db, user, speaker_id, data, exc, back))
