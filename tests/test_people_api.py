"""The HTTP contract of /api/people: search (masked numbers for the committee, no NIK
recoverable digit by digit), a person's record, duplicates, merging, the record PDF; the
pages' and the ticket holder's record (no NIK there); bounded query counts."""

import io
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from service.models import Registration, Training
from service.models.base import pk
from tests import factories as f
from tests.conftest import PASSWORD
from tests.helpers import login_page_client

NIK = "1371015203850010"
OTHER_NIK_SAME_BIRTH = "1371025203850011"
NIP = "197903122005012004"
PHONE = "081266340000"


def _bearer(client: TestClient, email: str) -> dict[str, str]:
    r = client.post("/api/auth/token", data={"username": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _committee(client: TestClient, db: Session) -> dict[str, str]:
    member = f.user(db, f.organization(db), role="committee")
    return _bearer(client, member.email)


class World:
    """Siti Rahmawati in two trainings (2018, 2019), present on day 1 of each; a
    certificate in the first; Nur'aini and Nur Aini sharing one phone."""

    def __init__(self, db: Session) -> None:
        org = f.organization(db)
        self.committee = f.user(db, org)
        self.t1 = f.training(db, org, "Pelatihan Kader BKB 2018", start=date(2018, 9, 12),
                             days=2)
        self.b1 = f.batch(db, self.t1, days=1)
        self.t2 = f.training(db, org, "Bimtek Pengelola Kampung KB 2019",
                             start=date(2019, 3, 4), days=2)
        self.b2 = f.batch(db, self.t2, days=2)
        f.session(db, self.t1, self.b1, jpl=4)
        f.session(db, self.t2, self.b2, jpl=3)
        f.session(db, self.t2, self.b2, "Pengasuhan", day=self.b2.end_date, jpl=3)
        self.siti = [f.register(db, t, b, name="Hj. Siti Rahmawati, S.Pd.", nik=NIK,
                                phone="081299887766", nip=NIP)
                     for t, b in ((self.t1, self.b1), (self.t2, self.b2))]
        for reg, b in zip(self.siti, (self.b1, self.b2), strict=True):
            f.check_in(db, reg, b.start_date, self.committee)
        f.certificate_template_for(db, self.t1)
        [self.certificate] = f.issue_certificates(db, self.t1)
        self.nur = f.register(db, self.t1, self.b1, name="Nur'aini", phone=PHONE)
        self.nur_aini = f.register(db, self.t2, self.b2, name="Nur Aini", phone=PHONE)
        f.committed(db)

    @property
    def person_id(self) -> int:
        return self.siti[0].participant_id


@pytest.fixture
def world(db: Session, admin: Any) -> World:
    return World(db)


# --- search --------------------------------------------------------------------------------

def test_search_shows_whole_numbers_to_an_admin(api: TestClient, world: World) -> None:
    r = api.get("/api/people", params={"q": "siti"})
    assert r.status_code == 200, r.text
    [item] = r.json()["items"]
    assert (item["id"], item["nik"], item["phone"]) == (world.person_id, NIK, "+6281299887766")
    assert item["trainings_count"] == 2
    assert item["last_training"]["title"] == "Bimtek Pengelola Kampung KB 2019"
    assert r.json()["total"] == 1


def test_search_masks_numbers_for_the_committee(client: TestClient, db: Session,
                                                world: World) -> None:
    r = client.get("/api/people", params={"q": NIK[-4:]}, headers=_committee(client, db))
    assert r.status_code == 200, r.text
    [item] = r.json()["items"]
    assert item["nik"].endswith(NIK[-4:]) and NIK not in item["nik"]
    assert item["phone"].endswith("7766") and "81299" not in item["phone"]
    assert NIK not in r.text and NIP not in r.text


@pytest.mark.parametrize("q", ["0", "10", "010", NIK[:3], NIK[-3:]])
def test_search_refuses_1_to_3_digits_of_a_nik(api: TestClient, world: World, q: str) -> None:
    r = api.get("/api/people", params={"q": q})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "search_digits"


def test_search_finds_no_4_digit_window_inside_a_nik(api: TestClient, world: World) -> None:
    windows = {NIK[i:i + 4] for i in range(len(NIK) - 4)} - {NIK[-4:]}
    for window in windows:
        assert api.get("/api/people", params={"q": window}).json()["items"] == [], window


def test_search_pages_hold_50(api: TestClient, db: Session, world: World) -> None:
    for n in range(55):
        f.register(db, world.t1, None, **f.kader(n + 30))
    f.committed(db)
    r = api.get("/api/people", params={"q": "kader", "page": 2})
    assert (r.json()["total"], r.json()["page"], len(r.json()["items"])) == (55, 2, 5)


def test_search_queries_do_not_grow_with_the_page(api: TestClient, db: Session, world: World,
                                                  count_queries: list[str]) -> None:
    api.get("/api/people", params={"q": "nur"})
    few = len(count_queries)
    for n in range(20):
        f.register(db, world.t1 if n % 2 else world.t2, None, **f.kader(n + 30))
    f.committed(db)
    count_queries.clear()
    r = api.get("/api/people", params={"q": "nur"})
    assert len(r.json()["items"]) == 22
    assert len(count_queries) == few


# --- a person ------------------------------------------------------------------------------

def test_a_person_lists_each_training_with_attendance_jpl_and_certificate(
        api: TestClient, world: World) -> None:
    r = api.get(f"/api/people/{world.person_id}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name"] == "Hj. Siti Rahmawati, S.Pd."
    newest, oldest = body["trainings"]
    assert {k: newest[k] for k in ("training_id", "title", "batch", "days_present",
                                   "days_total", "jpl", "certificate_number")} == {
        "training_id": pk(world.t2), "title": "Bimtek Pengelola Kampung KB 2019",
        "batch": "Angkatan I", "days_present": 1, "days_total": 2, "jpl": 3,
        "certificate_number": None}
    assert (oldest["jpl"], oldest["certificate_number"]) == (4, world.certificate.number)
    assert (body["jpl_total"], body["jpl_by_year"]) == (7, {"2018": 4, "2019": 3})


def test_a_person_of_another_organization_is_not_found(client: TestClient, db: Session,
                                                       world: World) -> None:
    other = f.organization(db, "DP3AP2KB Kota Pontianak")
    stranger = f.user(db, other, role="admin")
    f.committed(db)
    headers = _bearer(client, stranger.email)
    for path in (f"/api/people/{world.person_id}", f"/api/people/{world.person_id}/record.pdf"):
        r = client.get(path, headers=headers)
        assert r.status_code == 404, path
        assert r.json()["code"] == "person_not_found"
    assert client.get("/api/people", params={"q": "siti"}, headers=headers).json()["total"] == 0


def test_a_person_masks_numbers_for_the_committee(client: TestClient, db: Session,
                                                  world: World) -> None:
    r = client.get(f"/api/people/{world.person_id}", headers=_committee(client, db))
    assert r.status_code == 200
    assert NIK not in r.text and NIP not in r.text and "81299887766" not in r.text


def test_a_person_page_reads_a_fixed_number_of_queries(api: TestClient, db: Session,
                                                       world: World,
                                                       count_queries: list[str]) -> None:
    api.get(f"/api/people/{world.person_id}")
    two = len(count_queries)
    for year in (2020, 2021, 2022):
        t = f.training(db, f.organization(db), f"Pembinaan {year}", start=date(year, 5, 4),
                       days=1)
        b = f.batch(db, t, days=1)
        f.session(db, t, b, jpl=2)
        reg = f.register(db, t, b, name="Siti Rahmawati", nik=NIK)
        f.check_in(db, reg, b.start_date, world.committee)
    f.committed(db)
    count_queries.clear()
    r = api.get(f"/api/people/{world.person_id}")
    assert len(r.json()["trainings"]) == 5
    assert len(count_queries) == two


# --- duplicates and merging ---------------------------------------------------------------

def test_duplicates_name_the_pair_and_why(api: TestClient, world: World) -> None:
    r = api.get("/api/people/duplicates")
    assert r.status_code == 200, r.text
    [pair] = r.json()["items"]
    assert {pair["first"]["id"], pair["second"]["id"]} == {world.nur.participant_id,
                                                          world.nur_aini.participant_id}
    assert pair["reasons"] == ["same_phone_similar_name"]


def test_a_merge_moves_the_registrations_and_the_pair_is_gone(api: TestClient, db: Session,
                                                              world: World) -> None:
    kept, other = world.nur.participant_id, world.nur_aini.participant_id
    r = api.post(f"/api/people/{kept}/merge", json={"other_id": other})
    assert r.status_code == 200, r.text
    assert r.json() == {"kept_id": kept, "merged_id": other, "registrations_moved": 1}
    body = api.get(f"/api/people/{kept}").json()
    assert len(body["trainings"]) == 2
    assert body["merges"][0]["merged_name"] == "Nur Aini"
    assert api.get(f"/api/people/{other}").status_code == 404
    assert api.get("/api/people/duplicates").json()["items"] == []


def test_a_merge_of_two_in_one_training_is_refused_naming_it(api: TestClient, db: Session,
                                                            world: World) -> None:
    twin = f.register(db, world.t1, world.b1, name="Siti Rahmawati",
                      nik=OTHER_NIK_SAME_BIRTH)
    f.committed(db)
    r = api.post(f"/api/people/{world.person_id}/merge",
                 json={"other_id": twin.participant_id})
    assert r.status_code == 409, r.text
    assert r.json()["code"] == "merge_conflict"
    assert "Pelatihan Kader BKB 2018" in r.json()["message"]
    assert api.get(f"/api/people/{twin.participant_id}").status_code == 200
    reg = db.get(Registration, pk(twin))
    assert reg is not None and reg.participant_id == twin.participant_id


def test_a_merge_with_another_organizations_person_is_not_found(
        client: TestClient, db: Session, world: World) -> None:
    other = f.organization(db, "DP3AP2KB Kota Pontianak")
    t = f.training(db, other, "Bimtek Pontianak")
    stranger = f.register(db, t, f.batch(db, t), name="Siti Rahmawati")
    f.committed(db)
    r = client.post(f"/api/people/{world.person_id}/merge",
                    json={"other_id": stranger.participant_id},
                    headers=_committee(client, db))
    assert r.status_code == 404


@pytest.mark.parametrize("body", [{}, {"other_id": "x"}, {"other_id": 0}])
def test_a_merge_without_a_valid_other_is_a_422(api: TestClient, world: World,
                                               body: dict[str, Any]) -> None:
    r = api.post(f"/api/people/{world.person_id}/merge", json=body)
    assert r.status_code == 422


# --- the record PDF, the pages, the holder's record -------------------------------------

def test_the_record_pdf_lists_trainings_and_jpl_without_the_nik(
        client: TestClient, db: Session, world: World) -> None:
    r = client.get(f"/api/people/{world.person_id}/record.pdf", headers=_committee(client, db))
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert "attachment" in r.headers["content-disposition"]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "Siti Rahmawati" in text and "Pelatihan Kader BKB 2018" in text
    assert world.certificate.number in "".join(text.split())
    assert NIK not in text and NIP not in text  # a committee member: NIP masked too


def test_the_pages_answer_for_the_committee(client: TestClient, db: Session,
                                            world: World) -> None:
    member = f.user(db, f.organization(db))
    f.committed(db)
    login_page_client(client, member.email)
    for path in ("/people", "/people?q=siti", "/people/duplicates",
                 f"/people/{world.person_id}", f"/people/{world.person_id}/record.pdf"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert NIK not in r.text, path
    assert client.get("/people?q=123").status_code == 422
    assert client.get("/people/2147483647").status_code == 404


def test_a_merge_refused_on_the_page_says_why(client: TestClient, db: Session,
                                              world: World) -> None:
    twin = f.register(db, world.t1, world.b1, name="Siti Rahmawati",
                      nik=OTHER_NIK_SAME_BIRTH)
    f.committed(db)
    csrf = login_page_client(client, world.committee.email)
    r = client.post(f"/people/{world.person_id}/merge",
                    data={"other_id": str(twin.participant_id), "csrf_token": csrf})
    assert r.status_code == 409
    assert "Pelatihan Kader BKB 2018" in r.text


def test_the_holders_record_shows_their_trainings_and_no_numbers(
        client: TestClient, world: World) -> None:
    token = world.siti[1].ticket_token
    assert f'href="/t/{token}/riwayat"' in client.get(f"/t/{token}").text
    r = client.get(f"/t/{token}/riwayat")
    assert r.status_code == 200
    assert "Pelatihan Kader BKB 2018" in r.text and "Bimtek Pengelola Kampung KB 2019" in r.text
    for secret in (NIK, NIK[-4:], NIP, "7766", world.siti[0].ticket_token):
        assert secret not in r.text
    cert = client.get(f"/t/{token}/riwayat/{pk(world.siti[0])}/certificate.pdf")
    assert cert.status_code == 200 and cert.headers["content-type"] == "application/pdf"


def test_a_holder_cannot_download_someone_elses_certificate(client: TestClient, db: Session,
                                                            world: World) -> None:
    token = world.nur.ticket_token
    r = client.get(f"/t/{token}/riwayat/{pk(world.siti[0])}/certificate.pdf")
    assert r.status_code == 404


def test_an_unknown_ticket_has_no_record(client: TestClient) -> None:
    assert client.get("/t/" + "x" * 24 + "/riwayat").status_code == 404


def test_training_of_world_is_in_the_organization(db: Session, world: World) -> None:
    t = db.get(Training, pk(world.t1))
    assert t is not None and t.organization_id == world.committee.organization_id
