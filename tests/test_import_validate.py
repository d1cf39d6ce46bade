"""validate_rows: every problem named by row and header, duplicates, categories."""

from collections.abc import Iterator
from datetime import date

import pytest

from service.i18n import set_locale
from service.imports.columns import ColumnMapping, match_headers
from service.imports.errors import ColumnProblem
from service.imports.reader import Table
from service.imports.validate import RowError, ValidatedImport, validate_rows
from service.services.participant_fields import contact_key

HEADERS = ["No.", "Nama Lengkap", "NIK", "L/P", "No. HP", "Kategori", "Kecamatan"]
CATEGORIES = {"kader bkb": "Kader BKB", "kader bkr": "Kader BKR"}
TODAY = date(2025, 6, 1)
GOOD = ["1", "Hj. Nur Aisyah, S.Pd.", "1371015203850001", "P", "0812 6634 1122",
        "kader bkb", "Padang Utara"]
OTHER = ["2", "Syafi'i", "1371070101800002", "L", "081374455667", "Kader BKR", "Pauh"]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_locale("en")
    yield
    set_locale("id")


def row(base: list[str], **changes: str) -> list[str]:
    """A copy of a row with some cells changed, by header (spaces as underscores)."""
    cells = list(base)
    for key, value in changes.items():
        cells[[h.replace(" ", "_").replace(".", "").replace("/", "") for h in HEADERS]
              .index(key)] = value
    return cells


def validate(*rows: list[str], headers: list[str] = HEADERS,
             categories: dict[str, str] = CATEGORIES, existing_niks: frozenset[str] = frozenset(),
             existing_contacts: frozenset[str] = frozenset()) -> ValidatedImport:
    table = Table(headers=headers, rows=[(n, r) for n, r in enumerate(rows, start=2)])
    return validate_rows(table, match_headers(headers), categories=categories,
                         existing_niks=set(existing_niks),
                         existing_contacts=set(existing_contacts), today=TODAY)


def test_valid_rows_come_back_cleaned_with_their_row_numbers() -> None:
    result = validate(GOOD, OTHER)
    assert result.errors == [] and result.ok
    assert [r.row for r in result.rows] == [2, 3]
    first = result.rows[0].fields
    assert first.name == "Hj. Nur Aisyah, S.Pd."
    assert first.phone == "+6281266341122"
    assert first.gender == "P" and first.birth_date == date(1985, 3, 12)
    assert first.district == "Padang Utara"


def test_category_is_matched_case_insensitively_and_spelled_as_the_training_does() -> None:
    result = validate(row(GOOD, Kategori="  KADER   bkb "))
    assert result.rows[0].fields.category == "Kader BKB"


def test_bad_nik_is_named_by_row_and_header_as_written() -> None:
    result = validate(GOOD, row(OTHER, NIK="13710701018"))
    assert result.errors == [RowError(3, "NIK", "A NIK has exactly 16 digits.")]
    assert [r.row for r in result.rows] == [2]


def test_bad_phone_is_named_by_its_header() -> None:
    result = validate(row(GOOD, No_HP="12345"))
    assert len(result.errors) == 1
    assert (result.errors[0].row, result.errors[0].column) == (2, "No. HP")
    assert "phone number" in result.errors[0].message


def test_bad_gender_is_named_by_its_header() -> None:
    result = validate(row(GOOD, LP="X"))
    assert result.errors == [RowError(2, "L/P", "Write L (laki-laki) or P (perempuan).")]


def test_every_problem_of_a_row_is_reported_at_once() -> None:
    result = validate(row(GOOD, NIK="123", LP="?", No_HP="abc", Kategori="Kader XYZ"))
    assert [e.column for e in result.errors] == ["NIK", "L/P", "No. HP", "Kategori"]
    assert result.rows == []


def test_unknown_category_lists_the_allowed_ones() -> None:
    result = validate(row(GOOD, Kategori="Kader BKL"))
    assert result.errors == [RowError(2, "Kategori", '"Kader BKL" is not a category of this '
                                                     "training. Use one of: Kader BKB, Kader BKR.")]


def test_category_given_when_the_training_has_none() -> None:
    result = validate(GOOD, categories={})
    assert result.errors == [RowError(2, "Kategori", "This training has no categories.")]


