"""Pages: importing participants from a spreadsheet, placing them into batches, tickets."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import FieldError, NotFound
from service.i18n import N_, gettext
from service.i18n.formats import fmt_phone
from service.imports.columns import FIELDS, ColumnMapping, match_headers
from service.imports.errors import ColumnProblem, ImportRefused, format_size
from service.imports.reader import EXCEL_MAX_ROWS, Table
from service.imports.validate import NEW_CATEGORY
from service.models import ImportUpload, Training, User
from service.models.base import pk
from service.rendering.import_template import import_template_xlsx
from service.routers import files
from service.routers.deps import PageBatch, PagePlanner, PageTraining
from service.routers.pages.forms import SubmittedForm, submit
from service.routers.pages.rendering import redirect, render
from service.routers.urls import public_base
from service.services import assignment, imports, kampung_kb, regions
from service.services.assignment_plan import Strategy
from service.services.messaging import outbox
from service.services.registrations import categories_of, mask_nik
from service.settings import get_settings

router = APIRouter(include_in_schema=False)
# Form and query fields "col:<header as in the file>" = field name, or "" to leave it out;
# "cat:<spelling in the file>" = the training's category it means, or "+" to add it;
# "header" = the row number of the column names, when picked by hand; "layout=0" declines
# the choices remembered for this sheet layout.
COLUMN_PREFIX = "col:"
CATEGORY_PREFIX = "cat:"
HEADER_FIELD = "header"
LAYOUT_FIELD = "layout"
PREVIEW_ROWS = 10
# Cells offered for correction on one page; a file with more problems goes back to Excel.
MAX_FIX_CELLS = 200

# The header the downloadable template uses for each field (import_template.py writes them
# in Indonesian), and what the page says about the column.
COLUMN_GUIDE: tuple[tuple[str, str, str], ...] = (
    ("name", "Nama", N_("Full name with titles, as it will be printed on the certificate.")),
    ("nik", "NIK", N_("16 digits, as on the KTP.")),
    ("gender", "Jenis Kelamin", N_("L or P. When empty, it is read from the NIK.")),
    ("phone", "No HP", N_("Mobile or WhatsApp number: 08…, 62… or +62…")),
    ("email", "Email", ""),
    # The training's own categories, filled in below; "Unsur" means the same in a
    # provincial office's sheet.
    ("category", "Kategori", ""),
    ("institution", "Instansi", ""),
    ("position", "Jabatan", ""),
    ("nip", "NIP", N_("18 digits, for civil servants (ASN).")),
    ("rank", "Pangkat/Golongan", N_("For civil servants, e.g. Penata Muda (III/a).")),
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
# The same choice where the training lists kabupaten/kota (a provincial event).
REGENCY_STRATEGIES: dict[str, tuple[str, str]] = {
    "balanced": (N_("Balanced mix"),
                 N_("Each batch gets a similar mix of categories and kabupaten/kota.")),
    "region": (N_("Keep kabupaten/kota together"),
               N_("The officials of one kabupaten/kota attend the same batch.")),
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
            imports.check_file(db, training, content, filename, recall=True)
        except ColumnProblem as problem:
            # The preview lets the committee say which column is which, unless the file
            # has no column left to choose from.
            table = imports.read_upload(db, training, content, filename)
            auto = match_headers(table.headers)
            if problem.code == "missing_name_column" and not auto.unrecognised:
                raise
        return imports.save_upload(db, training, user, filename, content)

    return submit(db, work,
                  lambda saved: redirect(request,
                                         f"/trainings/{training.id}/import/{saved.token}"),
                  lambda exc: _upload_page(request, db, training, exc.text(), exc.status))


# --- import: preview and confirmation ---------------------------------------------------

@dataclass
class Choices:
    """What the committee decided on the preview, as its forms and links carry it."""

    columns: dict[str, str] = field(default_factory=dict)  # header as written -> field
    categories: dict[str, str] = field(default_factory=dict)  # spelling -> category or "+"
    header_row: int | None = None  # picked by hand
    # No choice sent and the remembered one not declined: offer what was chosen last time
    # for this sheet layout.
    recall: bool = True

    def query(self, columns: Mapping[str, str] | None = None,
              categories: Mapping[str, str] | None = None) -> str:
        """The preview's query string for these choices (or those in effect)."""
        items = [(COLUMN_PREFIX + h, f) for h, f in (columns or self.columns).items()]
        items += [(CATEGORY_PREFIX + s, t) for s, t in (categories or self.categories).items()]
        if self.header_row is not None:
            items.append((HEADER_FIELD, str(self.header_row)))
        if not self.recall and not items:
            items.append((LAYOUT_FIELD, "0"))
        return urlencode(items)


