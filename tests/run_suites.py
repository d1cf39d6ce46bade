"""`make test`: the whole suite on SQLite and, at the same time, on PostgreSQL.

Three runs side by side: the suite on SQLite, the same on PostgreSQL, and the browser
tests (marker `browser`, on SQLite) in a run of their own. They share nothing (each makes
its own databases, servers, ports and browsers), and the browser run spends most of its
time waiting on Chromium, servers and sleeps, so beside the two CPU-bound runs it fills
the gaps rather than trailing after them (in one run with the SQLite suite it was the
last to end by five minutes on a 2-core machine). Each run's output goes to its own log
in test-artifacts/ and is shown when the run ends; the exit status fails if any does.
PostgreSQL is skipped when none answers, unless CI=true (tests/run_postgres.py).

The browser tests run once, on SQLite: they drive pages whose every handler the
PostgreSQL run already exercises through the test client, and running Chromium against
both databases at once on a 2-core machine made the whole take over 15 minutes. `make
test-postgres` still runs them on PostgreSQL.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOGS = REPO / "test-artifacts"


# Each log ends with its slowest tests: where the next minute of `make test` is to be had.
SLOWEST = "--durations=15"


def main() -> int:
    LOGS.mkdir(exist_ok=True)
    runs = {
        "sqlite": [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   "-m", "not browser", SLOWEST, *sys.argv[1:]],
        "browser": [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "-m", "browser", SLOWEST, *sys.argv[1:]],
        "postgresql": [sys.executable, "tests/run_postgres.py", "-m", "not browser", SLOWEST,
                       *sys.argv[1:]],
    }
    started = time.monotonic()
    procs = {}
    for name, cmd in runs.items():
        log = (LOGS / f"suite-{name}.log").open("wb")
        procs[name] = (subprocess.Popen(cmd, cwd=REPO, stdout=log,  # noqa: S603
                                        stderr=subprocess.STDOUT, env=os.environ.copy()), log)
    failed = []
    for name, (proc, log) in procs.items():
        code = proc.wait()
        log.close()
        text = (LOGS / f"suite-{name}.log").read_text(errors="replace")
        print(f"===== {name}: exit {code}, log test-artifacts/suite-{name}.log =====")
        # The whole log of a failed run; the summary of a passed one.
        print(text if code else "\n".join(text.rstrip().splitlines()[-3:]), flush=True)
        if code:
            failed.append(name)
    print(f"===== all runs in {time.monotonic() - started:.0f} s; "
          f"{'FAILED: ' + ', '.join(failed) if failed else 'all passed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
