"""The retention setting: off by default; the preview lists exactly the people whose
last training ended before the cutoff (not those with a newer training), and the worker
erases them only after they have been listed for 7 days, each as a request approved by
"retensi otomatis"."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.models import Organization, Participant
from service.models.erasure import ErasureRequest, RetentionListing
from service.services.erasure import retention
from tests import factories as f
from tests.conftest import PASSWORD

NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)


def _world(db: Session, org: Organization) -> dict[str, int]:
    """Ani (only 2018), Budi (2018 and 2025), Cici (only 2025)."""
    old = f.training(db, org, "Pelatihan Kader 2018", start=date(2018, 9, 12), days=2)
    new = f.training(db, org, "Pelatihan Kader 2025", start=date(2025, 3, 3), days=2)
    bo, bn = f.batch(db, old), f.batch(db, new)
    ani = f.register(db, old, bo, name="Ani Suryani", nik="1371015203850021")
    budi = f.register(db, old, bo, name="Budi Santoso", nik="1371015203850022")
    f.register(db, new, bn, name="Budi Santoso", nik="1371015203850022")
    cici = f.register(db, new, bn, name="Cici Paramida", nik="1371015203850023")
    f.committed(db)
    return {"ani": ani.participant_id, "budi": budi.participant_id,
            "cici": cici.participant_id, "old": old.id or 0}


def test_the_setting_is_off_by_default(db: Session, org: Organization) -> None:
    _world(db, org)
    assert org.retention_years is None
    assert retention.preview(db, org.id or 0, NOW).items == []
    assert retention.run(db, NOW) == 0


def test_the_preview_lists_only_people_without_a_recent_training(
        client: TestClient, db: Session, admin: Any) -> None:
    org = db.get(Organization, admin.organization_id)
    assert org is not None
    ids = _world(db, org)
    token = client.post("/api/auth/token", data={"username": admin.email,
                                                 "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    r = client.put("/api/erasure/retention", json={"years": 5}, headers=headers)
    assert r.status_code == 200, r.text
    preview = client.get("/api/erasure/retention-preview", headers=headers).json()
    assert [i["participant_id"] for i in preview["items"]] == [ids["ani"]]
    (item,) = preview["items"]
    assert item["last_training"] == "Pelatihan Kader 2018"
    assert item["last_training_end"] == "2018-09-13"
    assert preview["grace_days"] == 7
    listed = date.fromisoformat(item["listed_at"][:10])
    assert item["erase_on"] == (listed + timedelta(days=7)).isoformat()
    assert client.put("/api/erasure/retention", json={"years": 0},
                      headers=headers).status_code == 422


def test_the_worker_erases_only_after_seven_days_listed(db: Session,
                                                        org: Organization) -> None:
    ids = _world(db, org)
    retention.set_years(db, org.id or 0, 5, NOW)
    assert retention.run(db, NOW + timedelta(days=6, hours=23)) == 0
    ani = db.get(Participant, ids["ani"])
    assert ani is not None and ani.nik == "1371015203850021"
    assert retention.run(db, NOW + timedelta(days=7)) == 1
    db.expire_all()
    ani = db.get(Participant, ids["ani"])
    budi = db.get(Participant, ids["budi"])
    assert ani is not None and ani.nik is None and ani.name.startswith("Data dihapus")
    assert budi is not None and budi.nik == "1371015203850022"
    (request,) = db.exec(select(ErasureRequest)).all()
    assert (request.participant_id, request.status, request.decided_by_text,
            request.source) == (ids["ani"], "approved", "retensi otomatis", "retention")
    assert db.exec(select(RetentionListing)).all() == []


def test_a_newer_training_takes_a_listed_person_off(db: Session, org: Organization) -> None:
    ids = _world(db, org)
    retention.set_years(db, org.id or 0, 5, NOW)
    assert [r.participant_id for r in db.exec(select(RetentionListing))] == [ids["ani"]]
    later = f.training(db, org, "Pembinaan 2026", start=date(2026, 2, 2), days=1)
    f.register(db, later, f.batch(db, later, days=1), name="Ani Suryani",
               nik="1371015203850021")
    assert retention.run(db, NOW + timedelta(days=8)) == 0
    assert db.exec(select(RetentionListing)).all() == []


def test_turning_it_off_empties_the_list(db: Session, org: Organization) -> None:
    _world(db, org)
    retention.set_years(db, org.id or 0, 5, NOW)
    retention.set_years(db, org.id or 0, None, NOW)
    assert db.exec(select(RetentionListing)).all() == []
    assert retention.run(db, NOW + timedelta(days=30)) == 0


def test_a_committee_member_cannot_change_the_setting(client: TestClient, db: Session,
                                                      org: Organization) -> None:
    member = f.user(db, org)
    f.committed(db)
    token = client.post("/api/auth/token", data={"username": member.email,
                                                 "password": PASSWORD}).json()["access_token"]
    r = client.put("/api/erasure/retention", json={"years": 5},
                   headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403
