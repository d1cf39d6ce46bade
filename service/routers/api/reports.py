"""A training's activity report (laporan kegiatan): its figures as JSON, and as a PDF."""

from fastapi import APIRouter
from fastapi.responses import Response

from service.db import DB
from service.rendering.activity_report_pdf import render_activity_report_pdf
from service.routers import files
from service.routers.deps import ApiTraining, ReportSigner
from service.schemas.reports import ReportRead, report_read
from service.services import activity_report as ar

router = APIRouter(prefix="/api", tags=["reports"])


@router.get("/trainings/{training_id}/report")
def training_report(training: ApiTraining, db: DB) -> ReportRead:
    """The activity report's figures: registered, present per batch and day, breakdowns
    by category, gender, kecamatan and kabupaten/kota, agenda, narasumber, certificates."""
    return report_read(ar.activity_report(db, training))


@router.get("/trainings/{training_id}/report.pdf")
def training_report_pdf(training: ApiTraining, db: DB, signer: ReportSigner) -> Response:
    """The activity report as an A4 PDF, with the head of office's signature block."""
    report = ar.activity_report(db, training)
    return files.pdf(render_activity_report_pdf(report, signer), ar.filename(report))
