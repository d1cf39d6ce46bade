"""People across trainings in a real browser: one person registered with the same NIK
in two trainings (2018 and 2019), present and certified; the committee finds her on
/people, opens her record (days present, JPL per year, certificate, the record PDF); two
rows sharing a phone under two spellings of one name are merged from /people/duplicates;
and the participant's own ticket links to her record. Desktop and 390 px wide."""

import io
import re
import secrets
import string
from datetime import UTC, date, datetime, time
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import ARTIFACTS, PHONE, DialogPolicy, login, shoot

pytestmark = pytest.mark.browser

WIB = ZoneInfo("Asia/Jakarta")


def _letters(n: int = 5) -> str:
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(n)).capitalize()


def _nik() -> str:
    # A woman born 12 March 1985 in Padang; the last 4 digits random (never 0000).
    return "1371015203850" + f"{secrets.randbelow(998) + 1:03d}"


def _phone() -> str:
    return "0813" + "".join(secrets.choice("0123456789") for _ in range(8))


class People:
    def __init__(self, api: httpx.Client) -> None:
        self.api = api
        self.tag = _letters()
        self.name = f"Hj. Siti Rahmawati {self.tag}, S.Pd."
        self.nik = _nik()
        self.trainings: list[int] = []
        self.registrations: list[dict[str, object]] = []
        for year, title, jpl in ((2018, "Pelatihan Kader Kampung KB Kota Padang", 4),
                                 (2019, "Bimtek Pengelola Kampung KB Kota Padang", 6)):
            day = date(year, 9, 12)
            tid, bid = self._training(f"{title} {self.tag}", day, jpl)
            reg = self._register(tid, bid, name=self.name, nik=self.nik, phone=_phone())
            moment = datetime.combine(day, time(7, 45), WIB).astimezone(UTC)
            r = api.post("/api/checkins", json={
                "registration_id": reg["id"], "batch_id": bid,
                "scanned_at": moment.isoformat(), "nonce": secrets.token_hex(8)})
            assert r.status_code == 201, r.text
            r = api.post(f"/api/trainings/{tid}/certificates")
            assert r.status_code == 200 and r.json()["issued"] == 1, r.text
            self.trainings.append(tid)
            self.registrations.append(reg)
        self.person_id = self.registrations[0]["participant_id"]
        assert self.registrations[1]["participant_id"] == self.person_id
        # Two spellings of one cadre with one phone, in two trainings.
        phone = _phone()
        self.nur = [self._register(tid, None, name=name, phone=phone)
                    for tid, name in zip(self.trainings, (f"Nur'aini {self.tag}",
                                                          f"Nur Aini {self.tag}"),
                                         strict=True)]

    def _training(self, title: str, day: date, jpl: int) -> tuple[int, int]:
        r = self.api.post("/api/trainings", json={
            "title": title, "kind": "pelatihan", "start_date": day.isoformat(),
            "end_date": day.isoformat()})
        assert r.status_code == 201, r.text
        tid = r.json()["id"]
        r = self.api.post(f"/api/trainings/{tid}/batches", json={
            "name": "Angkatan I", "start_date": day.isoformat(), "end_date": day.isoformat(),
            "capacity": 30})
        assert r.status_code == 201, r.text
        bid = r.json()["id"]
        r = self.api.post(f"/api/batches/{bid}/sessions", json={
            "title": "Kebijakan Program Kampung KB", "date": day.isoformat(),
            "start_time": "08:00", "end_time": "11:00", "jpl": jpl, "speaker_ids": []})
        assert r.status_code == 201, r.text
        return tid, bid

    def _register(self, tid: int, bid: int | None, **fields: object) -> dict[str, object]:
        body = {**fields, **({"batch_id": bid} if bid else {})}
        r = self.api.post(f"/api/trainings/{tid}/registrations", json=body)
        assert r.status_code == 201, r.text
        return dict(r.json())


@pytest.fixture(scope="module")
def people(live_api: httpx.Client) -> People:
    return People(live_api)


