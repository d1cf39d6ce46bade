"""Pages: a training's activity report (laporan kegiatan), and its PDF for the browser."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.errors import DomainError
from service.i18n.formats import fmt_number, fmt_percent
from service.models import GENDER_LABELS, TIMEZONES, Training
from service.rendering.activity_report_pdf import render_activity_report_pdf
from service.routers import files
from service.routers.deps import PagePlanner, PageTraining, ReportSigner
from service.routers.pages.forms import SubmittedForm, parse, render_form, submit
from service.routers.pages.rendering import redirect
from service.schemas.reports import SignatureUpdate
from service.services import activity_report as ar
from service.services import report_signature

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
        "tz": TIMEZONES.get(training.timezone, training.timezone)}, exc)


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
    report = ar.activity_report(db, training)
    # "Download PDF": saved as a file to attach to the laporan, not opened in a tab.
    return files.pdf(render_activity_report_pdf(
        report, report_signature.overridden(report.signer, signer)), ar.filename(report),
        attachment=True)
