"""Pages: importing participants from a spreadsheet, placing them into batches, tickets."""

from collections.abc import Iterable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import FieldError, NotFound
from service.i18n import N_, gettext
from service.imports.columns import FIELDS, ColumnMapping, match_headers
from service.imports.errors import ColumnProblem, ImportRefused, format_size
from service.imports.reader import Table, read_table
from service.models import ImportUpload, Training
from service.models.base import pk
from service.rendering.import_template import import_template_xlsx
from service.routers import files
from service.routers.deps import PageBatch, PagePlanner, PageTraining
from service.routers.pages.forms import SubmittedForm, submit
from service.routers.pages.rendering import redirect, render
from service.routers.urls import public_base
from service.services import assignment, imports, ticket_delivery
from service.services.assignment_plan import Strategy
from service.services.registrations import categories_of, mask_nik
from service.settings import get_settings

router = APIRouter(include_in_schema=False)
# Form and query fields "col:<header as in the file>" = field name, or "" to leave it out.
COLUMN_PREFIX = "col:"
PREVIEW_ROWS = 10

# The header the downloadable template uses for each field (import_template.py writes them
# in Indonesian), and what the page says about the column.
COLUMN_GUIDE: tuple[tuple[str, str, str], ...] = (
    ("name", "Nama", N_("Full name with titles, as it will be printed on the certificate.")),
    ("nik", "NIK", N_("16 digits, as on the KTP.")),
    ("gender", "Jenis Kelamin", N_("L or P. When empty, it is read from the NIK.")),
    ("phone", "No HP", N_("Mobile or WhatsApp number: 08…, 62… or +62…")),
    ("email", "Email", ""),
    ("category", "Kategori", ""),  # the training's own categories, filled in below
    ("institution", "Instansi", ""),
    ("position", "Jabatan", ""),
    ("village", "Kelurahan/Desa", ""),
    ("district", "Kecamatan", N_("Used to keep a kecamatan together when placing people "
                                 "into batches.")),
    ("regency", "Kabupaten/Kota", ""),
    ("province", "Provinsi", ""),
    ("kampung_kb", "Kampung KB", ""),
)

STRATEGIES: dict[str, tuple[str, str]] = {
    "balanced": (N_("Balanced mix"),
                 N_("Each batch gets a similar mix of categories and kecamatan.")),
    "region": (N_("Keep kecamatan together"),
               N_("People from one kecamatan attend the same batch, as Pontianak staged "
                  "its bimtek district by district.")),
}


# --- import: upload ---------------------------------------------------------------------

def _upload_page(request: Request, db: DB, training: Training, error: str | None = None,
                 status_code: int = 200) -> Response:
    categories = [c.name for c in categories_of(db, pk(training))]
    return render(request, "imports/upload.html", {
        "training": training, "error": error, "guide": COLUMN_GUIDE, "fields": FIELDS,
        "categories": categories,
        "max_size": format_size(get_settings().import_max_bytes)}, status_code)


@router.get("/trainings/{training_id}/import")
def upload_page(request: Request, training: PageTraining, db: DB, gone: int = 0) -> Response:
    # `gone` comes back from confirming a preview that no longer exists (see confirm_import).
    error = None
    if gone:
        error = gettext("This file has already been imported, or its check has expired. "
                        "Look at the participant list before uploading it again.")
    return _upload_page(request, db, training, error)


@router.get("/trainings/{training_id}/import/template.xlsx")
def template(training: PageTraining, db: DB) -> Response:
    """An empty participant list with the expected columns and an example row."""
    data = import_template_xlsx([c.name for c in categories_of(db, pk(training))])
    return files.xlsx(data, "template-peserta.xlsx")


def _auto_mapping(content: bytes, filename: str) -> tuple[Table, ColumnMapping]:
    """The file's columns as recognised, without checking them (to let the page fix them)."""
    settings = get_settings()
    table = read_table(content, filename, max_bytes=settings.import_max_bytes,
                       max_rows=settings.import_max_rows)
    return table, match_headers(table.headers)


@router.post("/trainings/{training_id}/import")
def upload(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
           user: PagePlanner) -> Response:
    """Keep the uploaded list and show what an import would do."""
    file = form.file("file")
    if file is None:
        return _upload_page(request, db, training,
                            gettext("Choose the participant list (.xlsx or .csv) first."), 422)
    filename, content = file.filename or "", file.file.read()

    def work() -> ImportUpload:
        try:
            imports.check_file(db, training, content, filename)
        except ColumnProblem as problem:
            # The preview lets the committee say which column is which, unless the file
            # has no column left to choose from.
            _table, auto = _auto_mapping(content, filename)
            if problem.code == "missing_name_column" and not auto.unrecognised:
                raise
        return imports.save_upload(db, training, user, filename, content)

    return submit(db, work,
                  lambda saved: redirect(request,
                                         f"/trainings/{training.id}/import/{saved.token}"),
                  lambda exc: _upload_page(request, db, training, exc.text(), exc.status))


