"""The organizer's logo, printed at the head of attendance sheets.

An upload is checked before any pixel is decoded: its size in bytes, its signature
(PNG or JPEG only), then its dimensions from the header; only then is it decoded,
scaled down and stored re-encoded as a small PNG (which also drops whatever else the
file carried).
"""

import io

from PIL import Image
from sqlmodel import Session

from service.errors import FieldError
from service.i18n import N_
from service.models import Organization

# Under the app's 2 MB request limit, with room for the form around it.
MAX_BYTES = 1024 * 1024
MAX_PIXELS = 25_000_000
MAX_SIDE = 10_000
STORED_SIDE = 600  # 5 cm at 300 dpi: plenty for a letterhead logo
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


def _invalid(message: str, **params: object) -> FieldError:
    return FieldError("logo", message, code="invalid_logo", **params)


def clean_logo(data: bytes) -> bytes:
    """The upload as a small PNG, or a FieldError saying what is wrong with it."""
    if not data:
        raise _invalid(N_("Choose a PNG or JPEG file."))
    if len(data) > MAX_BYTES:
        raise _invalid(N_("The logo is too large: at most {mb} MB."),
                       mb=MAX_BYTES // (1024 * 1024))
    if not data.startswith((PNG_MAGIC, JPEG_MAGIC)):
        raise _invalid(N_("Only PNG or JPEG images can be used as a logo."))
    try:
        with Image.open(io.BytesIO(data)) as img:  # reads the header only
            if img.format not in ("PNG", "JPEG"):
                raise _invalid(N_("Only PNG or JPEG images can be used as a logo."))
            width, height = img.size
            if (width < 1 or height < 1 or width > MAX_SIDE or height > MAX_SIDE
                    or width * height > MAX_PIXELS):
                raise _invalid(N_("The logo's dimensions are too large."))
            img.load()
            img.thumbnail((STORED_SIDE, STORED_SIDE))
            mode = "RGBA" if "A" in img.getbands() or "transparency" in img.info else "RGB"
            out = io.BytesIO()
            img.convert(mode).save(out, "PNG", optimize=True)
    except FieldError:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own header check, far past ours
        raise _invalid(N_("The logo's dimensions are too large.")) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise _invalid(N_("This file is not a readable PNG or JPEG image.")) from exc
    return out.getvalue()


def set_logo(db: Session, org: Organization, data: bytes) -> None:
    org.logo_png = clean_logo(data)
    db.add(org)
    db.flush()


def remove_logo(db: Session, org: Organization) -> None:
    org.logo_png = None
    db.add(org)
    db.flush()
