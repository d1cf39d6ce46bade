"""A training's activity report (laporan kegiatan): its figures as JSON, and as a PDF."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from service.db import DB
from service.rendering.activity_report_pdf import Signer, render_activity_report_pdf
from service.routers.deps import ApiTraining
from service.routers.pdf import pdf_response
from service.schemas.reports import ReportRead, report_read
from service.services import activity_report as ar

router = APIRouter(prefix="/api", tags=["reports"])

# The head of office who signs: optional, printed under the place and date.
SignerName = Annotated[str, Query(max_length=200)]
SignerNip = Annotated[str, Query(max_length=40)]
SignerPosition = Annotated[str, Query(max_length=200)]


def report_filename(r: ar.ActivityReport) -> str:
    return f"laporan-kegiatan-{r.title[:60]}.pdf"


@router.get("/trainings/{training_id}/report")
def training_report(training: ApiTraining, db: DB) -> ReportRead:
    """The activity report's figures: registered, present per batch and day, breakdowns
    by category, gender, kecamatan and kabupaten/kota, agenda, narasumber, certificates."""
    return report_read(ar.activity_report(db, training))


@router.get("/trainings/{training_id}/report.pdf")
def training_report_pdf(training: ApiTraining, db: DB, signer_name: SignerName = "",
                        signer_nip: SignerNip = "",
                        signer_position: SignerPosition = "") -> Response:
    """The activity report as an A4 PDF, with the head of office's signature block."""
    report = ar.activity_report(db, training)
    signer = Signer(name=signer_name.strip(), nip=signer_nip.strip(),
                    position=signer_position.strip())
    return pdf_response(render_activity_report_pdf(report, signer), report_filename(report))
