"""The daftar nominatif as XLSX: the same columns as the PDF, amounts as numbers (so the
treasurer can sum and check them), every text cell neutralised (a name starting with "="
stays text), the totals as values rather than formulas."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from service.i18n import gettext as _
from service.rendering.spj_pdf import Nominatif
from service.rendering.spreadsheet_safety import neutralise

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDE3EA")
_MONEY = "#,##0"


def _text(value: str) -> str:
    return neutralise(value)


def render_nominatif_xlsx(d: Nominatif) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Nominatif")[:31]
    head = [_("No"), _("Name")]
    if d.honorarium:
        head += [_("NIP / Golongan"), _("Institution"), _("NPWP / Account")]
    else:
        head.append(_("Origin"))
    head += [d.quantity_label, d.rate_label, _("Gross amount"), _("PPh"), _("Net amount"),
             _("Signature")]
    ws.append([_text(d.office.name)])
    ws.append([_text(d.title)])
    for line in d.lines:
        ws.append([_text(line)])
    ws.append([])
    ws.append([_text(h) for h in head])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font, cell.fill = _BOLD, _HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    money_from = len(head) - 5  # 1-based column of the rate
    for i, r in enumerate(d.rows, start=1):
        row: list[object] = [i, _text(r.name)]
        if d.honorarium:
            row += [_text(r.nip_golongan), _text(r.origin), _text(r.finance)]
        else:
            row.append(_text(r.origin))
        quantity: object = int(r.quantity) if r.quantity.isdigit() else _text(r.quantity)
        row += [quantity, r.rate, r.gross, r.tax, r.net, f"{i}."]
        ws.append(row)
    ws.append([_text(_("Total")), *[""] * money_from,
               sum(r.gross for r in d.rows), sum(r.tax for r in d.rows),
               sum(r.net for r in d.rows)])
    for cell in ws[ws.max_row]:
        cell.font = _BOLD
    ws.append([_text(_("Amount in words: {words}", words=d.words))])
    ws.append([])
    left, right = d.signers
    ws.append([_text(_("Approved by,")), "", "", "", _text(d.place_date)])
    ws.append([_text(left.role), "", "", "", _text(right.role)])
    ws.append([])
    ws.append([])
    ws.append([_text(left.name), "", "", "", _text(right.name)])
    ws.append([_text(f"NIP. {left.nip}"), "", "", "", _text(f"NIP. {right.nip}")])
    for row_cells in ws.iter_rows(min_row=header_row + 1, max_row=header_row + len(d.rows) + 1):
        for cell in row_cells[money_from:money_from + 4]:
            cell.number_format = _MONEY
    widths = [5, 34] + ([22, 26, 30] if d.honorarium else [24]) + [10, 14, 16, 14, 16, 14]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
