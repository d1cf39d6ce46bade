"""Small presentations of every accepted kind, and files that only pretend to be one."""

import io
import zipfile

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas


def pdf(title: str = "Paparan Dinas Kesehatan") -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=landscape(A4))
    c.setFont("Helvetica-Bold", 28)
    c.drawString(60, 400, title)
    c.showPage()
    c.save()
    return out.getvalue()


def pptx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("ppt/presentation.xml", "<p:presentation/>")
        z.writestr("ppt/slides/slide1.xml", "<p:sld/>")
    return out.getvalue()


def docx() -> bytes:
    """A Word document: a ZIP like a PPTX, but not a presentation."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def odp() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.presentation")
        z.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def ppt() -> bytes:
    """The start of a PowerPoint 97-2003 file: the OLE signature and its stream's name."""
    return (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500
            + "PowerPoint Document".encode("utf-16-le") + b"\0" * 100)


def xls() -> bytes:
    """An OLE file that is not PowerPoint (an old Excel sheet)."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "Workbook".encode("utf-16-le")


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 200
