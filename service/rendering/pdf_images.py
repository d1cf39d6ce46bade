"""Uploaded PNG/JPEG images made ready to embed in a hand-written PDF, once per design.

The caller has already checked type, size and pixel count. Here they are turned
upright (phone photos carry EXIF rotation), scaled down to what print needs (a 25
megapixel background would otherwise be copied into each of 10,000 separate PDFs), and
encoded: photos as JPEG, line art (logos, signatures) losslessly with their alpha as a
soft mask.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

from PIL import Image, ImageOps

# Scanner and phone-photo paper is rarely pure white; from this level up it counts as paper.
_PAPER = 225


@dataclass(frozen=True)
class PdfImage:
    width: int
    height: int
    colour_space: str  # /DeviceRGB or /DeviceGray
    filter: str  # /DCTDecode or /FlateDecode
    data: bytes
    mask: bytes | None = None  # Flate'd 8-bit alpha, same size

    @property
    def aspect(self) -> float:
        return self.width / self.height


def prepare(raw: bytes, *, max_side: int, photo: bool, whiten: bool = False) -> PdfImage:
    """Decode, orient, shrink to at most `max_side` pixels and re-encode.

    `whiten` turns near-white into white in an image without transparency: the grey
    paper of a scanned signature then leaves no box on the certificate."""
    with Image.open(io.BytesIO(raw)) as opened:
        image = ImageOps.exif_transpose(opened)
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info)
    mask = None
    if has_alpha:
        rgba = image.convert("RGBA")
        alpha = rgba.getchannel("A")
        if alpha.getextrema() != (255, 255):
            mask = zlib.compress(alpha.tobytes(), 6)
        image = rgba.convert("RGB")
    elif image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if whiten and mask is None:
        image = image.point(lambda v: 255 if v >= _PAPER else v)
    grey = image.mode == "L"
    colour_space = "/DeviceGray" if grey else "/DeviceRGB"
    if photo and mask is None:
        out = io.BytesIO()
        image.save(out, "JPEG", quality=88, optimize=True)
        return PdfImage(image.width, image.height, colour_space, "/DCTDecode", out.getvalue())
    return PdfImage(image.width, image.height, colour_space, "/FlateDecode",
                    zlib.compress(image.tobytes(), 6), mask)
