"""Pairs marked as "not the same person" (service.services.people.distinct): they leave the
likely duplicates and every count of them; the mark keeps who and when, can be taken back
(keeping who did and when), and goes with a merged person. Over HTTP: the API, the page's
buttons (htmx and plain), masked numbers, another organization's people out of reach."""

from datetime import date, timedelta

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.errors import FieldError, NotFound
from service.migrate import alembic_config
from service.models import (
    DistinctPeople,
    Organization,
    Participant,
    Registration,
    Training,
    User,
)
from service.models.base import pk, utcnow
from service.services.people import distinct, duplicates, merge
from tests import factories as f
from tests.conftest import DB_KIND, PASSWORD
from tests.dbutil import fresh_database
from tests.helpers import login_page_client

PHONE = "081266340000"
NIK = "1371015203850010"


class World:
    """Two spellings of one phone's name in two trainings (a likely pair), and a second
    pair: two Siti Aminah born the same day (NIKs of one birth date)."""

    def __init__(self, db: Session, org: Organization) -> None:
        self.org = org
        self.admin = f.user(db, org, role="admin", name="Admin Padang",
                            email="admin2@padang.test")
        self.t1 = f.training(db, org, "Pelatihan Kader BKB 2018", start=date(2018, 9, 12))
        self.t2 = f.training(db, org, "Bimtek Kampung KB 2019", start=date(2019, 3, 4))
        self.nuraini = f.register(db, self.t1, name="Nur'aini", phone=PHONE).participant_id
        self.nur_aini = f.register(db, self.t2, name="Nur Aini", phone=PHONE).participant_id
        self.siti = f.register(db, self.t1, name="Siti Aminah", nik=NIK).participant_id
        self.hj_siti = f.register(db, self.t2, name="Hj. Siti Aminah",
                                  nik="1371025203850011").participant_id

    @property
    def org_id(self) -> int:
        return pk(self.org)


@pytest.fixture
def w(db: Session, org: Organization) -> World:
    return World(db, org)


def _pairs(db: Session, org_id: int) -> list[tuple[int, int]]:
    return [(pk(p.first), pk(p.second)) for p in duplicates.likely_duplicates(db, org_id)]


# --- the service ---------------------------------------------------------------------------

def test_a_marked_pair_leaves_the_likely_duplicates_and_their_count(db: Session,
                                                                   w: World) -> None:
    assert len(_pairs(db, w.org_id)) == duplicates.count(db, w.org_id) == 2
    distinct.mark(db, w.org_id, w.nur_aini, w.nuraini, pk(w.admin))
    assert _pairs(db, w.org_id) == [(w.siti, w.hj_siti)]
    assert duplicates.count(db, w.org_id) == 1


def test_the_mark_keeps_who_made_it_and_when(db: Session, w: World) -> None:
    distinct.mark(db, w.org_id, w.siti, w.hj_siti, pk(w.admin))
    [m] = distinct.marks(db, w.org_id)
    assert (pk(m.first), pk(m.second), m.by) == (w.siti, w.hj_siti, "Admin Padang")
    assert m.at.tzinfo is not None and abs(m.at - utcnow()) < timedelta(minutes=5)


def test_undoing_brings_the_pair_back_and_keeps_who_undid_it(db: Session, w: World) -> None:
    committee = f.user(db, w.org, email="panitia2@padang.test")
    distinct.mark(db, w.org_id, w.siti, w.hj_siti, pk(w.admin))
    row = distinct.undo(db, w.org_id, w.hj_siti, w.siti, pk(committee))
    assert (row.user_id, row.undone_by_id) == (pk(w.admin), pk(committee))
    assert row.undone_at is not None
    assert (w.siti, w.hj_siti) in _pairs(db, w.org_id)
    assert distinct.marks(db, w.org_id) == []
    with pytest.raises(NotFound) as caught:
        distinct.undo(db, w.org_id, w.siti, w.hj_siti, pk(committee))
    assert caught.value.code == "distinct_not_found"


