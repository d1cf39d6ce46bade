"""Sheets as offices have them: a title block above the header, office headers, Excel's
damage to long numbers, categories a training lacks, layouts remembered, cells corrected
on the preview. Service functions over factories' data, one behaviour each."""

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

import openpyxl
import pytest
from sqlmodel import Session, col, select

from service.errors import FieldError
from service.i18n import set_locale
from service.imports.columns import field_for_header, match_headers
from service.imports.errors import ColumnProblem, HeaderRowNotFound
from service.imports.reader import Table, read_table
from service.imports.validate import NEW_CATEGORY, validate_rows
from service.models import ImportLayout, Participant, Registration, TrainingCategory
from service.models.base import pk
from service.services import imports
from service.services.imports import ImportInvalid
from tests import factories
from tests.import_samples import (
    PROVINCIAL_HEADERS,
    PROVINCIAL_ROWS,
    make_csv,
    make_xlsx,
    provincial_csv,
    provincial_xlsx,
)

TODAY = date(2025, 6, 1)


@pytest.fixture
def english() -> Iterator[None]:
    set_locale("en")
    yield
    set_locale("id")


def read(content: bytes, name: str = "peserta.xlsx", **options: Any) -> Table:
    return read_table(content, name, max_bytes=10 * 2**20, max_rows=1000, **options)


