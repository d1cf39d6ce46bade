"""Many letters in one ZIP, one DOCX or PDF per recipient (Sumsel's 17 invitations in one
download). The names come in already safe and unique (see services/letters)."""

import io
import zipfile

from service.rendering.letter_docx import render_letter_docx
from service.rendering.letter_pdf import render_letter_pdf
from service.rendering.letter_types import LetterDoc


def render_letters_zip(named: list[tuple[str, LetterDoc]], fmt: str) -> bytes:
    """`fmt` "docx" or "pdf"; each entry's name gets the extension."""
    render = render_letter_docx if fmt == "docx" else render_letter_pdf
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, doc in named:
            archive.writestr(f"{name}.{fmt}", render(doc))
    return buf.getvalue()
