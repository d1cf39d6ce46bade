"""Pages: the office's letter settings (admins: kop surat, signatory, numbering with a live
preview of the next numbers) and a training's letters (committee): invitations to its
units, requests to its narasumber and the committee's surat tugas, issued and downloaded
as DOCX, PDF or a ZIP."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError, NotFound
from service.models import Organization, Training, User
from service.models.letters import LETTER_KIND_LABELS, LETTER_KINDS, MAX_HEADER_LINES
from service.routers import files
from service.routers.deps import PageAdmin, PagePlanner, PageTraining
from service.routers.pages.forms import SubmittedForm, errors_by_field, parse, submit
from service.routers.pages.rendering import redirect, render
from service.routers.urls import public_base
from service.schemas.letters import LetterFormat, LetterIssue, LetterKind, LetterSettingsIn
from service.services import org_logo
from service.services.certificates import numbering
from service.services.letters import issuing, settings

router = APIRouter(include_in_schema=False)

# --- the office's letter settings ----------------------------------------------------------

def _settings_values(form: SubmittedForm) -> dict[str, Any]:
    return {
        "header_lines": [form.get(f"header_{i}").strip() for i in range(MAX_HEADER_LINES)],
        "place": form.get("place"), "signatory_name": form.get("signatory_name"),
        "signatory_nip": form.get("signatory_nip"),
        "signatory_position": form.get("signatory_position"), "contact": form.get("contact"),
        "kinds": {k: {"pattern": form.get(f"{k}_pattern"), "code": form.get(f"{k}_code")}
                  for k in LETTER_KINDS},
    }

def _settings_page(request: Request, db: DB, user: User, *, values: dict[str, Any] | None = None,
                   exc: DomainError | None = None, saved: bool = False) -> Response:
    current = settings.read(db, user.organization_id, settings.today())
    if values is None:
        values = current.model_dump()
    lines = list(values["header_lines"]) + [""] * MAX_HEADER_LINES
    return render(request, "letters/settings.html", {
        "s": current, "values": values, "lines": lines[:MAX_HEADER_LINES],
        "kinds": LETTER_KINDS, "kind_labels": LETTER_KIND_LABELS,
        "previews": _previews(values), "saved": saved,
        "errors": errors_by_field(exc) if exc else {},
    }, exc.status if exc else 200)

def _previews(values: dict[str, Any]) -> dict[str, str]:
    """Each kind's number for running number 1 today, or "" when the pattern is not valid."""
    out: dict[str, str] = {}
    for kind in LETTER_KINDS:
        k = values["kinds"].get(kind) or {}
        pattern, code = k.get("pattern", ""), k.get("code", "")
        try:
            valid = numbering.validate_pattern(pattern, f"{kind}_pattern", with_code=True,
                                               code=code)
            out[kind] = numbering.format_number(valid, 1, settings.today(), code)
        except DomainError as exc:
            out[kind] = "!" + exc.text()
    return out

@router.get("/settings/letters")
def settings_page(request: Request, db: DB, user: PageAdmin) -> Response:
    """Letter settings: the kop surat, the signatory and each kind's numbering."""
    return _settings_page(request, db, user)

@router.post("/settings/letters")
def save_settings(request: Request, form: SubmittedForm, db: DB, user: PageAdmin) -> Response:
    values = _settings_values(form)
    return submit(db, lambda: settings.save(db, user.organization_id,
                                            parse(LetterSettingsIn, values), user),
                  lambda _s: _settings_page(request, db, user, saved=True),
                  lambda exc: _settings_page(request, db, user, values=values, exc=exc))

@router.post("/settings/letters/preview")
def preview_numbers(request: Request, form: SubmittedForm, user: PageAdmin) -> Response:
    """The numbers the patterns as typed make (nothing is saved)."""
    return render(request, "letters/_previews.html",
                  {"previews": _previews(_settings_values(form)), "kinds": LETTER_KINDS,
                   "kind_labels": LETTER_KIND_LABELS})

