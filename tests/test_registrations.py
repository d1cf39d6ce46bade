"""Registering participants through the API: cleaning, duplicates, seats, waitlist, moves."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models import Batch, Organization, TrainingCategory
from tests import factories
from tests.checkin_setup import user_of
from tests.test_api_planning import PADANG

AISYAH = {"name": "Hj. Nur Aisyah, S.Pd.", "nik": "1371015203850001", "gender": "P",
          "phone": "0812-6634-1122", "email": "aisyah@example.id", "category": "kader bkb",
          "institution": "TP-PKK Kelurahan Air Tawar Barat", "village": "Air Tawar Barat",
          "district": "Padang Utara", "regency": "Kota Padang", "kampung_kb": "Kampung KB Seroja"}


def person(n: int, **over: Any) -> dict[str, Any]:
    return {"name": f"Peserta {n:04d}", "phone": f"0812{70000000 + n:08d}", **over}


def setup_training(api: TestClient, db: Session,
                   capacities: tuple[int, ...] = (2, 2)) -> dict[str, Any]:
    """The Padang training with batches of these capacities on 12-13 September, in the
    organization of `api`'s user (built through the services), as the API reads it."""
    org = db.get(Organization, user_of(api, db).organization_id)
    assert org is not None
    t = factories.training(db, org, title=PADANG["title"], days=7,
                           categories=(("Kader BKB", 100), "PKB"),
                           venue=PADANG["venue"], timezone=PADANG["timezone"])
    for i, c in enumerate(capacities):
        factories.batch(db, t, f"Angkatan {i + 1}", capacity=c)
    factories.committed(db)
    return factories.training_json(db, t)


def register(api: TestClient, tid: int, body: dict[str, Any]) -> Any:
    return api.post(f"/api/trainings/{tid}/registrations", json=body)


def test_registration_is_cleaned_and_confirmed_with_a_ticket(api: TestClient, db: Session) -> None:
    t = setup_training(api, db)
    r = register(api, t["id"], AISYAH)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "confirmed"
    assert body["batch_id"] == t["batches"][0]["id"]
    assert body["name"] == "Hj. Nur Aisyah, S.Pd."
    assert body["phone"] == "+6281266341122"
    assert body["category"] == "Kader BKB"
    assert body["nik_masked"].endswith("0001") and "1371" not in body["nik_masked"]
    token = body["ticket_url"].rsplit("/t/", 1)[1]
    assert len(token) >= 22  # >= 128 random bits, URL-safe base64


def test_names_are_kept_exactly_as_written(api: TestClient, db: Session) -> None:
    t = setup_training(api, db)
    for name in ("Sukarni", "Nur'aini", "Drs. H. M. Yusuf, M.Si.", "dr. Ṣiti Çelik"):
        r = register(api, t["id"], person(len(name), name=name))
        assert r.status_code == 201, r.text
        assert r.json()["name"] == name


def test_bad_fields_are_all_reported_in_indonesian(api: TestClient, db: Session) -> None:
    t = setup_training(api, db)
    r = register(api, t["id"], {"name": "<script>alert(1)</script>", "nik": "1371019903850001",
                                "phone": "12345", "gender": "X", "category": "Unknown"})
    assert r.status_code == 422
    fields = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert set(fields) == {"name", "nik", "phone", "gender"}
    assert "tanggal lahir" in fields["nik"]


