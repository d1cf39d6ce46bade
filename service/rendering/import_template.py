"""The participant-list template a committee downloads, fills in Excel and uploads again.

Pure: returns .xlsx bytes. Always Indonesian, because its header names are what the
importer recognises and what committees across Indonesia type anyway; the import page
around it is translated as usual.
"""

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from service.rendering.spreadsheet_safety import sheet_text

DEFAULT_CATEGORY = "Kader BKB"
# Rows prepared with dropdowns; typing below them still works, just without the list.
PREPARED_ROWS = 1000
TEXT_FORMAT = "@"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class TemplateColumn:
    header: str
    width: int
    example: str
    required: bool
    help: str
    # NIK and phone numbers typed into a General cell lose their leading 0 or get
    # rounded to 15 digits (1371015203850001 -> 1,37102E+15); text cells keep them.
    as_text: bool = False


def _columns(category: str) -> list[TemplateColumn]:
    return [
        TemplateColumn("Nama", 32, "Hj. Nur Aisyah, S.Pd.", True,
                       "Nama lengkap beserta gelar, seperti yang akan tertulis di sertifikat."),
        TemplateColumn("NIK", 20, "1371015203850001", False,
                       "16 digit Nomor Induk Kependudukan sesuai KTP. Kolom ini berformat "
                       "teks agar Excel tidak membulatkan angkanya.", as_text=True),
        TemplateColumn("Jenis Kelamin", 14, "P", False,
                       "L (laki-laki) atau P (perempuan). Jika kosong, diambil dari NIK."),
        TemplateColumn("No HP", 18, "0812 6634 1122", False,
                       "Nomor HP/WhatsApp aktif: 08..., 62... atau +62... "
                       "Kolom ini berformat teks agar angka 0 di depan tidak hilang.",
                       as_text=True),
        TemplateColumn("Email", 28, "nur.aisyah@example.com", False,
                       "Alamat email, jika ada."),
        TemplateColumn("Kategori", 22, category, False,
                       "Salah satu kategori peserta pelatihan ini (lihat daftar di bawah)."),
        TemplateColumn("Instansi", 30, "TP-PKK Kelurahan Air Tawar Barat", False,
                       "Instansi, lembaga atau unit kerja asal peserta."),
        TemplateColumn("Jabatan", 22, "Kader BKB", False,
                       "Jabatan atau peran peserta di instansinya."),
        # A cadre has no NIP: the example leaves these two empty, as most rows will.
        TemplateColumn("NIP", 22, "", False,
                       "18 digit Nomor Induk Pegawai, untuk peserta ASN. Kolom ini berformat "
                       "teks agar Excel tidak membulatkan angkanya.", as_text=True),
        TemplateColumn("Pangkat/Golongan", 22, "", False,
                       "Pangkat dan golongan peserta ASN, misalnya Penata Muda (III/a)."),
        TemplateColumn("Kelurahan/Desa", 22, "Air Tawar Barat", False,
                       "Kelurahan atau desa tempat peserta bertugas."),
        TemplateColumn("Kecamatan", 20, "Padang Utara", False, "Kecamatan."),
        TemplateColumn("Kabupaten/Kota", 20, "Kota Padang", False,
                       "Kabupaten atau kota, misalnya Kota Padang atau Kab. Agam."),
        TemplateColumn("Kampung KB", 28, "Kampung KB Air Tawar Barat", False,
                       "Nama Kampung KB, jika peserta berasal dari Kampung KB."),
    ]


def import_template_xlsx(categories: list[str]) -> bytes:
    """The template with the training's categories offered in the Kategori column."""
    columns = _columns(categories[0] if categories else DEFAULT_CATEGORY)
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Peserta"
    _fill_participant_sheet(sheet, columns)
    guide = workbook.create_sheet("Petunjuk")
    category_range = _fill_guide_sheet(guide, columns, categories)
    if category_range:
        _add_list(sheet, columns, "Kategori", category_range)
    _add_list(sheet, columns, "Jenis Kelamin", '"L,P"')
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_participant_sheet(sheet: Worksheet, columns: list[TemplateColumn]) -> None:
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index)
        _put_text(header, column.header)
        header.font, header.fill = _BOLD, _HEADER_FILL
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        example = sheet.cell(row=2, column=index)
        _put_text(example, column.example)
        if column.as_text:
            # Excel gives new cells their column's format, so rows typed later are text too.
            dimension.number_format = TEXT_FORMAT
            example.number_format = TEXT_FORMAT
    sheet.freeze_panes = "A2"


def _fill_guide_sheet(sheet: Worksheet, columns: list[TemplateColumn],
                      categories: list[str]) -> str | None:
    """Write the instructions; returns the cell range listing the categories, if any."""
    lines = [
        "Petunjuk pengisian daftar peserta",
        "Isi satu peserta per baris di lembar \"Peserta\", mulai dari baris 2. Baris 1 "
        "berisi judul kolom: jangan diubah, dihapus atau dipindah.",
        "Baris 2 adalah contoh: hapus atau timpa sebelum mengunggah.",
        "Hanya kolom Nama yang wajib; kolom lain boleh dikosongkan.",
        "Simpan sebagai Excel Workbook (.xlsx) atau CSV, lalu unggah di halaman impor peserta.",
    ]
    for row, text in enumerate(lines, start=1):
        _put_text(sheet.cell(row=row, column=1), text)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)

    table_row = len(lines) + 2
    for col, title in enumerate(("Kolom", "Wajib", "Keterangan", "Contoh"), start=1):
        cell = sheet.cell(row=table_row, column=col)
        _put_text(cell, title)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
    for offset, column in enumerate(columns, start=1):
        values = (column.header, "Ya" if column.required else "Tidak", column.help,
                  column.example)
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=table_row + offset, column=col)
            _put_text(cell, value)
            cell.alignment = _WRAP
    for letter, width in zip("ABCD", (18, 8, 70, 34), strict=True):
        sheet.column_dimensions[letter].width = width

    list_row = table_row + len(columns) + 2
    return _write_categories(sheet, list_row, categories)


def _write_categories(sheet: Worksheet, row: int, categories: list[str]) -> str | None:
    title = sheet.cell(row=row, column=1)
    title.font = _BOLD
    if not categories:
        _put_text(title, "Pelatihan ini tidak memakai kategori: kosongkan kolom Kategori.")
        return None
    _put_text(title, "Kategori yang dapat dipilih:")
    for offset, name in enumerate(categories, start=1):
        _put_text(sheet.cell(row=row + offset, column=1), name)
    return f"Petunjuk!$A${row + 1}:$A${row + len(categories)}"


def _add_list(sheet: Worksheet, columns: list[TemplateColumn], header: str,
              formula: str) -> None:
    """A dropdown on the prepared rows of one column (typing another value is refused)."""
    index = next(i for i, c in enumerate(columns, start=1) if c.header == header)
    letter = get_column_letter(index)
    validation = DataValidation(type="list", formula1=formula, allow_blank=True,
                                showErrorMessage=True)
    validation.error = "Pilih dari daftar."
    validation.add(f"{letter}2:{letter}{PREPARED_ROWS + 1}")
    sheet.add_data_validation(validation)


def _put_text(cell: Cell, value: str) -> None:
    """Write a value as plain text: a category named "=1+1" must not become a formula,
    and one stored with a control character must not make the workbook fail."""
    cell.value = sheet_text(value)
    cell.data_type = "s"
