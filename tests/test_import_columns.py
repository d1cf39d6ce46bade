"""Header matching, the committee's column mapping, and the downloadable template."""

import io
from collections.abc import Iterator

import openpyxl
import pytest

from service.i18n import set_locale
from service.imports.columns import (
    FIELDS,
    ColumnMapping,
    apply_mapping,
    field_for_header,
    match_headers,
)
from service.imports.errors import ColumnProblem, ImportRefused
from service.imports.reader import read_table
from service.rendering.import_template import import_template_xlsx

ALIASES = {
    "name": ["Nama", "Nama Lengkap", "Name", "NAMA_LENGKAP", "nama peserta"],
    "nik": ["NIK", "No KTP", "No. KTP", "nik"],
    "gender": ["Jenis Kelamin", "JK", "L/P", "Gender", "jenis_kelamin"],
    "phone": ["No. HP", "No HP", "no_hp", "Nomor HP", "Telepon", "HP", "WhatsApp", "Phone",
              "No. HP/WA", "NO-HP"],
    "email": ["Email", "E-mail", "e_mail"],
    "category": ["Kategori", "Category", "Kelompok"],
    "institution": ["Instansi", "Institution", "Lembaga", "Unit Kerja"],
    "position": ["Jabatan", "Position"],
    "village": ["Kelurahan", "Desa", "Kelurahan/Desa", "Village", "kelurahan_desa"],
    "district": ["Kecamatan", "District"],
    "regency": ["Kabupaten/Kota", "Kabupaten_Kota", "Kabupaten", "Kota", "Regency",
                "Kab/Kota"],
    "province": ["Provinsi", "Province"],
    "kampung_kb": ["Kampung KB", "Kampung_KB", "kampungkb"],
}
CONTRACT_HEADERS = {"nama": "name", "name": "name", "nik": "nik", "jenis_kelamin": "gender",
                    "gender": "gender", "no_hp": "phone", "phone": "phone", "email": "email",
                    "kategori": "category", "category": "category",
                    "instansi": "institution", "institution": "institution",
                    "kelurahan": "village", "desa": "village", "village": "village",
                    "kecamatan": "district", "district": "district",
                    "kabupaten_kota": "regency", "regency": "regency",
                    "kampung_kb": "kampung_kb"}


@pytest.fixture
def english() -> Iterator[None]:
    set_locale("en")
    yield
    set_locale("id")


def test_every_documented_header_spelling_names_its_field() -> None:
    for field, headers in ALIASES.items():
        for header in headers:
            assert field_for_header(header) == field, header


def test_every_header_in_the_public_contract_matches_in_any_case() -> None:
    for header, field in CONTRACT_HEADERS.items():
        assert field_for_header(header) == field
        assert field_for_header(header.upper()) == field
        assert field_for_header(f"  {header.title()} ") == field


def test_row_number_columns_are_ignored_not_unrecognised() -> None:
    mapping = match_headers(["No", "No.", "Nomor", "Nama", ""])
    assert mapping.fields == (None, None, None, "name", None)
    assert mapping.unrecognised == ()


def test_nomor_hp_is_a_phone_not_a_row_number() -> None:
    assert field_for_header("Nomor HP") == "phone"
    assert field_for_header("Nomor") == ""


def test_unknown_headers_are_listed_as_written() -> None:
    mapping = match_headers(["Nama", "Tanda Tangan", "Ukuran Baju"])
    assert mapping.fields == ("name", None, None)
    assert mapping.unrecognised == ("Tanda Tangan", "Ukuran Baju")


def test_fields_are_ordered_with_labels() -> None:
    assert list(FIELDS)[:4] == ["name", "nik", "gender", "phone"]
    assert FIELDS["kampung_kb"] == "Kampung KB"
    assert all(field_for_header(f) == f for f in FIELDS)


def test_header_of_names_the_column_as_written() -> None:
    mapping = match_headers(["No.", "NAMA LENGKAP", "No. HP"])
    assert mapping.header_of("phone") == "No. HP"
    assert mapping.column_of("name") == 1
    assert mapping.header_of("nik") == ""


def test_missing_name_column_is_refused_naming_the_headers_found(english: None) -> None:
    mapping = match_headers(["Peserta", "NIK"])
    with pytest.raises(ColumnProblem) as caught:
        mapping.check()
    assert caught.value.code == "missing_name_column" and caught.value.status == 422
    assert isinstance(caught.value, ImportRefused)
    assert '"Peserta", "NIK"' in caught.value.text()


def test_two_columns_for_one_field_are_refused(english: None) -> None:
    mapping = match_headers(["Nama", "Kelurahan", "Desa"])
    with pytest.raises(ColumnProblem) as caught:
        mapping.check()
    assert caught.value.code == "duplicate_column"
    assert '"Kelurahan" and "Desa"' in caught.value.text()