@router.post("/settings/letters/logo")
def upload_logo(request: Request, db: DB, user: PageAdmin,
                logo: Annotated[UploadFile, File()]) -> Response:
    org = db.get(Organization, user.organization_id)
    if org is None:
        raise NotFound()
    # One byte past the limit is enough to refuse a large file without holding it all.
    data = logo.file.read(org_logo.MAX_BYTES + 1)
    return submit(db, lambda: org_logo.set_logo(db, org, data),
                  lambda _: redirect(request, "/settings/letters#logo"),
                  lambda exc: _settings_page(request, db, user, exc=exc))

@router.post("/settings/letters/logo/remove")
def remove_logo(request: Request, db: DB, user: PageAdmin) -> Response:
    org = db.get(Organization, user.organization_id)
    if org is not None:
        org_logo.remove_logo(db, org)
    return redirect(request, "/settings/letters#logo")

# --- a training's letters -------------------------------------------------------------------

def _letters_page(request: Request, db: DB, training: Training, *, kind: str = "",
                  exc: DomainError | None = None, issued: list[tuple[Any, bool]] | None = None
                  ) -> Response:
    ready = settings.get(db, training.organization_id)
    letters = issuing.list_letters(db, training)
    cards = [{"kind": k, "label": LETTER_KIND_LABELS[k],
              "recipients": issuing.candidates(db, training, k),
              "letters": [x for x in letters if x.kind == k],
              # Who already holds a letter of the kind: its number beside their name.
              "held": {(x.unit_id, x.speaker_id): x.number for x in letters
                       if x.kind == k and x.replaced_at is None}} for k in LETTER_KINDS]
    return render(request, "letters/page.html", {
        "training": training, "crumb_training": training, "cards": cards,
        "ready": ready is not None, "today": issuing.default_date(training),
        "error_kind": kind if exc else "", "error": exc.text() if exc else "",
        "issued_kind": kind if issued is not None else "",
        "issued_new": sum(1 for _x, existing in issued or [] if not existing),
        "issued_kept": sum(1 for _x, existing in issued or [] if existing),
    }, exc.status if exc else 200)

@router.get("/trainings/{training_id}/letters")
def letters_page(request: Request, training: PageTraining, db: DB) -> Response:
    """Surat-menyurat: invitations, requests to narasumber, the committee's surat tugas."""
    return _letters_page(request, db, training)

def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 18]

@router.post("/trainings/{training_id}/letters")
def issue_letters(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
                  user: PagePlanner) -> Response:
    kind = form.get("kind")
    raw: dict[str, Any] = {"kind": kind, "new_number": form.get("new_number") == "on",
                           "letter_date": form.get("letter_date") or None}
    if kind == "invitation":
        raw["unit_ids"] = _ids(form.getlist("unit_ids"))
    elif kind == "speaker_request":
        raw["speaker_ids"] = _ids(form.getlist("speaker_ids"))
    return submit(db, lambda: issuing.issue(db, training, user, parse(LetterIssue, raw),
                                            public_base(request)),
                  lambda done: _letters_page(request, db, training, kind=kind, issued=done),
                  lambda exc: _letters_page(request, db, training, kind=kind, exc=exc))

@router.get("/letters/{letter_id}.{fmt}")
def letter_download(letter_id: int, fmt: str, db: DB, user: PagePlanner) -> Response:
    """One letter as DOCX or PDF (the page session's cookie, like the minutes)."""
    letter = issuing.get_letter(db, user.organization_id, letter_id)
    if fmt == "docx":
        return files.letter_file(db, letter, "docx", attachment=True)
    if fmt == "pdf":
        return files.letter_file(db, letter, "pdf", attachment=True)
    raise NotFound()

@router.get("/trainings/{training_id}/letters.zip")
def letters_zip(training: PageTraining, db: DB, kind: LetterKind | None = None,
                format: Annotated[LetterFormat, Query()] = "pdf") -> Response:  # noqa: A002
    return files.letters_zip(db, training, kind, format)

_DATE = date  # letter dates come through the form as ISO text, parsed by LetterIssue


@router.get("/trainings/{training_id}/letters.pdf")
def letters_pdf(training: PageTraining, db: DB, kind: LetterKind | None = None) -> Response:
    """All current letters (of `kind`) in one PDF, each from a new page, to print."""
    return files.letters_pdf(db, training, kind, attachment=True)
