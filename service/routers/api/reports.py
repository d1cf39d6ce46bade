"""A training's activity report (laporan kegiatan): its figures as JSON, and as a PDF."""

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response

from service.db import DB
from service.models import ReportPhoto
from service.rendering.activity_report_docx import render_activity_report_docx
from service.rendering.activity_report_pdf import render_activity_report_pdf
from service.routers import files
from service.routers.deps import ApiPlanner, ApiTraining, ReportSigner
from service.schemas.report_sections import (
    PhotoRead,
    PhotoUpdate,
    ReportTextsRead,
    ReportTextsUpdate,
)
from service.schemas.reports import ReportRead, SignatureRead, SignatureUpdate, report_read
from service.services import activity_report as ar
from service.services import report_photos, report_signature, report_texts

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
    report = ar.activity_report(db, training, photos=True)
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


@router.get("/trainings/{training_id}/report.docx")
def training_report_docx(training: ApiTraining, db: DB, signer: ReportSigner) -> Response:
    """The activity report as a Word document the office can still edit: the PDF's
    sections as headings, paragraphs and tables, the photos embedded."""
    report = ar.activity_report(db, training, photos=True)
    return files.docx(render_activity_report_docx(
        report, report_signature.overridden(report.signer, signer)), ar.docx_filename(report))


def _texts_read(db: DB, training: ApiTraining) -> ReportTextsRead:
    t = report_texts.current(db, training)
    return ReportTextsRead(background=t.background, objectives=t.objectives,
                           conclusions=t.conclusions, follow_up=t.follow_up, saved=t.saved,
                           default_background=report_texts.default_background(training),
                           default_objectives=report_texts.default_objectives(training))


@router.get("/trainings/{training_id}/report/texts")
def get_texts(training: ApiTraining, db: DB) -> ReportTextsRead:
    """The report's background, objectives, conclusions and follow-up (RTL), with the
    defaults where the committee wrote nothing."""
    return _texts_read(db, training)


@router.put("/trainings/{training_id}/report/texts")
def put_texts(training: ApiTraining, data: ReportTextsUpdate, db: DB,
              user: ApiPlanner) -> ReportTextsRead:
    """Write the report's texts (a blank or missing text: its default again)."""
    report_texts.save(db, training, data, user)
    return _texts_read(db, training)


def _photo_read(training_id: int, p: ReportPhoto) -> PhotoRead:
    url = f"/api/trainings/{training_id}/report/photos/{p.id}.jpg"
    return PhotoRead(id=p.id or 0, caption=p.caption, taken_on=p.taken_on,
                     session_id=p.session_id, width=p.width, height=p.height,
                     position=p.position, uploaded_at=p.uploaded_at, url=url,
                     thumbnail_url=url + "?thumb=true")


@router.get("/trainings/{training_id}/report/photos")
def list_photos(training: ApiTraining, db: DB) -> list[PhotoRead]:
    """The report's photos in order, with their captions and the day they were taken."""
    return [_photo_read(training.id or 0, p) for p in report_photos.list_photos(db, training)]


@router.post("/trainings/{training_id}/report/photos", status_code=201)
def upload_photo(training: ApiTraining, db: DB, user: ApiPlanner,
                 file: Annotated[UploadFile, File()],
                 caption: Annotated[str, Form(max_length=300)] = "",
                 session_id: Annotated[int | None, Form()] = None) -> PhotoRead:
    """Add a photo (JPEG, PNG or WebP, at most 15 MB): stored upright, at most 1600 px,
    without its metadata (no GPS); 422 invalid_photo, 409 too_many_photos past 40."""
    data = report_photos.read_upload(file.file)
    return _photo_read(training.id or 0, report_photos.add_photo(
        db, training, data, caption, session_id, user))


@router.patch("/trainings/{training_id}/report/photos/{photo_id}")
def update_photo(training: ApiTraining, photo_id: int, data: PhotoUpdate, db: DB,
                 user: ApiPlanner) -> PhotoRead:
    """Change a photo's caption, session or position."""
    return _photo_read(training.id or 0,
                       report_photos.update_photo(db, training, photo_id, data))


@router.delete("/trainings/{training_id}/report/photos/{photo_id}", status_code=204)
def delete_photo(training: ApiTraining, photo_id: int, db: DB, user: ApiPlanner) -> Response:
    """Delete a photo from the report."""
    report_photos.delete_photo(db, training, photo_id)
    return Response(status_code=204)


@router.get("/trainings/{training_id}/report/photos/{photo_id}.jpg")
def photo_image(training: ApiTraining, photo_id: int, db: DB, thumb: bool = False) -> Response:
    """The photo as stored (JPEG), or its thumbnail with `thumb=true`; committee only."""
    p = report_photos.get_photo(db, training, photo_id)
    return files.jpeg(p.thumbnail if thumb else p.image)
