"""A letter (surat dinas) as an A4 PDF, laid out as Indonesian government offices write
them: the kop surat (logo, the office's lines centred, a double rule), the date at the
right, Nomor / Sifat / Lampiran / Hal, the addressee, the body, and the signature block at
the right (position, room to sign, the name bold and underlined, the NIP). Pure: a
`LetterDoc` in, PDF bytes out."""

import io
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from service.rendering.letter_types import Details, Grid, Kop, LetterDoc, Link, Signature, Text
from service.rendering.office_pdf import GRID, INK, _logo_size, paragraph_style
from service.rendering.qr import qr_png
from service.rendering.sans_font import SANS_BOLD

_LEFT, _RIGHT, _TOP, _BOTTOM = 2.5 * cm, 2.0 * cm, 1.3 * cm, 2.0 * cm
_W = A4[0] - _LEFT - _RIGHT
_INDENT = 1.25 * cm
_SIGN_W = 8.0 * cm

BODY = paragraph_style("letter", fontSize=10, leading=13.5)
JUSTIFIED = paragraph_style("letter-j", fontSize=10, leading=13.5, alignment=TA_JUSTIFY,
                            firstLineIndent=_INDENT, spaceAfter=5)
PLAIN = paragraph_style("letter-p", fontSize=10, leading=13.5, alignment=TA_JUSTIFY,
                        spaceAfter=5)
RIGHT = paragraph_style("letter-r", fontSize=10, leading=13.5, alignment=TA_RIGHT)
CELL = paragraph_style("letter-cell", fontSize=9.5, leading=12)
CELL_HEAD = paragraph_style("letter-cell-h", fontName=SANS_BOLD, fontSize=9.5, leading=12,
                            alignment=TA_CENTER)
CELL_CENTER = paragraph_style("letter-cell-c", fontSize=9.5, leading=12, alignment=TA_CENTER)
TITLE = paragraph_style("letter-title", fontName=SANS_BOLD, fontSize=13, leading=17,
                        alignment=TA_CENTER)
CENTER = paragraph_style("letter-c", fontSize=10, leading=13.5, alignment=TA_CENTER)
CENTER_BOLD = paragraph_style("letter-cb", fontName=SANS_BOLD, fontSize=10, leading=13.5,
                              alignment=TA_CENTER, spaceBefore=4, spaceAfter=6)
SMALL = paragraph_style("letter-s", fontSize=8.5, leading=11)
# The kop's lines: the government, then the office (largest), then address lines.
KOP_STYLES = (
    paragraph_style("kop-1", fontName=SANS_BOLD, fontSize=12, leading=14.5,
                    alignment=TA_CENTER),
    paragraph_style("kop-2", fontName=SANS_BOLD, fontSize=12.5, leading=15,
                    alignment=TA_CENTER),
    paragraph_style("kop-3", fontSize=8.5, leading=10.5, alignment=TA_CENTER),
)
KOP_ONLY = paragraph_style("kop-only", fontName=SANS_BOLD, fontSize=14, leading=17,
                           alignment=TA_CENTER)
_LOGO_COL = 2.7 * cm
_QR = 2.5 * cm


def _p(text: str, style: Any = BODY) -> Paragraph:
    return Paragraph(escape(text), style)


def _kop_styles(count: int) -> list[Any]:
    if count == 1:
        return [KOP_ONLY]
    if count == 2:
        return [KOP_STYLES[1], KOP_STYLES[2]]
    return [KOP_STYLES[0], KOP_STYLES[1], *[KOP_STYLES[2]] * (count - 2)]


def kop(k: Kop) -> list[Flowable]:
    """The kop surat: the lines centred on the page, the logo at the left."""
    lines: list[Flowable] = [_p(t, s) for t, s in zip(k.lines, _kop_styles(len(k.lines)),
                                                      strict=True)]
    size = _logo_size(k.logo_png)
    rules = [HRFlowable(width="100%", thickness=2.2, color=INK, spaceBefore=5, spaceAfter=1.2),
             HRFlowable(width="100%", thickness=0.6, color=INK, spaceAfter=10)]
    if not (k.logo_png and size):
        return [*lines, *rules]  # without a logo the lines take the whole width
    logo = Image(io.BytesIO(k.logo_png), width=size[0] * 1.15, height=size[1] * 1.15)
    table = Table([[logo, lines, ""]], colWidths=[_LOGO_COL, _W - 2 * _LOGO_COL, _LOGO_COL])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("ALIGN", (0, 0), (0, 0), "LEFT"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [table, *rules]


def _plain_table(rows: list[list[Any]], widths: list[float], left: float = 0) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("LEFTPADDING", (0, 0), (0, -1), left),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table


def _heading(d: LetterDoc) -> list[Flowable]:
    if d.title:
        return [Paragraph(f"<u>{escape(d.title)}</u>", TITLE),
                _p(f"Nomor: {d.number}", CENTER), Spacer(1, 14)]
    rows = [["Nomor", ":", _p(d.number)], ["Sifat", ":", _p(d.nature)],
            ["Lampiran", ":", _p(d.attachment)], ["Hal", ":", _p(d.subject)]]
    out: list[Flowable] = []
    if d.date_line:
        out.append(_p(d.date_line, RIGHT))
    out += [_plain_table([[_p(a), _p(b), c] for a, b, c in rows],
                         [2.3 * cm, 0.45 * cm, _W * 0.62]), Spacer(1, 12)]
    after_di = False
    for line in d.addressee:
        style = paragraph_style("addr-in", fontSize=10, leading=13.5,
                                leftIndent=_INDENT) if after_di else BODY
        out.append(_p(line, style))
        after_di = line.strip().lower() == "di"
    return [*out, Spacer(1, 12)]


def _details(b: Details) -> Table:
    return _plain_table([[_p(k), _p(":"), _p(v)] for k, v in b.rows],
                        [_INDENT + 4.6 * cm, 0.45 * cm, _W - _INDENT - 5.05 * cm], _INDENT)


def _grid(b: Grid) -> Table:
    widths = [w * cm for w in b.widths]
    scale = _W / sum(widths) if sum(widths) > _W else 1.0
    rows: list[list[Any]] = [[_p(h, CELL_HEAD) for h in b.head]]
    rows += [[_p(v, CELL_CENTER if i in b.centered else CELL) for i, v in enumerate(r)]
             for r in b.rows]
    table = Table(rows, colWidths=[w * scale for w in widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]))
    return table


