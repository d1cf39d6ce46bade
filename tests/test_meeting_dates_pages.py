"""The committee's pages for batches meeting on dates: the recurring form (its preview,
its refusals that keep what was typed), and a batch's meetings moved, cancelled, added."""

from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.models import Batch, Organization
from service.services import meeting_days
from tests import factories
from tests.helpers import login_page_client

KEC = ["Pontianak Barat", "Pontianak Kota", "Pontianak Selatan", "Pontianak Tenggara",
       "Pontianak Timur", "Pontianak Utara"]


def _setup(client: TestClient, db: Session, org: Organization) -> tuple[int, str]:
    factories.user(db, org, role="admin", name="Panitia", email="panitia@pontianak.test")
    t = factories.training(db, org, title="Pembinaan Bulanan", start=date(2018, 1, 1),
                           days=365, kind="pembinaan")
    factories.committed(db)
    return t.id or 0, login_page_client(client, "panitia@pontianak.test")


def _form(csrf: str, **over: object) -> dict[str, object]:
    return {"csrf_token": csrf, "frequency": "monthly_weekday", "nth": "2", "weekday": "1",
            "monthday": "", "start": "2018-01-01", "count": "12", "until": "",
            "batch_name": [f"Kec. {k}" for k in KEC] + [""],
            "batch_venue": [f"Aula Kantor Camat {k}" for k in KEC] + [""],
            "batch_capacity": ["12"] * 6 + [""], **over}


def test_one_form_for_six_kecamatan(client: TestClient, db: Session,
                                    org: Organization) -> None:
    tid, csrf = _setup(client, db, org)
    page = client.get(f"/trainings/{tid}/batches/recurring")
    assert page.status_code == 200 and 'name="batch_name"' in page.text
    preview = client.post(f"/trainings/{tid}/batches/recurring/preview", data=_form(csrf),
                          headers={"HX-Request": "true"})
    assert preview.status_code == 200
    assert "Selasa, 9 Januari 2018" in preview.text and "Selasa, 11 Desember 2018" in preview.text
    assert "<html" not in preview.text
    r = client.post(f"/trainings/{tid}/batches/recurring", data=_form(csrf),
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    batches = db.exec(select(Batch).where(Batch.training_id == tid)).all()
    assert sorted(b.name for b in batches) == sorted(f"Kec. {k}" for k in KEC)
    assert all(len(meeting_days.days_of(b)) == 12 for b in batches)
    overview = client.get(f"/trainings/{tid}")
    assert "12 pertemuan, 9 Januari – 11 Desember 2018" in overview.text


def test_a_refused_form_keeps_what_was_typed(client: TestClient, db: Session,
                                             org: Organization) -> None:
    tid, csrf = _setup(client, db, org)
    r = client.post(f"/trainings/{tid}/batches/recurring",
                    data=_form(csrf, count="13"))  # the 13th falls in 2019
    assert r.status_code == 422
    assert "Aula Kantor Camat Pontianak Timur" in r.text
    r = client.post(f"/trainings/{tid}/batches/recurring", data=_form(csrf, count=""))
    assert r.status_code == 422
    assert db.exec(select(Batch).where(Batch.training_id == tid)).all() == []


def test_move_cancel_and_add_on_the_batch_page(client: TestClient, db: Session,
                                               org: Organization) -> None:
    tid, csrf = _setup(client, db, org)
    client.post(f"/trainings/{tid}/batches/recurring", data=_form(csrf))
    b = db.exec(select(Batch).where(Batch.training_id == tid, Batch.name == "Kec. Pontianak Kota")
                ).one()
    page = client.get(f"/batches/{b.id}/edit")
    assert page.status_code == 200 and 'id="meetings"' in page.text
    assert page.text.count(f'action="/batches/{b.id}/meetings/move"') == 12
    r = client.post(f"/batches/{b.id}/meetings/move",
                    data={"csrf_token": csrf, "day": "2018-03-13", "to": "2018-03-20"},
                    follow_redirects=False)
    assert r.status_code == 303
    r = client.post(f"/batches/{b.id}/meetings/cancel",
                    data={"csrf_token": csrf, "day": "2018-04-10"}, follow_redirects=False)
    assert r.status_code == 303
    r = client.post(f"/batches/{b.id}/meetings",
                    data={"csrf_token": csrf, "day": "2018-12-11"})
    assert r.status_code == 422 and "sudah" in r.text
    db.refresh(b)
    days = meeting_days.days_of(b)
    assert date(2018, 3, 20) in days and date(2018, 4, 10) not in days and len(days) == 11
    # Saving the batch's name keeps its meetings.
    r = client.post(f"/batches/{b.id}/edit", data={
        "csrf_token": csrf, "name": "Kec. Pontianak Kota (Aula)", "capacity": "15",
        "venue": "", "dates": [d.isoformat() for d in days]}, follow_redirects=False)
    assert r.status_code == 303, r.text
    db.refresh(b)
    assert meeting_days.days_of(b) == days and b.name == "Kec. Pontianak Kota (Aula)"