# --- import: preview and confirmation ---------------------------------------------------

def _overrides(items: Iterable[tuple[str, Any]]) -> dict[str, str]:
    return {k[len(COLUMN_PREFIX):]: v for k, v in items
            if k.startswith(COLUMN_PREFIX) and isinstance(v, str)}


def query_overrides(request: Request) -> dict[str, str]:
    return _overrides(request.query_params.multi_items())


def _sample(table: Table, index: int, field: str | None) -> str:
    """The column's first value, so the committee sees what it holds (NIKs masked)."""
    for _number, values in table.rows[:20]:
        value = values[index].strip()
        if value:
            digits = value.replace(" ", "")
            if field == "nik" or (digits.isdigit() and len(digits) >= 12):
                return mask_nik(digits) or ""
            return _shorten(value)
    return ""


def _phone(number: str | None) -> str:
    """+6281266341122 as Indonesians write it: 0812-6634-1122."""
    if not number or not number.startswith("+62"):
        return number or ""
    local = "0" + number[3:]
    if local.startswith("08"):
        return "-".join(p for p in (local[:4], local[4:8], local[8:]) if p)
    return local


def _columns(table: Table, auto: ColumnMapping, chosen: Iterable[str | None]
             ) -> list[dict[str, Any]]:
    out = []
    for index, (header, auto_field, field) in enumerate(
            zip(auto.headers, auto.fields, chosen, strict=True)):
        if not header:
            continue  # a blank header is never imported and has nothing to choose
        out.append({"header": header, "field": field or "", "auto": auto_field,
                    "unrecognised": header in auto.unrecognised,
                    "sample": _sample(table, index, field)})
    return out


def _row_errors(check: imports.ImportCheck) -> list[dict[str, Any]]:
    """Every problem with the name written on its row, to find the row in the file."""
    name_at = check.mapping.column_of("name")
    names = {number: values[name_at].strip() for number, values in check.table.rows} \
        if name_at is not None else {}
    return [{"row": e.row, "column": e.column, "message": e.message,
             "name": _shorten(names.get(e.row, ""))} for e in check.result.errors]


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _preview(request: Request, db: DB, training: Training, upload: ImportUpload,
             overrides: dict[str, str], error: str | None = None,
             status_code: int = 200) -> Response:
    ctx: dict[str, Any] = {"training": training, "upload": upload, "overrides": overrides,
                           "fields": FIELDS, "prefix": COLUMN_PREFIX, "error": error,
                           "max_size": format_size(get_settings().import_max_bytes),
                           "column_error": None, "check": None}
    try:
        check = imports.check_file(db, training, upload.content, upload.filename, overrides)
    except ColumnProblem as problem:
        table, auto = _auto_mapping(upload.content, upload.filename)
        chosen = [overrides.get(h, f or "") for h, f in zip(auto.headers, auto.fields,
                                                             strict=True)]
        ctx.update(column_error=problem.text(), rows=len(table.rows),
                   columns=_columns(table, auto, chosen), needs_mapping=True)
        return render(request, "imports/preview.html", ctx, problem.status, block="preview")
    except ImportRefused as refused:
        # Readable when uploaded; only a lowered limit could refuse it now.
        return _upload_page(request, db, training, refused.text(), refused.status)
    result = check.result
    auto = match_headers(check.table.headers)
    ctx.update(check=check, rows=len(check.table.rows), needs_mapping=check.needs_mapping,
               columns=_columns(check.table, auto, check.mapping.fields),
               valid=[{"row": r.row, "name": r.fields.name, "nik": mask_nik(r.fields.nik),
                       "phone": _phone(r.fields.phone), "category": r.fields.category,
                       "district": r.fields.district}
                      for r in result.rows[:PREVIEW_ROWS]],
               errors=_row_errors(check), error_rows=len({e.row for e in result.errors}))
    if result.errors and status_code == 200:
        status_code = 422
    return render(request, "imports/preview.html", ctx, status_code, block="preview")


