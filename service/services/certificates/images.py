"""Uploaded images (certificate backgrounds, signatures): PNG or JPEG only, checked by
their header before anything decodes them, so a forged or enormous file is refused
with a clear message instead of eating the server's memory."""

import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image

from service.errors import FieldError
from service.i18n import N_

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 25_000_000
# A signature is a small scan; nothing needs more.
SIGNATURE_MAX_BYTES = 2 * 1024 * 1024
SIGNATURE_MAX_PIXELS = 6_000_000

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (baseline, progressive, lossless, arithmetic) that carry
# the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
SOF_MARKERS = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB,
                         0xCD, 0xCE, 0xCF})


@dataclass(frozen=True)
class ImageInfo:
    kind: str  # "png" | "jpeg"
    width: int
    height: int


class BadImage(FieldError):
    code = "invalid_image"
    status = 422


def _png_size(data: bytes) -> tuple[int, int] | None:
    # The first chunk of every PNG is IHDR: length 13, then width and height.
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            pos += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or scan data before any frame
            return None
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if length < 2:
            return None
        if marker in SOF_MARKERS:
            if pos + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            return width, height
        pos += 2 + length
    return None


def sniff(data: bytes) -> ImageInfo | None:
    """Kind and size from the header alone; None when it is neither PNG nor JPEG."""
    if data.startswith(PNG_MAGIC):
        size = _png_size(data)
        return ImageInfo("png", *size) if size else None
    if data.startswith(b"\xff\xd8\xff"):
        size = _jpeg_size(data)
        return ImageInfo("jpeg", *size) if size else None
    return None


def validate_image(data: bytes, field: str, max_bytes: int = MAX_BYTES,
                   max_pixels: int = MAX_PIXELS) -> ImageInfo:
    """The image's kind and size, or BadImage (422) naming `field`; decodes it only once
    the header has shown it is small enough."""
    if not data:
        raise BadImage(field, N_("The file is empty."))
    if len(data) > max_bytes:
        raise BadImage(field, N_("The image is too large: at most {mb} MB."),
                       code="image_too_large", mb=max_bytes // (1024 * 1024))
    info = sniff(data)
    if info is None:
        raise BadImage(field, N_("Only PNG or JPEG images can be used, and this file is "
                                 "not a readable PNG or JPEG."))
    if info.width < 1 or info.height < 1:
        raise BadImage(field, N_("The image has no pixels."))
    if info.width * info.height > max_pixels:
        raise BadImage(field, N_("The image has too many pixels ({width} × {height}): at "
                                 "most {mp} megapixels. Save it smaller and upload again."),
                       code="image_too_large", width=info.width, height=info.height,
                       mp=max_pixels // 1_000_000)
    _decode(data, field, info)
    return info


def _decode(data: bytes, field: str, info: ImageInfo) -> None:
    """Decode fully (now known to be bounded), so a truncated or forged body fails here
    with a 4xx rather than later inside the PDF renderer."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if (img.format or "").lower() not in ("png", "jpeg") or \
                        img.size != (info.width, info.height):
                    raise ValueError("header and image disagree")
                img.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, struct.error):
        raise BadImage(field, N_("The image is damaged or not a real PNG or JPEG file."))\
            from None
