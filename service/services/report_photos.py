"""Photos of a training's sessions for its activity report, uploaded from a phone.

An upload is checked before its pixels are decoded (size, signature, dimensions from the
header, as services/org_logo.py does), then turned upright, shrunk and re-encoded as a
JPEG without any metadata: a phone writes its GPS position into every photo, and a
report goes to other offices. The day it was taken comes from EXIF DateTimeOriginal,
read before the metadata is dropped; without one, the day of the upload.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from PIL import Image, ImageOps
from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from service.errors import Conflict, FieldError, NotFound
from service.i18n import N_
from service.models import AgendaSession, Batch, ReportPhoto, Training, User
from service.models.base import pk, utcnow
from service.models.report_sections import MAX_PHOTOS
from service.rendering.report_sections import ReportPhotoItem
from service.schemas.report_sections import PhotoUpdate
from service.services import training_clock

MAX_BYTES = 15 * 1024 * 1024  # a 50-megapixel phone photo; the body limit allows four
MAX_PIXELS = 80_000_000
LONG_SIDE = 1600  # sharp at half an A4 page, and a few hundred kB
THUMB_SIDE = 400
QUALITY = 80
FORMATS = ("JPEG", "PNG", "WEBP")
_DATE_ORIGINAL, _DATE_TIME, _EXIF_IFD = 36867, 306, 0x8769


@dataclass(frozen=True)
class Cleaned:
    jpeg: bytes
    thumbnail: bytes
    width: int
    height: int
    taken_on: date | None


def _invalid(message: str, **params: object) -> FieldError:
    return FieldError("file", message, code="invalid_photo", **params)


def _taken_on(img: Image.Image) -> date | None:
    exif = img.getexif()
    for raw in (exif.get_ifd(_EXIF_IFD).get(_DATE_ORIGINAL), exif.get(_DATE_TIME)):
        if isinstance(raw, str):
            try:
                return datetime.strptime(raw.strip()[:19], "%Y:%m:%d %H:%M:%S").date()
            except ValueError:
                continue  # a camera with an unset clock writes "0000:00:00 00:00:00"
    return None


def _jpeg(img: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # No exif= and no icc_profile=: the file carries the pixels and nothing else.
    img.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def clean_photo(data: bytes) -> Cleaned:
    """The upload upright, at most LONG_SIDE pixels, as a JPEG without metadata; or a
    FieldError (422) saying what is wrong with it."""
    if not data:
        raise _invalid(N_("Choose a photo (JPEG, PNG or WebP)."))
    if len(data) > MAX_BYTES:
        raise _invalid(N_("The photo is too large: at most {mb} MB."),
                       mb=MAX_BYTES // (1024 * 1024))
    try:
        with Image.open(io.BytesIO(data)) as img:  # reads the header only
            if img.format not in FORMATS:
                raise _invalid(N_("This file is not a photo: use a JPEG, PNG or WebP image."))
            width, height = img.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise _invalid(N_("The photo's dimensions are too large."))
            taken = _taken_on(img)
            # A JPEG decodes straight at a fraction of its size: a 50 MP photo never
            # needs 150 MB of memory to become a 1600 px one.
            img.draft("RGB", (LONG_SIDE, LONG_SIDE))
            upright = ImageOps.exif_transpose(img)
            rgb = upright.convert("RGB")
    except FieldError:
        raise
    except Image.DecompressionBombError as exc:
        raise _invalid(N_("The photo's dimensions are too large.")) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise _invalid(N_("This file is not a photo: use a JPEG, PNG or WebP image.")) from exc
    rgb.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    thumb = rgb.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return Cleaned(_jpeg(rgb, QUALITY), _jpeg(thumb, 75), rgb.width, rgb.height, taken)


def read_upload(file: BinaryIO) -> bytes:
    """The upload's bytes, one past MAX_BYTES at most: enough to know it is too large."""
    return file.read(MAX_BYTES + 1)


