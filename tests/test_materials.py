"""Sessions' materials (issue 17): the narasumber uploads through their /n/ link for the
sessions they teach only; the committee through the API; participants see them on their
ticket once the session has started, and only their own training's and batch's."""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.models import SessionMaterial
from service.models.base import pk
from service.services import roster_links
from service.services.meetings import materials
from tests import factories
from tests import presentation_files as files


def _world(db: Session, org: Any = None, start: date | None = None) -> dict[str, Any]:
    org = org or factories.organization(db)
    admin = factories.user(db, org, role="admin", email=f"a{id(org)}@x.test")
    first = start or date.today() - timedelta(days=1)
    t = factories.training(db, org, start=first, days=3, categories=())
    b = factories.batch(db, t, start=first, days=3)
    rahma = factories.speaker(db, org, "Dr. Siti Rahma")
    budi = factories.speaker(db, org, "Drs. Budi Santoso")
    past = factories.session(db, t, b, "Kesehatan Reproduksi", day=first,
                             start=time(8), end=time(10), teachers=[rahma])
    future = factories.session(db, t, b, "Pengasuhan Balita", day=first + timedelta(days=2),
                               start=time(8), end=time(10), teachers=[rahma])
    other = factories.session(db, t, b, "Adminduk", day=first, start=time(10, 30),
                              end=time(12), teachers=[budi])
    raw, _link = roster_links.create_link(db, t, pk(rahma), admin)
    reg = factories.register(db, t, b, name="Siti Aminah")
    return {"org": org, "admin": admin, "t": t, "b": b, "rahma": rahma, "past": past,
            "future": future, "other": other, "token": raw, "reg": reg}


def _speaker_upload(client: TestClient, token: str, session_id: int, name: str,
                    data: bytes) -> Any:
    return client.post(f"/n/{token}/materi", data={"session_id": str(session_id)},
                       files={"file": (name, data, "application/pdf")},
                       follow_redirects=False)


def test_the_narasumber_uploads_for_a_session_they_teach(client: TestClient,
                                                         db: Session) -> None:
    w = _world(db)
    factories.committed(db)
    r = _speaker_upload(client, w["token"], pk(w["past"]), "Kespro Remaja.pdf", files.pdf())
    assert r.status_code == 303, r.text
    row = db.exec(select(SessionMaterial)).one()
    assert row.session_id == pk(w["past"]) and row.speaker_id == pk(w["rahma"])
    assert row.title == "Kespro Remaja" and row.file_type == "pdf"
    page = client.get(f"/n/{w['token']}")
    assert "Kespro Remaja" in page.text
    down = client.get(f"/n/{w['token']}/materi/{pk(row)}")
    assert down.status_code == 200 and down.content.startswith(b"%PDF-")


def test_the_narasumber_cannot_upload_for_another_speakers_session(client: TestClient,
                                                                   db: Session) -> None:
    w = _world(db)
    factories.committed(db)
    r = _speaker_upload(client, w["token"], pk(w["other"]), "x.pdf", files.pdf())
    assert r.status_code == 404
    assert db.exec(select(SessionMaterial)).all() == []


def test_a_bad_or_revoked_link_uploads_nothing(client: TestClient, db: Session) -> None:
    w = _world(db)
    factories.committed(db)
    r = _speaker_upload(client, "A" * 32, pk(w["past"]), "x.pdf", files.pdf())
    assert r.status_code == 404
    assert db.exec(select(SessionMaterial)).all() == []


def test_a_disguised_or_empty_file_through_the_link_is_refused(client: TestClient,
                                                               db: Session) -> None:
    w = _world(db)
    factories.committed(db)
    for name, data, status in (("foto.pdf", files.JPEG, 422), ("kosong.pptx", b"", 422),
                               ("surat.pptx", files.docx(), 422)):
        r = _speaker_upload(client, w["token"], pk(w["past"]), name, data)
        assert r.status_code == status, name
        assert "Unggahan ditolak" in r.text
    assert db.exec(select(SessionMaterial)).all() == []


