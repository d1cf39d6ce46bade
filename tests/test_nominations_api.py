"""The nominations API's contract: POST/GET /api/trainings/{id}/units, the training units'
own routes, scoped to the caller's organization."""

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models import Training, TrainingUnit
from service.models.base import pk
from service.services.nominations import links, nominees, surat_tugas
from tests import factories
from tests.conftest import PASSWORD
from tests.nominations_world import NIPS, delegate
from tests.presentation_files import pdf


@pytest.fixture
def training(db: Session, org: Any, admin: Any) -> Training:
    t = factories.training(db, org, title="Workshop Kampung KB Sumsel",
                           start=date(2099, 8, 24), days=3, categories=())
    factories.batch(db, t, days=3)
    factories.committed(db)
    return t


def _unit(api: TestClient, training: Training, **body: Any) -> dict[str, Any]:
    r = api.post(f"/api/trainings/{training.id}/units",
                 json={"name": "Kabupaten Lahat", "quota": 3, "deadline": "2099-08-05",
                       **body})
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_adding_a_unit_answers_its_id_and_link(api: TestClient, training: Training,
                                               db: Session) -> None:
    body = _unit(api, training)
    assert set(body) == {"id", "link"}
    raw = body["link"].split("/nominasi/")[1]
    assert body["link"].startswith("http://testserver/nominasi/")
    assert links.resolve(db, raw).id == body["id"]


def test_the_fill_lists_each_unit_and_the_totals(api: TestClient, training: Training,
                                                 db: Session) -> None:
    body = _unit(api, training)
    tu = db.get(TrainingUnit, body["id"])
    assert tu is not None
    nominees.add(db, tu, delegate(0))
    surat_tugas.attach(db, tu, pdf(), "st.pdf")
    factories.committed(db)
    r = api.get(f"/api/trainings/{training.id}/units")
    assert r.status_code == 200
    item = r.json()["items"][0]
    assert {k: item[k] for k in ("id", "name", "kind", "quota", "named", "accepted",
                                 "surat_tugas", "open")} == {
        "id": body["id"], "name": "Kabupaten Lahat", "kind": "kabupaten_kota", "quota": 3,
        "named": 1, "accepted": 0, "surat_tugas": True, "open": True}
    assert item["deadline"].startswith("2099-08-05T16:59:59")
    assert r.json()["totals"] == {"units": 1, "named": 1, "quota": 3, "accepted": 0,
                                  "surat_tugas": 1, "lagging": 1}


def test_a_unit_by_unit_id_and_a_deadline_with_offset(api: TestClient, training: Training
                                                      ) -> None:
    made = api.post("/api/units", json={"name": "Dinas PPKB Kota Palembang", "kind": "opd"})
    assert made.status_code == 201, made.text
    body = _unit(api, training, name=None, unit_id=made.json()["id"],
                 deadline="2099-08-05T12:00:00+08:00")
    item = api.get(f"/api/trainings/{training.id}/units").json()["items"][0]
    assert item["id"] == body["id"] and item["kind"] == "opd"
    assert item["deadline"].startswith("2099-08-05T04:00:00")


@pytest.mark.parametrize("body", [{"quota": 0}, {"quota": 10_001}, {"deadline": "kemarin"},
                                  {"name": ""}, {"kind": "kampung_kb"}, {"extra": 1}])
def test_bad_input_is_a_422(api: TestClient, training: Training, body: dict[str, Any]) -> None:
    r = api.post(f"/api/trainings/{training.id}/units",
                 json={"name": "Kabupaten Lahat", "quota": 3, **body})
    assert r.status_code == 422, r.text


def test_the_same_unit_twice_is_a_409(api: TestClient, training: Training) -> None:
    _unit(api, training)
    r = api.post(f"/api/trainings/{training.id}/units",
                 json={"name": "Kabupaten Lahat", "quota": 3})
    assert (r.status_code, r.json()["code"]) == (409, "training_unit_exists")


def test_quota_and_deadline_are_changed(api: TestClient, training: Training) -> None:
    body = _unit(api, training)
    r = api.patch(f"/api/training-units/{body['id']}", json={"quota": 9, "deadline": None})
    assert r.status_code == 200, r.text
    assert (r.json()["quota"], r.json()["deadline"]) == (9, None)


def test_a_new_link_revokes_the_earlier_and_delete_revokes_all(
        api: TestClient, training: Training, db: Session) -> None:
    body = _unit(api, training)
    first = body["link"].split("/nominasi/")[1]
    r = api.post(f"/api/training-units/{body['id']}/link")
    assert r.status_code == 200 and set(r.json()) == {"link", "expires_at"}
    second = r.json()["link"].split("/nominasi/")[1]
    with pytest.raises(links.NominationLinkNotFound):
        links.resolve(db, first)
    assert api.delete(f"/api/training-units/{body['id']}/link").status_code == 204
    with pytest.raises(links.NominationLinkNotFound):
        links.resolve(db, second)


