"""HTTP file responses: every PDF, spreadsheet, CSV, ZIP and image the API and the pages
hand out, with one set of private headers and one filename sanitiser; and the documents
both the API and the pages serve (rosters, attendance sheets, ticket cards,
certificates), so that neither imports the other.

Streamed documents (merged certificates, ZIPs) come from the renderer's generators,
which make each chunk when the response asks for it: the first bytes leave at once and
memory stays flat. Everything is read from the database before the response starts,
since the request's session is closed while the stream runs.
"""

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Literal

from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from sqlmodel import Session

from service.errors import NotFound
from service.models import Batch, IssuedLetter, Training
from service.rendering.attendance_sheet_pdf import render_attendance_sheet_pdf
from service.rendering.certificate_pdf import (
    CertificateDesign,
    render_certificate,
    stream_certificates,
    stream_zip,
)
from service.rendering.letter_docx import render_letter_docx
from service.rendering.letter_pdf import render_letter_pdf, render_letters_pdf
from service.rendering.letters_zip import render_letters_zip
from service.rendering.roster_pdf import render_roster_pdf
from service.rendering.roster_sheets import roster_csv, roster_xlsx
from service.rendering.spj_pdf import Nominatif, render_nominatif_pdf, render_receipts_pdf
from service.rendering.spj_sheets import render_nominatif_xlsx
from service.rendering.ticket_cards_pdf import ticket_cards_pdf
from service.routers.urls import public_base
from service.schemas.letters import LetterFormat, LetterKind
from service.services import rosters, ticket_delivery, trainings
from service.services import training_clock as clock
from service.services.certificates.documents import IssuedRow, named, people
from service.services.letters import content, issuing
from service.services.rosters import Audience
from service.services.spj import compute, documents

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
ZIP = "application/zip"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA = {"pdf": PDF, "xlsx": XLSX, "csv": CSV, "zip": ZIP, "png": PNG}

MAX_FILENAME = 150


