"""Pages: a training's activity report (laporan kegiatan), and its PDF for the browser."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.i18n.formats import fmt_number, fmt_percent
from service.models import GENDER_LABELS, TIMEZONES, Training
from service.rendering.activity_report_docx import render_activity_report_docx
from service.rendering.activity_report_pdf import render_activity_report_pdf
from service.rendering.report_sections import fmt_mean
from service.routers import files
from service.routers.deps import PagePlanner, PageTraining, ReportSigner
from service.routers.pages.forms import SubmittedForm, parse, render_form, submit
from service.routers.pages.rendering import redirect, render
from service.schemas.report_sections import PhotoUpdate, ReportTextsUpdate
from service.schemas.reports import SignatureUpdate
from service.services import activity_report as ar
from service.services import report_photos, report_signature, report_texts
from service.services.assessments import learning as assessment_learning

router = APIRouter(include_in_schema=False)


def _report_page(request: Request, training: Training, db: DB,
                 values: dict[str, Any] | None = None, exc: DomainError | None = None,
                 saved: bool = False) -> Response:
    report = ar.activity_report(db, training)
    signer = report.signer
    if values is None:
        # The form shows what the committee set; the defaults stand as placeholders.
        values = {"place": signer.place, "date": (signer.signed_on or report.report_date)
                  .isoformat(), "signer_name": signer.name,
                  "signer_position": signer.position, "signer_nip": signer.nip}
    return render_form(request, "reports/page.html", {
        "training": training, "r": report, "num": fmt_number, "pct": fmt_percent,
        "signer": signer, "values": values, "saved": saved,
        "default_place": report_signature.default_place(db, training),
        "GENDER_LABELS": GENDER_LABELS,
        "learning": assessment_learning.learning(db, training),
        **_sections(db, training),
        "tz": TIMEZONES.get(training.timezone, training.timezone)}, exc)


def _sections(db: DB, training: Training, texts: dict[str, Any] | None = None,
              **flags: Any) -> dict[str, Any]:
    """What the texts and photos sections show (reports/_sections.html)."""
    current = report_texts.current(db, training)
    return {"texts": texts if texts is not None else {
        "background": current.background, "objectives": current.objectives,
        "conclusions": current.conclusions, "follow_up": current.follow_up},
        "texts_saved": False, "photos_saved": False, "photo_errors": {},
        "photos": report_photos.list_photos(db, training),
        "photo_sessions": report_photos.session_choices(db, training),
        "max_photos": report_photos.MAX_PHOTOS, "tid": training.id, "mean": fmt_mean,
        **flags}


def _fragment(request: Request, db: DB, training: Training, block: str, anchor: str,
              exc: DomainError | None = None, **context: Any) -> Response:
    """The section again for HTMX (with its messages), else back to the page."""
    if not request.headers.get("hx-request"):
        if exc is not None:
            return _report_page(request, training, db, exc=exc)
        return redirect(request, f"/trainings/{training.id}/report#{anchor}")
    ctx = _sections(db, training, **context)
    if exc is not None:
        return render_form(request, "reports/_sections.html", ctx, exc) if block == "texts" \
            else render(request, "reports/_sections.html",
                        {**ctx, "photo_error": exc.text()}, exc.status, block=block)
    return render(request, "reports/_sections.html", ctx, block=block)


@router.get("/trainings/{training_id}/report")
def report_page(request: Request, training: PageTraining, db: DB, saved: int = 0) -> Response:
    """The activity report: the same figures as the PDF, as tables and bars, and the
    signature block the committee sets."""
    return _report_page(request, training, db, saved=bool(saved))


@router.post("/trainings/{training_id}/report/signature")
def save_signature(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
                   user: PagePlanner) -> Response:
    """Store the signature block's place, date and signer (blank: the defaults)."""
    data = form.values()
    return submit(db, lambda: report_signature.save(db, training, parse(SignatureUpdate, data),
                                                    user),
                  lambda _: redirect(request,
                                     f"/trainings/{training.id}/report?saved=1#rep-sign"),
                  lambda exc: _report_page(request, training, db, data, exc))


