"""Every path that writes a participant's Kampung KB links it to the register at once, by
the one rule (kampung_kb.match_entry: the name, and the kelurahan when given): a
registration by the API, the committee's form or /daftar, an edit, an import, a merge.
What names no single entry stays unlinked for the mapping page, which an import's result
points to with how many."""

import time
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.models import KampungKB, Organization, Participant, Registration, User
from service.models.base import pk
from service.schemas.kampung_kb import KampungKBCreate
from service.services import imports, kampung_kb, registrations, self_registration
from service.services.people import merge
from service.services.self_registration import SelfRegistrationSettings
from tests import factories
from tests.helpers import login_page_client
from tests.import_samples import make_csv


@pytest.fixture
def melati(db: Session, org: Organization) -> KampungKB:
    """Padang's register: Melati in Air Tawar Barat, and two Mawar (Lapai and Kalumbuk),
    so "Mawar" alone names no single entry."""
    for village in ("Lapai", "Kalumbuk"):
        kampung_kb.create_kampung_kb(db, pk(org), KampungKBCreate(
            name="Kampung KB Mawar", village=village, district="Nanggalo"))
    return kampung_kb.create_kampung_kb(db, pk(org), KampungKBCreate(
        name="Kampung KB Melati", village="Air Tawar Barat", district="Padang Utara"))


def _person(db: Session, reg: Registration | int) -> Participant:
    pid = reg if isinstance(reg, int) else reg.participant_id
    db.expire_all()
    found = db.get(Participant, pid)
    assert found is not None
    return found


def _entry(db: Session, org: Organization, village: str) -> int:
    return next(pk(k) for k in kampung_kb.list_register(db, pk(org)) if k.village == village)


# --- the rule -------------------------------------------------------------------------------

def test_one_rule_by_name_and_kelurahan(db: Session, org: Organization,
                                        melati: KampungKB) -> None:
    index = kampung_kb.register_index(db, pk(org))
    assert kampung_kb.match_entry(index, "  melati ", None) == pk(melati)
    assert kampung_kb.match_entry(index, "KAMPUNG KB Melati", "Kel. Air Tawar Barat") == \
        pk(melati)
    assert kampung_kb.match_entry(index, "Melati", "Lapai") is None  # another kelurahan
    assert kampung_kb.match_entry(index, "Mawar", None) is None  # two of them
    assert kampung_kb.match_entry(index, "Mawar", "Lapai") == _entry(db, org, "Lapai")
    assert kampung_kb.match_entry(index, "", None) is None


# --- registering ---------------------------------------------------------------------------

def test_the_api_links_a_new_registration(api: TestClient, db: Session, org: Organization,
                                          melati: KampungKB) -> None:
    t = factories.training(db, org)
    factories.committed(db)
    r = api.post(f"/api/trainings/{pk(t)}/registrations", json={
        "name": "Nur'aini", "phone": "081266340011", "kampung_kb": "kampung kb melati"})
    assert r.status_code == 201, r.text
    assert _person(db, r.json()["participant_id"]).kampung_kb_id == pk(melati)


def test_the_committees_form_links_and_an_ambiguous_name_waits_for_the_mapping(
        client: TestClient, db: Session, org: Organization, admin: User,
        melati: KampungKB) -> None:
    t = factories.training(db, org)
    factories.committed(db)
    csrf = login_page_client(client, admin.email)
    for name, kkb, village in (("Yusnimar", "Melati", ""), ("Rosmaniar", "Mawar", ""),
                               ("Desi Ratnasari", "Mawar", "Kalumbuk")):
        r = client.post(f"/trainings/{pk(t)}/registrations", data={
            "csrf_token": csrf, "name": name, "kampung_kb": kkb, "village": village},
            follow_redirects=False)
        assert r.status_code == 303, r.text
    links = {p.name: p.kampung_kb_id for p in db.exec(select(Participant)).all()}
    assert links == {"Yusnimar": pk(melati), "Rosmaniar": None,
                     "Desi Ratnasari": _entry(db, org, "Kalumbuk")}
    assert [(u.text, u.participants) for u in kampung_kb.unmatched(db, pk(org))] == [
        ("Mawar", 1)]


def test_the_public_form_links(db: Session, org: Organization, melati: KampungKB) -> None:
    t = factories.training(db, org, start=date.today() + timedelta(days=20), days=2)
    factories.batch(db, t, capacity=10)
    self_registration.configure(db, t, SelfRegistrationSettings(
        enabled=True, opens_at=None, closes_at=None, batch_choice=False))
    self_registration.check_form(db, self_registration.form_stamp(db, now=time.time() - 30),
                                 "")
    reg = self_registration.self_register(db, t, {
        **factories.kader(0), "kampung_kb": "Melati", "village": "Air Tawar Barat"}, None)
    assert _person(db, reg).kampung_kb_id == pk(melati)


def test_a_returning_person_gains_a_kampung_kb_and_its_link(db: Session, org: Organization,
                                                            melati: KampungKB) -> None:
    first = factories.register(db, factories.training(db, org), **factories.kader(0))
    assert _person(db, first).kampung_kb_id is None
    again = factories.register(db, factories.training(db, org, "Bimtek 2019"),
                               **{**factories.kader(0), "kampung_kb": "Melati"})
    assert again.participant_id == first.participant_id
    assert _person(db, first).kampung_kb_id == pk(melati)


# --- editing --------------------------------------------------------------------------------

