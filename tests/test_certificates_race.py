"""Two trainings of one organization issuing certificates at once, through several real
app processes on one database (PostgreSQL in tests/run_postgres.py): every eligible
person gets exactly one certificate, and no number is handed out twice or skipped."""

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.live import live_app

EMAIL, PASSWORD = "race@padang.test", "race-password-certificates"
PEOPLE = 24


def _training(client: httpx.Client, n: int) -> int:
    t = client.post("/api/trainings", json={
        "title": f"Pelatihan {n}", "kind": "pelatihan",
        "start_date": "2018-09-12", "end_date": "2018-09-13"}).json()
    b = client.post(f"/api/trainings/{t['id']}/batches", json={
        "name": "Angkatan I", "start_date": "2018-09-12", "end_date": "2018-09-13",
        "capacity": 50}).json()
    r = client.put(f"/api/trainings/{t['id']}/certificate-template", json={
        "numbering_pattern": "{seq:04}/SERT/{roman_month}/{year}"})
    assert r.status_code == 200, r.text
    for p in range(PEOPLE):
        reg = client.post(f"/api/trainings/{t['id']}/registrations", json={
            "name": f"Kader {n}-{p:02d}", "phone": f"08136{n}00000{p:02d}",
            "batch_id": b["id"]})
        assert reg.status_code == 201, reg.text
        for day in ("2018-09-12T01:00:00Z", "2018-09-13T01:00:00Z"):
            c = client.post("/api/checkins", json={
                "registration_id": reg.json()["id"], "batch_id": b["id"],
                "scanned_at": day, "nonce": f"t{n}-{p}-{day[8:10]}"})
            assert c.status_code == 201, c.text
    return int(t["id"])


@pytest.mark.postgres
def test_concurrent_issuing_never_repeats_a_number() -> None:
    with live_app("certrace", EMAIL, PASSWORD, workers=3, timeout=120) as (client, url):
        trainings = [_training(client, n) for n in (1, 2)]

        # Whole-training issuings and small chunks of both trainings, all at once.
        def issue(k: int) -> tuple[int, dict[str, int]]:
            tid = trainings[k % 2]
            query = "?limit=5" if k >= 4 else ""
            r = client.post(f"/api/trainings/{tid}/certificates{query}")
            return r.status_code, r.json()

        with ThreadPoolExecutor(max_workers=12) as pool:
            results = list(pool.map(issue, range(12)))

        assert all(status == 200 for status, _ in results), results
        assert sum(body["issued"] for _, body in results) == 2 * PEOPLE
        engine = create_engine(url)
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT registration_id, number FROM certificate")).all()
            counter = conn.execute(text("SELECT value FROM counter")).scalar()
        engine.dispose()
    numbers = [n for _, n in rows]
    assert len(rows) == 2 * PEOPLE
    assert len({r for r, _ in rows}) == 2 * PEOPLE  # one each
    assert len(set(numbers)) == len(numbers)  # never twice
    seqs = sorted(int(re.match(r"(\d+)/", n).group(1)) for n in numbers)  # type: ignore[union-attr]
    assert seqs == list(range(1, 2 * PEOPLE + 1)) and counter == 2 * PEOPLE  # no gaps