def private_headers(max_age: int = 0) -> dict[str, str]:
    """Headers for anything personal or behind a secret link: kept by no proxy, never
    named to the next site in a Referer, never indexed. `max_age` lets the holder's own
    browser keep it that many seconds (a ticket reopened from WhatsApp); 0 keeps nothing."""
    return {"Cache-Control": f"private, max-age={max_age}" if max_age else "no-store",
            "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


PRIVATE = private_headers()


def safe_filename(name: str, fallback: str = "document") -> str:
    """The name as the Content-Disposition header carries it: ASCII letters, digits,
    dot, dash and underscore only (a quote, `;` or a line break from a title would end
    the header early or add one), accents dropped to their letter ("Ḥalimah" ->
    "Halimah"), no leading dot, at most MAX_FILENAME characters with the extension kept."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", plain).lstrip("-.").rstrip("-")
    if len(safe) > MAX_FILENAME:
        stem, dot, ext = safe.rpartition(".")
        ext = ext if dot and len(ext) <= 5 else ""
        keep = MAX_FILENAME - len(ext) - (1 if ext else 0)
        safe = (stem if ext else safe)[:keep].rstrip("-.") + (f".{ext}" if ext else "")
    return safe or fallback


def _disposition(filename: str, attachment: bool, fallback: str) -> str:
    how = "attachment" if attachment else "inline"
    return f'{how}; filename="{safe_filename(filename, fallback)}"'


def file_response(data: bytes, media_type: str, filename: str, *, attachment: bool,
                  fallback: str = "document") -> Response:
    """A whole file in memory. attachment=False: the browser opens it (a PDF in its
    viewer); True: it is saved."""
    return Response(data, media_type=media_type, headers={
        **PRIVATE, "Content-Disposition": _disposition(filename, attachment, fallback)})


def stream_response(chunks: Iterable[bytes], media_type: str, filename: str, *,
                    attachment: bool = True, fallback: str = "document") -> Response:
    """A file sent as its chunks are made (see the module's note)."""
    return StreamingResponse(chunks, media_type=media_type, headers={
        **PRIVATE, "Content-Disposition": _disposition(filename, attachment, fallback)})


def pdf(data: bytes, filename: str, attachment: bool = False) -> Response:
    return file_response(data, PDF, filename, attachment=attachment, fallback="document.pdf")


def xlsx(data: bytes, filename: str) -> Response:
    return file_response(data, XLSX, filename, attachment=True, fallback="document.xlsx")


def png(data: bytes, max_age: int = 0) -> Response:
    """An image shown inside a page (previews, logos, QR codes): no file name."""
    return Response(data, media_type=PNG, headers=private_headers(max_age))


def jpeg(data: bytes, max_age: int = 0) -> Response:
    """A photo shown inside a page (the activity report's): no file name."""
    return Response(data, media_type=JPEG, headers=private_headers(max_age))


def docx(data: bytes, filename: str) -> Response:
    return file_response(data, DOCX, filename, attachment=True, fallback="document.docx")


# --- rosters and attendance sheets (committee pages, the API, narasumber links) ----------

ROSTER_RENDERERS = {"pdf": render_roster_pdf, "csv": roster_csv, "xlsx": roster_xlsx}


def roster_file(db: Session, training: Training, batch: Batch, fmt: str, audience: Audience,
                full_nik: bool = False) -> Response:
    """The roster as pdf (opened in the browser), xlsx or csv (saved); another format
    is a 404."""
    render = ROSTER_RENDERERS.get(fmt)
    if render is None:
        raise NotFound()
    r = rosters.roster(db, training, batch)
    data = render(rosters.sheet(r, audience, full_nik, today=clock.today(training),
                                printed=fmt == "pdf"))
    kind = "daftar-peserta-nik" if full_nik else "daftar-peserta"
    return file_response(data, MEDIA[fmt], rosters.filename(kind, batch, fmt),
                         attachment=fmt != "pdf")


def attendance_sheet_file(db: Session, training: Training, batch: Batch,
                          day: date | None, grouped: bool = False) -> Response:
    """The printed daftar hadir of a batch day (default: today, else its first day), one
    list or (grouped) one section per region."""
    day = day or clock.default_day(batch, clock.today(training))
    doc = rosters.attendance_sheet(rosters.roster(db, training, batch), day, grouped)
    return pdf(render_attendance_sheet_pdf(doc), rosters.filename("daftar-hadir", batch,
                                                                  "pdf", day))


# --- ticket cards -------------------------------------------------------------------------

def ticket_cards(db: Session, request: Request, batch: Batch, training: Training) -> Response:
    """The printable ticket cards of a batch's confirmed participants."""
    ctx = ticket_delivery.context(db, training)
    rows = ticket_delivery.confirmed_rows(db, training, batch.id)
    cards = ticket_delivery.ticket_cards(db, ctx, rows, public_base(request))
    return pdf(ticket_cards_pdf(cards, title=f"{training.title} – {batch.name}"),
               f"tiket-{batch.name}.pdf")


# --- certificates ---------------------------------------------------------------------------

def certificate_pdf(design: CertificateDesign, row: IssuedRow,
                    attachment: bool = False) -> Response:
    return file_response(render_certificate(design, row.fields), PDF, row.filename,
                         attachment=attachment, fallback="sertifikat.pdf")


def certificates_pdf(design: CertificateDesign, rows: list[IssuedRow],
                     filename: str) -> Response:
    """Many certificates merged into one PDF, streamed."""
    return stream_response(stream_certificates(design, people(rows)), PDF, filename,
                           fallback="sertifikat.pdf")


def certificates_zip(design: CertificateDesign, rows: list[IssuedRow],
                     filename: str) -> Response:
    """Many certificates as one PDF each in a ZIP, streamed."""
    return stream_response(stream_zip(design, named(rows)), ZIP, filename,
                           fallback="sertifikat.zip")


def archive_file(path: Path, filename: str) -> Response:
    """A finished archive on disk (an office's export), sent from the file."""
    from fastapi.responses import FileResponse

    return FileResponse(path, media_type=ZIP, headers={
        **PRIVATE, "Content-Disposition": _disposition(filename, True, "export.zip")})


# --- letters (issue 16) ----------------------------------------------------------------
def letter_file(db: Session, letter: IssuedLetter, fmt: Literal["docx", "pdf"], *,
                attachment: bool) -> Response:
    """The letter, made again from the training's data with its number and date (a DOCX
    is always saved; a PDF saved when `attachment`, else opened)."""
    doc = content.document(db, letter)
    name = f"{content.filename(letter)}.{fmt}"
    if fmt == "docx":
        return docx(render_letter_docx(doc), name)
    return pdf(render_letter_pdf(doc), name, attachment=attachment)


def letters_zip(db: Session, training: Training, kind: LetterKind | None,
                fmt: LetterFormat) -> Response:
    """The training's current letters (of `kind`, or all), one file per recipient."""
    docs = content.documents(db, training, issuing.current_or_404(db, training, kind))
    return file_response(render_letters_zip(docs, fmt), ZIP,
                               content.bundle_name(training, kind, "zip"), attachment=True,
                               fallback="surat.zip")


def letters_pdf(db: Session, training: Training, kind: LetterKind | None, *,
                attachment: bool) -> Response:
    """The training's current letters (of `kind`, or all) in one PDF, each from a new
    page, to print at once."""
    docs = content.documents(db, training, issuing.current_or_404(db, training, kind))
    return pdf(render_letters_pdf([d for _n, d in docs]),
                     content.bundle_name(training, kind, "pdf"), attachment=attachment)


# --- the SPJ (issue 16) ---------------------------------------------------------------
SpjFormat = Literal["pdf", "xlsx"]


def _nominatif(doc: Nominatif, name: str, fmt: SpjFormat, attachment: bool) -> Response:
    if fmt == "pdf":
        return pdf(render_nominatif_pdf(doc), name, attachment=attachment)
    return xlsx(render_nominatif_xlsx(doc), name)


def honorarium_file(db: Session, training: Training, fmt: SpjFormat, *,
                    attachment: bool) -> Response:
    """The daftar nominatif of the narasumber's honorarium (a PDF saved when
    `attachment`, else opened; an XLSX always saved)."""
    spj = compute.build(db, training)
    doc = documents.honorarium(spj, compute.signers(db, training))
    return _nominatif(doc, documents.filename(spj, "honorarium", fmt), fmt, attachment)


def transport_file(db: Session, org_id: int, batch_id: int, fmt: SpjFormat, *,
                   attachment: bool) -> Response:
    """The daftar nominatif of a batch's transport (404 for another office's batch)."""
    batch, training = trainings.get_batch(db, org_id, batch_id)
    spj = compute.build(db, training)
    doc = documents.transport(spj, batch, compute.signers(db, training))
    return _nominatif(doc, documents.filename(spj, f"transport-{batch.name}", fmt), fmt,
                      attachment)


def receipts_file(db: Session, training: Training, kind: Literal["honorarium", "transport"],
                  batch_id: int | None, *, attachment: bool) -> Response:
    """Tanda terima, a page per person: the narasumber, or a batch's participants."""
    batch = None
    if kind == "transport":
        batch, _t = trainings.get_batch(db, training.organization_id, batch_id or 0)
        if batch.training_id != training.id:
            batch = None
    spj = compute.build(db, training)
    doc = documents.receipts(spj, compute.signers(db, training), kind, batch)
    return pdf(render_receipts_pdf(doc),
                     documents.filename(spj, f"receipts-{kind}", "pdf"), attachment=attachment)
