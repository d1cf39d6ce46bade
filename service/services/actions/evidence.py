"""The evidence that an action was done: a photo or a PDF, recognised by its content (not
its name or the browser's word), at most MAX_BYTES.

A photo is cleaned like the activity report's (services/report_photos.py: upright, at
most 1600 px, re-encoded as a JPEG without metadata, so a phone's GPS position never
leaves with it); a PDF is kept as sent once its header and end marker are found.
"""

from typing import BinaryIO

from sqlmodel import Session, select

from service.errors import FieldError, NotFound
from service.i18n import N_
from service.models import ActionEvidence, FollowUpAction
from service.models.base import pk, utcnow
from service.services import pdf_or_photo

MAX_BYTES = 10 * 1024 * 1024
MEDIA = {"jpeg": "image/jpeg", "pdf": "application/pdf"}


def read_upload(file: BinaryIO) -> bytes:
    """The upload's bytes, one past MAX_BYTES at most: enough to know it is too large."""
    return file.read(MAX_BYTES + 1)


def _invalid(message: str, code: str = "invalid_evidence", **params: object) -> FieldError:
    return FieldError("file", message, code=code, **params)


def check(data: bytes, file_name: str) -> tuple[bytes, str, str]:
    """(bytes to keep, type, name) of an upload; a FieldError (422) says what is wrong."""
    if not data:
        raise _invalid(N_("Choose a photo (JPEG, PNG or WebP) or a PDF."))
    if len(data) > MAX_BYTES:
        raise _invalid(N_("The file is too large: at most {mb} MB."), code="evidence_too_large",
                       mb=MAX_BYTES // (1024 * 1024))
    return pdf_or_photo.keep(
        data, pdf_or_photo.stem(file_name, "bukti"), code="invalid_evidence",
        neither=N_("This file is neither a photo (JPEG, PNG or WebP) nor a PDF."))


def attach(db: Session, action: FollowUpAction, data: bytes, file_name: str, by_name: str,
           via_link: bool = False) -> ActionEvidence:
    """Store the evidence (replacing the one before)."""
    kept, kind, name = check(data, file_name)
    row = db.exec(select(ActionEvidence).where(ActionEvidence.action_id == action.id)).first()
    if row is None:
        row = ActionEvidence(action_id=pk(action), file_name=name, file_type=kind,
                             file_size=len(kept), data=kept)
    row.file_name, row.file_type, row.file_size, row.data = name, kind, len(kept), kept
    row.by_name, row.via_link, row.uploaded_at = by_name[:200], via_link, utcnow()
    db.add(row)
    db.flush()
    return row


def get(db: Session, action: FollowUpAction) -> ActionEvidence:
    row = db.exec(select(ActionEvidence).where(ActionEvidence.action_id == action.id)).first()
    if row is None:
        raise NotFound(N_("This action has no evidence yet."), code="evidence_not_found")
    return row
