"""The Kampung KB register: entries by hand and from a sheet (all or nothing), and linking
participants to it by their Kampung KB text."""

import io
from typing import Any

import pytest
from openpyxl import Workbook
from sqlmodel import Session, select

from service.errors import Conflict, FieldError
from service.imports.errors import ColumnProblem
from service.models import KampungKB, Organization, Participant, Training
from service.models.base import pk
from service.schemas.kampung_kb import KampungKBCreate
from service.services import kampung_kb as kkb_service
from service.services.kampung_kb import RegisterRowsRefused, name_key, poktan_in
from tests import factories

HEADER = ["No", "Nama Kampung KB", "Kelurahan/Desa", "Kecamatan", "Tahun Terbentuk", "Poktan"]


def xlsx(rows: list[list[Any]], title_block: bool = True) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if title_block:
        ws.append(["DAFTAR KAMPUNG KB KOTA PADANG"])
        ws.append(["DP3AP2KB Kota Padang, 2023"])
        ws.append([])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def entry(db: Session, org: Organization, name: str, village: str, district: str = "Padang Utara",
          poktan: tuple[str, ...] = ("BKB",)) -> KampungKB:
    return kkb_service.create_kampung_kb(db, pk(org), KampungKBCreate(
        name=name, village=village, district=district, poktan=list(poktan)))


def person(db: Session, t: Training, n: int, kampung_kb: str,
           village: str | None = None) -> Participant:
    fields: dict[str, Any] = {**factories.kader(n), "kampung_kb": kampung_kb,
                              "village": village}
    reg = factories.register(db, t, None, **fields)
    found = db.get(Participant, reg.participant_id)
    assert found is not None
    return found


def test_names_compare_without_case_spacing_and_prefix() -> None:
    assert name_key("  KAMPUNG   KB  Melati ") == name_key("melati") == "melati"
    assert name_key("Kampung KB") == "kampung kb"  # nothing left: the whole text counts


@pytest.mark.parametrize(("text", "poktan"), [
    ("Kader BKB", "BKB"), ("kader bkr", "BKR"), ("BKL", "BKL"), ("Anggota UPPKS", "UPPKA"),
    ("UPPKA", "UPPKA"), ("PIK-R", "PIK-R"), ("Pendidik PIK R", "PIK-R"), ("PIKR", "PIK-R"),
    ("PKB", None), ("Pokja Kampung KB", None), ("", None)])
def test_poktan_is_read_from_a_category_name(text: str, poktan: str | None) -> None:
    assert poktan_in(text) == poktan


def test_an_entry_keeps_its_poktan_in_register_order(db: Session, org: Organization) -> None:
    kkb = entry(db, org, "Kampung KB Melati", "Air Tawar Barat", poktan=("pik r", "bkb", "UPPKS"))
    assert kkb.poktan == "BKB,UPPKA,PIK-R"


def test_an_unknown_poktan_is_refused(db: Session, org: Organization) -> None:
    with pytest.raises(FieldError) as caught:
        entry(db, org, "Kampung KB Melati", "Air Tawar Barat", poktan=("BKB", "Posyandu"))
    assert caught.value.code == "unknown_poktan"


def test_the_same_name_in_the_same_kelurahan_is_refused(db: Session, org: Organization) -> None:
    entry(db, org, "Kampung KB Melati", "Air Tawar Barat")
    with pytest.raises(Conflict) as caught:
        entry(db, org, "melati", "air  tawar barat")
    assert caught.value.code == "duplicate_kampung_kb"
    # Another kelurahan may have a Kampung KB of the same name.
    entry(db, org, "Kampung KB Melati", "Lapai", "Nanggalo")


def test_another_organizations_entry_is_not_found(db: Session, org: Organization) -> None:
    other = factories.organization(db, "DP3AP2KB Kota Pontianak")
    kkb = entry(db, other, "Kampung KB Melati", "Air Tawar Barat")
    with pytest.raises(Exception) as caught:
        kkb_service.get_kampung_kb(db, pk(org), pk(kkb))
    assert getattr(caught.value, "status", None) == 404


def test_import_reads_a_sheet_under_its_title_block(db: Session, org: Organization) -> None:
    done = kkb_service.import_register(db, pk(org), xlsx([
        [1, "Kampung KB Melati", "Air Tawar Barat", "Padang Utara", 2016, "BKB, BKR, PIK R"],
        [2, "Kampung KB Mawar", "Lapai", "Nanggalo", None, "bkl;uppks"],
    ]), "kampung-kb.xlsx")
    assert (done.created, done.updated) == (2, 0)
    got = {k.name: (k.village, k.district, k.year_formed, k.poktan)
           for k in kkb_service.list_register(db, pk(org))}
    assert got == {"Kampung KB Melati": ("Air Tawar Barat", "Padang Utara", 2016, "BKB,BKR,PIK-R"),
                   "Kampung KB Mawar": ("Lapai", "Nanggalo", None, "BKL,UPPKA")}


def test_import_updates_an_entry_already_there(db: Session, org: Organization) -> None:
    entry(db, org, "Kampung KB Melati", "Air Tawar Barat")
    csv = (b"Nama Kampung KB;Kelurahan/Desa;Kecamatan;Tahun Terbentuk;Poktan\n"
           b"KAMPUNG KB MELATI;Air Tawar Barat;Padang Utara;2017;BKB,BKL\n")
    done = kkb_service.import_register(db, pk(org), csv, "kkb.csv")
    assert (done.created, done.updated) == (0, 1)
    [kkb] = kkb_service.list_register(db, pk(org))
    assert (kkb.name, kkb.year_formed, kkb.poktan) == ("Kampung KB Melati", 2017, "BKB,BKL")


