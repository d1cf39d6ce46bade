"""A training's activity report (laporan kegiatan): its figures as JSON, and as a PDF."""

from fastapi import APIRouter
from fastapi.responses import Response

from service.db import DB
from service.rendering.activity_report_pdf import render_activity_report_pdf
from service.routers import files
from service.routers.deps import ApiPlanner, ApiTraining, ReportSigner
from service.schemas.reports import ReportRead, SignatureRead, SignatureUpdate, report_read
from service.services import activity_report as ar
from service.services import report_signature

router = APIRouter(prefix="/api", tags=["reports"])


@router.get("/trainings/{training_id}/report")
def training_report(training: ApiTraining, db: DB) -> ReportRead:
    """The activity report's figures: registered, present per batch and day, breakdowns
    by category, gender, kecamatan and kabupaten/kota, agenda, narasumber, certificates."""
    return report_read(ar.activity_report(db, training))


@router.get("/trainings/{training_id}/report.pdf")
def training_report_pdf(training: ApiTraining, db: DB, signer: ReportSigner) -> Response:
    """The activity report as an A4 PDF, with the signature block as the committee set it
    (`signer_name`, `signer_nip`, `signer_position` replace the stored signer)."""
    report = ar.activity_report(db, training)
    return files.pdf(render_activity_report_pdf(
        report, report_signature.overridden(report.signer, signer)), ar.filename(report))


@router.put("/trainings/{training_id}/report/signature")
def save_signature(training: ApiTraining, data: SignatureUpdate, db: DB,
                   user: ApiPlanner) -> SignatureRead:
    """Set the signature block: place, date, signer's name, position and NIP (a blank or
    missing field takes its default: the venue's city, the training's last day, the
    certificate template's first signatory)."""
    s = report_signature.save(db, training, data, user)
    return SignatureRead(place=s.place, date=s.signed_on or training.end_date,
                         signer_name=s.name, signer_position=s.position, signer_nip=s.nip,
                         saved=s.saved)