def test_formula_name_is_refused(api: TestClient, db: Session) -> None:
    t = setup_training(api, db)
    r = register(api, t["id"], person(1, name="=cmd|' /C calc'!A0"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "name"


def test_unknown_category_names_the_choices(api: TestClient, db: Session) -> None:
    t = setup_training(api, db)
    r = register(api, t["id"], person(1, category="Bidan"))
    assert r.status_code == 422
    assert "Kader BKB" in r.json()["message"] and "PKB" in r.json()["message"]


def test_same_nik_twice_is_caught(api: TestClient, db: Session) -> None:
    t = setup_training(api, db)
    assert register(api, t["id"], AISYAH).status_code == 201
    r = register(api, t["id"], {**AISYAH, "phone": "0813 1111 2222", "name": "Nur Aisyah"})
    assert r.status_code == 409
    assert r.json()["code"] == "already_registered"
    assert "Hj. Nur Aisyah" in r.json()["message"]


def test_same_phone_and_name_twice_is_caught_without_nik(api: TestClient, db: Session) -> None:
    t = setup_training(api, db)
    assert register(api, t["id"], {"name": "Sukarni", "phone": "081266341122"}).status_code == 201
    r = register(api, t["id"], {"name": "  SUKARNI ", "phone": "+62 812-6634-1122"})
    assert r.status_code == 409
    assert r.json()["code"] == "already_registered"


def test_same_person_may_join_another_training(api: TestClient, db: Session) -> None:
    t1, t2 = setup_training(api, db), setup_training(api, db)
    a = register(api, t1["id"], AISYAH).json()
    b = register(api, t2["id"], AISYAH).json()
    assert a["participant_id"] == b["participant_id"]


def test_full_batches_waitlist_then_cancel_promotes_the_first(api: TestClient, db: Session) -> None:
    t = setup_training(api, db, capacities=(1, 1))
    regs = [register(api, t["id"], person(n)).json() for n in range(4)]
    assert [r["status"] for r in regs] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    r = api.post(f"/api/registrations/{regs[1]['id']}/cancel")
    assert r.status_code == 200
    assert r.json()["registration"]["status"] == "cancelled"
    assert r.json()["promoted"]["id"] == regs[2]["id"]
    assert r.json()["promoted"]["batch_id"] == t["batches"][1]["id"]
    assert api.get(f"/api/registrations/{regs[3]['id']}").json()["status"] == "waitlisted"


def test_waitlisted_for_a_chosen_batch_is_promoted_before_the_general_waitlist(
        api: TestClient, db: Session) -> None:
    t = setup_training(api, db, capacities=(1, 1))
    b1, b2 = (b["id"] for b in t["batches"])
    first = register(api, t["id"], person(1, batch_id=b1)).json()
    register(api, t["id"], person(2, batch_id=b2))
    general = register(api, t["id"], person(3)).json()
    for_b1 = register(api, t["id"], person(4, batch_id=b1)).json()
    assert general["status"] == for_b1["status"] == "waitlisted"
    promoted = api.post(f"/api/registrations/{first['id']}/cancel").json()["promoted"]
    assert promoted["id"] == for_b1["id"]


def test_cancelled_person_can_register_again(api: TestClient, db: Session) -> None:
    t = setup_training(api, db)
    reg = register(api, t["id"], AISYAH).json()
    api.post(f"/api/registrations/{reg['id']}/cancel")
    again = register(api, t["id"], AISYAH)
    assert again.status_code == 201
    assert again.json()["id"] == reg["id"]
    assert again.json()["status"] == "confirmed"


def test_batch_counter_follows_confirmations(api: TestClient, db: Session) -> None:
    t = setup_training(api, db, capacities=(3,))
    regs = [register(api, t["id"], person(n)).json() for n in range(3)]
    api.post(f"/api/registrations/{regs[0]['id']}/cancel")
    batch = db.get(Batch, t["batches"][0]["id"])
    assert batch is not None
    db.refresh(batch)
    assert batch.confirmed_count == 2


def test_category_quota_is_enforced(api: TestClient, db: Session) -> None:
    t = setup_training(api, db, capacities=(10,))
    cat = next(c for c in t["categories"] if c["name"] == "Kader BKB")
    row = db.get(TrainingCategory, cat["id"])
    assert row is not None
    row.quota = 1
    db.add(row)
    db.commit()
    assert register(api, t["id"], person(1, category="Kader BKB")).status_code == 201
    r = register(api, t["id"], person(2, category="Kader BKB"))
    assert r.status_code == 409
    assert r.json()["code"] == "category_full"


def test_move_between_batches_and_refuse_a_full_one(api: TestClient, db: Session) -> None:
    t = setup_training(api, db, capacities=(2, 1))
    b1, b2 = (b["id"] for b in t["batches"])
    a = register(api, t["id"], person(1, batch_id=b1)).json()
    b = register(api, t["id"], person(2, batch_id=b1)).json()
    r = api.post(f"/api/registrations/{a['id']}/move", json={"batch_id": b2})
    assert r.status_code == 200 and r.json()["batch_id"] == b2
    r = api.post(f"/api/registrations/{b['id']}/move", json={"batch_id": b2})
    assert r.status_code == 409 and r.json()["code"] == "batch_full"
    assert api.get(f"/api/registrations/{b['id']}").json()["batch_id"] == b1


def test_move_to_another_trainings_batch_is_refused(api: TestClient, db: Session) -> None:
    t1, t2 = setup_training(api, db), setup_training(api, db)
    reg = register(api, t1["id"], person(1)).json()
    r = api.post(f"/api/registrations/{reg['id']}/move", json={"batch_id": t2["batches"][0]["id"]})
    assert r.status_code == 422


def test_list_filters_searches_and_paginates(api: TestClient, db: Session) -> None:
    t = setup_training(api, db, capacities=(3,))
    register(api, t["id"], AISYAH)
    for n in range(4):
        register(api, t["id"], person(n))
    tid = t["id"]
    page = api.get(f"/api/trainings/{tid}/registrations", params={"per_page": 2}).json()
    assert page["total"] == 5 and page["pages"] == 3 and len(page["items"]) == 2
    assert api.get(f"/api/trainings/{tid}/registrations",
                   params={"status": "waitlisted"}).json()["total"] == 2
    found = api.get(f"/api/trainings/{tid}/registrations", params={"q": "aisyah"}).json()
    assert [i["name"] for i in found["items"]] == ["Hj. Nur Aisyah, S.Pd."]
    by_nik_tail = api.get(f"/api/trainings/{tid}/registrations", params={"q": "850001"}).json()
    assert by_nik_tail["total"] == 1
    by_phone = api.get(f"/api/trainings/{tid}/registrations", params={"q": "0812 6634"}).json()
    assert by_phone["total"] == 1


def test_update_corrects_details(api: TestClient, db: Session) -> None:
    t = setup_training(api, db)
    reg = register(api, t["id"], AISYAH).json()
    r = api.put(f"/api/registrations/{reg['id']}",
                json={**AISYAH, "phone": "0813 7777 8888", "category": "PKB"})
    assert r.status_code == 200, r.text
    assert r.json()["phone"] == "+6281377778888" and r.json()["category"] == "PKB"


def test_another_organizations_registration_is_not_found(api: TestClient, db: Session) -> None:
    from service.services.auth import create_user, get_or_create_organization
    from tests.conftest import PASSWORD

    t = setup_training(api, db)
    reg = register(api, t["id"], AISYAH).json()
    other = get_or_create_organization(db, "DP3AP2KB Kota Pontianak")
    create_user(db, email="x@pontianak.test", password=PASSWORD, name="X", role="admin",
                organization=other)
    db.commit()
    token = api.post("/api/auth/token", data={"username": "x@pontianak.test",
                                              "password": PASSWORD}).json()["access_token"]
    r = api.get(f"/api/registrations/{reg['id']}", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 404


def test_empty_strings_and_control_characters_are_4xx_or_ignored(api: TestClient,
                                                                 db: Session) -> None:
    t = setup_training(api, db)
    r = register(api, t["id"], {"name": "Sukarni", "email": "", "nik": "", "phone": ""})
    assert r.status_code == 201, r.text
    r = api.get(f"/api/trainings/{t['id']}/registrations", params={"q": "Suk\x00arni"})
    assert r.status_code == 200
    r = register(api, t["id"], {"name": "Ani\x00 Lestari"})
    assert r.status_code == 201 and r.json()["name"] == "Ani Lestari"


def test_edit_without_nik_keeps_the_nik_on_file(api: TestClient, db: Session) -> None:
    t = setup_training(api, db)
    reg = register(api, t["id"], AISYAH).json()
    body = {k: v for k, v in AISYAH.items() if k != "nik"}
    r = api.put(f"/api/registrations/{reg['id']}", json=body)
    assert r.status_code == 200 and r.json()["nik_masked"].endswith("0001")


def test_only_admins_see_the_whole_nik(api: TestClient, db: Session, org: Any) -> None:
    from service.services.auth import create_user
    from tests.conftest import PASSWORD

    t = setup_training(api, db)
    reg = register(api, t["id"], AISYAH).json()
    assert reg["nik"] == "1371015203850001"
    create_user(db, email="panitia@padang.test", password=PASSWORD, name="Panitia",
                role="committee", organization=org)
    db.commit()
    token = api.post("/api/auth/token", data={"username": "panitia@padang.test",
                                              "password": PASSWORD}).json()["access_token"]
    seen = api.get(f"/api/registrations/{reg['id']}",
                   headers={"Authorization": f"Bearer {token}"}).json()
    assert seen["nik"] is None and seen["nik_masked"].endswith("0001")
