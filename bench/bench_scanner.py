"""From a ticket entering the camera to the answer on screen, in the door scanner.

Chromium's fake camera plays a video of several real ticket QRs (white between them);
the page is the real scanner against a real `bimtek serve` on SQLite. For each scan it
prints the time from the first video frame showing the QR to the result being painted
(the same probe as tests/browser/test_scanner.py): online (the server answers) and
offline (the phone decides, verifies the signature and queues the scan). Targets: under
300 ms online and under 100 ms offline.
"""

import os
import statistics
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.browser.scanner_video import (
    latency,
    launch_with_video,
    make_scan_setup,
    open_scanner,
    qr_image,
    results,
    wait_result,
    write_video,
)
from tests.dbutil import fresh_database
from tests.live import REPO, run_cli, serve

EMAIL, PASSWORD = "bench@padang.demo", "bench-scanner-pass"
SCANS = 8  # per mode; each a different person, so every one should turn green
TARGETS = {"online": 300, "offline": 100}


def _measure(pw: object, base: str, setup: object, codes: list[str], offline: bool,
             folder: Path) -> tuple[list[float], list[str]]:
    video = write_video(folder / ("offline.y4m" if offline else "online.y4m"),
                        [qr_image(c) for c in codes], blank_s=1.0, shown_s=1.0)
    chromium = launch_with_video(pw.chromium, video, CHROMIUM_ARGS)  # type: ignore[attr-defined]
    try:
        _context, page = open_scanner(chromium, base, setup, PHONE,  # type: ignore[arg-type]
                                      offline=offline)
        wait_result(page, len(codes), timeout=len(codes) * 2000 + 30_000)
        found = results(page)[:len(codes)]
        figures = [ms for ms in (latency(page, r) for r in found) if ms is not None]
        return figures, [r["status"] for r in found]
    finally:
        chromium.close()


def run() -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        yield f"skipped: {CHROMIUM} is missing"
        return
    from playwright.sync_api import sync_playwright

    with fresh_database("sqlite", "benchscan") as url, \
            tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "BIMTEK_DATABASE_URL": url}
        run_cli(["migrate"], env)
        run_cli(["create-admin", EMAIL, "--password", PASSWORD, "--org", "Bench"], env)
        log = REPO / "test-artifacts" / "bench-scanner.log"
        log.parent.mkdir(exist_ok=True)
        with serve(env, log) as base, httpx.Client(base_url=base, timeout=30) as api:
            token = api.post("/api/auth/token", data={"username": EMAIL, "password": PASSWORD})
            api.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
            setup = make_scan_setup(api, people=2 * SCANS)
            with sync_playwright() as pw:
                for n, mode in enumerate(("online", "offline")):
                    codes = [setup.code(i) for i in range(n * SCANS, (n + 1) * SCANS)]
                    figures, statuses = _measure(pw, base, setup, codes, mode == "offline",
                                                 Path(tmp))
                    if not figures:
                        yield f"{mode:<8} no scan measured ({statuses})"
                        continue
                    green = statuses.count("checked_in")
                    yield (f"{mode:<8} {len(figures)} scans measured: median "
                           f"{statistics.median(figures):.0f} ms, max {max(figures):.0f} ms "
                           f"(target < {TARGETS[mode]} ms); {green}/{len(statuses)} green")
