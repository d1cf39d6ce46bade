"""People across trainings (service.services.people): one person per organization,
found again by NIK, else NIP, else phone and name; their record of trainings; the pairs
that look alike; merging them with an audit entry."""

from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from service.errors import DomainError, NotFound
from service.models import Participant, PersonMerge, Registration
from service.models.base import pk
from service.services.people import duplicates, merge, record, search
from service.services.people.merge import SameTraining
from service.services.people.search import SearchDigits
from tests import factories as f
from tests.import_samples import PADANG_CATEGORIES, PADANG_HEADERS, make_csv, padang_rows

NIK = "1371015203850010"  # a woman born 12 March 1985 (kader 0)
OTHER_NIK_SAME_BIRTH = "1371025203850011"
NIP = "197903122005012004"
PHONE = "081266340000"


def _two_trainings(db: Session) -> tuple[f.Training, f.Batch, f.Training, f.Batch]:
    org = f.organization(db)
    first = f.training(db, org, "Pelatihan Kader BKB 2018", start=date(2018, 9, 12), days=2)
    second = f.training(db, org, "Bimtek Pengelola Kampung KB 2019", start=date(2019, 3, 4),
                        days=3)
    return first, f.batch(db, first), second, f.batch(db, second, days=3)


def _person(db: Session, reg: Registration) -> Participant:
    found = db.get(Participant, reg.participant_id)
    assert found is not None
    return found


# --- matching ------------------------------------------------------------------------------

def test_the_same_nik_in_two_trainings_is_one_person(db: Session) -> None:
    t1, b1, t2, b2 = _two_trainings(db)
    a = f.register(db, t1, b1, name="Siti Rahmawati", nik=NIK)
    b = f.register(db, t2, b2, name="Hj. Siti Rahmawati, S.Pd.", nik=NIK)
    assert a.participant_id == b.participant_id


def test_the_same_nip_without_a_nik_is_one_person(db: Session) -> None:
    t1, b1, t2, b2 = _two_trainings(db)
    a = f.register(db, t1, b1, name="Drs. Ahmad Yani", nip=NIP)
    b = f.register(db, t2, b2, name="Ahmad Yani, M.Si.", nip=NIP, nik=NIK)
    assert a.participant_id == b.participant_id
    assert _person(db, a).nik == NIK  # gained what was missing


def test_the_same_phone_and_name_is_one_person_who_then_gains_a_nik(db: Session) -> None:
    t1, b1, t2, b2 = _two_trainings(db)
    a = f.register(db, t1, b1, name="Nur'aini", phone=PHONE)
    b = f.register(db, t2, b2, name="nur'aini ", phone="+62 812-6634-0000", nik=NIK)
    assert a.participant_id == b.participant_id
    assert _person(db, a).nik == NIK


def test_the_same_phone_with_another_name_is_another_person(db: Session) -> None:
    t1, b1, t2, b2 = _two_trainings(db)
    a = f.register(db, t1, b1, name="Nur'aini", phone=PHONE)
    b = f.register(db, t2, b2, name="Rahmat Hidayat", phone=PHONE)
    assert a.participant_id != b.participant_id


def test_the_same_phone_and_name_with_two_niks_is_two_people(db: Session) -> None:
    t1, b1, t2, b2 = _two_trainings(db)
    a = f.register(db, t1, b1, name="Siti Aminah", phone=PHONE, nik=NIK)
    b = f.register(db, t2, b2, name="Siti Aminah", phone=PHONE, nik=OTHER_NIK_SAME_BIRTH)
    assert a.participant_id != b.participant_id


# --- search --------------------------------------------------------------------------------

def _names(db: Session, org_id: int, q: str) -> list[str]:
    return [x.person.name for x in search.search(db, org_id, q).items]


def test_search_by_name_ignores_titles_case_and_apostrophes(db: Session) -> None:
    t1, b1, _t2, _b2 = _two_trainings(db)
    f.register(db, t1, b1, name="Hj. Nur'aini, S.Pd.")
    f.register(db, t1, b1, name="Rahmat Hidayat")
    org = t1.organization_id
    assert _names(db, org, "NURAINI") == ["Hj. Nur'aini, S.Pd."]
    assert _names(db, org, "hj") == []  # a front title is not where anyone looks