def _choices(items: Iterable[tuple[str, Any]]) -> Choices:
    found = Choices()
    explicit = False
    for key, value in items:
        if not isinstance(value, str):
            continue
        if key.startswith(COLUMN_PREFIX):
            found.columns[key[len(COLUMN_PREFIX):]] = value
            explicit = True
        elif key.startswith(CATEGORY_PREFIX):
            found.categories[key[len(CATEGORY_PREFIX):]] = value
            explicit = True
        elif key == HEADER_FIELD and value.strip():
            if not value.strip().isdigit() or not 1 <= int(value) <= EXCEL_MAX_ROWS:
                raise FieldError(HEADER_FIELD, "Choose the row that holds the column names.",
                                 code="bad_header_row")
            found.header_row = int(value)
        elif key == LAYOUT_FIELD and value == "0":
            found.recall = False
    found.recall = found.recall and not explicit
    return found


def query_choices(request: Request) -> Choices:
    return _choices(request.query_params.multi_items())


def _fixes(items: Iterable[tuple[str, Any]]) -> dict[tuple[int, int], str]:
    """The corrected cells of the fix form: "fix:<row>:<column>" = text, and for a masked
    NIK or NIP "fixm:<row>:<column>", which only counts when something was typed."""
    out: dict[tuple[int, int], str] = {}
    for key, value in items:
        prefix, _, cell = key.partition(":")
        if prefix not in ("fix", "fixm") or not isinstance(value, str):
            continue
        row, _, column = cell.partition(":")
        if not (row.isdigit() and column.isdigit()) or len(row) > 7 or len(column) > 3:
            raise FieldError("fix", "Row {row} has no such cell to correct; choose the file "
                             "again.", code="unknown_cell", row=row[:7])
        if prefix == "fixm" and not value.strip():
            continue
        out[(int(row), int(column))] = value.strip()
    return out


def _sample(table: Table, index: int, field: str | None) -> str:
    """The column's first value, so the committee sees what it holds (NIKs masked)."""
    for _number, values in table.rows[:20]:
        value = values[index].strip()
        if value:
            if field in ("nik", "nip"):
                return _mask_number(value)
            return _shorten(_masked(value))
    return ""


def _mask_number(value: str) -> str:
    """A NIK or NIP as the committee may see it: its last 4 digits."""
    digits = "".join(ch for ch in value if ch.isdigit())
    return (mask_nik(digits) or "") if len(digits) >= 4 else "•" * len(value)


def _masked(text: str) -> str:
    """A cell of the file as the page may show it: a long number (NIK, NIP; phones too, in
    the rows above the header) cut to its last 4 digits."""
    digits = text.replace(" ", "").replace(".", "").replace("-", "")
    if digits.isdigit() and len(digits) >= 12:
        return mask_nik(digits) or ""
    return text


def _columns(table: Table, auto: ColumnMapping, chosen: Iterable[str | None]
             ) -> list[dict[str, Any]]:
    out = []
    for index, (header, auto_field, field_) in enumerate(
            zip(auto.headers, auto.fields, chosen, strict=True)):
        if not header:
            continue  # a blank header is never imported and has nothing to choose
        out.append({"header": header, "field": field_ or "", "auto": auto_field,
                    "unrecognised": header in auto.unrecognised,
                    "sample": _sample(table, index, field_)})
    return out


def _leading(table: Table) -> list[dict[str, Any]]:
    """The rows the header can be picked from, each as its first few cells."""
    out = []
    for number, cells in table.leading:
        shown = [_shorten(_masked(c), 24) for c in cells if c.strip()][:6]
        out.append({"number": number, "text": " · ".join(shown) or "—",
                    "header": number == table.header_row})
    return out


def _fix_cells(check: imports.ImportCheck, full_numbers: bool) -> list[dict[str, Any]]:
    """The problems the committee can correct on the page, one entry per cell (all of its
    problems together), then those of a whole row; unknown category spellings are chosen
    for all their rows at once, elsewhere on the page."""
    table, mapping = check.table, check.mapping
    name_at = mapping.column_of("name")
    values = dict(table.rows)
    cells: dict[tuple[int, int | None], dict[str, Any]] = {}
    for e in check.result.errors:
        if e.code == "unknown_category":
            continue
        key = (e.row, e.index)
        entry = cells.get(key)
        if entry is None:
            row = values.get(e.row, [])
            field_ = mapping.fields[e.index] if e.index is not None else None
            value = row[e.index] if e.index is not None and e.index < len(row) else ""
            masked = field_ in ("nik", "nip") and not full_numbers
            entry = cells[key] = {
                "row": e.row, "index": e.index, "column": e.column, "messages": [],
                "value": "" if masked else value, "masked": masked,
                "placeholder": _mask_number(value) if masked and value else "",
                "name": _shorten(row[name_at].strip()) if name_at is not None and row else ""}
        entry["messages"].append(e.message)
    return sorted(cells.values(), key=lambda c: (c["row"], c["index"] is None,
                                                 c["index"] or 0))


