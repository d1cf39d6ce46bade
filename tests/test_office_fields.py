"""Kabupaten/kota, jabatan, pangkat and NIP as first-class fields: through the committee's
form, the JSON API and the participant list (shown, filtered, masked), and a training's
region level; names sorted without their front titles."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from service.models import Participant, Registration, Training
from service.services import registrations as regs
from tests import factories
from tests.conftest import PASSWORD
from tests.helpers import login_page_client

NIP_RINA = "197903122005012004"  # born 12 March 1979, civil servant since January 2005, woman


def official(n: int, regency: str = "Kabupaten Ogan Ilir",
             position: str = "Kepala Bidang Keluarga Berencana") -> dict[str, str]:
    """The n-th (n < 15) made-up official of a provincial workshop, with a valid NIP."""
    return {"name": f"Pejabat {n:02d}", "nip": f"19{70 + n}0312200501{1 + n % 2}{n + 1:03d}",
            "phone": f"0813677000{n:02d}", "regency": regency, "position": position,
            "rank": "Pembina (IV/a)", "institution": f"Dinas PPKB {regency}"}


@pytest.fixture
def workshop(db: Session, org: Any) -> Training:
    return factories.training(db, org, title="Workshop Penguatan Kampung KB", days=3,
                              categories=(), kind="workshop", region_level="regency")


def _committee_token(client: TestClient, db: Session, org: Any) -> str:
    user = factories.user(db, org, role="committee")
    r = client.post("/api/auth/token", data={"username": user.email, "password": PASSWORD})
    return str(r.json()["access_token"])


# --- the service ------------------------------------------------------------------------

def test_registering_keeps_nip_position_and_rank(db: Session, workshop: Training) -> None:
    reg = factories.register(db, workshop, name="dr. Rina Marlina, M.Kes.",
                             nip="19790312 200501 2 004", position="Kepala Seksi Gizi",
                             rank="Penata Tk. I (III/d)", regency="Kota Palembang")
    person = db.get(Participant, reg.participant_id)
    assert person is not None
    assert (person.nip, person.position, person.rank, person.regency) == (
        NIP_RINA, "Kepala Seksi Gizi", "Penata Tk. I (III/d)", "Kota Palembang")
    # The NIP says she is a woman born on 12 March 1979.
    assert person.gender == "P" and str(person.birth_date) == "1979-03-12"


def test_a_correction_without_nip_keeps_the_one_on_file(db: Session, workshop: Training) -> None:
    reg = factories.register(db, workshop, **official(1))
    regs.update_registration(db, workshop, reg, {**official(1), "nip": None,
                                                 "position": "Sekretaris Dinas"})
    person = db.get(Participant, reg.participant_id)
    assert person is not None and person.nip == official(1)["nip"]
    assert person.position == "Sekretaris Dinas"


def test_nip_is_masked_to_its_last_four_digits() -> None:
    assert regs.mask_nip(NIP_RINA) == "••••••••••••••2004"
    assert regs.mask_nip(None) is None


def test_list_filters_by_regency(db: Session, workshop: Training) -> None:
    factories.register(db, workshop, **official(1, regency="Kota Palembang"))
    factories.register(db, workshop, **official(2, regency="Kabupaten Ogan Ilir"))
    factories.register(db, workshop, **official(3, regency="Kabupaten Ogan Ilir"))
    rows, total = regs.list_registrations(
        db, workshop, regs.RegistrationFilter(regency=" kabupaten  ogan ilir"))
    assert total == 2 and {r.participant.name for r in rows} == {"Pejabat 02", "Pejabat 03"}


def test_list_filters_by_position(db: Session, workshop: Training) -> None:
    factories.register(db, workshop, **official(1, position="Kepala Bidang KB"))
    factories.register(db, workshop, **official(2, position="Penyuluh KB Ahli Madya"))
    rows, total = regs.list_registrations(
        db, workshop, regs.RegistrationFilter(position="Penyuluh KB Ahli Madya"))
    assert total == 1 and rows[0].participant.name == "Pejabat 02"


def test_filter_values_are_each_regency_and_position_once(db: Session,
                                                          workshop: Training) -> None:
    factories.register(db, workshop, **official(1, regency="Kota Palembang"))
    factories.register(db, workshop, **official(2, regency="kota palembang",
                                                position="Camat"))
    factories.register(db, workshop, **official(3, regency="Kabupaten Lahat"))
    offered = regs.filter_values(db, workshop)
    assert offered["regency"] == ["Kabupaten Lahat", "Kota Palembang"]
    assert offered["position"] == ["Camat", "Kepala Bidang Keluarga Berencana"]


def test_list_sorts_names_without_front_titles(db: Session, workshop: Training) -> None:
    for name in ("Siti Aminah", "dr. Rina Marlina", "Drs. H. Ahmad Yani, M.Si.",
                 "Kgs. Muhammad Yusuf", "Nyimas Zahra", "Putri Ayu"):
        factories.register(db, workshop, name=name)
    rows, _ = regs.list_registrations(db, workshop, regs.RegistrationFilter())
    assert [r.participant.name for r in rows] == [
        "Drs. H. Ahmad Yani, M.Si.", "Kgs. Muhammad Yusuf", "Putri Ayu", "dr. Rina Marlina",
        "Siti Aminah", "Nyimas Zahra"]


# --- the JSON API -------------------------------------------------------------------------

def test_api_creates_and_reads_nip_position_and_rank(api: TestClient,
                                                     workshop: Training) -> None:
    r = api.post(f"/api/trainings/{workshop.id}/registrations", json={
        "name": "Hj. Siti Rohani, S.Sos.", "nip": "1979 0312 2005 01 2 004",
        "position": "Kepala Bidang Pengendalian Penduduk", "rank": "Pembina (IV/a)",
        "regency": "Kabupaten Lahat"})
    assert r.status_code == 201, r.text
    got = api.get(f"/api/registrations/{r.json()['id']}").json()
    assert got["nip"] == NIP_RINA and got["nip_masked"] == "••••••••••••••2004"
    assert got["position"] == "Kepala Bidang Pengendalian Penduduk"
    assert got["rank"] == "Pembina (IV/a)" and got["regency"] == "Kabupaten Lahat"


def test_api_update_changes_position_and_rank(api: TestClient, workshop: Training) -> None:
    r = api.post(f"/api/trainings/{workshop.id}/registrations", json=official(4))
    put = api.put(f"/api/registrations/{r.json()['id']}",
                  json={**official(4), "position": "Sekretaris", "rank": "Pembina Tk. I (IV/b)"})
    assert put.status_code == 200, put.text
    assert (put.json()["position"], put.json()["rank"]) == ("Sekretaris", "Pembina Tk. I (IV/b)")


def test_committee_reads_the_nip_masked(client: TestClient, db: Session, org: Any,
                                        workshop: Training) -> None:
    reg = factories.register(db, workshop, **official(5))
    factories.committed(db)
    token = _committee_token(client, db, org)
    got = client.get(f"/api/registrations/{reg.id}",
                     headers={"Authorization": f"Bearer {token}"}).json()
    assert got["nip"] is None and got["nip_masked"].endswith(official(5)["nip"][-4:])
    assert official(5)["nip"] not in client.get(
        f"/api/trainings/{workshop.id}/registrations",
        headers={"Authorization": f"Bearer {token}"}).text


@pytest.mark.parametrize(("nip", "says"), [
    ("19790312200501200", "tepat 18 angka"),  # 17 digits
    ("19791312200501 2 004", "bukan tanggal lahir"),  # month 13
    ("197903122005013004", "ke-15"),  # gender digit 3
])
def test_api_refuses_a_bad_nip_in_indonesian_and_registers_nobody(
        api: TestClient, db: Session, workshop: Training, nip: str, says: str) -> None:
    r = api.post(f"/api/trainings/{workshop.id}/registrations",
                 json={"name": "Rina Marlina", "nip": nip})
    assert r.status_code == 422
    assert r.json()["code"] == "validation_error" and says in r.text
    count = db.exec(select(func.count()).select_from(Registration)
                    .where(Registration.training_id == workshop.id)).one()
    assert count == 0


def test_api_training_takes_and_shows_its_region_level(api: TestClient) -> None:
    body = {"title": "Workshop Kampung KB Sumsel", "kind": "workshop",
            "start_date": "2022-08-24", "end_date": "2022-08-26", "region_level": "regency"}
    r = api.post("/api/trainings", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["region_level"] == "regency"
    put = api.put(f"/api/trainings/{r.json()['id']}", json={**body, "region_level": "district"})
    assert put.status_code == 200 and put.json()["region_level"] == "district"


def test_api_training_refuses_an_unknown_region_level(api: TestClient) -> None:
    r = api.post("/api/trainings", json={
        "title": "Workshop", "kind": "workshop", "start_date": "2022-08-24",
        "end_date": "2022-08-26", "region_level": "province"})
    assert r.status_code == 422 and r.json()["code"] == "validation_error"


def test_api_list_filters_by_regency_and_sorts_without_titles(api: TestClient, db: Session,
                                                              workshop: Training) -> None:
    factories.register(db, workshop, name="dr. Rina Marlina", regency="Kota Palembang")
    factories.register(db, workshop, name="Budi Santoso", regency="Kota Palembang")
    factories.register(db, workshop, name="Ahmad Yani", regency="Kabupaten Lahat")
    factories.committed(db)
    items = api.get(f"/api/trainings/{workshop.id}/registrations").json()["items"]
    assert [i["name"] for i in items] == ["Ahmad Yani", "Budi Santoso", "dr. Rina Marlina"]


# --- the pages ----------------------------------------------------------------------------

@pytest.fixture
def csrf(client: TestClient, admin: Any) -> str:
    return login_page_client(client, admin.email)


def test_form_adds_a_participant_with_nip_position_and_rank(
        client: TestClient, csrf: str, db: Session, workshop: Training) -> None:
    r = client.post(f"/trainings/{workshop.id}/registrations", data={
        "csrf_token": csrf, **official(6)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    person = db.exec(select(Participant).where(Participant.name == "Pejabat 06")).one()
    assert (person.nip, person.rank) == (official(6)["nip"], "Pembina (IV/a)")


def test_form_shows_a_bad_nip_beside_its_field(client: TestClient, csrf: str,
                                               workshop: Training) -> None:
    r = client.post(f"/trainings/{workshop.id}/registrations", data={
        "csrf_token": csrf, "name": "Rina", "nip": "12345"})
    assert r.status_code == 422
    assert "NIP terdiri dari tepat 18 angka" in r.text


def test_committee_edit_form_shows_the_nip_masked_and_keeps_it(
        client: TestClient, db: Session, org: Any, workshop: Training) -> None:
    reg = factories.register(db, workshop, **official(7))
    member = factories.user(db, org, role="committee")
    factories.committed(db)
    token = login_page_client(client, member.email)
    page = client.get(f"/registrations/{reg.id}/edit").text
    nip = official(7)["nip"]
    assert nip not in page and f"••••••••••••••{nip[-4:]}" in page
    r = client.post(f"/registrations/{reg.id}/edit", data={
        "csrf_token": token, **official(7), "nip": "", "position": "Sekretaris"},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    person = db.get(Participant, reg.participant_id)
    assert person is not None and person.nip == nip and person.position == "Sekretaris"


def test_list_page_shows_regency_position_and_masked_nip(
        client: TestClient, csrf: str, db: Session, workshop: Training) -> None:
    factories.register(db, workshop, **official(8, regency="Kota Prabumulih"))
    factories.committed(db)
    page = client.get(f"/trainings/{workshop.id}/registrations").text
    assert "Kota Prabumulih" in page and "Kepala Bidang Keluarga Berencana" in page
    assert "Pembina (IV/a)" in page and official(8)["nip"] not in page
    assert "Kabupaten/Kota" in page  # the region column of a provincial event


def test_list_page_filters_by_regency_and_position(client: TestClient, csrf: str,
                                                   db: Session, workshop: Training) -> None:
    factories.register(db, workshop, **official(1, regency="Kota Palembang", position="Camat"))
    factories.register(db, workshop, **official(2, regency="Kota Palembang"))
    factories.register(db, workshop, **official(3, regency="Kabupaten Lahat"))
    factories.committed(db)
    page = client.get(f"/trainings/{workshop.id}/registrations",
                      params={"regency": "Kota Palembang",
                              "position": "Kepala Bidang Keluarga Berencana"}).text
    names = re.findall(r"<strong>(Pejabat \d+)</strong>", page)
    assert names == ["Pejabat 02"]
    # A value the list does not offer (a stale link) filters nothing.
    stale = client.get(f"/trainings/{workshop.id}/registrations",
                       params={"regency": "Kota Jambi"}).text
    assert len(re.findall(r"<strong>(Pejabat \d+)</strong>", stale)) == 3


def test_training_form_sets_the_region_level(client: TestClient, csrf: str, db: Session,
                                             workshop: Training) -> None:
    form = client.get(f"/trainings/{workshop.id}/edit").text
    assert 'value="regency" selected' in form
    r = client.post(f"/trainings/{workshop.id}/edit", data={
        "csrf_token": csrf, "title": workshop.title, "kind": "workshop",
        "start_date": workshop.start_date.isoformat(),
        "end_date": workshop.end_date.isoformat(), "timezone": "Asia/Jakarta",
        "checkin_mode": "day", "region_level": "district"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    db.refresh(workshop)
    assert workshop.region_level == "district"
