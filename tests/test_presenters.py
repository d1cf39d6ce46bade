"""A meeting's presenters by unit (issue 17): time slots inside the meeting's days, units
from the register or typed, presentations checked by content and size, per-unit
attendance of delegates, and the agenda PDF listing them."""

from datetime import date, time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.errors import DomainError, FieldError
from service.models import MeetingPresenter, OrgUnit
from service.models.base import pk
from service.schemas.meetings import PresenterIn
from service.services import units
from service.services.meetings import delegates, presenters, uploads
from service.settings import get_settings
from tests import factories
from tests import presentation_files as files

MB = 1024 * 1024


def _meeting(db: Session, org: Any = None) -> tuple[Any, Any]:
    org = org or factories.organization(db, "DP3AP2KB Kota Tangerang Selatan")
    t = factories.training(db, org, title="Rapat Pokja Kampung KB", kind="pertemuan",
                           start=date(2018, 10, 2), days=7, categories=())
    # Meets on the 2nd and the 4th only.
    b = factories.batch(db, t, name="Rapat", start=date(2018, 10, 2), days=3,
                        dates=[date(2018, 10, 2), date(2018, 10, 4)])
    return t, b


def _presenter(day: date = date(2018, 10, 2), **fields: Any) -> PresenterIn:
    base: dict[str, Any] = {"unit": "Dinas Kesehatan", "name": "dr. Allin Hendalin",
                            "position": "Kepala Dinas", "topic": "Pelayanan KB di puskesmas",
                            "day": day, "start_time": time(9), "end_time": time(9, 30)}
    return PresenterIn(**{**base, **fields})


def test_a_typed_unit_is_added_to_the_register_and_found_again(db: Session) -> None:
    t, _ = _meeting(db)
    first = presenters.create_presenter(db, t, _presenter())
    second = presenters.create_presenter(db, t, _presenter(unit="  Dinas   Kesehatan ",
                                                           start_time=time(10),
                                                           end_time=time(10, 20)))
    assert first.unit_id == second.unit_id
    names = [u.name for u in units.list_units(db, t.organization_id)]
    assert names == ["Dinas Kesehatan"]


def test_presenters_list_in_time_order(db: Session) -> None:
    t, _ = _meeting(db)
    presenters.create_presenter(db, t, _presenter(day=date(2018, 10, 4), unit="Bappeda",
                                                  start_time=time(8), end_time=time(8, 30)))
    presenters.create_presenter(db, t, _presenter(unit="Disdukcapil", start_time=time(11),
                                                  end_time=time(11, 30)))
    presenters.create_presenter(db, t, _presenter(unit="DP3AKB", start_time=time(9),
                                                  end_time=time(9, 30)))
    order = [r.unit.name for r in presenters.list_presenters(db, t)]
    assert order == ["DP3AKB", "Disdukcapil", "Bappeda"]


@pytest.mark.parametrize("day", [date(2018, 10, 3), date(2018, 10, 1), date(2018, 10, 8)])
def test_a_slot_outside_the_meeting_days_is_refused(db: Session, day: date) -> None:
    t, _ = _meeting(db)
    with pytest.raises(FieldError) as refused:
        presenters.create_presenter(db, t, _presenter(day=day))
    assert refused.value.code == "not_meeting_day" and refused.value.field == "day"
    assert db.exec(select(MeetingPresenter)).all() == []


def test_an_end_before_the_start_is_refused(db: Session) -> None:
    t, _ = _meeting(db)
    with pytest.raises(FieldError) as refused:
        presenters.create_presenter(db, t, _presenter(start_time=time(10),
                                                      end_time=time(9)))
    assert refused.value.field == "end_time"


def test_moving_a_presenter_off_the_meeting_days_is_refused(api: TestClient, db: Session,
                                                            admin: Any, org: Any) -> None:
    t, _ = _meeting(db, org)
    p = presenters.create_presenter(db, t, _presenter())
    factories.committed(db)
    r = api.patch(f"/api/presenters/{pk(p)}", json={"day": "2018-10-03"})
    assert r.status_code == 422 and r.json()["code"] == "not_meeting_day"
    assert "2018" in r.json()["message"]
    r = api.patch(f"/api/presenters/{pk(p)}", json={"day": "2018-10-04", "topic": "Adminduk"})
    assert r.status_code == 200
    assert r.json()["day"] == "2018-10-04" and r.json()["topic"] == "Adminduk"


