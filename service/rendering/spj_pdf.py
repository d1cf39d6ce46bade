"""The SPJ's documents as PDF: the daftar nominatif (transport of a batch, honorarium of
a training) on A4 landscape, and the tanda terima (one receipt per person, a page each).

Indonesian practice: each row has a numbered box to sign in, the numbers alternating
left and right so that neighbours' signatures never overlap; the totals are written in
figures and in words; the PPTK signs at the left ("Mengetahui") and the treasurer at the
right, under the place and date."""

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from service.i18n import gettext as _
from service.rendering.numbered_canvas import NumberedCanvas
from service.rendering.office_pdf import (
    CITY_STYLE,
    GRID,
    HEAD_BG,
    INK,
    ORG_STYLE,
    TOTAL_BG,
    letterhead,
    paragraph_style,
)
from service.rendering.sans_font import SANS, SANS_BOLD

_MARGIN = 1.3 * cm
_ROW = 0.95 * cm  # room to sign

CELL = paragraph_style("spj-cell", fontSize=8, leading=9.5)
CELL_SMALL = paragraph_style("spj-small", fontSize=7, leading=8.5)
CELL_NUM = paragraph_style("spj-num", fontSize=8, leading=9.5, alignment=TA_RIGHT)
CELL_BOLD_NUM = paragraph_style("spj-bnum", fontName=SANS_BOLD, fontSize=8, leading=9.5,
                                alignment=TA_RIGHT)
HEAD = paragraph_style("spj-head", fontName=SANS_BOLD, fontSize=7.5, leading=9,
                       alignment=TA_CENTER)
TITLE = paragraph_style("spj-title", fontName=SANS_BOLD, fontSize=12, leading=15,
                        alignment=TA_CENTER, spaceBefore=4)
SUB = paragraph_style("spj-sub", fontSize=9, leading=12, alignment=TA_CENTER)
BODY = paragraph_style("spj-body", fontSize=9, leading=12)
WORDS = paragraph_style("spj-words", fontSize=9, leading=12, spaceBefore=4)
SIGN = paragraph_style("spj-sign", fontSize=9, leading=12, alignment=TA_CENTER)
SIGN_NAME = paragraph_style("spj-signname", fontName=SANS_BOLD, fontSize=9, leading=12,
                            alignment=TA_CENTER)
RECEIPT_TITLE = paragraph_style("spj-rtitle", fontName=SANS_BOLD, fontSize=13, leading=16,
                                alignment=TA_CENTER, spaceAfter=10)


@dataclass(frozen=True)
class Office:
    name: str
    city: str | None = None
    logo_png: bytes | None = None


@dataclass(frozen=True)
class Signer:
    role: str  # "Pejabat Pelaksana Teknis Kegiatan", "Bendahara Pengeluaran"
    name: str
    nip: str


@dataclass(frozen=True)
class NominatifRow:
    name: str
    origin: str  # Asal: kabupaten/kota, or the narasumber's institution
    quantity: str  # days present, or JP
    rate: int
    gross: int
    tax: int
    net: int
    nip_golongan: str = ""  # honorarium only
    finance: str = ""  # honorarium only: NPWP and bank account (treasurer's documents)
    tax_note: str = ""  # the PPh rate, e.g. "5%"


@dataclass(frozen=True)
class Nominatif:
    office: Office
    title: str  # "DAFTAR NOMINATIF ..."
    lines: Sequence[str]  # under the title: the training, the batch, dates and place
    quantity_label: str  # "Hari hadir" / "JP"
    rate_label: str  # "Tarif per hari" / "Tarif per JP"
    rows: Sequence[NominatifRow]
    words: str  # the net total in words
    place_date: str  # "Padang, 18 September 2018"
    signers: tuple[Signer, Signer]
    honorarium: bool = False
    footer: str = ""


@dataclass(frozen=True)
class Receipt:
    office: Office
    payer: str  # "Bendahara Pengeluaran DP3AP2KB Kota Padang"
    name: str
    nip: str
    amount: int  # what the person receives (net)
    words: str
    purpose: str
    details: Sequence[tuple[str, str]]  # (label, "Rp 1.000.000")
    place_date: str
    treasurer: Signer
    finance: str = ""


@dataclass(frozen=True)
class Receipts:
    title: str
    receipts: Sequence[Receipt] = field(default_factory=tuple)


