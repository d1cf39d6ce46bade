"""read_table: what it reads from .xlsx and .csv, and every way it refuses a file."""

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime

import openpyxl
import pytest

from service.i18n import set_locale
from service.imports.errors import (
    EmptyFile,
    FileTooLarge,
    ImportRefused,
    SuspiciousArchive,
    TooManyRows,
    UnreadableFile,
    UnsupportedFile,
    format_size,
)
from service.imports.reader import Table, cell_text, read_table
from tests.import_samples import PADANG_HEADERS, make_csv, make_xlsx, padang_rows

MB = 1024 * 1024
HEADERS = ["Nama", "NIK", "No HP"]
ROWS = [{"Nama": "Hj. Nur Aisyah, S.Pd.", "NIK": "1371015203850001", "No HP": "0812 6634 1122"},
        {"Nama": "Syafi'i", "NIK": "1371070101800002", "No HP": "081374455667"}]


@pytest.fixture
def english() -> Iterator[None]:
    set_locale("en")
    yield
    set_locale("id")


def read(content: bytes, filename: str, *, max_bytes: int = 10 * MB,
         max_rows: int = 1000) -> Table:
    return read_table(content, filename, max_bytes=max_bytes, max_rows=max_rows)


def workbook_bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace_member(xlsx: bytes, name: str, body: bytes) -> bytes:
    """The same workbook with one zip member's content swapped."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename,
                            body if info.filename == name else source.read(info.filename))
    return out.getvalue()


def sheet_xml(xlsx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


# --- reading ----------------------------------------------------------------------------

def test_xlsx_headers_and_rows_with_excel_row_numbers() -> None:
    table = read(make_xlsx(ROWS, HEADERS), "peserta.xlsx")
    assert table.headers == HEADERS
    assert table.rows == [
        (2, ["Hj. Nur Aisyah, S.Pd.", "1371015203850001", "0812 6634 1122"]),
        (3, ["Syafi'i", "1371070101800002", "081374455667"]),
    ]


def test_xlsx_header_found_below_blank_rows_and_blank_rows_skipped() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["B3"], sheet["C3"] = " Nama ", "NIK"
    sheet["B4"], sheet["C4"] = "Rosmaniar", "1371015203850001"
    sheet["B7"] = "Afrizal"
    table = read(workbook_bytes(workbook), "peserta.xlsx")
    assert table.headers == ["", "Nama", "NIK"]
    assert table.rows == [(4, ["", "Rosmaniar", "1371015203850001"]),
                          (7, ["", "Afrizal", ""])]


def test_xlsx_reads_the_first_tab_even_when_another_is_active() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Nama"])
    workbook.active.append(["Zuraida"])
    guide = workbook.create_sheet("Petunjuk")
    guide.append(["Isi satu peserta per baris"])
    guide.append(["bukan peserta"])
    workbook.active = 1
    assert read(workbook_bytes(workbook), "peserta.xlsx").rows == [(2, ["Zuraida"])]


def test_xlsx_whole_numbers_become_digits_without_decimal_or_exponent() -> None:
    rows = [{"Nama": "Nur", "NIK": 1371015203850001, "No HP": 81266341122},
            {"Nama": "Afrizal", "NIK": 1.37101520385e15, "No HP": 6281266341122.0}]
    table = read(make_xlsx(rows, HEADERS), "peserta.xlsx")
    assert [r[1][1:] for r in table.rows] == [["1371015203850001", "81266341122"],
                                             ["1371015203850000", "6281266341122"]]


def test_xlsx_dates_become_iso_dates() -> None:
    rows = [{"Nama": "Nur", "Lahir": date(1985, 3, 12)},
            {"Nama": "Ani", "Lahir": datetime(1990, 1, 2, 0, 0)}]
    table = read(make_xlsx(rows, ["Nama", "Lahir"]), "peserta.xlsx")
    assert [r[1][1] for r in table.rows] == ["1985-03-12", "1990-01-02"]


def test_cell_text_of_other_values() -> None:
    assert cell_text(None) == ""
    assert cell_text(3.5) == "3.5"
    assert cell_text(1e-05) == "0.00001"
    assert cell_text(True) == "TRUE"
    assert cell_text(datetime(2018, 9, 12, 8, 30)) == "2018-09-12 08:30:00"


def test_xlsx_short_rows_are_padded_and_cells_beyond_the_headers_dropped() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Nama", "NIK"])
    workbook.active.append(["Nur"])
    workbook.active.append(["Ani", "1371015203850001", "catatan tanpa judul"])
    table = read(workbook_bytes(workbook), "peserta.xlsx")
    assert table.rows == [(2, ["Nur", ""]), (3, ["Ani", "1371015203850001"])]


def test_xlsx_with_an_absurd_stored_dimension_reads_only_real_cells() -> None:
    xlsx = make_xlsx(ROWS, HEADERS)
    xml = sheet_xml(xlsx).replace(b'<dimension ref="A1:C3"', b'<dimension ref="A1:XFD1048576"')
    assert b"XFD1048576" in xml
    table = read(replace_member(xlsx, "xl/worksheets/sheet1.xml", xml), "peserta.xlsx")
    assert table.headers == HEADERS and len(table.rows) == 2


def test_csv_with_commas() -> None:
    table = read(make_csv(ROWS, HEADERS), "peserta.csv")
    assert table.headers == HEADERS
    assert table.rows[0] == (2, ["Hj. Nur Aisyah, S.Pd.", "1371015203850001", "0812 6634 1122"])


def test_csv_with_semicolons_as_indonesian_excel_writes_it() -> None:
    table = read(make_csv(ROWS, HEADERS, delimiter=";"), "peserta.csv")
    assert table.headers == HEADERS
    assert table.rows[1] == (3, ["Syafi'i", "1371070101800002", "081374455667"])


def test_csv_delimiter_is_taken_from_the_header_line_only() -> None:
    content = b"Nama;Instansi\r\n\"Nur, S.Pd.\";\"PKK, Kel. Olo, Padang\"\r\n"
    table = read(content, "peserta.csv")
    assert table.rows == [(2, ["Nur, S.Pd.", "PKK, Kel. Olo, Padang"])]


def test_csv_with_one_column_keeps_commas_and_semicolons_in_cells() -> None:
    content = b"Nama\r\nNur, S.Pd.\r\n\"Ani; Ira\"\r\nH. Afrizal; SE\r\n"
    table = read(content, "peserta.csv")
    assert [v for _, v in table.rows] == [["Nur, S.Pd."], ["Ani; Ira"], ["H. Afrizal; SE"]]


def test_csv_utf8_bom_is_not_part_of_the_first_header() -> None:
    table = read(make_csv(ROWS, HEADERS, encoding="utf-8-sig"), "peserta.csv")
    assert table.headers[0] == "Nama"


def test_csv_in_windows_1252() -> None:
    rows = [{"Nama": "Nur’aini Ça", "NIK": "1371015203850001"}]
    content = make_csv(rows, ["Nama", "NIK"], delimiter=";", encoding="cp1252")
    assert read(content, "peserta.csv").rows == [(2, ["Nur’aini Ça", "1371015203850001"])]


def test_csv_utf8_without_bom() -> None:
    rows = [{"Nama": "Nur’aini Ça", "NIK": ""}]
    assert read(make_csv(rows, ["Nama", "NIK"]), "p.csv").rows == [(2, ["Nur’aini Ça", ""])]


def test_csv_row_numbers_count_records_not_lines() -> None:
    content = b'Nama,Instansi\r\n"Nur","PKK\nKel. Olo"\r\n\r\nAni,BKKBN\r\n'
    table = read(content, "peserta.csv")
    assert table.rows == [(2, ["Nur", "PKK\nKel. Olo"]), (4, ["Ani", "BKKBN"])]


def test_file_name_extension_is_case_insensitive() -> None:
    assert read(make_xlsx(ROWS, HEADERS), "PESERTA.XLSX").headers == HEADERS
    assert read(make_csv(ROWS, HEADERS), "Peserta.CSV").headers == HEADERS


def test_a_thousand_realistic_rows_read_back_unchanged() -> None:
    rows = padang_rows(1000)
    table = read(make_xlsx(rows, PADANG_HEADERS), "peserta.xlsx", max_rows=1000)
    assert table.headers == PADANG_HEADERS
    assert [values for _, values in table.rows] == [[r[h] for h in PADANG_HEADERS]
                                                     for r in rows]


# --- refusals ---------------------------------------------------------------------------

def test_file_over_the_size_limit_is_refused_with_both_sizes(english: None) -> None:
    content = make_csv(ROWS, HEADERS)
    with pytest.raises(FileTooLarge) as caught:
        read(content + b" " * (15 * MB), "peserta.csv", max_bytes=10 * MB)
    assert caught.value.status == 413 and caught.value.code == "file_too_large"
    assert caught.value.text() == "The file is 15.1 MB; the limit is 10 MB."


def test_sizes_read_like_a_person_writes_them() -> None:
    assert format_size(10 * MB) == "10 MB"
    assert format_size(int(14.2 * MB)) == "14.2 MB"
    assert format_size(10 * MB + 1, round_up=True) == "10.1 MB"
    assert format_size(850 * 1024) == "850 KB"


def test_more_rows_than_the_limit_are_refused() -> None:
    content = make_csv(padang_rows(11), PADANG_HEADERS)
    with pytest.raises(TooManyRows) as caught:
        read(content, "peserta.csv", max_rows=10)
    assert caught.value.status == 413 and caught.value.params == {"limit": 10}


def test_exactly_the_row_limit_is_accepted() -> None:
    assert len(read(make_csv(padang_rows(10), PADANG_HEADERS), "p.csv", max_rows=10).rows) == 10


def test_row_limit_stops_reading_before_the_rest_of_the_file() -> None:
    # A cell beyond the csv module's field limit would make the file unreadable, but it
    # comes after the limit is reached, so reading must stop before getting there.
    content = make_csv(padang_rows(12), PADANG_HEADERS) + b"x" * 200_000 + b"\r\n"
    with pytest.raises(TooManyRows):
        read(content, "peserta.csv", max_rows=10)
    with pytest.raises(UnreadableFile):
        read(content, "peserta.csv", max_rows=100)


def test_xlsx_row_limit_stops_reading_before_the_rest_of_the_sheet() -> None:
    xlsx = make_xlsx(padang_rows(2000), PADANG_HEADERS)
    # Broken XML fails only when the parser reaches row 1500, far past the first chunk
    # the streaming reader takes.
    broken = sheet_xml(xlsx).replace(b'<row r="1500">', b'<row r="1500"><c r="Z13"><v>x</c>')
    assert broken != sheet_xml(xlsx)
    damaged = replace_member(xlsx, "xl/worksheets/sheet1.xml", broken)
    with pytest.raises(TooManyRows):
        read(damaged, "peserta.xlsx", max_rows=10)
    with pytest.raises(UnreadableFile):
        read(damaged, "peserta.xlsx", max_rows=5000)


def zip_with(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def test_zip_bomb_member_with_a_huge_compression_ratio_is_refused() -> None:
    bomb = zip_with({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                     "xl/worksheets/sheet1.xml": b"<" + b"0" * (20 * MB)})
    assert len(bomb) < MB
    with pytest.raises(SuspiciousArchive) as caught:
        read(bomb, "peserta.xlsx")
    assert caught.value.status == 422 and caught.value.code == "suspicious_archive"


def declare_sizes(archive: bytes, size: int) -> bytes:
    """Patch every central-directory entry to claim `size` unpacked bytes."""
    data = bytearray(archive)
    start = 0
    while (at := data.find(b"PK\x01\x02", start)) != -1:
        data[at + 24:at + 28] = size.to_bytes(4, "little")
        start = at + 4
    return bytes(data)


def test_archive_declaring_over_100_mb_in_total_is_refused() -> None:
    # Stored (uncompressed) members each claiming 60 MB: a ratio under 100:1 apiece,
    # 120 MB together.
    random_bytes = bytes(range(256)) * 3000
    members = {"xl/workbook.xml": random_bytes, "xl/worksheets/sheet1.xml": random_bytes}
    archive = declare_sizes(zip_with(members, zipfile.ZIP_STORED), 60 * MB)
    assert [i.file_size for i in zipfile.ZipFile(io.BytesIO(archive)).infolist()] == [60 * MB] * 2
    with pytest.raises(SuspiciousArchive):
        read(archive, "peserta.xlsx")


def test_renamed_pdf_is_refused_as_unsupported(english: None) -> None:
    with pytest.raises(UnsupportedFile) as caught:
        read(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n", "peserta.xlsx")
    assert caught.value.status == 415 and "PDF" in caught.value.text()


def test_renamed_old_xls_is_refused_with_how_to_convert(english: None) -> None:
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    for name in ("peserta.xlsx", "peserta.csv", "peserta.xls"):
        with pytest.raises(UnsupportedFile) as caught:
            read(content, name)
        assert "97-2003" in caught.value.text()


def test_other_zip_renamed_to_xlsx_is_unsupported() -> None:
    docx = zip_with({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    with pytest.raises(UnsupportedFile):
        read(docx, "peserta.xlsx")


def test_xlsx_renamed_to_csv_is_unsupported() -> None:
    with pytest.raises(UnsupportedFile):
        read(make_xlsx(ROWS, HEADERS), "peserta.csv")


def test_binary_file_named_csv_is_unsupported() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(UnsupportedFile):
        read(png, "peserta.csv")


def test_other_file_names_are_unsupported_even_with_good_content() -> None:
    for name in ("peserta.txt", "peserta.xlsm", "peserta", ""):
        with pytest.raises(UnsupportedFile):
            read(make_csv(ROWS, HEADERS), name)


def test_truncated_xlsx_is_unreadable() -> None:
    xlsx = make_xlsx(ROWS, HEADERS)
    with pytest.raises(UnreadableFile) as caught:
        read(xlsx[: len(xlsx) // 2], "peserta.xlsx")
    assert caught.value.status == 422 and caught.value.code == "unreadable_file"


def test_xlsx_with_broken_sheet_xml_is_unreadable() -> None:
    xlsx = make_xlsx(ROWS, HEADERS)
    broken = replace_member(xlsx, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row")
    with pytest.raises(UnreadableFile):
        read(broken, "peserta.xlsx")


def test_xlsx_declaring_xml_entities_is_refused() -> None:
    # One harmless entity: a plain XML parser would read "lol"; defusedxml refuses any
    # entity declaration, which is what keeps billion-laughs and XXE files out.
    entity = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY lol "lol">]>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is></c></row>'
              b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>'
              b"</sheetData></worksheet>")
    xlsx = replace_member(make_xlsx(ROWS, HEADERS), "xl/worksheets/sheet1.xml", entity)
    with pytest.raises(UnreadableFile):
        read(xlsx, "peserta.xlsx")


def test_empty_file_is_refused() -> None:
    with pytest.raises(EmptyFile) as caught:
        read(b"", "peserta.csv")
    assert caught.value.status == 422 and caught.value.code == "empty_file"


def test_file_of_blank_lines_has_no_header_row() -> None:
    with pytest.raises(EmptyFile):
        read(b"\r\n;;;\r\n , \r\n", "peserta.csv")


def test_empty_first_sheet_is_refused_saying_which_sheet_is_read(english: None) -> None:
    workbook = openpyxl.Workbook()
    workbook.create_sheet("Peserta").append(["Nama"])
    workbook["Peserta"].append(["Nur"])
    with pytest.raises(EmptyFile) as caught:
        read(workbook_bytes(workbook), "peserta.xlsx")
    assert "first sheet" in caught.value.text()


def test_header_without_data_rows_is_refused(english: None) -> None:
    with pytest.raises(EmptyFile) as caught:
        read(make_xlsx([], HEADERS), "peserta.xlsx")
    assert "no participant rows" in caught.value.text()


def test_every_refusal_is_an_import_refused() -> None:
    for cls in (FileTooLarge, TooManyRows, UnsupportedFile, SuspiciousArchive, EmptyFile,
                UnreadableFile):
        assert issubclass(cls, ImportRefused)