def _link(b: Link) -> Table:
    qr = Image(io.BytesIO(qr_png(b.url, box_size=6, border=2)), width=_QR, height=_QR)
    text = [_p(b.caption, PLAIN), Paragraph(f"<b>{escape(b.url)}</b>", BODY)]
    table = Table([[qr, text]], colWidths=[_INDENT + _QR + 0.3 * cm,
                                           _W - _INDENT - _QR - 0.3 * cm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("LEFTPADDING", (0, 0), (0, 0), _INDENT),
                               ("LEFTPADDING", (1, 0), (1, 0), 10)]))
    return table


def _body(blocks: Iterable[Any]) -> list[Flowable]:
    out: list[Flowable] = []
    for b in blocks:
        if isinstance(b, Text):
            out.append(_p(b.text, CENTER_BOLD if b.center else PLAIN if b.plain
                          else JUSTIFIED))
        elif isinstance(b, Details):
            out += [_details(b), Spacer(1, 6)]
        elif isinstance(b, Grid):
            out += [Spacer(1, 2), _grid(b), Spacer(1, 8)]
        elif isinstance(b, Link):
            out += [_link(b), Spacer(1, 6)]
    return out


def signature(s: Signature) -> Flowable:
    lines: list[Flowable] = []
    if s.place_date:
        lines.append(_p(s.place_date))
    lines += [_p(f"{s.position},"), Spacer(1, 1.6 * cm),
              Paragraph(f"<u><b>{escape(s.name)}</b></u>", BODY)]
    if s.nip:
        lines.append(_p(f"NIP. {s.nip}"))
    table = Table([["", lines]], colWidths=[_W - _SIGN_W, _SIGN_W])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([Spacer(1, 6), table])


def _copies(copies: list[str]) -> list[Flowable]:
    if not copies:
        return []
    return [Spacer(1, 14), _p("Tembusan:", SMALL),
            *[_p(f"{i}. {c}", SMALL) for i, c in enumerate(copies, start=1)]]


def _appendix(d: LetterDoc) -> list[Flowable]:
    if not d.appendix:
        return []
    from reportlab.platypus import PageBreak

    rows = [["Lampiran Surat", "", ""], ["Nomor", ":", d.number],
            ["Tanggal", ":", d.date_line.split(", ", 1)[-1]], ["Hal", ":", d.subject]]
    head = Table([[_p(a, SMALL), _p(b, SMALL), _p(c, SMALL)] for a, b, c in rows],
                 colWidths=[2.4 * cm, 0.4 * cm, 6.2 * cm], hAlign="RIGHT")
    head.setStyle(TableStyle([("SPAN", (0, 0), (-1, 0)), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                              ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [PageBreak(), head, Spacer(1, 16), _p(d.appendix_title.upper(), TITLE),
            Spacer(1, 10), *_body(d.appendix)]


def letter_story(d: LetterDoc) -> list[Flowable]:
    return [*kop(d.kop), *_heading(d), *_body(d.body), signature(d.signature),
            *_copies(d.copies), *_appendix(d)]


def render_letter_pdf(d: LetterDoc) -> bytes:
    """The letter as PDF bytes (one or more A4 pages)."""
    return render_letters_pdf([d])


def render_letters_pdf(docs: list[LetterDoc]) -> bytes:
    """Several letters in one PDF, each from a new page (the invitations of every unit,
    to print at once)."""
    from reportlab.platypus import PageBreak

    buf = io.BytesIO()
    title = docs[0].document_title if len(docs) == 1 else "Surat"
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=_LEFT, rightMargin=_RIGHT,
                            topMargin=_TOP, bottomMargin=_BOTTOM, title=title[:255])
    story: list[Flowable] = []
    for i, d in enumerate(docs):
        if i:
            story.append(PageBreak())
        story += letter_story(d)
    doc.build(story)
    return buf.getvalue()