def rp(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _p(text: str, style: Any = CELL) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _head(d: Nominatif) -> list[Flowable]:
    width = landscape(A4)[0] - 2 * _MARGIN
    city = _p(d.office.city, CITY_STYLE) if d.office.city else None
    out: list[Flowable] = [*letterhead(_p(d.office.name.upper(), ORG_STYLE), city,
                                       d.office.logo_png, width)]
    out.append(_p(d.title, TITLE))
    out += [_p(line, SUB) for line in d.lines]
    out.append(Spacer(1, 0.3 * cm))
    return out


def _signature_cells(i: int) -> tuple[Any, Any]:
    """Row i's numbered box: odd numbers at the left, even at the right."""
    mark = _p(f"{i}. " + "." * 12, CELL_SMALL)
    return (mark, "") if i % 2 else ("", mark)


def _table(d: Nominatif) -> Table:
    width = landscape(A4)[0] - 2 * _MARGIN
    labels = [_("No"), _("Name")]
    fixed = [0.9 * cm]
    if d.honorarium:
        labels += [_("NIP / Golongan"), _("Institution"), _("NPWP / Account")]
        fixed += [0, 3.4 * cm, 2.8 * cm, 3.6 * cm, 1.0 * cm, 2.0 * cm, 2.2 * cm, 1.9 * cm,
                  2.2 * cm, 1.8 * cm, 1.8 * cm]
    else:
        labels += [_("Origin")]
        fixed += [0, 4.2 * cm, 1.4 * cm, 2.2 * cm, 2.4 * cm, 2.0 * cm, 2.4 * cm, 2.3 * cm,
                  2.3 * cm]
    labels += [d.quantity_label, d.rate_label, _("Gross amount"), _("PPh"), _("Net amount"),
               _("Signature"), ""]
    fixed[1] = width - sum(fixed)
    header = [_p(text, HEAD) for text in labels]
    body: list[list[Any]] = [header]
    for i, r in enumerate(d.rows, start=1):
        cells: list[Any] = [_p(str(i), CELL), _p(r.name, CELL)]
        if d.honorarium:
            cells += [_p(r.nip_golongan, CELL_SMALL), _p(r.origin, CELL_SMALL),
                      _p(r.finance, CELL_SMALL)]
        else:
            cells.append(_p(r.origin, CELL))
        tax = rp(r.tax) + (f"\n({r.tax_note})" if r.tax_note else "")
        cells += [_p(r.quantity, CELL_NUM), _p(rp(r.rate), CELL_NUM), _p(rp(r.gross), CELL_NUM),
                  _p(tax, CELL_NUM), _p(rp(r.net), CELL_NUM), *_signature_cells(i)]
        body.append(cells)
    money_at = len(labels) - 5  # the gross amount's column
    total = [_p(_("Total"), HEAD), *([""] * (money_at - 1)),
             _p(rp(sum(r.gross for r in d.rows)), CELL_BOLD_NUM),
             _p(rp(sum(r.tax for r in d.rows)), CELL_BOLD_NUM),
             _p(rp(sum(r.net for r in d.rows)), CELL_BOLD_NUM), "", ""]
    body.append(total)
    last = len(body) - 1
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-3, -1), 0.5, GRID),
        ("BOX", (-2, 0), (-1, -1), 0.5, GRID),
        ("LINEBELOW", (-2, 0), (-1, -1), 0.5, GRID),
        ("SPAN", (-2, 0), (-1, 0)),
        ("SPAN", (0, last), (money_at - 1, last)),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("BACKGROUND", (0, last), (-1, last), TOTAL_BG),
        ("LINEABOVE", (0, last), (-1, last), 1.0, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    heights: list[float | None] = [None]
    for cells in body[1:-1]:
        # Room to sign, or more when a cell wraps (a long name, an NPWP and an account).
        tallest = max((c.wrap(w - 6, 1000)[1] for c, w in zip(cells, fixed, strict=True)
                       if isinstance(c, Paragraph)), default=0)
        heights.append(max(_ROW, tallest + 5))
    heights.append(None)
    table = Table(body, colWidths=fixed, rowHeights=heights, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def _signatures(place_date: str, signers: tuple[Signer, Signer], width: float) -> Table:
    left, right = signers

    def block(top: str, s: Signer) -> list[Flowable]:
        name = s.name or "(" + "." * 40 + ")"
        return [_p(top, SIGN), _p(s.role, SIGN), Spacer(1, 1.5 * cm),
                Paragraph(f"<u>{escape(name)}</u>", SIGN_NAME),
                _p(f"NIP. {s.nip}" if s.nip else "NIP. " + "." * 30, SIGN)]

    table = Table([[block(_("Approved by,"), left), "",
                    block(place_date, right)]],
                  colWidths=[width * 0.38, width * 0.24, width * 0.38])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _build(story: list[Flowable], pagesize: tuple[float, float], title: str, author: str,
           footer: str) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=pagesize, leftMargin=_MARGIN, rightMargin=_MARGIN,
                            topMargin=1.2 * cm, bottomMargin=2 * cm, title=title,
                            author=author, creator="Bimtek", invariant=1)
    maker = functools.partial(NumberedCanvas, left=footer, page_fmt=_("Page {page} of {total}"),
                              font=SANS, size=7.5, margin=_MARGIN)
    doc.build(story, canvasmaker=maker)
    return buf.getvalue()


def render_nominatif_pdf(d: Nominatif) -> bytes:
    """A daftar nominatif as A4 landscape PDF bytes (equal input, equal bytes)."""
    width = landscape(A4)[0] - 2 * _MARGIN
    story: list[Flowable] = [*_head(d), _table(d)]
    net = sum(r.net for r in d.rows)
    words = _("Amount in words: {words}", words=d.words)
    label = _("Net total")
    story.append(CondPageBreak(4.8 * cm))
    story.append(KeepTogether([
        Paragraph(f"<b>{escape(label)}: Rp {rp(net)}</b>", WORDS),
        Paragraph(f"<i>{escape(words)}</i>", BODY), Spacer(1, 0.4 * cm),
        _signatures(d.place_date, d.signers, width)]))
    return _build(story, landscape(A4), d.title, d.office.name, d.footer or d.title)


def _receipt(r: Receipt) -> list[Flowable]:
    width = A4[0] - 2 * _MARGIN
    city = _p(r.office.city, CITY_STYLE) if r.office.city else None
    out: list[Flowable] = [*letterhead(_p(r.office.name.upper(), ORG_STYLE), city,
                                       r.office.logo_png, width),
                           Spacer(1, 0.3 * cm), _p(_("RECEIPT"), RECEIPT_TITLE)]
    label_w = 4.2 * cm
    rows = [[_p(_("Received from"), BODY), _p(":", BODY), _p(r.payer, BODY)],
            [_p(_("The sum of"), BODY), _p(":", BODY),
             Paragraph(f"<b>Rp {rp(r.amount)}</b>", BODY)],
            [_p(_("In words"), BODY), _p(":", BODY), Paragraph(f"<i>{escape(r.words)}</i>", BODY)],
            [_p(_("For"), BODY), _p(":", BODY), _p(r.purpose, BODY)]]
    if r.finance:
        rows.append([_p(_("Paid to"), BODY), _p(":", BODY), _p(r.finance, BODY)])
    table = Table(rows, colWidths=[label_w, 0.4 * cm, width - label_w - 0.4 * cm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    out.append(table)
    detail = Table([[_p(k, BODY), _p(v, CELL_NUM)] for k, v in r.details],
                   colWidths=[6 * cm, 3.5 * cm], hAlign="LEFT")
    detail.setStyle(TableStyle([("LINEBELOW", (0, -2), (-1, -2), 0.5, GRID),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    out += [Spacer(1, 0.3 * cm), _p(_("Details:"), BODY), detail, Spacer(1, 0.8 * cm)]
    receiver = [_p(r.place_date, SIGN), _p(_("Received by,"), SIGN), Spacer(1, 1.8 * cm),
                Paragraph(f"<u>{escape(r.name)}</u>", SIGN_NAME),
                _p(f"NIP. {r.nip}" if r.nip else "", SIGN)]
    t = r.treasurer
    payer = [_p(_("Paid in full,"), SIGN), _p(t.role, SIGN), Spacer(1, 1.8 * cm),
             Paragraph(f"<u>{escape(t.name or '(' + '.' * 40 + ')')}</u>", SIGN_NAME),
             _p(f"NIP. {t.nip}" if t.nip else "NIP. " + "." * 30, SIGN)]
    sign = Table([[payer, "", receiver]], colWidths=[width * 0.42, width * 0.16, width * 0.42])
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    out.append(sign)
    return out


def render_receipts_pdf(d: Receipts) -> bytes:
    """Every receipt, a page each (A4 portrait)."""
    story: list[Flowable] = []
    for i, r in enumerate(d.receipts):
        if i:
            story.append(PageBreak())
        story += _receipt(r)
    if not story:
        story.append(_p(_("Nobody to pay."), BODY))
    author = d.receipts[0].office.name if d.receipts else "Bimtek"
    return _build(story, A4, d.title, author, d.title)