def test_import_is_all_or_nothing_and_lists_every_bad_row(db: Session,
                                                          org: Organization) -> None:
    with pytest.raises(RegisterRowsRefused) as caught:
        kkb_service.import_register(db, pk(org), xlsx([
            [1, "Kampung KB Melati", "Air Tawar Barat", "Padang Utara", 2016, "BKB"],
            [2, "Kampung KB Mawar", "Lapai", "", 2017, "BKB"],
            [3, "Kampung KB Anggrek", "Ulak Karang", "Padang Utara", 2017, "Posyandu"],
            [4, "melati", "air tawar barat", "Padang Utara", 2018, "BKR"],
            [5, "Kampung KB Kenanga", "Gunung Pangilun", "Padang Utara", "dulu", ""],
        ]), "kampung-kb.xlsx")
    # The title block takes rows 1-3 and the header row 4: data starts at row 5.
    assert [r.row for r in caught.value.rows] == [6, 7, 8, 9]
    texts = [r.text() for r in caught.value.rows]
    assert "Kecamatan" in texts[0] and "Posyandu" in texts[1] and "5" in texts[2]
    assert caught.value.payload()["errors"][0]["row"] == 6
    assert db.exec(select(KampungKB)).all() == []


def test_import_without_the_required_columns_is_refused(db: Session, org: Organization) -> None:
    with pytest.raises(ColumnProblem) as caught:
        kkb_service.import_register(db, pk(org), b"Nama Kampung KB;Poktan\nMelati;BKB\n",
                                    "kkb.csv")
    assert caught.value.code == "register_columns_missing"
    assert "Kelurahan/Desa" in caught.value.text()


def test_participants_are_linked_by_name_and_kelurahan(db: Session, org: Organization) -> None:
    t = factories.training(db, org)
    melati = entry(db, org, "Kampung KB Melati", "Air Tawar Barat")
    exact = person(db, t, 0, "kampung kb  MELATI", "Air Tawar Barat")
    no_village = person(db, t, 1, "Melati")
    other_village = person(db, t, 2, "Kampung KB Melati", "Lapai")
    unknown = person(db, t, 3, "Kampung KB Kenanga")
    # Registering linked them already: matching again finds nothing more to link.
    assert kkb_service.match_participants(db, pk(org)) == 0
    for p in (exact, no_village, other_village, unknown):
        db.refresh(p)
    assert exact.kampung_kb_id == no_village.kampung_kb_id == pk(melati)
    assert other_village.kampung_kb_id is None and unknown.kampung_kb_id is None


def test_a_name_in_two_kelurahan_needs_the_kelurahan(db: Session, org: Organization) -> None:
    t = factories.training(db, org)
    entry(db, org, "Kampung KB Melati", "Air Tawar Barat")
    entry(db, org, "Kampung KB Melati", "Lapai", "Nanggalo")
    vague = person(db, t, 0, "Kampung KB Melati")
    kkb_service.match_participants(db, pk(org))
    db.refresh(vague)
    assert vague.kampung_kb_id is None
    assert [(u.text, u.participants) for u in kkb_service.unmatched(db, pk(org))] == [
        ("Kampung KB Melati", 1)]


def test_a_mapped_text_links_everyone_who_wrote_it(db: Session, org: Organization) -> None:
    t = factories.training(db, org)
    mawar = entry(db, org, "Kampung KB Mawar", "Lapai", "Nanggalo")
    people = [person(db, t, 0, "KKB Mawar Lapai"), person(db, t, 1, "kkb mawar  lapai"),
              person(db, t, 2, "Kampung KB Kenanga")]
    assert [(u.text, u.participants) for u in kkb_service.unmatched(db, pk(org))] == [
        ("KKB Mawar Lapai", 2), ("Kampung KB Kenanga", 1)]
    assert kkb_service.map_text(db, pk(org), "KKB Mawar Lapai", pk(mawar)) == 2
    for p in people:
        db.refresh(p)
    assert [p.kampung_kb_id for p in people] == [pk(mawar), pk(mawar), None]
    with pytest.raises(FieldError):
        kkb_service.map_text(db, pk(org), "KKB Mawar Lapai", pk(mawar))


def test_a_new_entry_links_the_participants_naming_it(db: Session, org: Organization) -> None:
    t = factories.training(db, org)
    p = person(db, t, 0, "Kampung KB Anggrek", "Ulak Karang Utara")
    kkb = entry(db, org, "Anggrek", "Kel. Ulak Karang Utara")
    db.refresh(p)
    assert p.kampung_kb_id == pk(kkb)


def test_deleting_an_entry_leaves_its_participants_unmatched(db: Session,
                                                             org: Organization) -> None:
    t = factories.training(db, org)
    kkb = entry(db, org, "Kampung KB Melati", "Air Tawar Barat")
    p = person(db, t, 0, "Kampung KB Melati")
    kkb_service.match_participants(db, pk(org))
    db.refresh(p)
    assert p.kampung_kb_id == pk(kkb)
    kkb_service.delete_kampung_kb(db, kkb)
    db.refresh(p)
    assert p.kampung_kb_id is None and p.kampung_kb == "Kampung KB Melati"
    assert kkb_service.list_register(db, pk(org)) == []
