"""An upload that is a PDF or a photo (an action's evidence, a unit's surat tugas),
recognised by what the file holds, not its name or the browser's word: a PDF is kept as
sent once its header and end marker are found; a photo is cleaned like the activity
report's (services/report_photos.py: upright, at most 1600 px, re-encoded as a JPEG
without metadata, so a phone's GPS position never leaves with it)."""

from service.errors import FieldError
from service.i18n import N_
from service.services import report_photos

_PDF_END_WINDOW = 2048
MAX_STEM = 150


def stem(file_name: str, fallback: str) -> str:
    """The upload's name without its folder and extension (`fallback` when it has
    none), at most MAX_STEM characters."""
    base = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0].strip()
    return (base or fallback)[:MAX_STEM]


def keep(data: bytes, name: str, *, code: str, neither: str) -> tuple[bytes, str, str]:
    """(bytes to keep, "pdf" or "jpeg", `name` with that extension) of a non-empty
    upload; a FieldError with `code` on the "file" field when it is a damaged PDF or
    neither kind (`neither`: the msgid that says so)."""
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-_PDF_END_WINDOW:]:
            raise FieldError("file", N_("This PDF is incomplete or damaged: save it again "
                                        "and upload it."), code=code)
        return data, "pdf", f"{name}.pdf"
    try:
        cleaned = report_photos.clean_photo(data)
    except FieldError:
        raise FieldError("file", neither, code=code) from None
    return cleaned.jpeg, "jpeg", f"{name}.jpg"