def test_nominees_are_listed_and_accepted(api: TestClient, training: Training, db: Session,
                                          client: TestClient) -> None:
    body = _unit(api, training)
    tu = db.get(TrainingUnit, body["id"])
    assert tu is not None
    ids = [pk(nominees.add(db, tu, delegate(n))) for n in range(2)]
    factories.committed(db)
    listed = api.get(f"/api/training-units/{body['id']}/nominees").json()["items"]
    # An admin sees the phone and NIP whole.
    assert [(n["id"], n["nip"], n["phone"]) for n in listed] == [
        (ids[0], NIPS[0], "+6281270000000"), (ids[1], NIPS[1], "+6281270000001")]
    r = api.post(f"/api/training-units/{body['id']}/nominees/accept",
                 json={"nominee_ids": [ids[0]]})
    assert r.json() == {"accepted": 1}
    assert api.post(f"/api/training-units/{body['id']}/nominees/accept",
                    json={}).json() == {"accepted": 1}
    assert api.post(f"/api/training-units/{body['id']}/nominees/accept",
                    json={}).json() == {"accepted": 0}
    r = api.delete(f"/api/training-units/{body['id']}")
    assert (r.status_code, r.json()["code"]) == (409, "training_unit_in_use")


def test_a_committee_member_sees_phones_masked(client: TestClient, training: Training, org: Any,
                                               db: Session, admin: Any) -> None:
    member = factories.user(db, org, role="committee")
    factories.committed(db)
    token = client.post("/api/auth/token", data={"username": member.email,
                                                 "password": PASSWORD}).json()["access_token"]
    client.headers["Authorization"] = f"Bearer {token}"
    body = _unit(client, training)
    tu = db.get(TrainingUnit, body["id"])
    assert tu is not None
    nominees.add(db, tu, delegate(0))
    factories.committed(db)
    item = client.get(f"/api/training-units/{body['id']}/nominees").json()["items"][0]
    assert item["phone"].endswith("0000") and "+62" not in item["phone"]
    assert NIPS[0] not in item["nip"]


def test_reminders_without_a_channel_are_a_409(api: TestClient, training: Training) -> None:
    _unit(api, training)
    r = api.post(f"/api/trainings/{training.id}/units/remind", json={"channel": "whatsapp"})
    assert (r.status_code, r.json()["code"]) == (409, "channel_not_configured")


def test_the_surat_tugas_is_downloaded(api: TestClient, training: Training,
                                       db: Session) -> None:
    body = _unit(api, training)
    assert api.get(f"/api/training-units/{body['id']}/surat-tugas").status_code == 404
    tu = db.get(TrainingUnit, body["id"])
    assert tu is not None
    data = pdf("ST")
    surat_tugas.attach(db, tu, data, "st.pdf")
    factories.committed(db)
    r = api.get(f"/api/training-units/{body['id']}/surat-tugas")
    assert r.content == data and r.headers["content-type"] == "application/pdf"


def test_another_organizations_ids_are_404(api: TestClient, training: Training,
                                           db: Session) -> None:
    other_org = factories.organization(db, "DP3AP2KB Kota Pontianak")
    other = factories.training(db, other_org, title="Milik kantor lain", categories=())
    factories.committed(db)
    theirs = api.post(f"/api/trainings/{other.id}/units",
                      json={"name": "Kabupaten Lahat", "quota": 3})
    assert theirs.status_code == 404
    body = _unit(api, training)
    from service.services.nominations import units as training_units

    tu = training_units.add_unit(db, other, name="Kota Pontianak", quota=2)
    factories.committed(db)
    for method, path in (("get", f"/api/training-units/{tu.id}/nominees"),
                         ("patch", f"/api/training-units/{tu.id}"),
                         ("delete", f"/api/training-units/{tu.id}"),
                         ("post", f"/api/training-units/{tu.id}/link"),
                         ("get", f"/api/training-units/{tu.id}/surat-tugas")):
        r = api.request(method, path, json={} if method in ("patch", "post") else None)
        assert r.status_code == 404, (method, path)
    assert body["id"] != tu.id


def test_reminders_are_queued_once_a_day(api: TestClient, training: Training, db: Session,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from service.services import units as register
    from service.services.messaging import unit_reminders

    monkeypatch.setattr(unit_reminders, "configured_channels", lambda: ("whatsapp", "email"))
    body = _unit(api, training)
    tu = db.get(TrainingUnit, body["id"])
    assert tu is not None
    unit = register.get_unit(db, training.organization_id, tu.unit_id)
    unit.focal_phone = "+6281270001111"
    db.add(unit)
    factories.committed(db)
    r = api.post(f"/api/trainings/{training.id}/units/remind", json={"channel": "both"})
    assert (r.status_code, r.json()) == (202, {"queued": 1})
    again = api.post(f"/api/trainings/{training.id}/units/remind", json={"channel": "both"})
    assert again.json() == {"queued": 0}
