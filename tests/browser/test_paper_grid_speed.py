"""The paper grid, keyboard only: 10 answer sheets of 20 questions keyed with Playwright's
keyboard (no click), half in the grid's order and half found by number or name as a pile
of sheets comes; the keystrokes per person are counted and the saved answers checked
one by one against what was typed."""

import random
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, shoot

pytestmark = pytest.mark.browser

N_QUESTIONS = 20
PEOPLE = 10


def questions() -> list[dict[str, Any]]:
    """20 questions: every fourth a Benar/Salah one, the others four choices."""
    out: list[dict[str, Any]] = []
    for n in range(N_QUESTIONS):
        if n % 4 == 3:
            out.append({"text": f"Pernyataan {n + 1} benar.", "choices": ["Benar", "Salah"],
                        "answer": "Benar" if n % 8 == 3 else "Salah"})
        else:
            out.append({"text": f"Soal pilihan ganda {n + 1}", "answer": "abcd"[n % 4],
                        "choices": [f"Pilihan {c}" for c in "ABCD"]})
    return out


def sheet_keys(qs: list[dict[str, Any]], seed: int) -> tuple[str, list[int | None]]:
    """What the committee types for one sheet, and the choice indexes it means."""
    rnd = random.Random(seed)
    keys, meant = [], []
    for q in qs:
        if rnd.random() < 0.05:
            keys.append("-")
            meant.append(None)
        elif len(q["choices"]) == 2:
            i = rnd.randrange(2)
            keys.append("bs"[i])  # B(enar) / S(alah), as the sheet marks it
            meant.append(i)
        else:
            i = rnd.randrange(4)
            keys.append("abcd"[i] if rnd.random() < 0.8 else str(i + 1))
            meant.append(i)
    return "".join(keys), meant


def setup(api: httpx.Client, people: int = PEOPLE) -> tuple[int, int, int, list[str]]:
    start = date.today() + timedelta(days=3)
    t = api.post("/api/trainings", json={
        "title": "Pelatihan Kader (lembar kertas)", "kind": "pelatihan",
        "start_date": start.isoformat(), "end_date": (start + timedelta(days=1)).isoformat()
    }).json()
    b = api.post(f"/api/trainings/{t['id']}/batches", json={
        "name": "Angkatan I", "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=1)).isoformat(), "capacity": 500}).json()
    names = []
    for n in range(people):
        name = f"Peserta {n + 1:03d} Rahmawati"
        r = api.post(f"/api/trainings/{t['id']}/registrations", json={
            "name": name, "phone": f"0813{n:08d}"})
        assert r.status_code == 201, r.text
        names.append(name)
    a = api.post(f"/api/trainings/{t['id']}/assessments", json={
        "kind": "posttest", "title": "Post-test 20 soal", "questions": questions()})
    assert a.status_code == 201, a.text
    return t["id"], b["id"], a.json()["id"], names


class Keys:
    """Playwright's keyboard, counting every key it sends."""

    def __init__(self, page: Page) -> None:
        self.page, self.count = page, 0

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.count += len(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.count += 1


def test_ten_sheets_of_twenty_answers_by_keyboard_only(page: Page,
                                                      live_api: httpx.Client) -> None:
    tid, bid, aid, names = setup(live_api)
    qs = questions()
    login(page)
    page.goto(f"/trainings/{tid}/tests/{aid}/paper?batch_id={bid}")
    lines = page.locator("input.as-line")
    expect(lines).to_have_count(PEOPLE)
    expect(lines.first).to_be_focused()
    keys = Keys(page)
    sheets = {n: sheet_keys(qs, n) for n in range(PEOPLE)}
    # A key the question has no choice for is refused where it is typed, with the reason.
    page.keyboard.type("abc")
    page.keyboard.type("e")
    expect(lines.first).to_have_value("abc")
    expect(page.locator("#paper-status")).to_contain_text("4")
    for _ in range(3):
        page.keyboard.press("Backspace")
    expect(lines.first).to_have_value("")
    per_person = []
    # Sheets 1-5 in the grid's order: the letters, then Enter.
    for n in range(5):
        before = keys.count
        keys.type(sheets[n][0])
        keys.press("Enter")
        per_person.append(keys.count - before)
    # The rest come in any order: "/" to the finder, a number or part of a name, Enter.
    for n, query in ((8, "9"), (6, "007"), (9, "10"), (5, "006"), (7, "8")):
        before = keys.count
        if n == 8:
            keys.press("/")  # from the line where the last Enter left us
        keys.type(query)
        keys.press("Enter")
        expect(lines.nth(n)).to_be_focused()
        keys.type(sheets[n][0])
        keys.press("Enter")  # back to the finder
        expect(page.locator("#paper-find")).to_be_focused()
        per_person.append(keys.count - before)
    assert max(per_person[:5]) == N_QUESTIONS + 1, per_person
    assert max(per_person[5:]) <= N_QUESTIONS + 1 + 4 + 1, per_person
    keys.press("Control+Enter")
    expect(page.locator("#paper-saved")).to_contain_text("10")
    shoot(page, "paper-grid-keyboard")
    results = live_api.get(f"/api/trainings/{tid}/assessments/{aid}/results").json()
    by_name = {p["name"]: p for p in results["people"]}
    for n, name in enumerate(names):
        meant = sheets[n][1]
        right = sum(1 for q, m in zip(qs, meant, strict=True) if m is not None and (
            m == (["Benar", "Salah"].index(q["answer"]) if len(q["choices"]) == 2
                  else "abcd".index(q["answer"]))))
        assert by_name[name]["correct"] == right, (name, sheets[n][0])
        assert by_name[name]["source"] == "paper"
    print(f"keystrokes per person: {per_person}")
