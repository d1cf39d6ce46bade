"""A spreadsheet import finds the organization's people by the one rule of
people.matching, as a registration does: NIK, else NIP, else phone and name. A provincial
sheet of officials with a NIP and no NIK links each to the same person across trainings;
a NIK match wins over a NIP; a NIP under two NIKs is two people; a NIP already registered
for the training, or twice in one file, is a problem of the file."""

from datetime import date

import pytest
from sqlmodel import Session, col, select

from service.models import Organization, Participant, Registration, Training
from service.models.base import pk
from service.services import imports
from service.services.participant_fields import ParticipantFields
from service.services.people import matching
from tests import factories
from tests.import_samples import make_csv

NIP = "197903122005012004"
OTHER_NIP = "198105172006041002"
NIK = "1371015203850010"
OTHER_NIK = "1371015203850028"
HEADERS = ["Nama", "NIK", "NIP", "Jabatan", "No HP", "Instansi"]


def _training(db: Session, org: Organization, title: str, year: int) -> Training:
    return factories.training(db, org, title, start=date(year, 3, 4), days=3)


def _import(db: Session, t: Training, *rows: dict[str, str]) -> int:
    return factories.import_file(db, t, make_csv(list(rows), HEADERS), "peserta.csv")


def _person_of(db: Session, t: Training) -> list[Participant]:
    return list(db.exec(select(Participant)
                        .join(Registration, col(Registration.participant_id) == Participant.id)
                        .where(Registration.training_id == t.id)
                        .order_by(col(Participant.id))).all())


def _problems(db: Session, t: Training, *rows: dict[str, str]) -> list[tuple[int, str, str]]:
    with pytest.raises(imports.ImportInvalid) as caught:
        _import(db, t, *rows)
    return [(e.row, e.column, e.message) for e in caught.value.row_errors]


def test_two_provincial_sheets_with_one_nip_and_no_nik_are_one_person(
        db: Session, org: Organization) -> None:
    t1 = _training(db, org, "Workshop Kampung KB Sumsel 2022", 2022)
    t2 = _training(db, org, "Rakor Kampung KB Sumsel 2023", 2023)
    assert _import(db, t1, {"Nama": "Drs. H. Ahmad Yani, M.Si.", "NIP": NIP,
                            "Instansi": "Bappeda Kabupaten Ogan Ilir"}) == 1
    assert _import(db, t2, {"Nama": "Ahmad Yani", "NIP": NIP, "Jabatan": "Kepala Bidang",
                            "No HP": "0813 6712 3344"}) == 1
    [first], [second] = _person_of(db, t1), _person_of(db, t2)
    assert first is second
    assert db.exec(select(Participant).where(Participant.nip == NIP)).all() == [first]
    # Known from the first sheet: kept; missing: gained from the second.
    assert first.name == "Drs. H. Ahmad Yani, M.Si."
    assert (first.position, first.phone) == ("Kepala Bidang", "+6281367123344")


def test_an_import_finds_the_person_a_form_registered_by_nip(db: Session,
                                                             org: Organization) -> None:
    t1, t2 = _training(db, org, "Pelatihan 2022", 2022), _training(db, org, "Rakor 2023", 2023)
    reg = factories.register(db, t1, name="Ir. Sri Wahyuni", nip=NIP)
    _import(db, t2, {"Nama": "Sri Wahyuni, M.T.", "NIP": NIP})
    assert [pk(p) for p in _person_of(db, t2)] == [reg.participant_id]


def test_a_nik_match_wins_over_a_nip_and_the_nip_stays_with_its_holder(
        db: Session, org: Organization) -> None:
    t1, t2 = _training(db, org, "Pelatihan 2022", 2022), _training(db, org, "Rakor 2023", 2023)
    by_nik = factories.register(db, t1, name="Siti Rahmawati", nik=NIK).participant_id
    by_nip = factories.register(db, t1, name="Ahmad Yani", nip=NIP).participant_id
    _import(db, t2, {"Nama": "Siti Rahmawati", "NIK": NIK, "NIP": NIP})
    [person] = _person_of(db, t2)
    assert pk(person) == by_nik
    # A NIP names one person: the one holding it keeps it, she does not gain it.
    assert person.nip is None
    holder = db.get(Participant, by_nip)
    assert holder is not None and holder.nip == NIP