def xlsx(lines: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for values in lines:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check(lines: list[list[object]], categories: dict[str, str] | None = None,
          **options: Any) -> Any:
    """Validate an .xlsx made of `lines` (the header first) as an import would."""
    table = read(xlsx(lines))
    return validate_rows(table, match_headers(table.headers), categories=categories or {},
                         existing_niks=set(), existing_contacts=set(), today=TODAY,
                         **options)


def messages(result: Any, column: str) -> list[str]:
    return [e.message for e in result.errors if e.column == column]


# --- the header row under a title block ----------------------------------------------------

def test_the_header_is_found_under_a_title_block_with_merged_cells() -> None:
    table = read(provincial_xlsx())
    assert table.header_row == 5
    assert table.headers == PROVINCIAL_HEADERS


def test_title_rows_are_never_participants() -> None:
    table = read(provincial_xlsx())
    names = [values[1] for _, values in table.rows]
    assert names == [r["Nama"] for r in PROVINCIAL_ROWS]


def test_a_row_numbering_the_columns_under_the_header_is_skipped() -> None:
    table = read(provincial_xlsx())
    assert table.numbering_row == 6
    assert [number for number, _ in table.rows] == [7, 8, 9, 10]


def test_a_first_row_that_only_starts_at_one_is_a_participant() -> None:
    table = read(xlsx([["No", "Nama", "NIK"], [1, "Zuraida", None]]))
    assert table.numbering_row is None and table.rows == [(2, ["1", "Zuraida", ""])]


def test_a_csv_title_block_is_skipped_too() -> None:
    table = read(provincial_csv(), "peserta.csv")
    assert (table.header_row, table.numbering_row) == (5, 6)
    assert table.rows[0][1][1] == "Dr. dr. Hj. Siti Aminah, M.Kes."


def test_a_csv_title_typed_without_separators_does_not_hide_them() -> None:
    content = ("Daftar Peserta Bimtek\r\n\r\nNama;Instansi/OPD;No. HP\r\n"
               "Nur, S.Pd.;Bappeda;0812 6634 1122\r\n").encode("cp1252")
    table = read(content, "peserta.csv")
    assert table.headers == ["Nama", "Instansi/OPD", "No. HP"]
    assert table.rows == [(4, ["Nur, S.Pd.", "Bappeda", "0812 6634 1122"])]


def test_the_committee_can_pick_the_header_row() -> None:
    # Two header-like rows: the office's own on top, the real one under it.
    lines: list[list[object]] = [["REKAP"], ["Nama", "Jabatan"], ["Nama Peserta", "NIP"],
                                 ["Nur", "198704092010012015"]]
    assert read(xlsx(lines)).header_row == 2
    table = read(xlsx(lines), header_row=3)
    assert table.headers == ["Nama Peserta", "NIP"]
    assert table.rows == [(4, ["Nur", "198704092010012015"])]


def test_a_picked_header_row_that_is_empty_is_refused(english: None) -> None:
    lines: list[list[object]] = [["Judul"], [], ["Nama"], ["Nur"]]
    with pytest.raises(HeaderRowNotFound) as refused:
        read(xlsx(lines), header_row=2)
    assert refused.value.status == 422
    assert "Row 2 is empty" in refused.value.text()


def test_without_a_known_header_the_first_full_width_row_is_the_header() -> None:
    lines: list[list[object]] = [["Daftar hadir"], ["Peserta", "Asal", "Tanda tangan"],
                                 ["Nur", "Pauh", ""]]
    assert read(xlsx(lines)).headers == ["Peserta", "Asal", "Tanda tangan"]


def test_the_rows_to_pick_from_show_the_title_and_the_first_rows() -> None:
    table = read(provincial_xlsx())
    assert [n for n, _ in table.leading] == [1, 2, 3, 5, 7, 8, 9, 10]


# --- headers offices use -------------------------------------------------------------------

@pytest.mark.parametrize("header, field", [
    ("Instansi/OPD", "institution"), ("Asal Kab/Kota", "regency"),
    ("Kabupaten/Kota", "regency"), ("Jabatan", "position"), ("NIP", "nip"),
    ("Pangkat/Golongan", "rank"), ("Pangkat / Gol.", "rank"), ("No. HP/WA", "phone"),
    ("No", ""), ("No. Urut", ""), ("Unsur", "category"),
    ("Institution/Agency", "institution"), ("Regency/City", "regency"),
    ("Position", "position"), ("Rank/Grade", "rank"), ("Phone/WhatsApp", "phone"),
])
def test_office_headers_name_their_field(header: str, field: str) -> None:
    assert field_for_header(header) == field


def test_unsur_beside_kategori_is_left_to_the_committee() -> None:
    mapping = match_headers(["Nama", "Kategori", "Unsur"])
    assert mapping.fields == ("name", "category", None)
    assert mapping.unrecognised == ("Unsur",)


# --- what Excel does to long numbers ---------------------------------------------------------

@pytest.mark.parametrize("shown", ["6,17101E+15", "6.17101E+15", "6,17101E+015"])
def test_a_nik_in_scientific_notation_says_what_excel_did(english: None, shown: str) -> None:
    result = check([["Nama", "NIK"], ["Nur", shown]])
    [message] = messages(result, "NIK")
    assert f"Excel turned this NIK into a rounded number ({shown})" in message
    assert "format the NIK column as Text" in message and "apostrophe" in message


def test_a_nik_that_excel_kept_as_a_number_says_its_last_digit_became_0(english: None) -> None:
    result = check([["Nama", "NIK"], ["Nur", 1371015203850000]])
    [message] = messages(result, "NIK")
    assert "keeps only 15 digits, so its last digit became 0" in message


def test_the_same_digits_typed_as_text_are_an_ordinary_nik() -> None:
    result = check([["Nama", "NIK"], ["Nur", "1371015203850010"]])
    assert result.ok and result.rows[0].fields.nik == "1371015203850010"


def test_a_nip_in_scientific_notation_says_what_excel_did(english: None) -> None:
    result = check([["Nama", "NIP"], ["Nur", "1,97903E+17"]])
    [message] = messages(result, "NIP")
    assert "Excel turned this NIP into a rounded number (1,97903E+17)" in message


def test_a_nip_that_excel_kept_as_a_number_is_named_as_such(english: None) -> None:
    result = check([["Nama", "NIP"], ["Nur", 197903122005012004]])
    [message] = messages(result, "NIP")
    assert "format the NIP column as Text" in message


def test_a_phone_in_scientific_notation_says_what_excel_did(english: None) -> None:
    result = check([["Nama", "No HP"], ["Nur", "6,28127E+12"]])
    [message] = messages(result, "No HP")
    assert "Excel turned this phone number into a rounded number" in message


@pytest.mark.parametrize("phone", [81266341122, 6281266341122, "812 6634 1122"])
def test_a_phone_that_lost_its_0_in_a_numeric_cell_is_fine(phone: object) -> None:
    result = check([["Nama", "No HP"], ["Nur", phone]])
    assert result.ok and result.rows[0].fields.phone == "+6281266341122"


# --- categories ---------------------------------------------------------------------------

def test_a_training_without_categories_takes_the_files(db: Session) -> None:
    t = factories.training(db, factories.organization(db), categories=())
    content = make_xlsx([{"Nama": "Nur", "Unsur": "Bappeda"},
                         {"Nama": "Ani", "Unsur": "Dinas Kesehatan"},
                         {"Nama": "Ira", "Unsur": "BAPPEDA"}], ["Nama", "Unsur"])
    assert factories.import_file(db, t, content) == 3
    names = db.exec(select(TrainingCategory.name).where(TrainingCategory.training_id == t.id)
                    .order_by(col(TrainingCategory.position))).all()
    assert list(names) == ["Bappeda", "Dinas Kesehatan"]


def test_an_unknown_spelling_is_a_problem_on_every_row_until_chosen(db: Session) -> None:
    t = factories.training(db, factories.organization(db),
                           categories=("Dinas Kesehatan", "Bappeda"))
    content = make_xlsx([{"Nama": "Nur", "Unsur": "Dinkes"}, {"Nama": "Ani", "Unsur": "Dinkes"}],
                        ["Nama", "Unsur"])
    found = imports.check_file(db, t, content, "p.xlsx")
    assert [e.code for e in found.result.errors] == ["unknown_category"] * 2
    assert [(s.spelling, s.rows, s.target) for s in found.result.undecided] == [("Dinkes", 2, None)]


def test_a_spelling_mapped_once_lands_in_that_category_for_all_its_rows(db: Session) -> None:
    t = factories.training(db, factories.organization(db),
                           categories=("Dinas Kesehatan", "Bappeda"))
    content = make_xlsx([{"Nama": "Nur", "Unsur": "Dinkes"}, {"Nama": "Ani", "Unsur": "dinkes"}],
                        ["Nama", "Unsur"])
    factories.import_file(db, t, content, category_choices={"Dinkes": "dinas kesehatan"})
    categories = db.exec(select(TrainingCategory.name, TrainingCategory.taken)
                         .where(TrainingCategory.training_id == t.id)).all()
    assert sorted(categories) == [("Bappeda", 0), ("Dinas Kesehatan", 2)]


def test_a_spelling_added_as_new_becomes_a_category_after_the_others(db: Session) -> None:
    t = factories.training(db, factories.organization(db),
                           categories=("Dinas Kesehatan", "Bappeda"))
    content = make_xlsx([{"Nama": "Nur", "Unsur": "OPD KB"}], ["Nama", "Unsur"])
    factories.import_file(db, t, content, category_choices={"OPD KB": NEW_CATEGORY})
    names = db.exec(select(TrainingCategory.name).where(TrainingCategory.training_id == t.id)
                    .order_by(col(TrainingCategory.position))).all()
    assert list(names) == ["Dinas Kesehatan", "Bappeda", "OPD KB"]


def test_a_spelling_mapped_to_a_category_the_training_lacks_is_refused(db: Session) -> None:
    t = factories.training(db, factories.organization(db), categories=("Bappeda",))
    content = make_xlsx([{"Nama": "Nur", "Unsur": "Dinkes"}], ["Nama", "Unsur"])
    with pytest.raises(FieldError) as refused:
        imports.check_file(db, t, content, "p.xlsx", category_choices={"Dinkes": "Dinas X"})
    assert refused.value.status == 422 and refused.value.code == "unknown_category"


def test_a_column_of_names_taken_as_categories_is_refused_as_a_column(db: Session) -> None:
    t = factories.training(db, factories.organization(db), categories=())
    rows = [{"Nama": f"Peserta {n}", "Kategori": f"Orang {n}"} for n in range(60)]
    with pytest.raises(ColumnProblem) as refused:
        imports.check_file(db, t, make_xlsx(rows, ["Nama", "Kategori"]), "p.xlsx")
    assert refused.value.code == "too_many_categories"


# --- layouts remembered ---------------------------------------------------------------------

def peserta_sheet() -> bytes:
    """A layout nothing recognises the name column of, under a title."""
    return make_csv([{"Peserta": "DAFTAR PESERTA"}, {"Peserta": "Peserta", "HP": "HP",
                                                     "Unsur": "Unsur"},
                     {"Peserta": "Nur Aisyah", "HP": "0812 6634 1122", "Unsur": "Dinkes"}],
                    ["Peserta", "HP", "Unsur"])[len("Peserta,HP,Unsur\r\n"):]


def test_a_layout_mapped_once_is_offered_for_the_next_file(db: Session) -> None:
    org = factories.organization(db)
    t = factories.training(db, org, categories=("Dinas Kesehatan",))
    first = imports.check_file(db, t, peserta_sheet(), "p.csv", {"Peserta": "name"},
                               category_choices={"Dinkes": "Dinas Kesehatan"})
    imports.remember_layout(db, org.id or 0, first)
    again = imports.check_file(db, t, peserta_sheet(), "p.csv", recall=True)
    assert again.layout is not None and again.result.ok
    assert again.table.header_row == 2
    assert again.overrides["Peserta"] == "name"
    assert again.result.rows[0].fields.category == "Dinas Kesehatan"


def test_a_remembered_layout_is_not_offered_unless_asked(db: Session) -> None:
    org = factories.organization(db)
    t = factories.training(db, org, categories=("Dinas Kesehatan",))
    first = imports.check_file(db, t, peserta_sheet(), "p.csv", {"Peserta": "name"},
                               category_choices={"Dinkes": "Dinas Kesehatan"})
    imports.remember_layout(db, pk(org), first)
    with pytest.raises(ColumnProblem):
        imports.check_file(db, t, peserta_sheet(), "p.csv")


def test_another_organizations_layout_is_not_offered(db: Session) -> None:
    org, other = factories.organization(db), factories.organization(db, "DP3AP2KB Kota Pontianak")
    t = factories.training(db, org, categories=("Dinas Kesehatan",))
    first = imports.check_file(db, t, peserta_sheet(), "p.csv", {"Peserta": "name"})
    imports.remember_layout(db, pk(other), first)
    with pytest.raises(ColumnProblem):
        imports.check_file(db, t, peserta_sheet(), "p.csv", recall=True)


def test_remembering_a_layout_again_keeps_one_row_with_both_choices(db: Session) -> None:
    org = factories.organization(db)
    t = factories.training(db, org, categories=("Dinas Kesehatan", "Bappeda"))
    content = make_xlsx([{"Nama": "Nur", "Unsur": "Dinkes"}, {"Nama": "Ani", "Unsur": "Bapeda"}],
                        ["Nama", "Unsur"])
    for spelling, target in (("Dinkes", "Dinas Kesehatan"), ("Bapeda", "Bappeda")):
        imports.remember_layout(db, pk(org), imports.check_file(
            db, t, content, "p.xlsx", category_choices={spelling: target}))
    [layout] = db.exec(select(ImportLayout).where(ImportLayout.organization_id == org.id)).all()
    again = imports.check_file(db, t, content, "p.xlsx", recall=True)
    assert again.layout is not None and again.layout.id == layout.id
    assert again.result.ok


def test_remembered_categories_a_training_lacks_are_left_undecided(db: Session) -> None:
    org = factories.organization(db)
    content = make_xlsx([{"Nama": "Nur", "Unsur": "Dinkes"}], ["Nama", "Unsur"])
    before = factories.training(db, org, categories=("Dinas Kesehatan",))
    imports.remember_layout(db, pk(org), imports.check_file(
        db, before, content, "p.xlsx", category_choices={"Dinkes": "Dinas Kesehatan"}))
    now = factories.training(db, org, title="Bimtek", categories=("Bappeda",))
    again = imports.check_file(db, now, content, "p.xlsx", recall=True)
    assert [s.target for s in again.result.undecided] == [None]


# --- corrections typed on the preview ---------------------------------------------------------

def bad_nik_file() -> bytes:
    rows = [{"Nama": "Nur Aisyah", "NIK": "1371015203850001"},
            {"Nama": "Syafi'i", "NIK": "6,17101E+15"},
            {"Nama": "Zuraida", "NIK": "1371070101800003"}]
    return make_xlsx(rows, ["Nama", "NIK"])


def test_a_file_with_one_bad_cell_imports_nothing_then_everything_once_corrected(
        db: Session) -> None:
    t = factories.training(db, factories.organization(db))
    upload = imports.save_upload(db, t, factories.user(db, factories.organization(db)),
                                 "p.xlsx", bad_nik_file())
    with pytest.raises(ImportInvalid):
        factories.import_file(db, t, bad_nik_file())
    assert db.exec(select(Registration).where(Registration.training_id == t.id)).all() == []
    imports.save_corrections(db, t, upload, {(3, 1): "1371070101800002"})
    count = factories.import_file(db, t, bad_nik_file(),
                                  corrections=imports.corrections_of(upload))
    assert count == 3
    niks = db.exec(select(Participant.nik).join(Registration, col(Registration.participant_id)
                                                == Participant.id)
                   .where(Registration.training_id == t.id)).all()
    assert sorted(niks) == ["1371015203850001", "1371070101800002", "1371070101800003"]


def test_a_cell_typed_back_to_the_files_value_is_no_longer_a_correction(db: Session) -> None:
    org = factories.organization(db)
    t = factories.training(db, org)
    upload = imports.save_upload(db, t, factories.user(db, org), "p.xlsx", bad_nik_file())
    imports.save_corrections(db, t, upload, {(3, 1): "1371070101800002"})
    assert imports.save_corrections(db, t, upload, {(3, 1): "6,17101E+15"}) == 0
    assert imports.corrections_of(upload) == {}


@pytest.mark.parametrize("cell, value, code", [
    ((99, 1), "1371070101800002", "unknown_cell"),
    ((3, 7), "1371070101800002", "unknown_cell"),
    ((3, 1), "13710701\x0b01800002", "control_character"),
    ((3, 1), "x" * 301, "too_long"),
])
def test_a_correction_outside_the_list_or_unfit_is_refused(db: Session, cell: tuple[int, int],
                                                           value: str, code: str) -> None:
    org = factories.organization(db)
    t = factories.training(db, org)
    upload = imports.save_upload(db, t, factories.user(db, org), "p.xlsx", bad_nik_file())
    with pytest.raises(FieldError) as refused:
        imports.save_corrections(db, t, upload, {cell: value})
    assert refused.value.status == 422 and refused.value.code == code
    assert imports.corrections_of(upload) == {}
