"""Capacity holds under concurrency: 1,000 registrations at once against a 421-seat training,
through several real app processes on one database."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.live import live_app

EMAIL, PASSWORD = "race@padang.test", "race-password-421"
SEATS = (106, 105, 105, 105)
REQUESTS = 1000


def _setup(client: httpx.Client) -> int:
    t = client.post("/api/trainings", json={
        "title": "Pelatihan Kader Kampung KB", "kind": "pelatihan",
        "start_date": "2018-09-12", "end_date": "2018-09-18"}).json()
    for n, seats in enumerate(SEATS, start=1):
        r = client.post(f"/api/trainings/{t['id']}/batches", json={
            "name": f"Angkatan {n}", "start_date": "2018-09-12", "end_date": "2018-09-13",
            "capacity": seats})
        assert r.status_code == 201, r.text
    return int(t["id"])


@pytest.mark.postgres
def test_thousand_concurrent_registrations_fill_exactly_the_seats(tmp_path: Path) -> None:
    with live_app("regrace", EMAIL, PASSWORD, workers=3, timeout=120, max_connections=64,
                  env={"BIMTEK_SELFREG_LIMIT": "100000"}) as (client, url):
        tid = _setup(client)

        def one(n: int) -> tuple[int, str]:
            r = client.post(f"/api/trainings/{tid}/registrations", json={
                "name": f"Kader {n:04d}", "phone": f"0813{60000000 + n:08d}"})
            return r.status_code, r.json().get("status", r.text)

        with ThreadPoolExecutor(max_workers=48) as pool:
            results = list(pool.map(one, range(REQUESTS)))

        def same_person(_: int) -> int:
            return client.post(f"/api/trainings/{tid}/registrations", json={
                "name": "Hj. Nur Aisyah", "nik": "1371015203850001",
                "phone": "0812 6634 1122"}).status_code

        # One person sent twenty times at once: the unique constraints let one in.
        with ThreadPoolExecutor(max_workers=20) as pool:
            twice = sorted(pool.map(same_person, range(20)))

        assert twice == [201] + [409] * 19
        errors = [r for r in results if r[0] != 201]
        assert errors == []
        statuses = [s for _, s in results]
        assert statuses.count("confirmed") == sum(SEATS)
        assert statuses.count("waitlisted") == REQUESTS - sum(SEATS)
        engine = create_engine(url)
        with engine.connect() as conn:
            per_batch = conn.execute(text(
                "SELECT b.capacity, b.confirmed_count, count(r.id) FROM batch b "
                "LEFT JOIN registration r ON r.batch_id = b.id AND r.status = 'confirmed' "
                "GROUP BY b.id, b.capacity, b.confirmed_count ORDER BY b.id")).all()
        engine.dispose()
        assert [tuple(row) for row in per_batch] == [(s, s, s) for s in SEATS]
