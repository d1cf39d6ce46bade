"""Two trainings of one organization issuing certificates at once, through several real
app processes on one database (PostgreSQL in tests/run_postgres.py): every eligible
person gets exactly one certificate, and no number is handed out twice or skipped."""

import os
import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.conftest import DB_KIND
from tests.dbutil import fresh_database, pg_available
from tests.live import REPO, run_cli, serve

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
    if DB_KIND == "postgresql" and not pg_available():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is required under CI=true")
        pytest.skip("PostgreSQL is not running")
    with fresh_database(DB_KIND, "certrace") as url:
        env = {**os.environ, "BIMTEK_DATABASE_URL": url}
        run_cli(["migrate"], env)
        run_cli(["create-admin", EMAIL, "--password", PASSWORD, "--org", "Race"], env)
        log = REPO / "test-artifacts" / f"certificate-race-{DB_KIND}.log"
        log.parent.mkdir(exist_ok=True)
        with serve(env, log, workers=3) as base, \
                httpx.Client(base_url=base, timeout=120,
                             limits=httpx.Limits(max_connections=16)) as client:
            token = client.post("/api/auth/token", data={"username": EMAIL,
                                                         "password": PASSWORD})
            client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
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
