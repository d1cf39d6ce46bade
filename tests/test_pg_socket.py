"""PostgreSQL over its Unix-domain socket (a same-host deployment):
`postgresql+psycopg://user@/db?host=/var/run/postgresql`. Both the app's SQLAlchemy pool
and the check-in fast lane's own async connections (service/async_pg.py) must go there,
not to TCP: pg_stat_activity shows a socket client as one without an address."""

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy import text
from sqlmodel import Session

from bench.bench_checkins import socket_url
from service.async_pg import APPLICATION_NAME, conninfo
from service.db import make_engine
from tests.checkin_setup import code_of
from tests.dbutil import fresh_database, pg_available
from tests.live import REPO, run_cli, serve

SOCKET_DIR = os.environ.get("BIMTEK_TEST_PG_SOCKET_DIR", "/var/run/postgresql")
EMAIL, PASSWORD = "socket@padang.test", "socket-password-door"
LANE = 'checkin;desc="fast lane"'


def test_the_lanes_connections_keep_a_socket_host() -> None:
    info = conninfo_to_dict(conninfo("postgresql+psycopg://postgres@/bimtek"
                                     "?host=/var/run/postgresql"))
    assert info["host"] == "/var/run/postgresql"
    assert info["dbname"] == "bimtek" and info["user"] == "postgres"
    assert info["application_name"] == APPLICATION_NAME


def test_the_bench_turns_a_tcp_url_into_the_same_database_over_the_socket() -> None:
    assert socket_url("postgresql+psycopg://postgres@127.0.0.1:5432/b", "/run/pg") == \
        "postgresql+psycopg://postgres@/b?host=%2Frun%2Fpg"
    other_port = conninfo(socket_url("postgresql+psycopg://u:pw@127.0.0.1:5433/b", "/run/pg"))
    assert conninfo_to_dict(other_port) | {"application_name": ""} == {
        "host": "/run/pg", "port": "5433", "user": "u", "password": "pw", "dbname": "b",
        "application_name": ""}


@pytest.fixture(scope="module")
def over_socket() -> Iterator[tuple[httpx.Client, str]]:
    if not pg_available():
        pytest.skip("PostgreSQL is not running")
    if not Path(SOCKET_DIR, ".s.PGSQL.5432").exists():
        pytest.skip(f"PostgreSQL has no socket in {SOCKET_DIR}")
    with fresh_database("postgresql", "pgsocket") as tcp_url:
        url = socket_url(tcp_url, SOCKET_DIR)
        env = {**os.environ, "BIMTEK_DATABASE_URL": url}
        run_cli(["migrate"], env)
        run_cli(["create-admin", EMAIL, "--password", PASSWORD, "--org", "pgsocket"], env)
        log = REPO / "test-artifacts" / "pgsocket.log"
        log.parent.mkdir(exist_ok=True)
        with serve(env, log) as base, httpx.Client(base_url=base, timeout=30) as client:
            token = client.post("/api/auth/token", data={"username": EMAIL,
                                                         "password": PASSWORD})
            assert token.status_code == 200, token.text
            client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
            yield client, url


def test_the_app_and_its_fast_lane_work_over_the_socket(
        over_socket: tuple[httpx.Client, str]) -> None:
    client, url = over_socket
    day = date(2018, 9, 12)
    t = client.post("/api/trainings", json={
        "title": "Pelatihan Kader Posyandu", "kind": "pelatihan",
        "start_date": day.isoformat(), "end_date": "2018-09-13"}).json()
    batch = client.post(f"/api/trainings/{t['id']}/batches", json={
        "name": "Angkatan I", "start_date": day.isoformat(), "end_date": "2018-09-13",
        "capacity": 10}).json()["id"]
    ids = []
    for n in range(2):
        r = client.post(f"/api/trainings/{t['id']}/registrations", json={
            "name": f"Kader {n}", "phone": f"08136000011{n}", "batch_id": batch})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    engine = make_engine(url)
    try:
        with Session(engine) as db:
            codes = [code_of(db, i) for i in ids]
        answers = [client.post("/api/checkins", json={
            "code": code, "scanned_at": "2018-09-12T01:00:00Z", "nonce": f"sock-{n}"})
            for n, code in enumerate(codes)]
        assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
        # The first scan teaches the process the token and the key (the route); the
        # second is the lane's, over its own connection.
        assert answers[0].headers.get("server-timing") != LANE
        assert answers[1].headers.get("server-timing") == LANE
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT count(*) FROM checkin WHERE registration_id = ANY(:ids)"),
                {"ids": ids}).scalar_one()
            clients = conn.execute(text(
                "SELECT application_name = :lane, client_addr IS NULL, client_port "
                "FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"), {"lane": APPLICATION_NAME}).all()
    finally:
        engine.dispose()
    assert rows == 2
    # The app's pooled connections and the lane's: all over the socket (no address,
    # port -1), the lane's among them.
    assert {lane for lane, _no_addr, _port in clients} == {True, False}
    assert all(no_addr and port == -1 for _lane, no_addr, port in clients), clients