def test_search_finds_a_nik_or_phone_by_its_last_4_to_6_digits_only(db: Session) -> None:
    t1, b1, _t2, _b2 = _two_trainings(db)
    f.register(db, t1, b1, name="Siti Rahmawati", nik=NIK, phone="081299887766")
    org = t1.organization_id
    assert _names(db, org, NIK[-4:]) == ["Siti Rahmawati"]
    assert _names(db, org, NIK[-6:]) == ["Siti Rahmawati"]
    assert _names(db, org, "87766") == ["Siti Rahmawati"]
    assert _names(db, org, NIK[4:8]) == []  # inside the number: nothing


def test_search_finds_numbers_imported_in_bulk_and_changed_later(db: Session) -> None:
    org = f.organization(db)
    t = f.training(db, org, categories=PADANG_CATEGORIES)
    f.batch(db, t)
    rows = padang_rows(3)
    # The import writes people by Core inserts, past the model's events.
    f.import_file(db, t, make_csv(rows, PADANG_HEADERS), "peserta.csv")
    for row in rows:
        found = search.search(db, pk(org), row["NIK"][-6:]).items
        assert [x.person.nik for x in found] == [row["NIK"]]
        phone = "".join(ch for ch in row["No HP"] if ch.isdigit())
        assert [x.person.nik for x in search.search(db, pk(org), phone[-5:]).items] \
            == [row["NIK"]]
    person = search.search(db, pk(org), rows[0]["NIK"][-6:]).items[0].person
    old_tail = (person.phone or "")[-6:]
    person.phone = "+6281311112222"
    db.add(person)
    db.flush()
    assert [x.person.nik for x in search.search(db, pk(org), "112222").items] == [person.nik]
    assert person.nik not in [x.person.nik for x in search.search(db, pk(org), old_tail).items]


@pytest.mark.parametrize("q", ["1", "010", "1371015", NIK])
def test_search_refuses_other_numbers_of_digits(db: Session, q: str) -> None:
    t1, b1, _t2, _b2 = _two_trainings(db)
    f.register(db, t1, b1, name="Siti Rahmawati", nik=NIK)
    with pytest.raises(SearchDigits):
        search.search(db, t1.organization_id, q)


def test_search_finds_a_whole_nip(db: Session) -> None:
    t1, b1, _t2, _b2 = _two_trainings(db)
    f.register(db, t1, b1, name="Drs. Ahmad Yani", nip=NIP)
    assert _names(db, t1.organization_id, "19790312 200501 2 004") == ["Drs. Ahmad Yani"]


def test_search_counts_trainings_and_names_the_latest(db: Session) -> None:
    t1, b1, t2, b2 = _two_trainings(db)
    f.register(db, t1, b1, name="Siti Rahmawati", nik=NIK)
    f.register(db, t2, b2, name="Siti Rahmawati", nik=NIK)
    [found] = search.search(db, t1.organization_id, "siti").items
    assert found.trainings_count == 2
    assert found.last_training is not None and found.last_training.training_id == pk(t2)


# --- the record ----------------------------------------------------------------------------

def test_record_counts_days_present_and_the_jpl_of_the_days_attended(db: Session) -> None:
    t1, b1, _t2, _b2 = _two_trainings(db)
    committee = f.user(db, f.organization(db))
    f.session(db, t1, b1, "Kebijakan Kampung KB", day=b1.start_date, jpl=3)
    f.session(db, t1, b1, "Pengasuhan 1000 HPK", day=b1.end_date, jpl=2)
    reg = f.register(db, t1, b1, nik=NIK)
    f.check_in(db, reg, b1.start_date, committee)
    [line] = record.person_record(db, t1.organization_id, reg.participant_id).trainings
    assert (line.days_present, line.days_total, line.jpl, line.jpl_offered) == (1, 2, 3, 5)
    assert line.certificate_number is None