@router.get("/trainings/{training_id}/report.pdf")
def report_pdf(training: PageTraining, db: DB, signer: ReportSigner) -> Response:
    report = ar.activity_report(db, training, photos=True)
    # "Download PDF": saved as a file to attach to the laporan, not opened in a tab.
    return files.pdf(render_activity_report_pdf(
        report, report_signature.overridden(report.signer, signer)), ar.filename(report),
        attachment=True)


@router.get("/trainings/{training_id}/report.docx")
def report_docx(training: PageTraining, db: DB, signer: ReportSigner) -> Response:
    report = ar.activity_report(db, training, photos=True)
    return files.docx(render_activity_report_docx(
        report, report_signature.overridden(report.signer, signer)), ar.docx_filename(report))


@router.post("/trainings/{training_id}/report/texts")
def save_texts(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
               user: PagePlanner) -> Response:
    """Store the report's background, objectives, conclusions and follow-up (RTL)."""
    data = form.values()
    return submit(db, lambda: report_texts.save(db, training, parse(ReportTextsUpdate, data),
                                                user),
                  lambda _: _fragment(request, db, training, "texts", "rep-texts",
                                      texts_saved=True),
                  lambda exc: _fragment(request, db, training, "texts", "rep-texts", exc,
                                        texts=data))


@router.post("/trainings/{training_id}/report/photos")
def upload_photos(request: Request, training: PageTraining, form: SubmittedForm, db: DB,
                  user: PagePlanner) -> Response:
    """Add the chosen photos (all or none), each with the caption given."""
    uploads = [f for f in form.form.getlist("file")
               if not isinstance(f, str) and f.filename]
    caption = form.get("caption")
    session_id = int(form.get("session_id")) if form.get("session_id").isdigit() else None

    def work() -> int:
        if not uploads:
            report_photos.clean_photo(b"")  # refuses: "choose a photo"
        for upload in uploads:
            report_photos.add_photo(db, training, report_photos.read_upload(upload.file),
                                    caption, session_id, user)
        return len(uploads)

    return submit(db, work,
                  lambda n: _fragment(request, db, training, "photos", "rep-photos",
                                      photos_saved=n),
                  lambda exc: _fragment(request, db, training, "photos", "rep-photos", exc))


@router.post("/trainings/{training_id}/report/photos/{photo_id}")
def edit_photo(request: Request, training: PageTraining, photo_id: int, form: SubmittedForm,
               db: DB, user: PagePlanner) -> Response:
    """Change a photo's caption and session."""
    data = form.values()
    return submit(db, lambda: report_photos.update_photo(db, training, photo_id,
                                                         parse(PhotoUpdate, data)),
                  lambda _: _fragment(request, db, training, "photos", "rep-photos"),
                  lambda exc: _fragment(request, db, training, "photos", "rep-photos", exc))


@router.post("/trainings/{training_id}/report/photos/{photo_id}/delete")
def delete_photo(request: Request, training: PageTraining, photo_id: int, db: DB,
                 user: PagePlanner) -> Response:
    """Delete a photo from the report."""
    return submit(db, lambda: report_photos.delete_photo(db, training, photo_id),
                  lambda _: _fragment(request, db, training, "photos", "rep-photos"),
                  lambda exc: _fragment(request, db, training, "photos", "rep-photos", exc))


@router.get("/trainings/{training_id}/report/photos/{photo_id}.jpg")
def photo_image(training: PageTraining, photo_id: int, db: DB, thumb: bool = False) -> Response:
    p = report_photos.get_photo(db, training, photo_id)
    # Kept a minute by the committee's own browser: the photo grid reloads after each edit.
    return files.jpeg(p.thumbnail if thumb else p.image, max_age=60)