def test_apply_mapping_maps_an_unrecognised_header() -> None:
    auto = match_headers(["Nama Peserta Pelatihan", "NIK", "Catatan"])
    mapping = apply_mapping(auto, {"Nama Peserta Pelatihan": "name"})
    assert mapping.fields == ("name", "nik", None)
    assert mapping.unrecognised == ("Catatan",)


def test_apply_mapping_ignores_a_column_on_request() -> None:
    auto = match_headers(["Nama", "Catatan", "Desa", "Kelurahan"])
    mapping = apply_mapping(auto, {"Catatan": "", "Desa": ""})
    assert mapping.fields == ("name", None, None, "village")
    assert mapping.unrecognised == ()


def test_apply_mapping_refuses_two_columns_for_one_field() -> None:
    auto = match_headers(["Nama", "HP Kantor", "No HP"])
    with pytest.raises(ColumnProblem) as caught:
        apply_mapping(auto, {"HP Kantor": "phone"})
    assert caught.value.code == "duplicate_column"


def test_apply_mapping_refuses_removing_the_name_column() -> None:
    with pytest.raises(ColumnProblem) as caught:
        apply_mapping(match_headers(["Nama", "NIK"]), {"Nama": ""})
    assert caught.value.code == "missing_name_column"


def test_apply_mapping_refuses_an_unknown_field_or_header() -> None:
    auto = match_headers(["Nama", "Catatan"])
    with pytest.raises(ColumnProblem) as caught:
        apply_mapping(auto, {"Catatan": "password_hash"})
    assert caught.value.code == "unknown_field"
    with pytest.raises(ColumnProblem) as caught:
        apply_mapping(auto, {"Alamat": "village"})
    assert caught.value.code == "unknown_column"


def test_mapping_is_immutable() -> None:
    mapping = match_headers(["Nama"])
    assert isinstance(mapping, ColumnMapping)
    with pytest.raises(AttributeError):
        mapping.fields = ()  # type: ignore[misc]


# --- the template -----------------------------------------------------------------------

def template_table(categories: list[str]) -> tuple[list[str], list[list[str]]]:
    table = read_table(import_template_xlsx(categories), "template.xlsx",
                       max_bytes=1024 * 1024, max_rows=10)
    return table.headers, [values for _, values in table.rows]


def test_template_headers_all_map_to_fields() -> None:
    headers, _ = template_table(["Kader BKB"])
    mapping = match_headers(headers)
    assert mapping.unrecognised == ()
    assert None not in mapping.fields
    mapping.check()
    assert set(mapping.fields) == set(FIELDS) - {"province"}


def test_template_example_row_is_a_padang_cadre_in_the_first_category() -> None:
    headers, rows = template_table(["Kader BKR", "Kader BKB"])
    example = dict(zip(headers, rows[0], strict=True))
    assert example["NIK"] == "1371015203850001"
    assert example["Kategori"] == "Kader BKR"
    assert example["Kabupaten/Kota"] == "Kota Padang"
    assert len(rows) == 1


def test_template_without_categories_uses_the_default_example() -> None:
    headers, rows = template_table([])
    assert dict(zip(headers, rows[0], strict=True))["Kategori"] == "Kader BKB"


def load_template(categories: list[str]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(import_template_xlsx(categories)))


def test_template_keeps_nik_and_phone_as_text() -> None:
    sheet = load_template(["Kader BKB"])["Peserta"]
    assert sheet["B1"].value == "NIK" and sheet["D1"].value == "No HP"
    for column in "BD":
        assert sheet.column_dimensions[column].number_format == "@"
        assert sheet[f"{column}2"].number_format == "@"
        assert sheet[f"{column}2"].data_type == "s"
    assert sheet["A1"].font.bold


def test_template_guide_lists_the_categories_and_every_column() -> None:
    guide = load_template(["Kader BKB", "Pokja Kampung KB"])["Petunjuk"]
    texts = [c.value for row in guide.iter_rows() for c in row if c.value]
    assert "Pokja Kampung KB" in texts and "Kader BKB" in texts
    for header in ("Nama", "NIK", "Jenis Kelamin", "No HP", "Kampung KB"):
        assert header in texts


def test_template_offers_the_categories_as_a_dropdown() -> None:
    sheet = load_template(["Kader BKB", "Kader BKR"])["Peserta"]
    formulas = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert any(f.startswith("Petunjuk!$A$") for f in formulas)
    assert '"L,P"' in formulas


def test_template_writes_formula_like_category_names_as_text() -> None:
    headers, rows = template_table(["=1+1"])
    assert dict(zip(headers, rows[0], strict=True))["Kategori"] == "=1+1"
