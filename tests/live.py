"""Real `bimtek serve` processes for tests that need several app processes or a browser."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import DB_KIND
from tests.dbutil import fresh_database, pg_available

REPO = Path(__file__).resolve().parents[1]


def bimtek_command() -> list[str]:
    script = Path(sys.executable).parent / "bimtek"
    return [str(script)] if script.exists() else [sys.executable, "-m", "service.cli"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_cli(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([*bimtek_command(), *args], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=300, check=False)
    if done.returncode != 0:
        pytest.fail(f"bimtek {args[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _wait_healthy(base_url: str, proc: subprocess.Popen[bytes], log: Path,
                  timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"bimtek serve exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"bimtek serve did not answer /healthz in {timeout:.0f}s:\n"
                f"{log.read_text()[-4000:]}")


@contextmanager
def serve(env: dict[str, str], log: Path, workers: int = 1, log_level: str = "warning",
          command: list[str] | None = None) -> Iterator[str]:
    """Run `bimtek serve` (migrated already), or `command` taking the same options, and
    yield its base URL; stop it afterwards."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603
            [*(command or [*bimtek_command(), "serve"]), "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(workers), "--log-level", log_level],
            env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(base_url, proc, log)
            yield base_url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


@contextmanager
def live_app(label: str, email: str, password: str, *, workers: int = 1,
             env: dict[str, str] | None = None, kind: str | None = None,
             timeout: float = 60, max_connections: int = 16
             ) -> Iterator[tuple[httpx.Client, str]]:
    """A fresh database of the suite's kind (or `kind`), migrated, with one admin, served by
    `workers` processes: (a client signed in as the admin with a bearer token, the
    database URL). Skips when PostgreSQL does not answer, fails so under CI=true. The
    server's log is test-artifacts/{label}-{kind}.log."""
    kind = kind or DB_KIND
    if kind == "postgresql" and not pg_available():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is required under CI=true")
        pytest.skip("PostgreSQL is not running")
    with fresh_database(kind, label) as url:
        full_env = {**os.environ, "BIMTEK_DATABASE_URL": url, **(env or {})}
        run_cli(["migrate"], full_env)
        run_cli(["create-admin", email, "--password", password, "--org", label], full_env)
        log = REPO / "test-artifacts" / f"{label}-{kind}.log"
        log.parent.mkdir(exist_ok=True)
        with serve(full_env, log, workers=workers) as base, httpx.Client(
                base_url=base, timeout=timeout,
                limits=httpx.Limits(max_connections=max_connections)) as client:
            token = client.post("/api/auth/token", data={"username": email,
                                                         "password": password})
            assert token.status_code == 200, token.text
            client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
            yield client, url
