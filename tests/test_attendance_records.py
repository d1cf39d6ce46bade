"""The record after the day (service.services.attendance_records): the committee enters or
corrects a past day's attendance from the signed daftar hadir, for one person or many;
what it refuses, the history it keeps; the API (POST /api/batches/{id}/attendance, its
bulk form, GET .../attendance/records) and the page (/trainings/{id}/attendance/record)."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from service.errors import DomainError, FieldError
from service.models import AttendanceMark, Batch, Organization, Registration, Training, User
from service.models.base import pk
from service.services import attendance_records as records
from service.services import presence, registrations
from service.services.attendance import DayOutsideBatch, NotPerSession, SessionNotOnDay
from tests import factories
from tests.helpers import login_page_client

DAY1 = factories.DAY1
DAY2 = DAY1 + timedelta(days=1)


@dataclass
class World:
    training: Training
    batch: Batch
    other: Batch
    people: list[Registration]
    admin: User


def _world(db: Session, org: Organization, people: int = 3) -> World:
    """Angkatan I on 12-13 September 2018 with `people` cadres scanned on day 1 only, and
    Angkatan II (17-18 September) with one cadre."""
    admin = factories.user(db, org, role="admin", name="Ketua Panitia")
    training = factories.training(db, org)
    batch = factories.batch(db, training)
    other = factories.batch(db, training, "Angkatan II", start=DAY1 + timedelta(days=5))
    regs = factories.register_many(db, training, batch, people)
    for reg in regs:
        factories.check_in(db, reg, DAY1, admin)
    factories.register_many(db, training, other, 1, first=people)
    return World(training, batch, other, regs, admin)


def _correct(db: Session, w: World, regs: list[Registration], status: str, day: date = DAY2,
             reason: str = "", **kw: Any) -> list[int]:
    return records.record(db, w.training, w.batch, pk(w.admin), records.Correction(
        registration_ids=[pk(r) for r in regs], day=day, status=status, reason=reason, **kw))


def _marks(db: Session) -> list[AttendanceMark]:
    return list(db.exec(select(AttendanceMark).order_by(col(AttendanceMark.id))))


# --- recording ------------------------------------------------------------------------

def test_many_people_at_once(db: Session, org: Organization) -> None:
    w = _world(db, org)
    _correct(db, w, w.people[:2], "present", reason="Tanda tangan di daftar hadir")
    found = presence.load(db, w.training, [w.batch])
    assert [found.present(pk(r), DAY2) for r in w.people] == [True, True, False]


def test_each_change_keeps_who_when_and_why(db: Session, org: Organization) -> None:
    w = _world(db, org)
    before = datetime.now().astimezone()
    _correct(db, w, [w.people[0]], "excused", reason="Sakit, ada surat", excuse="sick")
    _correct(db, w, [w.people[0]], "present", reason="Ternyata datang siang")
    r = records.day_records(db, w.training, w.batch, DAY2)
    row = next(x for x in r.rows if x.registration_id == pk(w.people[0]))
    assert [(e.by, e.status, e.excuse, e.reason) for e in row.history] == [
        ("Ketua Panitia", "excused", "sick", "Sakit, ada surat"),
        ("Ketua Panitia", "present", None, "Ternyata datang siang")]
    assert all(e.at >= before - timedelta(seconds=5) for e in row.history)
    assert all(e.at.utcoffset() == timedelta(hours=7) for e in row.history)  # WIB
    assert row.state.status == "present"


def test_rows_are_only_added(db: Session, org: Organization) -> None:
    w = _world(db, org)
    _correct(db, w, [w.people[0]], "absent", reason="Salah pindai")
    first = _marks(db)[0]
    _correct(db, w, [w.people[0]], "present", reason="Ternyata hadir")
    stored = _marks(db)
    assert len(stored) == 2 and (stored[0].id, stored[0].status) == (first.id, "absent")


def test_the_same_mark_twice_adds_nothing(db: Session, org: Organization) -> None:
    w = _world(db, org)
    _correct(db, w, [w.people[0]], "present", reason="Daftar hadir")
    _correct(db, w, [w.people[0]], "present", reason="Daftar hadir")
    assert len(_marks(db)) == 1


def test_the_same_person_twice_in_one_form_is_marked_once(db: Session,
                                                          org: Organization) -> None:
    w = _world(db, org)
    assert _correct(db, w, [w.people[0], w.people[0]], "present") == [pk(w.people[0])]
    assert len(_marks(db)) == 1


def test_an_excused_mark_defaults_to_izin_and_keeps_the_reason_tidied(
        db: Session, org: Organization) -> None:
    w = _world(db, org)
    _correct(db, w, [w.people[0]], "excused", reason="  Acara   keluarga ")
    (stored,) = _marks(db)
    assert (stored.status, stored.excuse, stored.reason) == ("excused", "leave",
                                                             "Acara keluarga")


def test_today_can_be_recorded(db: Session, org: Organization) -> None:
    w = _world(db, org)
    now = factories.moment(w.training, DAY2, time(16))
    records.record(db, w.training, w.batch, pk(w.admin), records.Correction(
        registration_ids=[pk(w.people[0])], day=DAY2, status="present"), now=now)
    assert len(_marks(db)) == 1


# --- refusals: each changes nothing -------------------------------------------------------

def _refused(db: Session, w: World, regs: list[Registration], status: str = "present",
             **kw: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        _correct(db, w, regs, status, **kw)
    assert _marks(db) == []
    return caught.value


def test_excused_without_a_reason_is_refused(db: Session, org: Organization) -> None:
    w = _world(db, org)
    err = _refused(db, w, [w.people[0]], "excused", reason="   ")
    assert isinstance(err, FieldError) and err.field == "reason"
    assert err.code == "reason_required" and err.status == 422


def test_an_unknown_status_is_refused(db: Session, org: Organization) -> None:
    w = _world(db, org)
    assert _refused(db, w, [w.people[0]], "late").code == "unknown_status"


def test_a_day_not_of_the_batch_is_refused(db: Session, org: Organization) -> None:
    w = _world(db, org)
    assert isinstance(_refused(db, w, [w.people[0]], day=DAY1 + timedelta(days=5)),
                      DayOutsideBatch)


def test_a_future_day_is_refused(db: Session, org: Organization) -> None:
    w = _world(db, org)
    now = factories.moment(w.training, DAY1, time(16))  # the evening of day 1
    with pytest.raises(records.DayInFuture):
        records.record(db, w.training, w.batch, pk(w.admin), records.Correction(
            registration_ids=[pk(w.people[0])], day=DAY2, status="present"), now=now)
    assert _marks(db) == []


def test_a_session_in_day_mode_is_refused(db: Session, org: Organization) -> None:
    w = _world(db, org)
    s = factories.session(db, w.training, w.batch, day=DAY2)
    assert isinstance(_refused(db, w, [w.people[0]], session_id=pk(s)), NotPerSession)


def test_a_session_not_on_that_day_is_refused(db: Session, org: Organization) -> None:
    admin = factories.user(db, org, role="admin")
    training = factories.training(db, org, mode="session")
    batch = factories.batch(db, training)
    reg = factories.register(db, training, batch)
    day1 = factories.session(db, training, batch, "Materi hari ke-1", day=DAY1)
    w = World(training, batch, batch, [reg], admin)
    assert isinstance(_refused(db, w, [reg], session_id=pk(day1), day=DAY2), SessionNotOnDay)


def test_a_session_that_has_not_begun_is_refused(db: Session, org: Organization) -> None:
    admin = factories.user(db, org, role="admin")
    training = factories.training(db, org, mode="session")
    batch = factories.batch(db, training)
    reg = factories.register(db, training, batch)
    later = factories.session(db, training, batch, day=DAY1, start=time(14), end=time(15))
    with pytest.raises(records.SessionNotStarted):
        records.record(db, training, batch, pk(admin), records.Correction(
            registration_ids=[pk(reg)], day=DAY1, status="present", session_id=pk(later)),
            now=factories.moment(training, DAY1, time(10)))


def test_a_registration_of_another_batch_refuses_the_whole_form(
        db: Session, org: Organization) -> None:
    w = _world(db, org)
    stranger = db.exec(select(Registration).where(Registration.batch_id == pk(w.other))).one()
    err = _refused(db, w, [w.people[0], stranger])
    assert err.code == "registration_not_in_batch" and err.status == 422


def test_a_registration_of_another_organization_is_not_found(db: Session,
                                                             org: Organization) -> None:
    w = _world(db, org)
    elsewhere = factories.organization(db, "DP3AP2KB Kota Pontianak")
    t = factories.training(db, elsewhere)
    foreign = factories.register(db, t, factories.batch(db, t), name="Orang Lain")
    err = _refused(db, w, [foreign])
    assert err.code == "registration_not_found" and err.status == 404


def test_a_cancelled_registration_is_refused(db: Session, org: Organization) -> None:
    w = _world(db, org)
    registrations.cancel(db, w.people[2])
    assert _refused(db, w, [w.people[2]]).code == "registration_not_confirmed"


def test_nobody_ticked_is_refused(db: Session, org: Organization) -> None:
    w = _world(db, org)
    assert _refused(db, w, []).code == "nobody_chosen"


def test_marks_lock_the_check_in_mode(db: Session, org: Organization) -> None:
    admin = factories.user(db, org, role="admin")
    training = factories.training(db, org)
    batch = factories.batch(db, training)
    factories.mark(db, factories.register(db, training, batch), DAY1, admin, "present")
    from service.services import trainings

    assert trainings._has_checkins(db, training)


# --- the day's records --------------------------------------------------------------------

def test_day_records_list_everyone_by_name_with_scans_and_state(
        db: Session, org: Organization) -> None:
    w = _world(db, org)
    titled = factories.register(db, w.training, w.batch, name="Dra. Hj. Yusnimar")
    _correct(db, w, [w.people[1]], "absent", day=DAY1, reason="Tiketnya dipindai temannya")
    r = records.day_records(db, w.training, w.batch, DAY1)
    assert [x.name for x in r.rows][-1] == "Dra. Hj. Yusnimar"  # sorted under Y
    assert r.counts == {"present": 2, "absent": 2, "excused": 0}
    wrong = next(x for x in r.rows if x.registration_id == pk(w.people[1]))
    assert wrong.state.scanned and wrong.state.marked and len(wrong.scans) == 1
    assert wrong.scans[0].at.strftime("%H:%M") == "08:00"
    assert next(x for x in r.rows if x.registration_id == pk(titled)).scans == []


# --- the API ------------------------------------------------------------------------------

@pytest.fixture
def world(db: Session, org: Organization) -> World:
    w = _world(db, org)
    factories.committed(db)
    return w


def test_api_records_one_person_and_answers_the_new_state(api: TestClient,
                                                          world: World) -> None:
    reg = world.people[0]
    r = api.post(f"/api/batches/{world.batch.id}/attendance", json={
        "registration_id": reg.id, "day": "2018-09-13", "status": "excused",
        "excuse": "sick", "reason": "Demam tinggi"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["registration_id"], body["day"], body["status"], body["source"]) == (
        reg.id, "2018-09-13", "excused", "mark")
    assert (body["excuse"], body["reason"], body["checked_in"]) == ("sick", "Demam tinggi",
                                                                    False)
    assert [(h["by"], h["status"], h["reason"]) for h in body["history"]] == [
        ("Admin", "excused", "Demam tinggi")]


def test_api_bulk_form(api: TestClient, world: World) -> None:
    ids = [r.id for r in world.people[:2]]
    r = api.post(f"/api/batches/{world.batch.id}/attendance/bulk", json={
        "registration_ids": ids, "day": "2018-09-13", "status": "present",
        "reason": "Daftar hadir hari ke-2"})
    assert r.status_code == 200, r.text
    assert sorted((i["registration_id"], i["status"]) for i in r.json()["items"]) == [
        (ids[0], "present"), (ids[1], "present")]


def test_api_a_days_records_with_history(api: TestClient, db: Session, world: World) -> None:
    factories.mark(db, world.people[0], DAY1, world.admin, "absent", "Salah pindai")
    factories.committed(db)
    r = api.get(f"/api/batches/{world.batch.id}/attendance/records",
                params={"day": "2018-09-12"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["expected"], body["counts"]) == (3, {"present": 2, "absent": 1, "excused": 0})
    first = next(i for i in body["items"] if i["registration_id"] == world.people[0].id)
    assert (first["status"], first["source"], first["checked_in"]) == ("absent", "mark", True)
    assert [c["method"] for c in first["check_ins"]] == ["manual"]
    assert [(h["by"], h["reason"]) for h in first["history"]] == [("Ketua Panitia",
                                                                   "Salah pindai")]
    other = next(i for i in body["items"] if i["registration_id"] == world.people[1].id)
    assert (other["status"], other["source"], other["history"]) == ("present", "scan", [])


@pytest.mark.parametrize("change, code", [
    ({"day": "2018-09-20"}, "day_outside_batch"),
    ({"day": "2999-01-01"}, "day_outside_batch"),
    ({"status": "late"}, "validation_error"),
    ({"status": "excused", "reason": ""}, "reason_required"),
    ({"session_id": 1}, "not_per_session"),
])
def test_api_refusals_are_4xx_in_indonesian_and_change_nothing(
        api: TestClient, db: Session, world: World, change: dict[str, Any], code: str) -> None:
    body = {"registration_id": world.people[0].id, "day": "2018-09-13", "status": "present",
            "reason": "", **change}
    r = api.post(f"/api/batches/{world.batch.id}/attendance", json=body)
    assert r.status_code == 422 and r.json()["code"] == code, r.text
    assert not re.search(r"\b(the|is|not|of|choose)\b", r.json()["message"]), r.json()
    assert _marks(db) == []


def test_api_a_future_day_is_a_422(api: TestClient, db: Session, org: Organization,
                                   admin: User) -> None:
    start = date.today() + timedelta(days=10)
    t = factories.training(db, org, start=start)
    b = factories.batch(db, t)
    reg = factories.register(db, t, b)
    factories.committed(db)
    r = api.post(f"/api/batches/{b.id}/attendance", json={
        "registration_id": reg.id, "day": start.isoformat(), "status": "present"})
    assert r.status_code == 422 and r.json()["code"] == "day_in_future"
    assert "belum tiba" in r.json()["message"]


def test_api_a_registration_of_another_batch_or_organization(
        api: TestClient, db: Session, world: World) -> None:
    stranger = db.exec(select(Registration).where(Registration.batch_id == pk(world.other))
                       ).one()
    r = api.post(f"/api/batches/{world.batch.id}/attendance", json={
        "registration_id": stranger.id, "day": "2018-09-13", "status": "present"})
    assert r.status_code == 422 and r.json()["code"] == "registration_not_in_batch"
    assert "bukan peserta Angkatan I" in r.json()["message"]
    elsewhere = factories.organization(db, "DP3AP2KB Kota Pontianak")
    t = factories.training(db, elsewhere)
    foreign = factories.register(db, t, factories.batch(db, t), name="Orang Lain")
    factories.committed(db)
    r = api.post(f"/api/batches/{world.batch.id}/attendance", json={
        "registration_id": foreign.id, "day": "2018-09-13", "status": "present"})
    assert r.status_code == 404 and r.json()["code"] == "registration_not_found"
    r = api.post(f"/api/batches/{pk(factories.batch(db, t, 'Lain'))}/attendance", json={
        "registration_id": foreign.id, "day": "2018-09-13", "status": "present"})
    assert r.status_code == 404  # another organization's batch
    assert _marks(db) == []


def test_api_a_scanner_may_not_record(client: TestClient, db: Session, org: Organization,
                                      world: World) -> None:
    gate = factories.user(db, org, role="scanner", training=world.training)
    factories.committed(db)
    token = client.post("/api/auth/token", data={"username": gate.email,
                                                 "password": factories.PASSWORD}).json()
    r = client.post(f"/api/batches/{world.batch.id}/attendance", json={
        "registration_id": world.people[0].id, "day": "2018-09-13", "status": "present"},
        headers={"Authorization": f"Bearer {token['access_token']}"})
    assert r.status_code == 403 and _marks(db) == []


# --- the page -----------------------------------------------------------------------------

@pytest.fixture
def page(client: TestClient, admin: User, world: World) -> tuple[TestClient, str]:
    return client, login_page_client(client, admin.email)


def _url(w: World, day: date = DAY2) -> str:
    return f"/trainings/{w.training.id}/attendance/record?batch={w.batch.id}&day={day}"


def test_page_lists_the_people_with_their_state(page: tuple[TestClient, str],
                                               world: World) -> None:
    client, _csrf = page
    r = client.get(_url(world, DAY1))
    assert r.status_code == 200
    assert "Catat kehadiran setelah hari H" in r.text
    assert r.text.count('name="registration_id"') == 3
    assert 'id="rec-present">3<' in r.text and "dipindai pukul 08.00" in r.text


def test_page_without_javascript_posts_and_comes_back_with_a_notice(
        page: tuple[TestClient, str], db: Session, world: World) -> None:
    client, csrf = page
    form = {"csrf_token": csrf, "batch": str(world.batch.id), "day": "2018-09-13",
            "registration_id": [str(world.people[0].id), str(world.people[1].id)],
            "action": "present", "reason": "Tanda tangan di daftar hadir"}
    r = client.post(f"/trainings/{world.training.id}/attendance/record", data=form,
                    follow_redirects=False)
    assert r.status_code == 303
    back = client.get(r.headers["location"])
    assert "2 orang dicatat hadir." in back.text and 'id="rec-present">2<' in back.text
    assert "Tanda tangan di daftar hadir" in back.text and "Riwayat (1 perubahan)" in back.text


def test_page_with_htmx_swaps_the_list(page: tuple[TestClient, str], world: World) -> None:
    client, csrf = page
    r = client.post(f"/trainings/{world.training.id}/attendance/record", data={
        "batch": str(world.batch.id), "day": "2018-09-13",
        "registration_id": str(world.people[2].id), "action": "sick", "reason": "Demam"},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf})
    assert r.status_code == 200
    assert r.text.lstrip().startswith('<div id="att-record"') and "<html" not in r.text
    assert "1 orang dicatat sakit." in r.text and 'id="rec-excused">1<' in r.text


def test_page_refusal_keeps_the_ticks_and_says_why(page: tuple[TestClient, str], db: Session,
                                                    world: World) -> None:
    client, csrf = page
    r = client.post(f"/trainings/{world.training.id}/attendance/record", data={
        "csrf_token": csrf, "batch": str(world.batch.id), "day": "2018-09-13",
        "registration_id": str(world.people[0].id), "action": "leave", "reason": ""})
    assert r.status_code == 422
    assert "Tuliskan alasan izin atau sakit" in r.text
    assert f'value="{world.people[0].id}" id="pick-{world.people[0].id}" checked' in r.text
    assert _marks(db) == []


def test_page_refuses_a_form_without_csrf(page: tuple[TestClient, str], db: Session,
                                          world: World) -> None:
    client, _csrf = page
    r = client.post(f"/trainings/{world.training.id}/attendance/record", data={
        "batch": str(world.batch.id), "day": "2018-09-13",
        "registration_id": str(world.people[0].id), "action": "present"})
    assert r.status_code == 403 and _marks(db) == []


def test_live_page_links_to_the_record_for_a_past_day(page: tuple[TestClient, str],
                                                     world: World) -> None:
    client, _csrf = page
    r = client.get(f"/trainings/{world.training.id}/attendance?batch={world.batch.id}"
                   "&day=2018-09-13")
    assert 'id="att-record-link"' in r.text
    assert f"/attendance/record?batch={world.batch.id}&amp;day=2018-09-13" in r.text


def test_page_lists_only_the_absent_when_asked(page: tuple[TestClient, str],
                                               world: World) -> None:
    client, _csrf = page
    r = client.get(_url(world, DAY2) + "&show=absent")
    assert r.text.count('name="registration_id"') == 3  # nobody scanned on day 2
    r = client.get(_url(world, DAY1) + "&show=absent")
    assert r.text.count('name="registration_id"') == 0 and "Tidak ada orang di sini." in r.text
    r = client.get(_url(world, DAY1) + "&show=present")
    assert r.text.count('name="registration_id"') == 3 and 'id="rec-show-all"' in r.text
