"""The sans-serif family of the office documents (agenda, ticket cards, rosters, daftar
hadir, activity report): DejaVu Sans, shipped in the package (`fonts/`), so every Latin
name Indonesia writes ("Ḥalimah", "Nguyễn") prints on any machine; the PDF base-14 fonts
and reportlab's own Vera print such letters as boxes."""

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from service.rendering.fonts import FONT_DIR

SANS, SANS_BOLD, SANS_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"


def register_sans() -> None:
    """Register the family once per process (idempotent)."""
    if SANS in pdfmetrics.getRegisteredFontNames():
        return
    for name in (SANS_BOLD, SANS_ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
    # Registered last, so the guard above passes only once the whole family exists.
    pdfmetrics.registerFont(TTFont(SANS, str(FONT_DIR / f"{SANS}.ttf")))
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC,
                                  boldItalic=SANS_BOLD)


register_sans()