def test_one_nip_under_two_niks_is_two_people(db: Session, org: Organization) -> None:
    t1, t2 = _training(db, org, "Pelatihan 2022", 2022), _training(db, org, "Rakor 2023", 2023)
    first = factories.register(db, t1, name="Ahmad Yani", nik=NIK, nip=NIP).participant_id
    _import(db, t2, {"Nama": "Ahmad Yani", "NIK": OTHER_NIK, "NIP": NIP})
    [person] = _person_of(db, t2)
    assert pk(person) != first and (person.nik, person.nip) == (OTHER_NIK, NIP)


def test_a_nip_registered_for_the_training_already_is_a_problem_of_its_row(
        db: Session, org: Organization) -> None:
    t = _training(db, org, "Workshop 2022", 2022)
    factories.register(db, t, name="Ahmad Yani", nip=NIP)
    problems = _problems(db, t, {"Nama": "Siti Aminah", "NIP": OTHER_NIP},
                         {"Nama": "Drs. Ahmad Yani", "NIP": NIP})
    assert problems == [(3, "NIP", "Peserta dengan NIP ini sudah terdaftar di pelatihan ini.")]
    assert len(_person_of(db, t)) == 1  # nothing imported


def test_one_nip_twice_in_a_file_is_refused_unless_two_niks_tell_them_apart(
        db: Session, org: Organization) -> None:
    t = _training(db, org, "Workshop 2022", 2022)
    assert _problems(db, t, {"Nama": "Ahmad Yani", "NIP": NIP},
                     {"Nama": "Ahmad Yani, M.Si.", "NIP": NIP, "NIK": NIK}) == [
        (3, "NIP", "NIP sama dengan baris 2.")]
    assert _import(db, t, {"Nama": "Ahmad Yani", "NIP": NIP, "NIK": NIK},
                   {"Nama": "Ahmad Yani", "NIP": NIP, "NIK": OTHER_NIK}) == 2


def test_two_rows_that_are_one_known_person_are_refused(db: Session,
                                                        org: Organization) -> None:
    t1, t2 = _training(db, org, "Pelatihan 2022", 2022), _training(db, org, "Rakor 2023", 2023)
    factories.register(db, t1, name="Ahmad Yani", nip=NIP, phone="081367123344")
    # One row by NIP, the other by phone and name: the same person twice.
    assert _problems(db, t2, {"Nama": "Ahmad Yani", "NIP": NIP},
                     {"Nama": "ahmad  yani", "No HP": "0813-6712-3344"}) == [
        (3, "No HP", "Orang yang sama dengan baris 2.")]


def test_the_bulk_rule_finds_what_the_single_rule_finds(db: Session,
                                                        org: Organization) -> None:
    t = _training(db, org, "Pelatihan 2022", 2022)
    a = factories.register(db, t, name="Siti Rahmawati", nik=NIK).participant_id
    b = factories.register(db, t, name="Ahmad Yani", nip=NIP).participant_id
    c = factories.register(db, t, name="Nur'aini", phone="081266340000").participant_id
    wanted = [ParticipantFields(name="X", nik=NIK, nip=NIP),
              ParticipantFields(name="Ahmad Yani", nip=NIP, nik=OTHER_NIK),
              ParticipantFields(name="NUR'AINI", phone="+6281266340000"),
              ParticipantFields(name="Nur Aini", phone="+6281266340000"),
              ParticipantFields(name="Orang Baru", nip=OTHER_NIP)]
    found = matching.find_people(db, pk(org), wanted)
    assert [(pk(f.person), f.by, f.nip_elsewhere) if f else None for f in found] == [
        (a, matching.NIK, True), (b, matching.NIP, False), (c, matching.PHONE, False),
        None, None]
    single = [matching.find_person(db, pk(org), w) for w in wanted]
    assert [(pk(f.person), f.by) if f else None for f in single] == [
        (pk(f.person), f.by) if f else None for f in found]


def test_the_bulk_rule_asks_once_per_500_numbers_of_each_kind(
        db: Session, org: Organization, count_queries: list[str]) -> None:
    many = [ParticipantFields(name=f"Pegawai {n}", nip=f"19790312200501{n:04d}",
                              phone=f"+62812663{n:05d}") for n in range(1200)]
    count_queries.clear()
    matching.find_people(db, pk(org), many)
    # 1,200 NIPs, then 1,200 phones (none found by NIP): three IN lists of 500 each.
    assert len(count_queries) == 6