def _corrected(check: imports.ImportCheck, full_numbers: bool) -> list[dict[str, Any]]:
    headers, fields = check.table.headers, check.mapping.fields
    out = []
    for (row, index), value in sorted(check.corrections.items()):
        if index >= len(headers):
            continue
        secret = fields[index] in ("nik", "nip") and not full_numbers
        out.append({"row": row, "column": headers[index] or f"#{index + 1}",
                    "value": _mask_number(value) if secret and value else value})
    return out


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _region(training: Training, fields: Any) -> str | None:
    return fields.regency if regions.level(training) == "regency" else fields.district


def _preview(request: Request, db: DB, training: Training, upload: ImportUpload,
             choices: Choices, user: User, error: str | None = None,
             status_code: int = 200) -> Response:
    # Admins see NIK and NIP in full where they correct them; the committee the last 4.
    full_numbers = user.role == "admin"
    categories = [c.name for c in categories_of(db, pk(training))]
    ctx: dict[str, Any] = {"training": training, "upload": upload, "choices": choices,
                           "overrides": choices.columns, "fields": FIELDS,
                           "prefix": COLUMN_PREFIX, "cat_prefix": CATEGORY_PREFIX,
                           "new_category": NEW_CATEGORY, "error": error,
                           "categories": categories, "region_label": regions.label(training),
                           "max_size": format_size(get_settings().import_max_bytes),
                           "column_error": None, "check": None, "leading": [],
                           "header_row": None, "numbering_row": None,
                           "category_choices": choices.categories}
    try:
        check = imports.check_file(db, training, upload.content, upload.filename,
                                   choices.columns, header_row=choices.header_row,
                                   category_choices=choices.categories,
                                   corrections=imports.corrections_of(upload),
                                   recall=choices.recall)
    except ColumnProblem as problem:
        table = imports.read_upload(db, training, upload.content, upload.filename,
                                    choices.columns, choices.header_row)
        auto = match_headers(table.headers)
        chosen = [choices.columns.get(h, f or "") for h, f in zip(auto.headers, auto.fields,
                                                                  strict=True)]
        ctx.update(column_error=problem.text(), rows=len(table.rows),
                   columns=_columns(table, auto, chosen), needs_mapping=True,
                   leading=_leading(table), header_row=table.header_row,
                   numbering_row=table.numbering_row)
        return render(request, "imports/preview.html", ctx, problem.status, block="preview")
    except ImportRefused as refused:
        # Readable when uploaded; only a lowered limit or a bad header row refuses it now.
        return _upload_page(request, db, training, refused.text(), refused.status)
    result, table = check.result, check.table
    auto = match_headers(table.headers)
    fix_cells = _fix_cells(check, full_numbers)
    undecided = result.undecided
    ctx.update(check=check, rows=len(table.rows), needs_mapping=check.needs_mapping,
               overrides=check.overrides, category_choices=check.category_choices,
               columns=_columns(table, auto, check.mapping.fields),
               leading=_leading(table), header_row=table.header_row,
               numbering_row=table.numbering_row,
               valid=[{"row": r.row, "name": r.fields.name, "nik": mask_nik(r.fields.nik),
                       "nip": _mask_number(r.fields.nip) if r.fields.nip else None,
                       "phone": fmt_phone(r.fields.phone) or "", "category": r.fields.category,
                       "institution": r.fields.institution, "position": r.fields.position,
                       "region": _region(training, r.fields)}
                      for r in result.rows[:PREVIEW_ROWS]],
               # The sample shows the columns the file fills, not a row of dashes.
               shown={f for f in check.mapping.fields if f} | (
                   {"region"} if regions.level(training) in check.mapping.fields else set()),
               errors=result.errors, error_rows=len({e.row for e in result.errors}),
               fix_cells=fix_cells[:MAX_FIX_CELLS], fix_total=len(fix_cells),
               spellings=list(result.spellings.values()) if categories else [],
               undecided=undecided, undecided_rows=sum(s.rows for s in undecided),
               new_categories=result.new_categories,
               corrected=_corrected(check, full_numbers),
               layout=check.layout,
               # Texts the register cannot place: the mapping page takes them afterwards.
               kkb_unmatched=kampung_kb.unmatched_count(
                   db, training.organization_id,
                   ((r.fields.kampung_kb, r.fields.village) for r in result.rows)))
    if result.errors and status_code == 200:
        status_code = 422
    return render(request, "imports/preview.html", ctx, status_code, block="preview")


