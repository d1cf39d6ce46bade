"""The SPJ pages as a treasurer uses them: the list, a training's SPJ, the signers, the
rate table's form (amounts as people type them, rows added without losing values)."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.models.base import pk
from tests import factories, spj_world
from tests.conftest import PASSWORD
from tests.helpers import CSRF_RE, post_login


@pytest.fixture
def world(db: Session) -> spj_world.World:
    w = spj_world.build(db)
    factories.committed(db)
    return w


@pytest.fixture
def treasurer(app: object, world: spj_world.World) -> Iterator[tuple[TestClient, str]]:
    with TestClient(app) as client:  # type: ignore[arg-type]
        assert post_login(client, world.treasurer.email, PASSWORD, next="").status_code == 303
        match = CSRF_RE.search(client.get("/spj").text)
        assert match
        yield client, match.group(1)


def test_list_shows_the_totals(treasurer: tuple[TestClient, str],
                               world: spj_world.World) -> None:
    page = treasurer[0].get("/spj").text
    assert "Pelatihan Kader Kampung KB" in page
    assert "Rp 5.942.000" in page and "Rp 1.450.000" in page and "Rp 8.250.000" in page


def test_training_page_sections(treasurer: tuple[TestClient, str],
                                world: spj_world.World) -> None:
    page = treasurer[0].get(f"/trainings/{pk(world.training)}/spj").text
    assert "Honorarium narasumber" in page and "Transport peserta per angkatan" in page
    assert "Rp 7.392.000" in page
    assert "tujuh juta tiga ratus sembilan puluh dua ribu rupiah" in page
    assert "Ketahanan Keluarga" in page  # the unrecorded session, as a warning
    assert "Rina Marlina belum punya NPWP" in page
    assert f"/batches/{pk(world.batch)}/spj/transport.pdf" in page
    assert spj_world.NPWP not in page and spj_world.ACCOUNT not in page


def test_training_without_rate_table_says_where_to_enter_it(
        treasurer: tuple[TestClient, str], db: Session, world: spj_world.World) -> None:
    other = factories.training(db, world.org, title="Bimtek 2021",
                               start=world.training.start_date.replace(year=2021))
    factories.committed(db)
    page = treasurer[0].get(f"/trainings/{pk(other)}/spj")
    assert page.status_code == 200
    assert 'href="/rates/2021"' in page.text


def test_signers_saved_and_refused(treasurer: tuple[TestClient, str],
                                   world: spj_world.World) -> None:
    client, csrf = treasurer
    url = f"/trainings/{pk(world.training)}/spj/signers"
    bad = client.post(url, data={"csrf_token": csrf, "pptk_nip": "123"})
    assert bad.status_code == 422
    ok = client.post(url, data={"csrf_token": csrf, "pptk_name": "Drs. Syafrizal",
                                "pptk_nip": "196805121994031005", "treasurer_name": "Yuliana",
                                "treasurer_nip": "", "place": "Padang"},
                     follow_redirects=False)
    assert ok.status_code == 303
    got = client.get(f"/api/trainings/{pk(world.training)}/spj/signers",
                     headers={"Authorization": _bearer(client, world)}).json()
    assert got["pptk_name"] == "Drs. Syafrizal"


def _bearer(client: TestClient, world: spj_world.World) -> str:
    r = client.post("/api/auth/token", data={"username": world.treasurer.email,
                                             "password": PASSWORD})
    return f"Bearer {r.json()['access_token']}"


def _form(csrf: str, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "csrf_token": csrf, "honorarium_unit": "jp",
        "class_name": ["Eselon I", "Eselon II", ""],
        "class_rate": ["1.400.000", "Rp 1.000.000", ""],
        "within_city": "150.000", "default": "400000", "daily_allowance": "", "meals": "40.000",
        "regency_name": ["Kab. Banyuasin", ""], "regency_rate": ["300.000", ""],
        "zone_name": ["Zona II"], "zone_rate": ["500.000"],
        "zone_regencies": ["Kabupaten Musi Rawas\nKota Lubuklinggau, Kabupaten Empat Lawang"],
        "tax_III_with": "5", "tax_III_without": "6", "tax_IV_with": "15",
        "tax_IV_without": "18", "tax_transport": "0", "action": "save"}
    data.update(extra)
    return data


def test_rates_form_saves_amounts_as_typed(treasurer: tuple[TestClient, str],
                                           world: spj_world.World) -> None:
    client, csrf = treasurer
    r = client.post("/rates/2022", data=_form(csrf), follow_redirects=False)
    assert r.status_code == 303, r.text
    got = client.get("/api/rates/2022", headers={"Authorization": _bearer(client, world)}).json()
    assert [(c["name"], c["rate"]) for c in got["classes"]] == [
        ("Eselon I", 1_400_000), ("Eselon II", 1_000_000)]
    assert got["transport"]["zones"][0]["regencies"] == [
        "Kabupaten Musi Rawas", "Kota Lubuklinggau", "Kabupaten Empat Lawang"]
    assert got["tax"]["pph21"]["IV"]["without_npwp"] == "18"
    page = client.get("/rates/2022").text
    assert 'value="1.400.000"' in page


def test_rates_form_refuses_with_the_typed_values_kept(treasurer: tuple[TestClient, str],
                                                       world: spj_world.World) -> None:
    client, csrf = treasurer
    r = client.post("/rates/2022", data=_form(csrf, class_rate=["-5", "1.000.000", ""],
                                              tax_IV_with="150"))
    assert r.status_code == 422
    assert "Minimal 0" in r.text and "Maksimal 100" in r.text
    assert 'value="Kab. Banyuasin"' in r.text and 'value="150"' in r.text
    assert client.get("/rates/2022").text.count("Mulai tabel kosong") == 1


def test_more_rows_keeps_typed_values(treasurer: tuple[TestClient, str],
                                      world: spj_world.World) -> None:
    client, csrf = treasurer
    r = client.post("/rates/2022", data=_form(csrf, action="more"))
    assert r.status_code == 200
    assert 'value="Eselon II"' in r.text and 'value="Rp 1.000.000"' in r.text
    assert r.text.count('name="class_name"') == 2 + 6
    assert client.get("/rates/2022").text.count("Mulai tabel kosong") == 1


def test_start_a_year_as_a_copy(treasurer: tuple[TestClient, str],
                                world: spj_world.World) -> None:
    client, csrf = treasurer
    page = client.get("/rates/2019").text
    assert "Mulai dengan menyalin tabel 2018" in page
    r = client.post("/rates/2019/start", data={"csrf_token": csrf, "copy": "1"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert 'value="Eselon III ke bawah"' in client.get("/rates/2019").text


def test_rates_home_opens_the_newest_year(treasurer: tuple[TestClient, str],
                                          world: spj_world.World) -> None:
    r = treasurer[0].get("/rates", follow_redirects=False)
    assert r.headers["location"] == "/rates/2018"
