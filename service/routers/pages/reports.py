"""Pages: a training's activity report (laporan kegiatan), and its PDF for the browser."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.db import DB
from service.i18n.formats import fmt_number, fmt_percent
from service.models import GENDER_LABELS, TIMEZONES
from service.rendering.activity_report_pdf import render_activity_report_pdf
from service.routers import files
from service.routers.deps import PageTraining, ReportSigner
from service.routers.pages.rendering import render
from service.services import activity_report as ar
from service.services import certificate_template

router = APIRouter(include_in_schema=False)


@router.get("/trainings/{training_id}/report")
def report_page(request: Request, training: PageTraining, db: DB) -> Response:
    """The activity report: the same figures as the PDF, as tables and bars."""
    report = ar.activity_report(db, training)
    # The head of office usually signs the certificates too: the first signatory of the
    # training's certificate template fills the signature block in, to be changed here.
    signatories = certificate_template.current(db, training).signatories
    return render(request, "reports/page.html", {
        "training": training, "r": report, "num": fmt_number, "pct": fmt_percent,
        "signer": signatories[0] if signatories else None,
        "GENDER_LABELS": GENDER_LABELS,
        "tz": TIMEZONES.get(training.timezone, training.timezone)})


@router.get("/trainings/{training_id}/report.pdf")
def report_pdf(training: PageTraining, db: DB, signer: ReportSigner) -> Response:
    report = ar.activity_report(db, training)
    # "Download PDF": saved as a file to attach to the laporan, not opened in a tab.
    return files.pdf(render_activity_report_pdf(report, signer), ar.filename(report),
                     attachment=True)
