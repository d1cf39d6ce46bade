"""Certificate downloads as HTTP responses: one PDF, or many streamed as they are drawn.

The renderer's generators (stream_certificates, stream_zip) make each chunk when the
response asks for it, so the first bytes leave at once and memory stays flat however
many certificates there are. Everything is read from the database before the response
starts: the request's session is closed while the stream runs."""

import re

from fastapi.responses import Response, StreamingResponse

from service.rendering.certificate_pdf import (
    CertificateDesign,
    render_certificate,
    stream_certificates,
    stream_zip,
)
from service.services.certificate_documents import IssuedRow, named, people


def _safe(filename: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "sertifikat"


def one_pdf(design: CertificateDesign, row: IssuedRow, attachment: bool = False) -> Response:
    how = "attachment" if attachment else "inline"
    return Response(render_certificate(design, row.fields), media_type="application/pdf",
                    headers={"Content-Disposition": f'{how}; filename="{_safe(row.filename)}"',
                             "Cache-Control": "private, no-store"})


def merged_pdf(design: CertificateDesign, rows: list[IssuedRow], filename: str) -> Response:
    return StreamingResponse(
        stream_certificates(design, people(rows)),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{_safe(filename)}"',
                 "Cache-Control": "private, no-store"})


def zip_file(design: CertificateDesign, rows: list[IssuedRow], filename: str) -> Response:
    return StreamingResponse(
        stream_zip(design, named(rows)),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{_safe(filename)}"',
                 "Cache-Control": "private, no-store"})
