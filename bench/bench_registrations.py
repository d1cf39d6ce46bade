"""1,000 registrations at once against a 421-seat training, through 3 app processes.

Prints registrations per second, latency percentiles and the outcome (exactly 421
confirmed and 579 waitlisted is the requirement; tests/test_registration_race.py
asserts it). SQLite, and PostgreSQL when one answers.
"""

import os
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.dbutil import fresh_database, pg_available
from tests.live import REPO, run_cli, serve

EMAIL, PASSWORD = "bench@padang.demo", "bench-registrations"
SEATS = (106, 105, 105, 105)
REQUESTS, CLIENTS, WORKERS = 1000, 48, 3


def _one_run(kind: str, url: str) -> str:
    env = {**os.environ, "BIMTEK_DATABASE_URL": url}
    run_cli(["migrate"], env)
    run_cli(["create-admin", EMAIL, "--password", PASSWORD, "--org", "Bench"], env)
    log = REPO / "test-artifacts" / f"bench-registrations-{kind}.log"
    log.parent.mkdir(exist_ok=True)
    with serve(env, log, workers=WORKERS) as base, httpx.Client(
            base_url=base, timeout=120, limits=httpx.Limits(max_connections=CLIENTS)) as client:
        token = client.post("/api/auth/token", data={"username": EMAIL, "password": PASSWORD})
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        t = client.post("/api/trainings", json={
            "title": "Pelatihan Kader", "kind": "pelatihan", "start_date": "2027-03-01",
            "end_date": "2027-03-07"}).json()
        for n, seats in enumerate(SEATS, start=1):
            client.post(f"/api/trainings/{t['id']}/batches", json={
                "name": f"Angkatan {n}", "start_date": "2027-03-01",
                "end_date": "2027-03-02", "capacity": seats})

        def one(n: int) -> tuple[float, int, str]:
            started = time.perf_counter()
            r = client.post(f"/api/trainings/{t['id']}/registrations", json={
                "name": f"Kader {n:04d}", "phone": f"0813{60000000 + n:08d}"})
            return time.perf_counter() - started, r.status_code, r.json().get("status", "")

        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            results = list(pool.map(one, range(REQUESTS)))
        elapsed = time.perf_counter() - started
    latencies = sorted(r[0] * 1000 for r in results)
    statuses = [r[2] for r in results]
    errors = sum(1 for r in results if r[1] != 201)
    p99 = latencies[int(0.99 * len(latencies)) - 1]
    return (f"{kind:<10} {REQUESTS / elapsed:6.0f} registrations/s ({WORKERS} processes, "
            f"{CLIENTS} clients), p50 {statistics.median(latencies):.0f} ms, p99 {p99:.0f} ms; "
            f"{statuses.count('confirmed')} confirmed, {statuses.count('waitlisted')} "
            f"waitlisted, {errors} errors")


def run() -> Iterator[str]:
    for kind in ["sqlite"] + (["postgresql"] if pg_available() else []):
        with fresh_database(kind, "benchreg") as url:
            yield _one_run(kind, url)
