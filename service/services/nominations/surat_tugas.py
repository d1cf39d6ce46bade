"""The unit's surat tugas (the letter assigning its delegates): a PDF or a photo of it,
recognised by what the file holds (not its name or the browser's word), at most MAX_BYTES.

A photo is cleaned like an action's evidence photo (upright, at most 1600 px, re-encoded
as a JPEG without metadata); a PDF is kept as sent once its header and end marker are
found. An empty or disguised file is a 422, a file too large a 413. A new one replaces the
one before; after the deadline the unit's page is read-only.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from sqlmodel import Session, select

from service.errors import FieldError, NotFound
from service.i18n import N_
from service.models import TrainingUnit
from service.models.base import as_utc, utcnow
from service.services import pdf_or_photo
from service.services.meetings.uploads import FileTooLarge
from service.services.nominations import nominees

MAX_BYTES = 10 * 1024 * 1024
MEDIA = {"pdf": "application/pdf", "jpeg": "image/jpeg"}
ACCEPT = "application/pdf,image/jpeg,image/png,image/webp"


class NoSuratTugas(NotFound):
    code, message = "surat_tugas_not_found", N_("This unit has not uploaded its surat tugas yet.")


@dataclass(frozen=True)
class Letter:
    data: bytes
    media_type: str
    name: str


def read_upload(file: BinaryIO) -> bytes:
    """The upload's bytes, one past MAX_BYTES at most: enough to know it is too large."""
    return file.read(MAX_BYTES + 1)


def _invalid(message: str, code: str = "invalid_surat_tugas") -> FieldError:
    return FieldError("file", message, code=code)


def check(data: bytes, file_name: str) -> tuple[bytes, str, str]:
    """(bytes to keep, kind, name) of an upload; 422 or 413 saying what is wrong."""
    if not data:
        raise _invalid(N_("Choose the surat tugas: a PDF or a photo (JPEG, PNG or WebP)."),
                       code="no_file")
    if len(data) > MAX_BYTES:
        raise FileTooLarge(params={"mb": MAX_BYTES // (1024 * 1024)})
    stem = "".join(ch for ch in pdf_or_photo.stem(file_name, "surat-tugas")
                   if ch.isprintable())
    return pdf_or_photo.keep(
        data, stem or "surat-tugas", code="invalid_surat_tugas",
        neither=N_("This file is neither a PDF nor a photo (JPEG, PNG or WebP)."))


def attach(db: Session, tu: TrainingUnit, data: bytes, file_name: str, *,
           check_deadline: bool = True, now: datetime | None = None) -> TrainingUnit:
    """Keep the unit's surat tugas (replacing the one before)."""
    kept, kind, name = check(data, file_name)
    locked = nominees.lock(db, tu)
    if check_deadline and not nominees.is_open(locked, now):
        raise nominees.NominationClosed()
    locked.surat_tugas, locked.surat_tugas_type = kept, MEDIA[kind]
    locked.surat_tugas_name, locked.surat_tugas_at = name[:200], as_utc(now or utcnow())
    db.add(locked)
    db.flush()
    return locked


def get(db: Session, tu: TrainingUnit) -> Letter:
    row = db.exec(select(TrainingUnit.surat_tugas, TrainingUnit.surat_tugas_type,
                         TrainingUnit.surat_tugas_name)
                  .where(TrainingUnit.id == tu.id)).first()
    if row is None or not row[0]:
        raise NoSuratTugas()
    return Letter(data=row[0], media_type=row[1] or "application/pdf",
                  name=row[2] or "surat-tugas.pdf")