def test_api_creates_lists_and_deletes(api: TestClient, db: Session, admin: Any, org: Any) -> None:
    t, b = _meeting(db, org)
    unit = units.create_unit(db, pk(org), "Kecamatan Serpong", "kecamatan")
    factories.committed(db)
    r = api.post(f"/api/trainings/{pk(t)}/presenters", json={
        "unit_id": pk(unit), "name": "Camat Serpong", "topic": "Kampung KB Serpong",
        "day": "2018-10-02", "start_time": "13:00", "end_time": "13:15"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["unit"] == "Kecamatan Serpong" and body["unit_kind"] == "kecamatan"
    assert body["batch_id"] == pk(b) and body["file_url"] is None
    listed = api.get(f"/api/trainings/{pk(t)}/presenters").json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]
    assert api.delete(f"/api/presenters/{body['id']}").status_code == 204
    assert api.get(f"/api/trainings/{pk(t)}/presenters").json()["total"] == 0


def test_a_unit_of_another_organization_is_refused(api: TestClient, db: Session,
                                                   admin: Any, org: Any) -> None:
    t, _ = _meeting(db, org)
    other = units.create_unit(db, pk(factories.organization(db, "Kota Bogor")), "Bappeda")
    factories.committed(db)
    r = api.post(f"/api/trainings/{pk(t)}/presenters", json={
        "unit_id": pk(other), "name": "X", "topic": "Y", "day": "2018-10-02",
        "start_time": "08:00", "end_time": "08:30"})
    assert r.status_code == 404
    assert db.exec(select(MeetingPresenter)).all() == []


# --- presentations --------------------------------------------------------------------------

@pytest.mark.parametrize(("make", "kind"), [(files.pdf, "pdf"), (files.pptx, "pptx"),
                                            (files.ppt, "ppt"), (files.odp, "odp")])
def test_each_kind_is_recognised_by_its_content(make: Any, kind: str) -> None:
    checked = uploads.check(make(), "paparan final (rev 2).bin")
    assert checked.kind == kind
    assert checked.name == f"paparan final (rev 2).{kind}"


@pytest.mark.parametrize("data", [files.JPEG, files.docx(), files.xls(), b"hello world",
                                  b"PK\x03\x04 broken zip"])
def test_a_file_named_like_a_presentation_is_refused_by_its_content(data: bytes) -> None:
    with pytest.raises(FieldError) as refused:
        uploads.check(data, "paparan.pdf")
    assert refused.value.code == "invalid_file_type" and refused.value.status == 422


def test_upload_stores_and_downloads_the_presentation(api: TestClient, db: Session,
                                                      admin: Any, org: Any) -> None:
    t, _ = _meeting(db, org)
    p = presenters.create_presenter(db, t, _presenter())
    factories.committed(db)
    content = files.pdf()
    r = api.put(f"/api/presenters/{pk(p)}/file",
                files={"file": ("Paparan Dinkes.pptx", content, "application/octet-stream")})
    assert r.status_code == 200, r.text
    assert r.json()["file_type"] == "pdf" and r.json()["file_name"] == "Paparan Dinkes.pdf"
    assert r.json()["file_size"] == len(content)
    down = api.get(f"/api/presenters/{pk(p)}/file")
    assert down.status_code == 200 and down.content == content
    assert down.headers["content-type"] == "application/pdf"
    assert "attachment" in down.headers["content-disposition"]


@pytest.mark.parametrize(("name", "data", "status", "code"), [
    ("kosong.pdf", b"", 422, "no_file"),
    ("foto.pdf", files.JPEG, 422, "invalid_file_type"),
    ("laporan.pptx", files.docx(), 422, "invalid_file_type"),
])
def test_a_refused_upload_stores_nothing(api: TestClient, db: Session, admin: Any,
                                         org: Any, name: str, data: bytes, status: int,
                                         code: str) -> None:
    t, _ = _meeting(db, org)
    p = presenters.create_presenter(db, t, _presenter())
    factories.committed(db)
    r = api.put(f"/api/presenters/{pk(p)}/file", files={"file": (name, data, "application/pdf")},
                headers={"Accept-Language": "id"})
    assert r.status_code == status and r.json()["code"] == code
    assert r.json()["message"] and "presentation" not in r.json()["message"]  # Indonesian
    db.expire_all()
    stored = db.get(MeetingPresenter, pk(p))
    assert stored is not None and stored.file_data is None and stored.file_type == ""


def test_a_file_just_over_the_limit_is_refused_with_413(api: TestClient, db: Session,
                                                       admin: Any, org: Any,
                                                       monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    t, _ = _meeting(db, org)
    p = presenters.create_presenter(db, t, _presenter())
    factories.committed(db)
    monkeypatch.setattr(get_settings(), "presentation_max_bytes", 1 * MB)
    big = files.pdf() + b"%" * MB
    r = api.put(f"/api/presenters/{pk(p)}/file", files={"file": ("besar.pdf", big, "x/y")},
                headers={"Accept-Language": "en"})
    assert r.status_code == 413 and r.json()["code"] == "file_too_large"
    assert "at most 1 MB" in r.json()["message"]
    db.expire_all()
    assert db.get(MeetingPresenter, pk(p)).file_data is None  # type: ignore[union-attr]


def test_a_body_far_over_the_limit_is_stopped_at_the_door(api: TestClient, db: Session,
                                                         admin: Any, org: Any) -> None:
    t, _ = _meeting(db, org)
    p = presenters.create_presenter(db, t, _presenter())
    factories.committed(db)
    huge = files.pdf() + b"%" * (get_settings().presentation_max_bytes + 200 * 1024)
    r = api.put(f"/api/presenters/{pk(p)}/file", files={"file": ("besar.pdf", huge, "x/y")})
    assert r.status_code == 413 and r.json()["code"] == "too_large"


def test_the_default_limit_is_20_mb() -> None:
    assert uploads.max_bytes() == 20 * MB
    with pytest.raises(DomainError) as refused:
        uploads.check(b"%PDF-" + b"0" * (20 * MB), "x.pdf")
    assert refused.value.status == 413


# --- delegates per unit ----------------------------------------------------------------------

def test_present_and_expected_per_unit(db: Session) -> None:
    t, b = _meeting(db)
    admin = factories.user(db, _org(db, t), role="admin")
    serpong = units.create_unit(db, t.organization_id, "Kecamatan Serpong", "kecamatan")
    dinkes = units.create_unit(db, t.organization_id, "Dinas Kesehatan")
    regs = [factories.register(db, t, b, name=f"Delegasi {n}", phone=f"0812123400{n:02d}")
            for n in range(5)]
    for reg, unit in zip(regs, (serpong, serpong, serpong, dinkes, None), strict=True):
        delegates.set_unit(db, reg, t, unit.id if unit else None, None)
    factories.check_in(db, regs[0], date(2018, 10, 2), admin)
    factories.check_in(db, regs[1], date(2018, 10, 4), admin)
    factories.check_in(db, regs[3], date(2018, 10, 2), admin)
    on_day = {r.name: (r.present, r.expected)
              for r in delegates.unit_attendance(db, t, date(2018, 10, 2))}
    assert on_day == {"Dinas Kesehatan": (1, 1), "Kecamatan Serpong": (1, 3), "": (0, 1)}
    any_day = {r.name: (r.present, r.expected) for r in delegates.unit_attendance(db, t)}
    assert any_day["Kecamatan Serpong"] == (2, 3)


def _org(db: Session, t: Any) -> Any:
    from service.models import Organization

    return db.get(Organization, t.organization_id)


def test_unit_attendance_api_and_registration_unit(api: TestClient, db: Session,
                                                   admin: Any, org: Any) -> None:
    t, b = _meeting(db, org)
    reg = factories.register(db, t, b, name="Lurah Pondok Cabe")
    factories.committed(db)
    r = api.put(f"/api/registrations/{pk(reg)}/unit", json={"unit": "Kecamatan Pamulang"})
    assert r.status_code == 200 and r.json()["unit_id"]
    unit = db.exec(select(OrgUnit).where(OrgUnit.name == "Kecamatan Pamulang")).one()
    assert r.json()["unit_id"] == unit.id
    body = api.get(f"/api/trainings/{pk(t)}/unit-attendance").json()
    assert body["items"] == [{"unit_id": unit.id, "unit": "Kecamatan Pamulang",
                              "kind": "opd", "expected": 1, "present": 0}]


def test_the_agenda_pdf_lists_the_presenters_by_unit_in_time_order(db: Session) -> None:
    import io

    from pypdf import PdfReader

    from service.i18n import use_locale
    from service.rendering.agenda_pdf import render_agenda_pdf
    from service.services.agenda_doc import agenda_doc

    t, b = _meeting(db)
    presenters.create_presenter(db, t, _presenter(unit="Bappeda", topic="Perencanaan 2019",
                                                  start_time=time(10), end_time=time(10, 30)))
    presenters.create_presenter(db, t, _presenter(unit="Disdukcapil", name="Drs. Dedi",
                                                  topic="Akta kelahiran",
                                                  start_time=time(9), end_time=time(9, 30)))
    with use_locale("id"):
        pdf = render_agenda_pdf(agenda_doc(db, b, t))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Disdukcapil" in text and "Bappeda" in text and "Drs. Dedi" in text
    assert text.index("Akta kelahiran") < text.index("Perencanaan 2019")
    assert "09.00" in text


def test_delegates_are_linked_by_their_institution(db: Session) -> None:
    t, b = _meeting(db)
    units.create_unit(db, t.organization_id, "Dinas Kesehatan")
    first = factories.register(db, t, b, name="Rina", institution=" dinas  kesehatan")
    other = factories.register(db, t, b, name="Budi", institution="Puskesmas Pamulang")
    assert delegates.link_by_institution(db, t) == 1
    assert first.unit_id is not None and other.unit_id is None
    assert delegates.link_by_institution(db, t) == 0


def test_the_registration_form_links_a_unit_and_the_list_filters_by_it(
        client: TestClient, db: Session, admin: Any, org: Any) -> None:
    from tests.helpers import login_page_client

    t, b = _meeting(db, org)
    factories.register(db, t, b, name="Budi Santoso")
    factories.committed(db)
    csrf = login_page_client(client, admin.email)
    r = client.post(f"/trainings/{pk(t)}/registrations", data={
        "csrf_token": csrf, "name": "Rina Marlina", "unit": "Kecamatan Setu"},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    unit = db.exec(select(OrgUnit).where(OrgUnit.name == "Kecamatan Setu")).one()
    page = client.get(f"/trainings/{pk(t)}/registrations?unit={pk(unit)}")
    assert "Rina Marlina" in page.text and "Budi Santoso" not in page.text
    assert 'id="filter-unit"' in page.text
    listed = client.get(f"/api/trainings/{pk(t)}/registrations?unit_id={pk(unit)}",
                        headers=_bearer(client, admin)).json()
    assert [i["name"] for i in listed["items"]] == ["Rina Marlina"]


def _bearer(client: TestClient, admin: Any) -> dict[str, str]:
    from tests.conftest import PASSWORD

    r = client.post("/api/auth/token", data={"username": admin.email, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_a_meetings_pages_show_presenters_and_units(client: TestClient, db: Session,
                                                    admin: Any, org: Any) -> None:
    from tests.helpers import login_page_client

    t, b = _meeting(db, org)
    p = presenters.create_presenter(db, t, _presenter())
    presenters.set_file(db, p, files.pdf(), "Paparan Dinkes.pdf")
    reg = factories.register(db, t, b, name="Lurah Serua")
    delegates.set_unit(db, reg, t, p.unit_id, None)
    factories.committed(db)
    login_page_client(client, admin.email)
    overview = client.get(f"/trainings/{pk(t)}").text
    assert overview.index('id="meeting"') < overview.index('id="participants"')
    page = client.get(f"/trainings/{pk(t)}/presenters").text
    assert "Dinas Kesehatan" in page and f"/presenters/{pk(p)}/file" in page
    down = client.get(f"/trainings/{pk(t)}/presenters/{pk(p)}/file")
    assert down.status_code == 200 and down.content.startswith(b"%PDF-")
    live = client.get(f"/trainings/{pk(t)}/attendance?batch={pk(b)}&day=2018-10-02")
    assert live.status_code == 200 and 'id="att-units"' in live.text
    fragment = client.get(f"/trainings/{pk(t)}/unit-attendance?day=2018-10-02").text
    assert "Dinas Kesehatan" in fragment and "0 / 1" in fragment
    assert client.get(f"/trainings/{pk(t)}/materials").status_code == 200
