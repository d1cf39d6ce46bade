"""A presentation or a session's slides as uploaded: PDF, PPTX, PPT or ODP, recognised by
what the file holds, never by its name (a photo or a program renamed "materi.pdf" is
refused), and no larger than the presentation_max_bytes setting (20 MB by default)."""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from service.errors import DomainError, FieldError
from service.i18n import N_
from service.settings import get_settings

MEDIA = {"pdf": "application/pdf",
         "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         "ppt": "application/vnd.ms-powerpoint",
         "odp": "application/vnd.oasis.opendocument.presentation"}
ACCEPT = ".pdf,.pptx,.ppt,.odp"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream every PowerPoint 97-2003 file holds, named in its OLE directory (UTF-16).
_PPT_STREAM = "PowerPoint Document".encode("utf-16-le")
_ODP = b"application/vnd.oasis.opendocument.presentation"


class FileTooLarge(DomainError):
    code, status, message = "file_too_large", 413, N_(
        "The file is too large: at most {mb} MB.")


@dataclass(frozen=True)
class Checked:
    kind: str  # pdf, pptx, ppt, odp
    name: str  # the upload's name, tidied, with the extension of what it is

    @property
    def media_type(self) -> str:
        return MEDIA[self.kind]


def max_bytes() -> int:
    return get_settings().presentation_max_bytes


def read_upload(file: BinaryIO) -> bytes:
    """The upload's bytes, one past the limit at most: enough to know it is too large."""
    return file.read(max_bytes() + 1)


def sniff(data: bytes) -> str | None:
    """What the bytes are (pdf, pptx, ppt, odp), or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(_OLE):
        return "ppt" if _PPT_STREAM in data else None
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "ppt/presentation.xml" in names and "[Content_Types].xml" in names:
                    return "pptx"
                mimetype = archive.getinfo("mimetype") if "mimetype" in names else None
                # Only the directory is trusted for size: the entry is a few bytes.
                if mimetype is not None and mimetype.file_size < 200 \
                        and archive.read(mimetype).strip() == _ODP:
                    return "odp"
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
            return None
    return None


def clean_name(filename: str, kind: str) -> str:
    """The name shown and offered on download: its stem kept readable, the extension
    made that of what the file is."""
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = unicodedata.normalize("NFC", stem)
    stem = re.sub(r"[\x00-\x1f\x7f]+", "", " ".join(stem.split()))[:150].strip(" .")
    return f"{stem or 'materi'}.{kind}"


def check(data: bytes, filename: str) -> Checked:
    """The upload's kind and tidy name; a 422 (empty, not a presentation) or a 413 (too
    large) otherwise, in the user's language."""
    if not data:
        raise FieldError("file", N_("Choose a file: a PDF, PPTX, PPT or ODP presentation."),
                         code="no_file")
    limit = max_bytes()
    if len(data) > limit:
        mb = limit / (1024 * 1024)
        raise FileTooLarge(params={"mb": int(mb) if mb == int(mb) else round(mb, 1)})
    kind = sniff(data)
    if kind is None:
        raise FieldError("file", N_("This file is not a presentation: use a PDF, PPTX, PPT "
                                    "or ODP file."), code="invalid_file_type")
    return Checked(kind, clean_name(filename, kind))