def _session_of(db: Session, training: Training, session_id: int | None) -> int | None:
    if session_id is None:
        return None
    found = db.exec(select(AgendaSession.id).join(Batch, col(Batch.id) == AgendaSession.batch_id)
                    .where(AgendaSession.id == session_id,
                           Batch.training_id == training.id)).first()
    if found is None:
        raise FieldError("session_id", N_("This session is not part of the training."),
                         code="invalid_session")
    return session_id


def list_photos(db: Session, training: Training) -> list[ReportPhoto]:
    """The training's photos in report order, without their image bytes."""
    return list(db.exec(select(ReportPhoto)
                        .options(defer(ReportPhoto.image),  # type: ignore[arg-type]
                                 defer(ReportPhoto.thumbnail))  # type: ignore[arg-type]
                        .where(ReportPhoto.training_id == training.id)
                        .order_by(col(ReportPhoto.position), col(ReportPhoto.id))).all())


def add_photo(db: Session, training: Training, data: bytes, caption: str,
              session_id: int | None, by: User | None) -> ReportPhoto:
    """Check, clean and store one upload at the end of the training's photos."""
    # The training's row lock settles two phones uploading the 40th photo at once.
    db.exec(select(Training.id).where(Training.id == training.id).with_for_update()).one()
    count, last = db.exec(select(func.count(col(ReportPhoto.id)),
                                 func.max(col(ReportPhoto.position)))
                          .where(ReportPhoto.training_id == training.id)).one()
    if count >= MAX_PHOTOS:
        raise Conflict(N_("A report holds at most {n} photos: delete one first."),
                       code="too_many_photos", params={"n": MAX_PHOTOS})
    session = _session_of(db, training, session_id)
    cleaned = clean_photo(data)
    row = ReportPhoto(training_id=pk(training), session_id=session,
                      caption=" ".join(caption.split())[:300],
                      taken_on=cleaned.taken_on or training_clock.today(training),
                      image=cleaned.jpeg, thumbnail=cleaned.thumbnail, width=cleaned.width,
                      height=cleaned.height, position=(last or 0) + 1,
                      uploaded_by=by.id if by else None, uploaded_at=utcnow())
    db.add(row)
    db.flush()
    return row


def get_photo(db: Session, training: Training, photo_id: int) -> ReportPhoto:
    row = db.get(ReportPhoto, photo_id)
    if row is None or row.training_id != training.id:
        raise NotFound(N_("Photo not found."))
    return row


def update_photo(db: Session, training: Training, photo_id: int,
                 data: PhotoUpdate) -> ReportPhoto:
    """Change the caption, the session or the place in the order (what is sent)."""
    row = get_photo(db, training, photo_id)
    sent = data.model_fields_set
    if "caption" in sent:
        row.caption = data.caption or ""
    if "session_id" in sent:
        row.session_id = _session_of(db, training, data.session_id)
    if "position" in sent and data.position is not None:
        row.position = data.position
    db.add(row)
    db.flush()
    return row


def delete_photo(db: Session, training: Training, photo_id: int) -> None:
    db.delete(get_photo(db, training, photo_id))
    db.flush()


def report_items(db: Session, training: Training) -> list[ReportPhotoItem]:
    """Every photo with its image, for the PDF and the DOCX."""
    rows = db.exec(select(ReportPhoto, AgendaSession.title)
                   .outerjoin(AgendaSession, col(AgendaSession.id) == ReportPhoto.session_id)
                   .where(ReportPhoto.training_id == training.id)
                   .order_by(col(ReportPhoto.position), col(ReportPhoto.id))).all()
    return [ReportPhotoItem(p.caption, p.taken_on, title, p.image, p.width, p.height)
            for p, title in rows]


def session_choices(db: Session, training: Training) -> list[tuple[int, str]]:
    """The training's sessions a photo can belong to: (id, "12 Sep · title · batch")."""
    rows = db.exec(select(AgendaSession, Batch.name)
                   .join(Batch, col(Batch.id) == AgendaSession.batch_id)
                   .where(Batch.training_id == training.id, AgendaSession.kind != "break")
                   .order_by(col(AgendaSession.date), col(AgendaSession.start_time),
                             col(Batch.name))).all()
    return [(pk(s), f"{s.date.strftime('%d/%m')} · {s.title} · {name}") for s, name in rows]
