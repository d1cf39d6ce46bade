"""The HTTP contract of minutes and follow-up actions, the pages and the /u/ link."""

from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models import Training
from service.models.base import pk
from service.services import units
from service.services.actions import links
from tests import factories


def _meeting(db: Session, org) -> Training:  # type: ignore[no-untyped-def]
    t = factories.training(db, org, title="Rapat Pokja Kampung KB", start=date(2018, 10, 4),
                           days=1, kind="pertemuan")
    factories.committed(db)
    return t


def test_minutes_and_actions_over_the_api(api: TestClient, db: Session, org) -> None:  # type: ignore[no-untyped-def]
    t = _meeting(db, org)
    tid = pk(t)
    first = api.put(f"/api/trainings/{tid}/minutes", json={
        "text": "Pembahasan:\n", "decisions": ["Rapat bulanan tiap Kamis pertama."],
        "base_version": 0, "chair_name": "Drs. H. Ahmad", "note_taker_name": "Siti"})
    assert first.status_code == 200, first.text
    assert first.json()["version"] == 1
    a = api.put(f"/api/trainings/{tid}/minutes", json={
        "text": "Pembahasan:\n- A.\n", "decisions": ["Rapat bulanan tiap Kamis pertama."],
        "base_version": 1})
    b = api.put(f"/api/trainings/{tid}/minutes", json={
        "text": "Hadir 7 camat.\nPembahasan:\n", "base_version": 1,
        "decisions": ["Rapat bulanan tiap Kamis pertama."]})
    assert b.json()["merged"] is True and "- A." in b.json()["text"]
    assert "Hadir 7 camat." in b.json()["text"] and a.json()["merged"] is False
    made = api.post(f"/api/trainings/{tid}/actions", json={
        "title": "Rekap data PUS", "unit": "Kecamatan Serpong", "owner": "Camat",
        "due_date": "2018-11-01"})
    assert made.status_code == 201, made.text
    aid = made.json()["id"]
    assert units.find_unit(db, pk(org), "Kecamatan Serpong") is not None
    patched = api.patch(f"/api/actions/{aid}", json={"status": "in_progress", "note": "mulai"})
    assert patched.json()["status"] == "in_progress"
    listed = api.get("/api/actions", params={"overdue": "true"}).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == aid
    assert api.get("/api/actions", params={"status": "done"}).json()["total"] == 0
    bad = api.patch(f"/api/actions/{aid}", json={"status": "finished"})
    assert bad.status_code == 422
    pdf = api.get(f"/api/trainings/{tid}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = api.get(f"/api/trainings/{tid}/minutes.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    big = api.put(f"/api/actions/{aid}/evidence",
                  files={"file": ("bukti.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 5),
                                  "application/pdf")})
    # The request body limit answers first (the service's own limit: test_actions.py).
    assert big.status_code in (413, 422)
    assert api.get(f"/api/actions/{aid}/evidence").status_code == 404
    ok = api.put(f"/api/actions/{aid}/evidence",
                 files={"file": ("bukti.pdf", b"%PDF-1.4\nx\n%%EOF\n", "application/pdf")})
    assert ok.status_code == 200, ok.text
    assert api.get(f"/api/actions/{aid}/evidence").content.startswith(b"%PDF")


def test_the_unit_link_page_shows_and_updates_only_its_units_actions(
        client: TestClient, db: Session, org) -> None:  # type: ignore[no-untyped-def]
    from service.schemas.actions import ActionCreate
    from service.services.actions import core

    t = _meeting(db, org)
    mine = core.create_action(db, t, ActionCreate(title="Data PUS Pamulang",
                                                  unit="Kecamatan Pamulang",
                                                  due_date=date(2018, 11, 1)), None)
    theirs = core.create_action(db, t, ActionCreate(title="Data KB Ciputat",
                                                    unit="Kecamatan Ciputat",
                                                    due_date=date(2018, 11, 1)), None)
    unit = units.find_unit(db, pk(org), "Kecamatan Pamulang")
    assert unit is not None
    raw, _ = links.issue(db, unit, None)
    factories.committed(db)
    page = client.get(f"/u/{raw}")
    assert page.status_code == 200
    assert "Data PUS Pamulang" in page.text and "Data KB Ciputat" not in page.text
    assert page.headers["cache-control"] == "no-store"
    done = client.post(f"/u/{raw}/actions/{pk(mine)}", data={"status": "done", "note": "ok"},
                       follow_redirects=False)
    assert done.status_code == 303
    db.refresh(mine)
    assert mine.status == "done"
    guessed = client.post(f"/u/{raw}/actions/{pk(theirs)}", data={"status": "done"})
    assert guessed.status_code == 404
    db.refresh(theirs)
    assert theirs.status == "open"
    links.revoke(db, unit)
    factories.committed(db)
    assert client.get(f"/u/{raw}").status_code == 404


def test_the_minutes_page_and_the_board_render(client: TestClient, db: Session, org,  # type: ignore[no-untyped-def]
                                               admin) -> None:
    from tests.helpers import login_page_client

    t = _meeting(db, org)
    csrf = login_page_client(client, admin.email)
    page = client.get(f"/trainings/{pk(t)}/minutes")
    assert page.status_code == 200 and 'id="minutes-editor"' in page.text
    saved = client.put(f"/trainings/{pk(t)}/minutes", json={"text": "Catatan", "base_version": 0},
                       headers={"X-CSRF-Token": csrf})
    assert saved.status_code == 200 and saved.json()["version"] == 1
    added = client.post(f"/trainings/{pk(t)}/minutes/actions", data={
        "csrf_token": csrf, "title": "Rekap PUS", "unit": "Kecamatan Setu",
        "due_date": "2018-11-01", "meeting_on": "2018-10-04"}, headers={"HX-Request": "true"})
    assert added.status_code == 200 and "Rekap PUS" in added.text
    board = client.get("/actions", params={"overdue": "1"})
    assert board.status_code == 200 and "Kecamatan Setu" in board.text
