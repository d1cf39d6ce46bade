"""Phones on a weak village-hall signal send their forms slowly: through a real server
with ONE database place per process, requests that trickle in hold no place while their
bodies arrive, so everyone else is still answered."""

import socket
import time

from tests.live import live_app

EMAIL, PASSWORD = "slow@padang.test", "slow-password-kampung"


def _start_slow_post(base_url: str) -> socket.socket:
    """A form post whose headers and first bytes arrive, and the rest never (yet)."""
    host, port = base_url.rsplit("/", 1)[-1].split(":")
    conn = socket.create_connection((host, int(port)), timeout=10)
    conn.sendall(b"POST /trainings HTTP/1.1\r\nHost: " + host.encode()
                 + b"\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                 b"Content-Length: 5000\r\n\r\ntitle=Pelatihan+Kader+")
    return conn


def test_slow_bodies_hold_no_database_place() -> None:
    with live_app("slowclients", EMAIL, PASSWORD, env={"BIMTEK_DB_POOL_SIZE": "1"},
                  timeout=10) as (client, _url):
        slow = [_start_slow_post(str(client.base_url)) for _ in range(3)]
        try:
            time.sleep(0.5)  # they are in, and waiting for their bodies
            for _ in range(5):
                # Each of these needs the process's only database place.
                started = time.monotonic()
                assert client.get("/readyz").status_code == 200
                assert client.get("/api/trainings").status_code == 200
                assert time.monotonic() - started < 5
        finally:
            for conn in slow:
                conn.close()