def test_marking_twice_is_one_mark_and_marking_after_an_undo_takes_it_again(
        db: Session, w: World) -> None:
    committee = f.user(db, w.org, name="Panitia Dua", email="panitia2@padang.test")
    distinct.mark(db, w.org_id, w.siti, w.hj_siti, pk(w.admin))
    again = distinct.mark(db, w.org_id, w.hj_siti, w.siti, pk(committee))
    assert again.by == "Admin Padang"  # the first mark stands
    distinct.undo(db, w.org_id, w.siti, w.hj_siti, pk(w.admin))
    assert distinct.mark(db, w.org_id, w.siti, w.hj_siti, pk(committee)).by == "Panitia Dua"
    [row] = db.exec(select(DistinctPeople)).all()
    assert (row.user_id, row.undone_by_id, row.undone_at) == (pk(committee), None, None)


def test_a_merge_deletes_the_marks_naming_the_merged_person(db: Session, w: World) -> None:
    third = f.register(db, w.t1, name="Rahmat Hidayat", phone="081377001122").participant_id
    distinct.mark(db, w.org_id, w.nur_aini, third, pk(w.admin))  # goes with the merge
    distinct.mark(db, w.org_id, w.nuraini, w.siti, pk(w.admin))  # the kept one's: stays
    merge.merge(db, w.org_id, w.nuraini, w.nur_aini, pk(w.admin))
    rows = db.exec(select(DistinctPeople.first_id, DistinctPeople.second_id)).all()
    assert [tuple(r) for r in rows] == [(w.nuraini, w.siti)]


def test_a_pair_of_one_person_or_of_another_organization_is_refused(db: Session,
                                                                    w: World) -> None:
    with pytest.raises(FieldError):
        distinct.mark(db, w.org_id, w.siti, w.siti, None)
    other = f.organization(db, "DP3AP2KB Kota Pontianak")
    with pytest.raises(NotFound):
        distinct.mark(db, pk(other), w.siti, w.hj_siti, None)
    assert db.exec(select(DistinctPeople)).all() == []


# --- the API ---------------------------------------------------------------------------------