def test_a_certificate_counts_the_jpl_it_states_and_its_number(db: Session) -> None:
    t1, b1, _t2, _b2 = _two_trainings(db)
    committee = f.user(db, f.organization(db))
    f.session(db, t1, b1, day=b1.start_date, jpl=3)
    f.session(db, t1, b1, day=b1.end_date, jpl=2)
    reg = f.register(db, t1, b1, nik=NIK)
    for day in (b1.start_date, b1.end_date):
        f.check_in(db, reg, day, committee)
    f.certificate_template_for(db, t1)
    [cert] = f.issue_certificates(db, t1)
    [line] = record.person_record(db, t1.organization_id, reg.participant_id).trainings
    assert (line.jpl, line.certificate_number) == (5, cert.number)


def test_record_sums_jpl_per_year(db: Session) -> None:
    t1, b1, t2, b2 = _two_trainings(db)
    committee = f.user(db, f.organization(db))
    f.session(db, t1, b1, day=b1.start_date, jpl=4)
    f.session(db, t2, b2, day=b2.start_date, jpl=6)
    regs = [f.register(db, t, b, nik=NIK) for t, b in ((t1, b1), (t2, b2))]
    for reg, b in zip(regs, (b1, b2), strict=True):
        f.check_in(db, reg, b.start_date, committee)
    r = record.person_record(db, t1.organization_id, regs[0].participant_id)
    assert r.jpl_by_year == {2018: 4, 2019: 6}
    assert r.jpl_total == 10
    assert [t.training_id for t in r.trainings] == [pk(t2), pk(t1)]  # newest first


def test_record_reads_a_fixed_number_of_queries_however_many_trainings(
        db: Session, count_queries: list[str]) -> None:
    org = f.organization(db)
    committee = f.user(db, org)
    counts = []
    for n, many in enumerate((2, 6)):
        nik = f"13710152038500{20 + n}"
        regs = []
        for i in range(many):
            t = f.training(db, org, f"Pelatihan {n}-{i}", start=date(2018, 1, 1)
                           + timedelta(days=30 * i), days=2,
                           mode="session" if i % 2 else "day")
            b = f.batch(db, t)
            s = f.session(db, t, b, jpl=2)
            reg = f.register(db, t, b, name="Siti Rahmawati", nik=nik)
            f.check_in(db, reg, b.start_date, committee,
                       session_id=pk(s) if t.checkin_mode == "session" else None)
            regs.append(reg)
        db.expunge_all()
        count_queries.clear()
        r = record.person_record(db, org.id or 0, regs[0].participant_id)
        assert len(r.trainings) == many and r.jpl_total == 2 * many
        counts.append(len(count_queries))
    assert counts[0] == counts[1]


def test_another_organizations_person_is_not_found(db: Session) -> None:
    t1, b1, _t2, _b2 = _two_trainings(db)
    reg = f.register(db, t1, b1, nik=NIK)
    other = f.organization(db, "DP3AP2KB Kota Pontianak")
    with pytest.raises(NotFound):
        record.person_record(db, pk(other), reg.participant_id)


# --- duplicates ---------------------------------------------------------------------------

def test_same_name_and_birth_date_from_two_niks_look_like_one_person(db: Session) -> None:
    t1, b1, t2, b2 = _two_trainings(db)
    a = f.register(db, t1, b1, name="Siti Aminah", nik=NIK)
    b = f.register(db, t2, b2, name="Hj. Siti Aminah", nik=OTHER_NIK_SAME_BIRTH)
    [pair] = duplicates.likely_duplicates(db, t1.organization_id)
    assert (pk(pair.first), pk(pair.second)) == (a.participant_id, b.participant_id)
    assert pair.reasons == (duplicates.SAME_BIRTH,)


def test_similar_names_with_one_phone_look_like_one_person(db: Session) -> None:
    t1, b1, t2, b2 = _two_trainings(db)
    f.register(db, t1, b1, name="Nur'aini", phone=PHONE)
    f.register(db, t2, b2, name="Nur Aini", phone=PHONE)
    [pair] = duplicates.likely_duplicates(db, t1.organization_id)
    assert pair.reasons == (duplicates.SAME_PHONE,)