def test_materials_show_on_the_ticket_only_after_the_session_started(db: Session) -> None:
    w = _world(db, start=date(2018, 9, 12))
    for session in (w["past"], w["future"]):
        materials.add_material(db, session, w["t"], files.pdf(), f"{session.title}.pdf",
                               speaker=w["rahma"])
    zone = ZoneInfo("Asia/Jakarta")
    before = datetime(2018, 9, 12, 7, 59, tzinfo=zone)
    at_start = datetime(2018, 9, 12, 8, 0, tzinfo=zone)
    later = datetime(2018, 9, 14, 9, 0, tzinfo=zone)
    assert materials.ticket_materials(db, w["reg"], w["t"], before) == []
    assert [r.session.title for r in materials.ticket_materials(db, w["reg"], w["t"],
                                                                at_start)] == [
        "Kesehatan Reproduksi"]
    assert len(materials.ticket_materials(db, w["reg"], w["t"], later)) == 2


def test_the_ticket_page_lists_and_serves_started_sessions_only(client: TestClient,
                                                                db: Session) -> None:
    w = _world(db)
    done = materials.add_material(db, w["past"], w["t"], files.pdf(), "Kespro.pdf")
    coming = materials.add_material(db, w["future"], w["t"], files.pptx(), "Balita.pptx")
    factories.committed(db)
    token = w["reg"].ticket_token
    page = client.get(f"/t/{token}")
    assert page.status_code == 200
    assert f"/t/{token}/materi/{pk(done)}" in page.text
    assert f"/materi/{pk(coming)}" not in page.text and "Balita" not in page.text.split(
        'id="ticket-materials"')[-1].split("</div>")[0]
    assert client.get(f"/t/{token}/materi/{pk(done)}").content.startswith(b"%PDF-")
    assert client.get(f"/t/{token}/materi/{pk(coming)}").status_code == 404


def test_another_trainings_ticket_gets_nothing(client: TestClient, db: Session) -> None:
    w = _world(db)
    done = materials.add_material(db, w["past"], w["t"], files.pdf(), "Kespro.pdf")
    other_t = factories.training(db, w["org"], title="Bimtek Lain",
                                 start=w["t"].start_date, days=3, categories=())
    other_b = factories.batch(db, other_t, start=w["t"].start_date, days=3)
    stranger = factories.register(db, other_t, other_b, name="Budi")
    factories.committed(db)
    assert client.get(f"/t/{stranger.ticket_token}/materi/{pk(done)}").status_code == 404
    assert "ticket-materials" not in client.get(f"/t/{stranger.ticket_token}").text


def test_a_cancelled_ticket_gets_nothing(db: Session) -> None:
    w = _world(db)
    materials.add_material(db, w["past"], w["t"], files.pdf(), "Kespro.pdf")
    w["reg"].status = "cancelled"
    assert materials.ticket_materials(db, w["reg"], w["t"]) == []


def test_committee_api_uploads_lists_and_deletes(api: TestClient, db: Session,
                                                 org: Any) -> None:
    w = _world(db, org)
    factories.committed(db)
    r = api.post(f"/api/sessions/{pk(w['other'])}/materials", data={"title": "Adminduk 2024"},
                 files={"file": ("adminduk.odp", files.odp(), "application/octet-stream")})
    assert r.status_code == 201, r.text
    assert r.json()["title"] == "Adminduk 2024" and r.json()["file_type"] == "odp"
    listed = api.get(f"/api/trainings/{pk(w['t'])}/materials").json()
    assert listed["total"] == 1 and listed["items"][0]["session"] == "Adminduk"
    bad = api.post(f"/api/sessions/{pk(w['other'])}/materials",
                   files={"file": ("x.ppt", files.xls(), "application/vnd.ms-powerpoint")})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_file_type"
    assert api.get(f"/api/trainings/{pk(w['t'])}/materials").json()["total"] == 1
    assert api.delete(f"/api/materials/{r.json()['id']}").status_code == 204
    assert api.get(f"/api/trainings/{pk(w['t'])}/materials").json()["total"] == 0