def test_an_edit_of_the_text_links_again_and_an_unchanged_text_keeps_a_mapped_link(
        db: Session, org: Organization, melati: KampungKB) -> None:
    t = factories.training(db, org)
    reg = factories.register(db, t, **{**factories.kader(0), "kampung_kb": "KKB Mawar Lapai"})
    lapai = _entry(db, org, "Lapai")
    assert kampung_kb.map_text(db, pk(org), "KKB Mawar Lapai", lapai) == 1
    raw = {**factories.kader(0), "kampung_kb": "KKB Mawar Lapai", "position": "Kader"}
    registrations.update_registration(db, t, reg, raw)
    assert _person(db, reg).kampung_kb_id == lapai  # the hand-made link stays
    registrations.update_registration(db, t, reg, {**raw, "kampung_kb": "Melati"})
    assert _person(db, reg).kampung_kb_id == pk(melati)
    registrations.update_registration(db, t, reg, {**raw, "kampung_kb": "Kenanga"})
    assert _person(db, reg).kampung_kb_id is None


def test_the_edit_form_links(client: TestClient, db: Session, org: Organization,
                             admin: User, melati: KampungKB) -> None:
    t = factories.training(db, org)
    reg = factories.register(db, t, name="Yusnimar")
    factories.committed(db)
    csrf = login_page_client(client, admin.email)
    r = client.post(f"/registrations/{pk(reg)}/edit", data={
        "csrf_token": csrf, "name": "Yusnimar", "kampung_kb": "Kampung KB Melati"},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    assert _person(db, reg).kampung_kb_id == pk(melati)


# --- importing ------------------------------------------------------------------------------

HEADERS = ["Nama", "No HP", "Kelurahan/Desa", "Kampung KB"]
ROWS = [{"Nama": "Yusnimar", "No HP": "081266340011", "Kampung KB": "Melati"},
        {"Nama": "Rosmaniar", "No HP": "081266340012", "Kampung KB": "Mawar"},
        {"Nama": "Desi Ratnasari", "No HP": "081266340013", "Kelurahan/Desa": "Lapai",
         "Kampung KB": "Kampung KB Mawar"},
        {"Nama": "Fitri Yanti", "No HP": "081266340014", "Kampung KB": "KB Kenanga"},
        {"Nama": "Afrizal", "No HP": "081266340015"}]


def test_an_import_links_what_it_can_and_counts_the_rest(db: Session, org: Organization,
                                                         melati: KampungKB) -> None:
    t = factories.training(db, org)
    check = imports.check_file(db, t, make_csv(ROWS, HEADERS), "peserta.csv")
    done = imports.import_rows(db, t, check)
    assert (done.imported, done.kampung_kb_linked, done.kampung_kb_unmatched) == (5, 2, 2)
    db.expire_all()
    links = {p.name: p.kampung_kb_id for p in db.exec(select(Participant)).all()}
    assert links == {"Yusnimar": pk(melati), "Rosmaniar": None,
                     "Desi Ratnasari": _entry(db, org, "Lapai"), "Fitri Yanti": None,
                     "Afrizal": None}


def test_an_office_without_a_register_is_not_asked_to_map(db: Session,
                                                         org: Organization) -> None:
    t = factories.training(db, org)
    check = imports.check_file(db, t, make_csv(ROWS, HEADERS), "peserta.csv")
    done = imports.import_rows(db, t, check)
    assert (done.imported, done.kampung_kb_linked, done.kampung_kb_unmatched) == (5, 0, 0)
    assert kampung_kb.unmatched_count(db, pk(org), [("Melati", None)]) == 0


def test_the_import_api_says_how_many_to_map(api: TestClient, db: Session,
                                             org: Organization, melati: KampungKB) -> None:
    t = factories.training(db, org)
    factories.committed(db)
    r = api.post(f"/api/trainings/{pk(t)}/registrations/import",
                 files={"file": ("peserta.csv", make_csv(ROWS, HEADERS), "text/csv")})
    assert r.status_code == 200, r.text
    assert (r.json()["kampung_kb_linked"], r.json()["kampung_kb_unmatched"]) == (2, 2)


def test_the_import_page_leads_to_the_mapping_page(client: TestClient, db: Session,
                                                   org: Organization, admin: User,
                                                   melati: KampungKB) -> None:
    t = factories.training(db, org)
    factories.committed(db)
    csrf = login_page_client(client, admin.email)
    r = client.post(f"/trainings/{pk(t)}/import", data={"csrf_token": csrf},
                    files={"file": ("peserta.csv", make_csv(ROWS, HEADERS), "text/csv")},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    preview = r.headers["location"]
    assert 'id="preview-kkb-unmatched">2 baris menyebut Kampung KB' in client.get(preview).text
    r = client.post(preview, data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/trainings/{pk(t)}/registrations?imported=5"
    page = client.get(r.headers["location"]).text
    assert "5 peserta diimpor." in page
    assert 'id="import-kkb-unmatched">2 peserta pelatihan ini menyebut Kampung KB' in page
    assert 'href="/kampung-kb/unmatched"' in page
    mapping = client.get("/kampung-kb/unmatched").text
    assert "KB Kenanga" in mapping and "Mawar" in mapping


# --- merging --------------------------------------------------------------------------------

def test_a_merge_brings_the_merged_persons_link(db: Session, org: Organization,
                                                melati: KampungKB) -> None:
    t1, t2 = factories.training(db, org), factories.training(db, org, "Bimtek 2019")
    kept = factories.register(db, t1, name="Nur'aini", phone="081266340011")
    other = factories.register(db, t2, name="Nur Aini", phone="081266340011",
                               kampung_kb="KKB Mawar Lapai")
    lapai = _entry(db, org, "Lapai")
    kampung_kb.map_text(db, pk(org), "KKB Mawar Lapai", lapai)
    merge.merge(db, pk(org), kept.participant_id, other.participant_id, None)
    person = _person(db, kept)
    assert (person.kampung_kb, person.kampung_kb_id) == ("KKB Mawar Lapai", lapai)
