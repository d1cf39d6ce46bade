"""421 participants hand in a 20-question post-test from their phones, through 2 app
processes: every answer scored and kept (no error), p99 under 200 ms.

The 421 arrive at random moments over one minute (the room handing in); a second line
sends another 421 as fast as 32 clients can (a burst, far harder than any room); then 20
send again and must get 409.
The reference, measured in the same run through the same client: GET /healthz.
SQLite, and PostgreSQL when one answers.
"""

import os
import random
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.dbutil import fresh_database, pg_available
from tests.live import REPO, run_cli, serve

EMAIL, PASSWORD = "bench@padang.demo", "bench-assessments"
SEATS = (106, 105, 105, 105)
PEOPLE, QUESTIONS, CLIENTS, WORKERS = 421, 20, 32, 2
WINDOW = float(os.environ.get("BENCH_WINDOW_SECONDS", "60"))


def _pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(int(share * len(ordered)) - 1, 0)]


def _setup(client: httpx.Client) -> tuple[int, int, list[str]]:
    token = client.post("/api/auth/token", data={"username": EMAIL, "password": PASSWORD})
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    t = client.post("/api/trainings", json={
        "title": "Pelatihan Kader Kampung KB", "kind": "pelatihan",
        "start_date": "2027-03-01", "end_date": "2027-03-07"}).json()
    batches = [client.post(f"/api/trainings/{t['id']}/batches", json={
        "name": f"Angkatan {n}", "start_date": "2027-03-01", "end_date": "2027-03-02",
        "capacity": seats}).json()["id"] for n, seats in enumerate(SEATS, start=1)]
    tokens = []
    for n in range(PEOPLE):
        r = client.post(f"/api/trainings/{t['id']}/registrations", json={
            "name": f"Kader {n:04d}", "phone": f"0813{60000000 + n:08d}"})
        tokens.append(r.json()["ticket_url"].rstrip("/").rsplit("/", 1)[-1])
    test = client.post(f"/api/trainings/{t['id']}/assessments", json={
        "kind": "posttest", "title": "Post-test", "questions": [
            {"text": f"Soal {q}", "choices": ["a", "b", "c", "d"], "answer": q % 4}
            for q in range(QUESTIONS)]}).json()["id"]
    for b in batches:
        client.put(f"/api/trainings/{t['id']}/assessments/{test}/batches/{b}",
                   json={"open": True})
    return t["id"], test, tokens


def _setup_more(client: httpx.Client, tid: int) -> int:
    """A second post-test of the same training, open to the same batches, for the burst."""
    test = client.post(f"/api/trainings/{tid}/assessments", json={
        "kind": "posttest", "title": "Post-test (burst)", "questions": [
            {"text": f"Soal {q}", "choices": ["a", "b", "c", "d"], "answer": q % 4}
            for q in range(QUESTIONS)]}).json()["id"]
    for b in client.get(f"/api/trainings/{tid}").json()["batches"]:
        client.put(f"/api/trainings/{tid}/assessments/{test}/batches/{b['id']}",
                   json={"open": True})
    return int(test)


def _one_run(kind: str, url: str) -> str:
    env = {**os.environ, "BIMTEK_DATABASE_URL": url}
    run_cli(["migrate"], env)
    run_cli(["create-admin", EMAIL, "--password", PASSWORD, "--org", "Bench"], env)
    log = REPO / "test-artifacts" / f"bench-assessments-{kind}.log"
    log.parent.mkdir(exist_ok=True)
    with serve(env, log, workers=WORKERS) as base, httpx.Client(
            base_url=base, timeout=60, limits=httpx.Limits(max_connections=CLIENTS)) as client:
        tid, test, tokens = _setup(client)
        burst_test = _setup_more(client, tid)
        client.headers.pop("Authorization")  # phones carry no login

        def answer(n: int, which: int = test) -> tuple[float, int]:
            body = {"answers": [(n + q) % 4 for q in range(QUESTIONS)]}
            started = time.perf_counter()
            r = client.post(f"/api/tickets/{tokens[n]}/assessments/{which}", json=body)
            return (time.perf_counter() - started) * 1000, r.status_code

        rng = random.Random(15)
        offsets = sorted(rng.uniform(0, WINDOW) for _ in range(PEOPLE))

        def paced(n: int) -> tuple[float, int]:
            wait = begun + offsets[n] - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            return answer(n)

        def ping(_n: int) -> float:
            started = time.perf_counter()
            client.get("/healthz")
            return (time.perf_counter() - started) * 1000

        with ThreadPoolExecutor(CLIENTS) as pool:
            reference = list(pool.map(ping, range(PEOPLE)))
            begun = time.perf_counter()
            with ThreadPoolExecutor(PEOPLE) as room:  # one thread per phone: they wait
                results = list(room.map(paced, range(PEOPLE)))
            elapsed = time.perf_counter() - begun
            started = time.perf_counter()
            burst = list(pool.map(lambda n: answer(n, burst_test), range(PEOPLE)))
            burst_s = time.perf_counter() - started
            again = list(pool.map(answer, range(20)))
    times = [r[0] for r in results]
    errors = sum(1 for r in results if r[1] != 201)
    burst_times = [r[0] for r in burst]
    burst_errors = sum(1 for r in burst if r[1] != 201)
    conflicts = sum(1 for r in again if r[1] == 409)
    return (f"{kind:<10} {PEOPLE} post-tests over {elapsed:.0f} s ({WORKERS} processes): "
            f"p50 {statistics.median(times):.0f} ms, p99 {_pct(times, 0.99):.0f} ms, "
            f"{errors} errors; second sends: {conflicts}/20 answered 409\n"
            f"  burst: {PEOPLE} in {burst_s:.1f} s from {CLIENTS} clients: p50 "
            f"{statistics.median(burst_times):.0f} ms, p99 {_pct(burst_times, 0.99):.0f} ms, "
            f"{burst_errors} errors\n"
            f"  reference: GET /healthz p50 {statistics.median(reference):.1f} ms, "
            f"p99 {_pct(reference, 0.99):.1f} ms")


def run() -> Iterator[str]:
    for kind in ["sqlite"] + (["postgresql"] if pg_available() else []):
        with fresh_database(kind, "benchtest") as url:
            yield _one_run(kind, url)


if __name__ == "__main__":
    for line in run():
        print(line, flush=True)