def test_empty_category_is_fine_without_categories() -> None:
    assert validate(row(GOOD, Kategori=""), categories={}).ok


def test_missing_name_is_reported_on_the_name_column() -> None:
    result = validate(row(GOOD, Nama_Lengkap="  "))
    assert result.errors == [RowError(2, "Nama Lengkap", "This field is required.")]


def test_script_tag_in_a_name_is_refused() -> None:
    result = validate(row(GOOD, Nama_Lengkap="<script>alert(1)</script>"))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Nama Lengkap")]
    assert result.rows == []


def test_spreadsheet_formula_in_a_name_is_refused() -> None:
    result = validate(row(GOOD, Nama_Lengkap="=cmd|' /C calc'!A0"))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Nama Lengkap")]


def test_same_nik_twice_reports_the_later_row_naming_the_first() -> None:
    result = validate(GOOD, OTHER, row(OTHER, No_HP="0813 1111 2222", NIK=GOOD[2]))
    assert result.errors == [RowError(4, "NIK", "Same NIK as row 2.")]
    assert [r.row for r in result.rows] == [2, 3]


def test_nik_written_with_spaces_is_the_same_nik() -> None:
    result = validate(GOOD, row(OTHER, NIK="1371 0152 0385 0001"))
    assert result.errors == [RowError(3, "NIK", "Same NIK as row 2.")]


def test_same_phone_and_name_twice_without_nik_is_a_duplicate() -> None:
    first = row(GOOD, NIK="")
    again = row(GOOD, NIK="", No_HP="+62 812-6634-1122", Nama_Lengkap="hj. nur  aisyah, s.pd.")
    result = validate(first, OTHER, again)
    assert result.errors == [RowError(4, "No. HP", "Same phone number and name as row 2.")]


def test_same_phone_with_another_name_is_not_a_duplicate() -> None:
    # Family members often share one phone.
    result = validate(row(GOOD, NIK=""), row(GOOD, NIK="", Nama_Lengkap="Rosmaniar"))
    assert result.ok


def test_nik_already_registered_for_the_training() -> None:
    result = validate(GOOD, OTHER, existing_niks=frozenset({OTHER[2]}))
    assert result.errors == [RowError(3, "NIK",
                                      "This NIK is already registered for this training.")]


def test_contact_already_registered_for_the_training() -> None:
    existing = contact_key("+6281266341122", "Hj. Nur Aisyah, S.Pd.")
    assert existing is not None
    result = validate(row(GOOD, NIK=""), existing_contacts=frozenset({existing}))
    assert [(e.row, e.column) for e in result.errors] == [(2, "No. HP")]
    assert "already registered" in result.errors[0].message


def test_unmapped_columns_are_ignored() -> None:
    headers = [*HEADERS, "Ukuran Baju"]
    result = validate([*GOOD, "<XL>"], headers=headers)
    assert result.ok


def test_mapping_without_name_column_is_refused() -> None:
    table = Table(headers=["NIK"], rows=[(2, ["1371015203850001"])])
    with pytest.raises(ColumnProblem):
        validate_rows(table, match_headers(["NIK"]), categories={}, existing_niks=set(),
                      existing_contacts=set())


def test_mapping_made_for_another_table_is_a_programming_error() -> None:
    table = Table(headers=["Nama"], rows=[(2, ["Nur"])])
    with pytest.raises(ValueError):
        validate_rows(table, match_headers(["Nama", "NIK"]), categories={},
                      existing_niks=set(), existing_contacts=set())


def test_errors_are_translated_into_the_current_locale() -> None:
    set_locale("id")
    result = validate(row(GOOD, Nama_Lengkap=""))
    assert result.errors[0].message == "Isian ini wajib diisi."


def test_mapping_overrides_are_honoured() -> None:
    headers = ["Peserta", "NIK"]
    mapping = ColumnMapping(headers=("Peserta", "NIK"), fields=("name", "nik"),
                            unrecognised=())
    table = Table(headers=headers, rows=[(2, ["Nur", "1371015203850001"])])
    result = validate_rows(table, mapping, categories={}, existing_niks=set(),
                           existing_contacts=set())
    assert result.rows[0].fields.name == "Nur"
