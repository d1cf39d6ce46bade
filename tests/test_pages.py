"""Committee pages through the test client: login, CSRF, forms, escaping, isolation, language."""

from datetime import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from service.models import Batch, Training
from tests import factories
from tests.helpers import login_form_token, login_page_client, post_login

FORM = {"title": "Bimtek Pengelola Kampung KB Kota Pontianak", "kind": "bimtek",
        "start_date": "2018-10-01", "end_date": "2018-10-02", "timezone": "Asia/Pontianak",
        "venue": "Rumah Makan Kakap Merah", "category_name": ["Pengelola Kampung KB", "PKB"],
        "category_quota": ["40", ""]}


@pytest.fixture
def csrf(client: TestClient, admin: Any) -> str:
    return login_page_client(client, admin.email)


def trainings_count(db: Session) -> int:
    return db.exec(select(func.count()).select_from(Training)).one()


def test_pages_need_login(client: TestClient) -> None:
    r = client.get("/trainings", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/trainings"
    assert "Masuk" in client.get("/login").text


def test_wrong_password_is_refused_in_indonesian(client: TestClient, admin: Any) -> None:
    r = client.post("/login", data={"email": admin.email, "password": "wrong-password-1",
                                    "csrf_token": login_form_token(client)})
    assert r.status_code == 401 and "Email atau kata sandi salah" in r.text
    assert "bimtek_session" not in r.cookies


def test_open_redirect_after_login_is_refused(client: TestClient, admin: Any) -> None:
    from tests.conftest import PASSWORD

    r = post_login(client, admin.email, PASSWORD, next="//evil.example/x")
    assert r.headers["location"] == "/trainings"


def test_post_without_csrf_token_changes_nothing(client: TestClient, csrf: str,
                                                 db: Session) -> None:
    r = client.post("/trainings", data={**FORM, "timezone": "Asia/Jakarta"})
    assert r.status_code == 403 and "kedaluwarsa" in r.text
    assert trainings_count(db) == 0


def test_create_training_through_the_form(client: TestClient, csrf: str, db: Session) -> None:
    data = {**FORM, "timezone": "Asia/Jakarta", "csrf_token": csrf}
    r = client.post("/trainings", data=data, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    assert FORM["title"] in page.text and "Rumah Makan Kakap Merah" in page.text
    assert "Pengelola Kampung KB · 40" in page.text
    assert trainings_count(db) == 1


@pytest.mark.parametrize("change, field_message", [
    ({"end_date": "2018-09-30"}, "Tanggal selesai lebih awal dari tanggal mulai"),
    ({"title": "x" * 301}, "Terlalu panjang: maksimal 300 karakter"),
    ({"title": "   "}, "Isian ini wajib diisi"),
    ({"kind": "party"}, "Pilih salah satu"),
    ({"start_date": "12/09/2018"}, "Tanggal tidak valid"),
    ({"category_quota": ["0", ""]}, "Minimal 1"),
])
def test_bad_training_form_is_rerendered_with_message(client: TestClient, csrf: str, db: Session,
                                                       change: dict[str, Any],
                                                       field_message: str) -> None:
    r = client.post("/trainings", data={**FORM, "timezone": "WIB", "csrf_token": csrf, **change})
    assert r.status_code == 422
    assert field_message in r.text
    assert trainings_count(db) == 0


def test_ten_megabyte_title_is_refused_before_parsing(client: TestClient, csrf: str,
                                                      db: Session) -> None:
    r = client.post("/trainings", data={**FORM, "csrf_token": csrf, "title": "A" * 10_000_000})
    assert r.status_code == 413 and "terlalu besar" in r.text
    assert trainings_count(db) == 0


def test_html_in_names_is_escaped(client: TestClient, csrf: str) -> None:
    evil = "<script>alert(1)</script>"
    r = client.post("/speakers", data={"name": evil, "institution": "<b>BNN</b>",
                                       "csrf_token": csrf}, follow_redirects=True)
    assert r.status_code == 200
    assert evil not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "&lt;b&gt;BNN&lt;/b&gt;" in r.text


def test_batch_form_refuses_bad_input(client: TestClient, csrf: str, db: Session) -> None:
    r = client.post("/trainings", data={**FORM, "timezone": "WIB", "csrf_token": csrf},
                    follow_redirects=False)
    tid = int(r.headers["location"].rsplit("/", 1)[1])
    base = {"name": "Angkatan I", "start_date": "2018-10-01", "end_date": "2018-10-02",
            "capacity": "25", "csrf_token": csrf}
    for change, message in [({"capacity": "0"}, "Minimal 1"),
                            ({"capacity": "-5"}, "Minimal 1"),
                            ({"end_date": "2018-10-05"}, "Angkatan harus berada dalam tanggal"),
                            ({"start_date": "2018-10-02", "end_date": "2018-10-01"},
                             "Tanggal selesai lebih awal")]:
        bad = client.post(f"/trainings/{tid}/batches", data={**base, **change})
        assert bad.status_code == 422 and message in bad.text, change
    assert db.exec(select(func.count()).select_from(Batch)).one() == 0
    assert client.post(f"/trainings/{tid}/batches", data=base,
                       follow_redirects=False).status_code == 303


def test_another_organizations_training_is_not_found(client: TestClient, csrf: str, db: Session,
                                                     org: Any) -> None:
    from service.schemas.planning import TrainingCreate
    from service.services.auth import get_or_create_organization
    from service.services.trainings import create_training

    other = get_or_create_organization(db, "DP3AP2KB Kota Pontianak")
    theirs = create_training(db, other.id, TrainingCreate.model_validate(
        {**FORM, "timezone": "WIB", "categories": []}))
    r = client.get(f"/trainings/{theirs.id}")
    assert r.status_code == 404 and "Pelatihan tidak ditemukan" in r.text
    assert FORM["title"] not in client.get("/trainings").text


def test_language_switch(client: TestClient, csrf: str) -> None:
    assert "Pelatihan baru" in client.get("/trainings").text
    client.get("/lang/en?next=/trainings")
    page = client.get("/trainings")
    assert "New training" in page.text and 'lang="en"' in page.text


def test_timetable_add_session_conflict_names_the_clash(client: TestClient, csrf: str,
                                                        api_headers: dict[str, str],
                                                        db: Session, org: Any) -> None:
    t = factories.training(db, org, title="Pelatihan", days=2, categories=())
    one, two = (factories.batch(db, t, name, capacity=105)
                for name in ("Angkatan I", "Angkatan II"))
    sp = factories.speaker(db, org, "dr. Ferimulyani", institution="Dinas Kesehatan")
    factories.committed(db)
    form = {"title": "Kesehatan Reproduksi", "date": "2018-09-12", "start_time": "08:00",
            "end_time": "09:30", "jpl": "2", "kind": "material", "speaker_ids": [str(sp.id)],
            "csrf_token": csrf}
    assert client.post(f"/batches/{one.id}/sessions", data=form).status_code == 200
    r = client.post(f"/batches/{two.id}/sessions", data={**form, "start_time": "09:00",
                                                           "end_time": "10:00"},
                    headers={"HX-Request": "true"})
    assert r.status_code == 409
    assert ("dr. Ferimulyani sudah mengajar pada jam itu: Kesehatan Reproduksi "
            "(Angkatan I, 12 September 2018 08.00–09.30)") in r.text
    assert r.text.lstrip().startswith('<div id="timetable">')  # an HTMX fragment, not a page
    listed = client.get(f"/api/batches/{two.id}/sessions", headers=api_headers).json()
    assert listed == []


def test_overview_query_count_does_not_grow_with_the_agenda(
        client: TestClient, csrf: str, db: Session, org: Any,
        count_queries: list[str]) -> None:
    t = factories.training(db, org, title="Pelatihan", days=7, categories=(), venue="Hotel")

    def add_batch(n: int) -> None:
        b = factories.batch(db, t, f"Angkatan {n}", capacity=100)
        for hour in range(8, 12):
            sp = factories.speaker(db, org, f"Narasumber {n}-{hour}")
            factories.session(db, t, b, f"Materi {hour}", start=time(hour),
                              end=time(hour, 50), teachers=[sp], room=f"R{n}", jpl=1)
        factories.committed(db)

    def queries_for_overview() -> int:
        count_queries.clear()
        assert client.get(f"/trainings/{t.id}").status_code == 200
        return len(count_queries)

    add_batch(1)
    small = queries_for_overview()
    for n in range(2, 6):
        add_batch(n)
    large = queries_for_overview()
    assert large <= small, f"{small} queries for 1 batch, {large} for 5: an N+1 query"
    assert large <= 12


@pytest.mark.parametrize("path", ["/trainings/new", "/speakers", "/venues"])
def test_every_form_carries_the_csrf_token(client: TestClient, csrf: str, path: str) -> None:
    page = client.get(path).text
    # The logout form in the top bar plus the page's own form(s).
    assert page.count(f'name="csrf_token" value="{csrf}"') >= 2


def test_add_session_without_javascript_redirects_and_says_so(
        client: TestClient, csrf: str, db: Session, org: Any) -> None:
    t = factories.training(db, org, title="Pelatihan", days=2, categories=())
    b = factories.batch(db, t, capacity=105)
    factories.committed(db)
    r = client.post(f"/batches/{b.id}/sessions", data={
        "title": "Pembukaan", "date": "2018-09-13", "start_time": "08:00", "end_time": "08:45",
        "kind": "opening", "jpl": "", "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and "?added=" in r.headers["location"]
    page = client.get(r.headers["location"]).text
    assert "Sesi ditambahkan: Pembukaan" in page and "Pembukaan" in page