def _bearer(client: TestClient, user: User) -> dict[str, str]:
    r = client.post("/api/auth/token", data={"username": user.email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_the_api_marks_lists_and_takes_back(client: TestClient, db: Session,
                                            w: World) -> None:
    member = f.user(db, w.org, name="Panitia", email="panitia2@padang.test")
    f.committed(db)
    auth = _bearer(client, member)
    r = client.post(f"/api/people/{w.hj_siti}/distinct", json={"other_id": w.siti},
                    headers=auth)
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["first_id"], body["second_id"], body["by"]) == (w.siti, w.hj_siti, "Panitia")
    listed = client.get("/api/people/duplicates", headers=auth).json()
    assert listed["total"] == 1 and listed["items"][0]["first"]["id"] == w.nuraini
    marks = client.get("/api/people/distinct", headers=auth).json()
    assert marks["total"] == 1 and marks["items"][0]["by"] == "Panitia"
    # A committee member sees the NIK's last 4 digits only.
    assert marks["items"][0]["first"]["nik"] == "•" * 12 + NIK[-4:]
    r = client.delete(f"/api/people/{w.siti}/distinct/{w.hj_siti}", headers=auth)
    assert r.status_code == 204
    assert client.get("/api/people/duplicates", headers=auth).json()["total"] == 2
    r = client.delete(f"/api/people/{w.siti}/distinct/{w.hj_siti}", headers=auth)
    assert r.status_code == 404 and r.json()["code"] == "distinct_not_found"


def test_the_api_refuses_nonsense_and_another_organizations_people(
        client: TestClient, db: Session, w: World) -> None:
    other = f.organization(db, "DP3AP2KB Kota Pontianak")
    outsider = f.user(db, other, role="admin", email="admin@pontianak.test")
    insider = f.user(db, w.org, email="panitia2@padang.test")
    f.committed(db)
    theirs, ours = _bearer(client, outsider), _bearer(client, insider)
    r = client.post(f"/api/people/{w.siti}/distinct", json={"other_id": w.hj_siti},
                    headers=theirs)
    assert r.status_code == 404
    assert client.delete(f"/api/people/{w.siti}/distinct/{w.hj_siti}",
                         headers=theirs).status_code == 404
    r = client.post(f"/api/people/{w.siti}/distinct", json={"other_id": w.siti}, headers=ours)
    assert r.status_code == 422 and r.json()["code"] == "distinct_same"
    r = client.post(f"/api/people/{w.siti}/distinct", json={"other_id": 0}, headers=ours)
    assert r.status_code == 422
    assert db.exec(select(DistinctPeople)).all() == []


# --- the pages -------------------------------------------------------------------------------

def test_the_page_marks_a_pair_in_place_and_takes_it_back(client: TestClient, db: Session,
                                                          w: World) -> None:
    f.committed(db)
    csrf = login_page_client(client, w.admin.email)
    assert "2 pasang mungkin satu orang" in client.get("/people").text
    page = client.get("/people/duplicates").text
    assert f'action="/people/{w.nuraini}/distinct"' in page
    htmx = {"HX-Request": "true", "X-CSRF-Token": csrf}
    r = client.post(f"/people/{w.nuraini}/distinct",
                    data={"other_id": str(w.nur_aini), "csrf_token": csrf}, headers=htmx)
    assert r.status_code == 200 and r.text.lstrip().startswith('<div id="dup-lists">')
    assert f'id="pair-{w.nuraini}-{w.nur_aini}"' not in r.text
    assert f'id="mark-{w.nuraini}-{w.nur_aini}"' in r.text and 'id="dup-done"' in r.text
    assert "<html" not in r.text
    assert "1 pasang mungkin satu orang" in client.get("/people").text
    # Without htmx: a redirect back to the page.
    r = client.post(f"/people/{w.nuraini}/distinct/undo",
                    data={"other_id": str(w.nur_aini), "csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/people/duplicates"
    assert f'id="pair-{w.nuraini}-{w.nur_aini}"' in client.get("/people/duplicates").text


def test_the_page_shows_a_refusal_and_never_a_whole_number(client: TestClient, db: Session,
                                                            w: World) -> None:
    member = f.user(db, w.org, email="panitia2@padang.test")
    distinct.mark(db, w.org_id, w.siti, w.hj_siti, pk(w.admin))
    f.committed(db)
    csrf = login_page_client(client, member.email)
    page = client.get("/people/duplicates").text
    assert f'id="mark-{w.siti}-{w.hj_siti}"' in page and "Admin Padang" in page
    assert NIK not in page and PHONE[1:] not in page
    r = client.post(f"/people/{w.siti}/distinct/undo",
                    data={"other_id": str(w.nuraini), "csrf_token": csrf},
                    headers={"HX-Request": "true", "X-CSRF-Token": csrf})
    assert r.status_code == 404 and 'id="merge-error"' in r.text


def test_listing_marks_takes_a_fixed_number_of_queries(db: Session, w: World,
                                                        count_queries: list[str]) -> None:
    regs = db.exec(select(Registration).join(Training, col(Training.id) ==
                                             Registration.training_id)).all()
    people = sorted({r.participant_id for r in regs})
    for a, b in zip(people, people[1:], strict=False):
        distinct.mark(db, w.org_id, a, b, pk(w.admin))
    count_queries.clear()
    assert len(distinct.marks(db, w.org_id)) == len(people) - 1
    assert len(count_queries) == 2


# --- the schema ------------------------------------------------------------------------------

def test_deleting_a_person_deletes_their_marks_in_the_database(db: Session, w: World) -> None:
    loner = Participant(organization_id=w.org_id, name="Siti Aminah")
    db.add(loner)
    db.flush()
    distinct.mark(db, w.org_id, w.siti, pk(loner), None)
    db.execute(text("DELETE FROM participant WHERE id = :id"), {"id": pk(loner)})
    db.expire_all()
    assert db.exec(select(DistinctPeople)).all() == []


def test_0018_makes_the_table_and_takes_it_away_again() -> None:
    with fresh_database(DB_KIND, "mig") as url:
        cfg = alembic_config(url)
        command.upgrade(cfg, "0018_distinct_people")
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO organization (id, name, created_at) "
                              "VALUES (1, 'DP3AP2KB', CURRENT_TIMESTAMP)"))
            for pid in (1, 2):
                conn.execute(text("INSERT INTO participant (id, organization_id, name, "
                                  "sort_name, created_at) VALUES (:id, 1, 'Siti', 'siti', "
                                  "CURRENT_TIMESTAMP)"), {"id": pid})
            mark = text("INSERT INTO distinct_people (organization_id, first_id, second_id, "
                        "created_at) VALUES (1, 1, 2, CURRENT_TIMESTAMP)")
            conn.execute(mark)
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(mark)  # one row per pair
        engine.dispose()
        command.downgrade(cfg, "0017_province_sharing")
        engine = create_engine(url)
        assert "distinct_people" not in inspect(engine).get_table_names()
        engine.dispose()