def _preview_url(training: Training, token: str, choices: Choices) -> str:
    query = choices.query()
    return f"/trainings/{training.id}/import/{token}" + (f"?{query}" if query else "")


@router.get("/trainings/{training_id}/import/{token}")
def preview_page(request: Request, training: PageTraining, db: DB, token: str,
                 user: PagePlanner,
                 choices: Annotated[Choices, Depends(query_choices)]) -> Response:
    try:
        upload = imports.load_upload(db, training, token)
    except NotFound as gone:
        return _upload_page(request, db, training, gone.text(), gone.status)
    return _preview(request, db, training, upload, choices, user)


@router.post("/trainings/{training_id}/import/{token}/fix")
def fix_cells(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
              token: str, user: PagePlanner) -> Response:
    """Keep the cells corrected on the preview, then check the whole list again."""
    choices = _choices(form.items())
    submitted = _fixes(form.items())
    try:
        upload = imports.load_upload(db, training, token)
    except NotFound as gone:
        return _upload_page(request, db, training, gone.text(), gone.status)
    return submit(db, lambda: imports.save_corrections(db, training, upload, submitted,
                                                       choices.header_row),
                  lambda _count: redirect(request, _preview_url(training, token, choices)),
                  lambda exc: _preview(request, db, training, upload, choices, user,
                                       exc.text(), exc.status))


@router.post("/trainings/{training_id}/import/{token}")
def confirm_import(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
                   token: str, user: PagePlanner) -> Response:
    """Import every row of the checked file, or none."""
    choices = _choices(form.items())
    try:
        upload = imports.load_upload(db, training, token)
    except NotFound:
        # Most likely a second click on Import: the first one imported and removed it.
        return redirect(request, f"/trainings/{training.id}/import?gone=1")

    def work() -> imports.ImportDone:
        check = imports.check_file(db, training, upload.content, upload.filename,
                                   choices.columns, header_row=choices.header_row,
                                   category_choices=choices.categories,
                                   corrections=imports.corrections_of(upload))
        done = imports.import_rows(db, training, check)
        if choices.columns or choices.categories or choices.header_row is not None:
            # Made once for this sheet layout, offered for the next file like it.
            imports.remember_layout(db, training.organization_id, check)
        imports.discard_upload(db, upload)
        return done

    # Refused when something changed since the preview (a NIK registered meanwhile, a full
    # category): nothing was written; the file is shown again with the reason.
    return submit(db, work,
                  lambda done: redirect(
                      request, f"/trainings/{training.id}/registrations?imported="
                      f"{done.imported}"),
                  lambda exc: _preview(request, db, training, upload, choices, user,
                                       exc.text(), exc.status))


# --- assignment -------------------------------------------------------------------------

def _strategy(value: str | None) -> Strategy:
    return "region" if value == "region" else "balanced"


def _assign_page(request: Request, db: DB, training: Training, strategy: Strategy,
                 extra: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    result = assignment.preview(db, training, strategy)
    batches = [(s, result.batch(s.id)) for s in result.summaries]
    by_regency = regions.level(training) == "regency"
    ctx = {"training": training, "strategy": strategy,
           "strategies": REGENCY_STRATEGIES if by_regency else STRATEGIES,
           "region_label": regions.label(training),
           "region_blank": gettext("(no kabupaten/kota)") if by_regency
           else gettext("(no kecamatan)"),
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
def email_tickets(request: Request, training: PageTraining, db: DB, user: PagePlanner,
                  batch_id: Annotated[str, Form()] = "") -> Response:
    """Queue every confirmed participant's (of one batch, or all) ticket email; the
    messages page shows them leave."""
    chosen: int | None = None
    if batch_id.strip():
        if not batch_id.strip().isdigit() or len(batch_id.strip()) > 18:
            raise FieldError("batch_id", "Not a whole number.")
        chosen = int(batch_id)
    report = outbox.queue(db, training, outbox.SendRequest("ticket", "email", chosen),
                          public_base(request), user.id)
    query = urlencode({"queued": report.queued,
                       "without_email": report.without_address["email"]})
    return redirect(request, f"/trainings/{training.id}/messages?{query}")