def test_different_names_sharing_a_phone_are_not_duplicates(db: Session) -> None:
    t1, b1, t2, b2 = _two_trainings(db)
    f.register(db, t1, b1, name="Nur'aini", phone=PHONE)
    f.register(db, t2, b2, name="Rahmat Hidayat", phone=PHONE)
    assert duplicates.likely_duplicates(db, t1.organization_id) == []


# --- merging -------------------------------------------------------------------------------

def test_a_merge_moves_every_registration_and_keeps_an_audit_entry(db: Session) -> None:
    t1, b1, t2, b2 = _two_trainings(db)
    committee = f.user(db, f.organization(db))
    kept = f.register(db, t1, b1, name="Siti Aminah", phone=PHONE)
    other = f.register(db, t2, b2, name="Siti Aminah", nik=NIK)
    other_id = other.participant_id
    merge.merge(db, t1.organization_id, kept.participant_id, other_id, pk(committee))
    moved = db.exec(select(Registration).where(
        col(Registration.id).in_([pk(kept), pk(other)]))).all()
    assert {r.participant_id for r in moved} == {kept.participant_id}
    assert db.get(Participant, other_id) is None
    [entry] = db.exec(select(PersonMerge).where(
        PersonMerge.kept_id == kept.participant_id)).all()
    assert (entry.merged_id, entry.merged_nik_tail, entry.registrations_moved,
            entry.user_id) == (other_id, NIK[-4:], 1, pk(committee))


def test_the_kept_person_gains_what_only_the_merged_one_knew(db: Session) -> None:
    t1, b1, t2, b2 = _two_trainings(db)
    kept = f.register(db, t1, b1, name="Siti Aminah", phone=PHONE)
    other = f.register(db, t2, b2, name="Siti Aminah", nik=NIK)
    merge.merge(db, t1.organization_id, kept.participant_id, other.participant_id, None)
    person = _person(db, kept)
    assert (person.nik, person.phone) == (NIK, "+6281266340000")


def test_two_registrations_in_one_training_refuse_the_merge_and_change_nothing(
        db: Session) -> None:
    t1, b1, t2, b2 = _two_trainings(db)
    kept = f.register(db, t1, b1, name="Siti Aminah", nik=NIK)
    f.register(db, t2, b2, name="Siti Aminah", nik=NIK)
    other = f.register(db, t1, b1, name="Siti Aminah", nik=OTHER_NIK_SAME_BIRTH)
    with pytest.raises(SameTraining) as refused:
        merge.merge(db, t1.organization_id, kept.participant_id, other.participant_id, None)
    assert refused.value.status == 409
    assert refused.value.params == {"training": t1.title}
    assert db.get(Participant, other.participant_id) is not None
    assert db.exec(select(PersonMerge)).all() == []


def test_a_person_cannot_be_merged_with_themselves(db: Session) -> None:
    t1, b1, _t2, _b2 = _two_trainings(db)
    reg = f.register(db, t1, b1, nik=NIK)
    with pytest.raises(DomainError) as refused:
        merge.merge(db, t1.organization_id, reg.participant_id, reg.participant_id, None)
    assert refused.value.code == "merge_same"


def test_earlier_merges_follow_the_person_into_a_later_merge(db: Session) -> None:
    t1, b1, t2, b2 = _two_trainings(db)
    t3 = f.training(db, f.organization(db), "Pembinaan Kampung KB 2020",
                    start=date(2020, 2, 3), days=1)
    b3 = f.batch(db, t3, days=1)
    a = f.register(db, t1, b1, name="Siti Aminah", phone=PHONE)
    b = f.register(db, t2, b2, name="Siti Aminah", nik=NIK)
    c = f.register(db, t3, b3, name="Siti Aminah Lubis", phone=PHONE)
    org = t1.organization_id
    merge.merge(db, org, b.participant_id, a.participant_id, None)
    merge.merge(db, org, c.participant_id, b.participant_id, None)
    r = record.person_record(db, org, c.participant_id)
    assert len(r.trainings) == 3
    assert len(r.merges) == 2
