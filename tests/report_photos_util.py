"""Phone-like JPEGs for the report-photo tests: a size, an EXIF orientation, a taken date
and a GPS position, drawn with Pillow (nothing downloaded)."""

import io

from PIL import Image, ImageDraw

GPS_IFD, DATE_ORIGINAL, EXIF_IFD, ORIENTATION = 0x8825, 36867, 0x8769, 274


def phone_jpeg(width: int = 2400, height: int = 1800, taken: str | None = "2018:09:12 09:30:00",
               orientation: int = 1, gps: bool = True, colour: str = "#1f6f5c") -> bytes:
    img = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(img)
    draw.rectangle((width // 10, height // 10, width // 2, height // 2), fill="#d08a1f")
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    if taken:
        exif.get_ifd(EXIF_IFD)[DATE_ORIGINAL] = taken
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "S", 2: (0.0, 57.0, 0.0), 3: "E", 4: (100.0, 21.0, 0.0)})
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()
