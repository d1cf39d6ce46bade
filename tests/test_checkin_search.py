"""The door's manual search gives the last 4 to 6 digits of a phone or NIK, never more,
and a scanner cannot probe it fast enough to rebuild a number."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.settings import get_settings
from tests.checkin_setup import make_setup

# Kader 01's NIK and phone in make_setup.
NIK = "1371015203850010"
PHONE = "+6281266340000"


def _search(api: TestClient, batch_id: int, q: str) -> Any:
    return api.get(f"/api/batches/{batch_id}/checkin-search",
                   params={"q": q, "day": "2018-09-12"})


def _names(api: TestClient, batch_id: int, q: str) -> list[str]:
    r = _search(api, batch_id, q)
    assert r.status_code == 200, r.text
    return [i["name"] for i in r.json()["items"]]


def test_the_last_4_to_6_digits_of_a_nik_find_the_person(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    bid = s.batches[0]["id"]
    for n in (4, 5, 6):
        assert _names(api, bid, NIK[-n:]) == ["Kader 01 Nur'aini"], n


def test_the_last_digits_of_a_phone_find_the_person(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    assert _names(api, s.batches[0]["id"], "34-0000") == ["Kader 01 Nur'aini"]


def test_a_prefix_or_infix_of_a_nik_finds_nobody(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    bid = s.batches[0]["id"]
    # Every 4-digit window of the NIK but its end: "1371" (the region) and the birth date.
    windows = {NIK[i:i + 4] for i in range(len(NIK) - 4)} - {NIK[-4:]}
    assert all(_names(api, bid, w) == [] for w in windows)


def test_a_prefix_of_a_phone_finds_nobody(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    assert _names(api, s.batches[0]["id"], "0812") == []


@pytest.mark.parametrize("q", ["123", "1371015", "1371015203850010", "+62 812 6634 0000"])
def test_a_number_outside_4_to_6_digits_is_refused_with_a_message(
        api: TestClient, db: Session, q: str) -> None:
    s = make_setup(api, db, people=1)
    r = _search(api, s.batches[0]["id"], q)
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "search_digits"
    assert r.json()["message"] == ("Ketik 4 sampai 6 angka terakhir nomor HP atau NIK, "
                                   "atau sebagian nama.")


def test_names_with_digits_are_still_searched_by_name(api: TestClient, db: Session) -> None:
    s = make_setup(api, db)
    assert _names(api, s.batches[0]["id"], "Kader 02") == ["Kader 02 Nur'aini"]


def test_probing_a_nik_digit_by_digit_stops_at_6_digits(api: TestClient, db: Session) -> None:
    s = make_setup(api, db, people=1)
    bid = s.batches[0]["id"]
    known = NIK[-4:]  # what the door may show anyway
    while len(known) < 6:
        found = [d for d in "0123456789" if _names(api, bid, d + known)]
        assert len(found) == 1
        known = found[0] + known
    # A seventh digit is not even asked.
    assert {_search(api, bid, d + known).status_code for d in "0123456789"} == {422}
    assert known == NIK[-6:]


def test_the_search_is_limited_per_user(api: TestClient, db: Session,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    s = make_setup(api, db, people=1)
    bid = s.batches[0]["id"]
    monkeypatch.setattr(get_settings(), "checkin_search_limit", 5)
    answers = [_search(api, bid, f"{n:04d}").status_code for n in range(7)]
    assert answers == [200] * 5 + [429] * 2
    r = _search(api, bid, "Kader")
    assert r.status_code == 429
    assert r.json()["code"] == "rate_limited"
    assert r.json()["message"] == ("Terlalu banyak pencarian. Tunggu 1 menit lalu coba "
                                   "lagi.")


def test_the_search_says_how_many_match_beyond_the_first_20(api: TestClient,
                                                            db: Session) -> None:
    s = make_setup(api, db, people=23)
    r = _search(api, s.batches[0]["id"], "Kader")
    assert r.status_code == 200, r.text
    body = r.json()
    assert (len(body["items"]), body["total"], body["more"]) == (20, 23, True)


def test_a_short_list_is_all_there_is(api: TestClient, db: Session) -> None:
    s = make_setup(api, db, people=3)
    body = _search(api, s.batches[0]["id"], "Kader").json()
    assert (len(body["items"]), body["total"], body["more"]) == (3, 3, False)


def test_a_number_search_names_the_digits_matched_and_no_more(api: TestClient,
                                                             db: Session) -> None:
    s = make_setup(api, db, people=2)
    bid = s.batches[0]["id"]
    (by_nik,) = _search(api, bid, NIK[-6:]).json()["items"]
    assert by_nik["match"] == {"field": "nik", "digits": NIK[-6:]}
    (by_phone,) = _search(api, bid, PHONE[-5:]).json()["items"]
    assert by_phone["match"] == {"field": "phone", "digits": PHONE[-5:]}
    # Nothing in the answer holds more of the NIK than was typed.
    assert NIK[-7:] not in str(by_nik)


def test_a_name_search_matches_no_number(api: TestClient, db: Session) -> None:
    s = make_setup(api, db, people=1)
    (item,) = _search(api, s.batches[0]["id"], "Kader 01").json()["items"]
    assert item["match"] is None
