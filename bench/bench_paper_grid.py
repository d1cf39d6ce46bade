"""The paper answer grid against its target, "15 seconds a person for 20 questions,
keyboard only": keys PEOPLE sheets of 20 answers into /trainings/{id}/tests/{id}/paper with
Playwright's keyboard (no mouse), in the grid's order and found by number, and prints the
keystrokes per person, the time the page takes per person, and beside it a reference
measured in the same run: the same keys typed into a plain <textarea> on the same page.
A person's time at a typist's pace is keystrokes / 3 keys per second."""

import os
import secrets
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.browser.test_paper_grid_speed import questions, setup, sheet_keys
from tests.dbutil import fresh_database
from tests.live import REPO, run_cli, serve

PEOPLE = int(os.environ.get("BENCH_PAPER_PEOPLE", "30"))
CHROMIUM = "/usr/bin/chromium"
TYPIST_KEYS_PER_SECOND = 3.0


def _ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"


def run() -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        yield f"skipped: {CHROMIUM} is missing"
        return
    from playwright.sync_api import sync_playwright

    email, password = "bench@padang.test", "bench-grid-" + secrets.token_hex(6)
    with fresh_database("sqlite", "benchpaper") as url:
        env = {**os.environ, "BIMTEK_DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
        run_cli(["migrate"], env)
        run_cli(["create-admin", email, "--password", password, "--org", "DP3AP2KB Padang"],
                env)
        with serve(env, REPO / "test-artifacts" / "bench-paper-server.log") as base, \
                httpx.Client(base_url=base, timeout=30) as api:
            token = api.post("/api/auth/token", data={"username": email, "password": password})
            api.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
            tid, bid, aid, _names = setup(api, PEOPLE)
            qs = questions()
            lines = [sheet_keys(qs, n)[0] for n in range(PEOPLE)]
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page(base_url=base)
                page.goto("/login")
                page.locator("input[name=email]").fill(email)
                page.locator("input[name=password]").fill(password)
                page.locator("form[action='/login'] button[type=submit]").click()
                page.wait_for_url("**/trainings")
                page.goto(f"/trainings/{tid}/tests/{aid}/paper?batch_id={bid}")
                page.locator("input.as-line").first.wait_for()
                grid_times, keys_in_order, keys_found = [], [], []
                half = PEOPLE // 2
                for n in range(PEOPLE):
                    started = time.perf_counter()
                    keys = 0
                    if n >= half:  # the rest by number, as a pile of sheets comes
                        if n == half:
                            page.keyboard.press("/")
                            keys += 1
                        page.keyboard.type(str(n + 1))
                        page.keyboard.press("Enter")
                        keys += len(str(n + 1)) + 1
                    page.keyboard.type(lines[n])
                    page.keyboard.press("Enter")
                    keys += len(lines[n]) + 1
                    grid_times.append(time.perf_counter() - started)
                    (keys_found if n >= half else keys_in_order).append(keys)
                page.keyboard.press("Control+Enter")
                page.locator("#paper-saved").wait_for()
                saved = page.locator("#paper-saved").inner_text()
                # The reference: the same keys into a plain textarea on the same page.
                page.evaluate("() => { const t = document.createElement('textarea');"
                              " t.id = 'bench-ref'; document.body.prepend(t); t.focus(); }")
                ref_times = []
                for n in range(PEOPLE):
                    started = time.perf_counter()
                    page.keyboard.type(lines[n])
                    page.keyboard.press("Enter")
                    ref_times.append(time.perf_counter() - started)
                browser.close()
            done = api.get(f"/api/trainings/{tid}/assessments/{aid}/results").json()
    per_person = statistics.mean(keys_in_order + keys_found)
    yield f"{PEOPLE} sheets of {len(qs)} questions keyed, keyboard only: {saved!r}, " \
          f"{done['responses']} sheets in the results"
    yield f"keystrokes per person: {statistics.mean(keys_in_order):.1f} in the grid's order, " \
          f"{statistics.mean(keys_found):.1f} found by number (mean {per_person:.1f})"
    yield f"page time per person (Playwright keys, no pause): {_ms(grid_times)}"
    yield f"reference, same keys into a plain <textarea>: {_ms(ref_times)}"
    yield f"overhead of the grid's script per person: " \
          f"{(statistics.median(grid_times) - statistics.median(ref_times)) * 1000:.0f} ms"
    yield f"at a typist's {TYPIST_KEYS_PER_SECOND:.0f} keys/s: " \
          f"{per_person / TYPIST_KEYS_PER_SECOND:.1f} s per person (target 15 s)"


if __name__ == "__main__":
    for line in run():
        print(line, flush=True)
