"""Fuzz the JSON API with schemathesis: every operation of /api/openapi.json, with an
admin's bearer token, against a served app on a fresh database holding the demo training
(so generated ids also land on real rows). Counts server errors; exits 1 on any.

Not part of the test suite (it takes minutes): `make fuzz`, or
    .venv/bin/python tests/fuzz_api.py --db sqlite|postgresql [--max-examples N]
schemathesis (MIT licence) is in the dev extras for this script only.
"""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.dbutil import fresh_database, pg_available  # noqa: E402
from tests.live import REPO, run_cli, serve  # noqa: E402

EMAIL = "fuzz@padang.demo"
# Operations that would end the run's own credentials: revoking its token, changing the
# admin's password (which signs out every other token).
EXCLUDED = ["revoke_token_api_auth_token_delete", "change_password_api_auth_password_post"]


def fuzz(kind: str, max_examples: int, workers: int) -> int:
    if kind == "postgresql" and not pg_available():
        print("PostgreSQL does not answer at 127.0.0.1:5432", file=sys.stderr)
        return 2
    password = "fuzz-" + secrets.token_hex(8)
    with fresh_database(kind, "fuzz") as url:
        env = {**os.environ, "BIMTEK_DATABASE_URL": url,
               # The fuzzer logs in and searches far more often than a person.
               "BIMTEK_LOGIN_ADDRESS_LIMIT": "100000",
               "BIMTEK_CHECKIN_SEARCH_LIMIT": "100000"}
        run_cli(["migrate"], env)
        run_cli(["demo", "--email", EMAIL, "--password", password], env)
        log = REPO / "test-artifacts" / f"fuzz-{kind}.log"
        log.parent.mkdir(exist_ok=True)
        with serve(env, log, workers=1) as base:
            token = httpx.post(f"{base}/api/auth/token",
                               data={"username": EMAIL, "password": password}, timeout=30)
            token.raise_for_status()
            report = Path(tempfile.mkdtemp(prefix="bimtek-fuzz-")) / "events.ndjson"
            command = [
                str(Path(sys.executable).parent / "schemathesis"), "run",
                f"{base}/api/openapi.json", "--checks", "not_a_server_error",
                "--header", f"Authorization: Bearer {token.json()['access_token']}",
                "--max-examples", str(max_examples), "--workers", str(workers),
                "--phases", "examples,coverage,fuzzing", "--request-timeout", "60",
                "--no-color", "--suppress-health-check", "all", "--seed", "11",
                "--report", "ndjson", "--report-ndjson-path", str(report),
                "--generation-database", "none"]
            for operation in EXCLUDED:
                command += ["--exclude-operation-id", operation]
            # In a folder of its own: schemathesis keeps a cache where it runs.
            done = subprocess.run(command, cwd=report.parent, check=False)  # noqa: S603
            server_log = log.read_text()
    tracebacks = server_log.count("Traceback (most recent call last)")
    print(f"fuzz on {kind}: schemathesis exit {done.returncode}; "
          f"{tracebacks} tracebacks in the server's log ({log})")
    return 0 if done.returncode == 0 and tracebacks == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--max-examples", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    return fuzz(args.db, args.max_examples, args.workers)


if __name__ == "__main__":
    sys.exit(main())
