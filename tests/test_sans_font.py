"""The office documents' font ships with the package, whatever the machine has."""

from reportlab.pdfbase import pdfmetrics

from service.rendering.fonts import FONT_DIR
from service.rendering.sans_font import SANS, SANS_BOLD, SANS_ITALIC


def test_the_sans_family_is_the_packaged_dejavu_with_every_letter() -> None:
    for name in (SANS, SANS_BOLD, SANS_ITALIC):
        face = pdfmetrics.getFont(name).face  # type: ignore[attr-defined]
        assert str(face.filename).startswith(str(FONT_DIR)), face.filename
        for letter in "ḤṭễĀāīūéñçğ’":
            assert ord(letter) in face.charToGlyph, (name, letter)