def test_a_person_found_and_her_record(page: Page, people: People, tmp_path: Path) -> None:
    login(page)
    page.locator("header nav a[href='/people']").click()
    page.wait_for_url(re.compile(r"/people$"))
    page.locator("#people-q").fill(f"rahmawati {people.tag}")
    row = page.locator(f"#person-{people.person_id}")
    expect(row).to_be_visible()
    expect(row).to_contain_text("2")
    expect(page.locator("#people tbody tr")).to_have_count(1)
    shoot(page, "people-list")

    row.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/people/{people.person_id}$"))
    expect(page.locator("#person-name")).to_have_text(people.name)
    expect(page.locator("#person-jpl")).to_have_text("10")
    expect(page.locator("#person-certificates")).to_have_text("2")
    expect(page.locator("#year-2018")).to_contain_text("4 JPL")
    expect(page.locator("#year-2019")).to_contain_text("6 JPL")
    first = page.locator(f"#training-{people.trainings[0]}")
    expect(first.locator(".t-days")).to_have_text("1/1")
    expect(first.locator(".t-cert")).to_have_attribute(
        "href", f"/registrations/{people.registrations[0]['id']}/certificate.pdf")
    shoot(page, "people-person")

    with page.expect_download() as info:
        page.locator("#record-pdf").click()
    saved = tmp_path / "riwayat.pdf"
    info.value.save_as(saved)
    data = saved.read_bytes()
    (ARTIFACTS / "people-record.pdf").write_bytes(data)
    text = re.sub(r"\s+", " ", " ".join((p.extract_text() or "")
                                        for p in PdfReader(io.BytesIO(data)).pages))
    assert people.name in text and people.tag in text
    assert people.nik not in text


def test_the_person_page_at_phone_width(page: Page, people: People) -> None:
    login(page)
    page.set_viewport_size(PHONE)
    page.goto(f"/people/{people.person_id}")
    expect(page.locator("#person-jpl")).to_have_text("10")
    page.screenshot(path=str(ARTIFACTS / "people-person-phone-top.png"))


def test_a_search_by_three_digits_says_what_to_type(page: Page, people: People) -> None:
    login(page)
    page.goto("/people?q=" + people.nik[-3:])
    expect(page.locator("#people-error")).to_be_visible()
    expect(page.locator("#people tbody tr")).to_have_count(0)


def test_merging_two_spellings_of_one_person(page: Page, people: People,
                                             dialog_policy: DialogPolicy,
                                             dialogs: list[str]) -> None:
    login(page)
    page.goto("/people")
    page.locator("#people-duplicates").click()
    page.wait_for_url(re.compile(r"/people/duplicates$"))
    first, second = (int(str(r["participant_id"])) for r in people.nur)
    pair = page.locator(f"#pair-{min(first, second)}-{max(first, second)}")
    expect(pair).to_be_visible()
    shoot(page, "people-duplicates")
    dialog_policy.accept_next = 1
    pair.locator(f"form[action='/people/{first}/merge'] button").click()
    page.wait_for_url(re.compile(rf"/people/{first}\?merged=1$"))
    expect(page.locator("#merged")).to_be_visible()
    expect(page.locator("#person-trainings")).to_have_text("2")
    expect(page.locator("#person-merges")).to_contain_text(f"Nur Aini {people.tag}")
    assert dialogs == []
    page.goto("/people/duplicates")
    expect(page.locator(f"#pair-{min(first, second)}-{max(first, second)}")).to_have_count(0)


def test_the_ticket_links_to_the_holders_own_record(page: Page, people: People) -> None:
    ticket = str(people.registrations[1]["ticket_url"])
    page.goto(urlsplit(ticket).path)
    page.locator("#ticket-record").click()
    page.wait_for_url(re.compile(r"/riwayat$"))
    expect(page.locator("#record-name")).to_have_text(people.name)
    expect(page.locator("#record-jpl")).to_have_text("10 JPL")
    expect(page.locator("#record-trainings .cert")).to_have_count(2)
    body = page.locator("body").inner_text()
    assert people.nik not in body and people.nik[-4:] not in body
    shoot(page, "people-riwayat")
    with page.expect_download() as info:
        page.locator("#record-trainings .cert").first.click()
    assert info.value.suggested_filename.endswith(".pdf")


def test_registration_list_names_link_to_the_person(page: Page, people: People) -> None:
    login(page)
    page.goto(f"/trainings/{people.trainings[0]}/registrations")
    link = page.locator(f"#reg-{people.registrations[0]['id']} .reg-name a")
    expect(link).to_have_attribute("href", f"/people/{people.person_id}")


