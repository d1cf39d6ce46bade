"""One ticket scanned 50 times at once, through several real app processes on one
database: exactly one check-in, 49 "already checked in", no errors. Then two gates'
offline queues synced at once: each person checked in once, every scan accounted for."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from service.db import make_engine
from tests.checkin_setup import code_of
from tests.live import live_app

EMAIL, PASSWORD = "race@padang.test", "race-password-checkin"
SCANS = 50


def _setup(client: httpx.Client, url: str) -> tuple[list[str], int]:
    t = client.post("/api/trainings", json={
        "title": "Pelatihan Kader Kampung KB", "kind": "pelatihan",
        "start_date": "2018-09-12", "end_date": "2018-09-18"}).json()
    b = client.post(f"/api/trainings/{t['id']}/batches", json={
        "name": "Angkatan I", "start_date": "2018-09-12", "end_date": "2018-09-13",
        "capacity": 106}).json()
    ids = []
    for n in range(20):
        r = client.post(f"/api/trainings/{t['id']}/registrations", json={
            "name": f"Kader {n:02d}", "phone": f"0813600000{n:02d}"})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    engine = make_engine(url)
    with Session(engine) as db:
        codes = [code_of(db, i) for i in ids]
    engine.dispose()
    return codes, int(b["id"])


@pytest.mark.postgres
def test_fifty_scans_of_one_ticket_at_once_check_in_once(tmp_path: Path) -> None:
    with live_app("checkinrace", EMAIL, PASSWORD, workers=3, max_connections=SCANS) as (
            client, url):
        codes, _batch = _setup(client, url)

        def one(n: int) -> tuple[int, str]:
            r = client.post("/api/checkins", json={
                "code": codes[0], "scanned_at": f"2018-09-12T01:{n:02d}:00Z",
                "nonce": f"door-{n}", "device_id": f"phone-{n % 5}"})
            return r.status_code, r.json().get("status", r.text)

        with ThreadPoolExecutor(max_workers=SCANS) as pool:
            results = list(pool.map(one, range(SCANS)))

        # Two gates' offline queues over the same 19 people, synced at once, twice.
        def gate(n: int) -> int:
            scans = [{"code": c, "scanned_at": f"2018-09-12T00:{10 + i:02d}:{n % 2:02d}Z",
                      "nonce": f"gate{n % 2}-{i}"} for i, c in enumerate(codes[1:])]
            r = client.post("/api/checkins/sync",
                            json={"device_id": f"gate-{n % 2}", "scans": scans})
            return r.status_code

        with ThreadPoolExecutor(max_workers=4) as pool:
            synced = list(pool.map(gate, range(4)))

        assert sorted(results) == [(200, "already_checked_in")] * (SCANS - 1) + \
            [(201, "checked_in")]
        assert synced == [200] * 4
        engine = create_engine(url)
        with engine.connect() as conn:
            checkins = conn.execute(text(
                "SELECT registration_id, count(*) FROM checkin GROUP BY registration_id")).all()
            scans = conn.execute(text("SELECT count(*), sum(CASE WHEN flagged THEN 1 ELSE 0 "
                                      "END) FROM scan")).one()
            earliest = conn.execute(text(
                "SELECT count(*) FROM checkin WHERE device_id = 'gate-0'")).scalar()
        engine.dispose()
        assert len(checkins) == 20 and all(n == 1 for _, n in checkins)
        # 49 repeats of the first ticket, and one flagged scan per person from the gate
        # whose scan came second (gate 1 scanned one second later each time).
        assert tuple(scans) == (49 + 19, 19)
        assert earliest == 19
