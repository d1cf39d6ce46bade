"""The SPJ's HTTP contract: GET /api/trainings/{id}/spj, the rate table's PUT and GET
with their 422s in Indonesian, the finance fields, the documents."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models.base import pk
from tests import factories, spj_world
from tests.conftest import PASSWORD


@pytest.fixture
def world(db: Session) -> spj_world.World:
    w = spj_world.build(db)
    factories.committed(db)
    return w


def _bearer(client: TestClient, email: str) -> dict[str, str]:
    r = client.post("/api/auth/token", data={"username": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture
def treasurer(client: TestClient, world: spj_world.World) -> dict[str, str]:
    return _bearer(client, world.treasurer.email)


def test_spj_contract_to_the_rupiah(client: TestClient, world: spj_world.World,
                                    treasurer: dict[str, str]) -> None:
    r = client.get(f"/api/trainings/{pk(world.training)}/spj", headers=treasurer)
    assert r.status_code == 200, r.text
    body = r.json()
    transport = {x["registration_id"]: (x["days_present"], x["rate"], x["gross"], x["tax"],
                                        x["net"]) for x in body["transport"]}
    assert transport == {pk(world.ani): (2, 190_000, 380_000, 0, 380_000),
                         pk(world.budi): (1, 290_000, 290_000, 0, 290_000),
                         pk(world.citra): (2, 390_000, 780_000, 0, 780_000)}
    honorarium = {x["speaker_id"]: (x["jp"], x["rate"], x["gross"], x["tax"], x["net"])
                  for x in body["honorarium"]}
    assert honorarium == {pk(world.hendra): (5, 1_000_000, 5_000_000, 750_000, 4_250_000),
                          pk(world.rina): (2, 900_000, 1_800_000, 108_000, 1_692_000)}
    t = body["totals"]
    assert (t["transport_gross"], t["transport_tax"], t["transport_net"]) == (
        1_450_000, 0, 1_450_000)
    assert (t["honorarium_gross"], t["honorarium_tax"], t["honorarium_net"]) == (
        6_800_000, 858_000, 5_942_000)
    assert (t["gross"], t["tax"], t["net"]) == (8_250_000, 858_000, 7_392_000)
    assert t["terbilang"] == "tujuh juta tiga ratus sembilan puluh dua ribu rupiah"


def test_spj_without_a_rate_table_is_a_409_in_indonesian(
        client: TestClient, db: Session, world: spj_world.World,
        treasurer: dict[str, str]) -> None:
    other = factories.training(db, world.org, title="Bimtek 2020",
                               start=world.training.start_date.replace(year=2020))
    factories.committed(db)
    r = client.get(f"/api/trainings/{pk(other)}/spj", headers=treasurer)
    assert r.status_code == 409
    assert r.json()["code"] == "no_rate_table"
    assert "Belum ada tabel tarif untuk 2020" in r.json()["message"]


def test_put_and_get_rates(client: TestClient, world: spj_world.World,
                           treasurer: dict[str, str]) -> None:
    doc = spj_world.rates_2018()
    doc["classes"].append({"name": "Tenaga ahli", "rate": 1_700_000})
    r = client.put("/api/rates/2019", json=doc, headers=treasurer)
    assert r.status_code == 200, r.text
    got = client.get("/api/rates/2019", headers=treasurer).json()
    assert got["year"] == 2019
    assert {c["name"]: c["rate"] for c in got["classes"]}["Tenaga ahli"] == 1_700_000
    assert got["tax"]["pph21"]["IV"] == {"with_npwp": "15", "without_npwp": "18"}
    assert client.get("/api/rates", headers=treasurer).json() == {"years": [2019, 2018]}


def test_missing_year_is_a_404(client: TestClient, world: spj_world.World,
                               treasurer: dict[str, str]) -> None:
    r = client.get("/api/rates/2030", headers=treasurer)
    assert r.status_code == 404
    assert r.json()["code"] == "no_rate_table"


def test_copy_previous_year(client: TestClient, world: spj_world.World,
                            treasurer: dict[str, str]) -> None:
    r = client.post("/api/rates/2021/copy", headers=treasurer)
    assert r.status_code == 201, r.text
    assert r.json()["transport"]["within_city"] == 150_000
    again = client.post("/api/rates/2021/copy", headers=treasurer)
    assert again.status_code == 409


def _bad(**change: Any) -> dict[str, Any]:
    doc = spj_world.rates_2018()
    for path, value in change.items():
        target = doc
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        target[keys[-1]] = value
    return doc


@pytest.mark.parametrize(("doc", "field", "words"), [
    (_bad(classes__0__rate=-1), "classes.0.rate", "Minimal 0"),
    (_bad(meals=-5), "meals", "Minimal 0"),
    (_bad(transport__within_city=12.5), "transport.within_city", "bilangan bulat"),
    (_bad(tax__pph21__IV__with_npwp="101"), "tax.pph21.IV.with_npwp", "Maksimal 100"),
    (_bad(tax__transport="-1"), "tax.transport", "Minimal 0"),
    (_bad(classes__1__name="eselon i"), "classes.1.name", "dua kali"),
    (_bad(honorarium_unit="per_hari"), "honorarium_unit", "Pilih salah satu"),
])
def test_rates_validation_is_a_clear_422(client: TestClient, world: spj_world.World,
                                         treasurer: dict[str, str], doc: dict[str, Any],
                                         field: str, words: str) -> None:
    r = client.put("/api/rates/2019", json=doc, headers=treasurer)
    assert r.status_code == 422, r.text
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert field in errors, errors
    assert words in errors[field]
    assert client.get("/api/rates/2019", headers=treasurer).status_code == 404


def test_a_place_in_two_rows_is_refused(client: TestClient, world: spj_world.World,
                                        treasurer: dict[str, str]) -> None:
    doc = spj_world.rates_2018()
    doc["transport"]["regencies"].append({"name": "Kab. Solok", "rate": 1})
    r = client.put("/api/rates/2019", json=doc, headers=treasurer)
    assert r.status_code == 422
    assert "Solok" in r.json()["message"]


def test_finance_fields_round_trip_and_normalise(client: TestClient, world: spj_world.World,
                                                 treasurer: dict[str, str]) -> None:
    url = f"/api/speakers/{pk(world.rina)}/finance"
    r = client.put(url, headers=treasurer, json={
        "nip": "19800202 200501 2 003", "golongan": "III", "npwp": "98.765.432.1-098.765",
        "bank_name": "BRI", "bank_account": "0123-01-000123-50-1", "account_holder": "Rina",
        "honorarium_class": "Eselon III ke bawah"})
    assert r.status_code == 200, r.text
    got = client.get(url, headers=treasurer).json()
    assert (got["nip"], got["npwp"], got["bank_account"]) == (
        "198002022005012003", "987654321098765", "0123010001235 01".replace(" ", ""))


@pytest.mark.parametrize(("field", "value", "words"), [
    ("nip", "1980", "18 digit"), ("npwp", "12345", "15 atau 16 digit"),
    ("golongan", "V", "Pilih salah satu"), ("bank_account", "abc", "5 sampai 30 digit")])
def test_finance_fields_refused_in_indonesian(client: TestClient, world: spj_world.World,
                                              treasurer: dict[str, str], field: str,
                                              value: str, words: str) -> None:
    r = client.put(f"/api/speakers/{pk(world.rina)}/finance", headers=treasurer,
                   json={field: value})
    assert r.status_code == 422, r.text
    assert words in r.text


def test_documents_download(client: TestClient, world: spj_world.World,
                            treasurer: dict[str, str]) -> None:
    tid, bid = pk(world.training), pk(world.batch)
    for url, kind in ((f"/api/trainings/{tid}/spj/honorarium.pdf", b"%PDF"),
                      (f"/api/trainings/{tid}/spj/honorarium.xlsx", b"PK"),
                      (f"/api/batches/{bid}/spj/transport.pdf", b"%PDF"),
                      (f"/api/batches/{bid}/spj/transport.xlsx", b"PK"),
                      (f"/api/trainings/{tid}/spj/receipts.pdf", b"%PDF"),
                      (f"/api/trainings/{tid}/spj/receipts.pdf?kind=transport&batch_id={bid}",
                       b"%PDF")):
        r = client.get(url, headers=treasurer)
        assert r.status_code == 200, (url, r.text)
        assert r.content.startswith(kind), url
        assert r.headers["cache-control"] == "no-store"