@router.get("/trainings/{training_id}/import/{token}")
def preview_page(request: Request, training: PageTraining, db: DB, token: str,
                 overrides: Annotated[dict[str, str], Depends(query_overrides)]) -> Response:
    try:
        upload = imports.load_upload(db, training, token)
    except NotFound as gone:
        return _upload_page(request, db, training, gone.text(), gone.status)
    return _preview(request, db, training, upload, overrides)


@router.post("/trainings/{training_id}/import/{token}")
def confirm_import(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
                   token: str) -> Response:
    """Import every row of the checked file, or none."""
    overrides = _overrides(form.items())
    try:
        upload = imports.load_upload(db, training, token)
    except NotFound:
        # Most likely a second click on Import: the first one imported and removed it.
        return redirect(request, f"/trainings/{training.id}/import?gone=1")

    def work() -> int:
        check = imports.check_file(db, training, upload.content, upload.filename, overrides)
        count = imports.import_rows(db, training, check)
        imports.discard_upload(db, upload)
        return count

    # Refused when something changed since the preview (a NIK registered meanwhile, a full
    # category): nothing was written; the file is shown again with the reason.
    return submit(db, work,
                  lambda count: redirect(
                      request, f"/trainings/{training.id}/registrations?imported={count}"),
                  lambda exc: _preview(request, db, training, upload, overrides, exc.text(),
                                       exc.status))


# --- assignment -------------------------------------------------------------------------

def _strategy(value: str | None) -> Strategy:
    return "region" if value == "region" else "balanced"


def _assign_page(request: Request, db: DB, training: Training, strategy: Strategy,
                 extra: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    result = assignment.preview(db, training, strategy)
    batches = [(s, result.batch(s.id)) for s in result.summaries]
    ctx = {"training": training, "strategy": strategy, "strategies": STRATEGIES,
           "result": result, "batches": batches,
           "by_category": result.mix_by_category(), "by_district": result.mix_by_district(),
           "confirmed": result.confirmed, "room": result.room,
           "placed_now": None, "waiting_now": None, "error": None, **(extra or {})}
    return render(request, "assignment/assign.html", ctx, status_code, block="assign_preview")


@router.get("/trainings/{training_id}/assign")
def assign_page(request: Request, training: PageTraining, db: DB,
                strategy: str = "balanced", placed: int | None = None,
                waiting: int | None = None) -> Response:
    # `placed` and `waiting` come back in the redirect after applying.
    return _assign_page(request, db, training, _strategy(strategy),
                        {"placed_now": placed, "waiting_now": waiting})


@router.post("/trainings/{training_id}/assign")
def apply_assignment(request: Request, training: PageTraining, db: DB,
                     strategy: Annotated[str, Form()] = "balanced") -> Response:
    """Place every waiting participant into a batch with the chosen strategy."""
    def work() -> assignment.AssignmentPreview:
        if strategy not in STRATEGIES:
            raise FieldError("strategy", "Choose one of: {expected}.",
                             expected=", ".join(STRATEGIES))
        return assignment.apply(db, training, _strategy(strategy))

    def done(result: assignment.AssignmentPreview) -> Response:
        query = urlencode({"strategy": strategy, "placed": result.placed,
                           "waiting": result.waitlisted})
        return redirect(request, f"/trainings/{training.id}/assign?{query}")

    return submit(db, work, done,
                  lambda exc: _assign_page(request, db, training, _strategy(strategy),
                                           {"error": exc.text()}, exc.status))


# --- tickets ----------------------------------------------------------------------------

@router.get("/batches/{batch_id}/tickets.pdf")
def ticket_cards(found: PageBatch, db: DB, request: Request) -> Response:
    """Printable ticket cards of a batch's confirmed participants, 8 per A4 page."""
    return files.ticket_cards(db, request, *found)


@router.post("/trainings/{training_id}/tickets/email")
def email_tickets(request: Request, training: PageTraining, db: DB,
                  batch_id: Annotated[str, Form()] = "") -> Response:
    """Email every confirmed participant (of one batch, or all) their ticket link."""
    chosen: int | None = None
    if batch_id.strip():
        if not batch_id.strip().isdigit():
            raise FieldError("batch_id", "Not a whole number.")
        chosen = int(batch_id)
    ctx = ticket_delivery.context(db, training)
    rows = ticket_delivery.confirmed_rows(db, training, chosen)
    report = ticket_delivery.email_tickets(db, ctx, rows, public_base(request))
    query = urlencode({"emailed": report.sent, "failed": len(report.failed)})
    return redirect(request, f"/trainings/{training.id}/registrations?{query}")
