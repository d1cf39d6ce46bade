"""Run the suite again on PostgreSQL. Skips (exit 0) when none answers, unless CI=true."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from tests.dbutil import pg_available  # noqa: E402

if not pg_available():
    if os.environ.get("CI") == "true":
        print("PostgreSQL is required under CI=true but does not answer", file=sys.stderr)
        sys.exit(1)
    print("PostgreSQL does not answer: the PostgreSQL run is skipped")
    sys.exit(0)
env = {**os.environ, "BIMTEK_TEST_DB": "postgresql"}
sys.exit(subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          *sys.argv[1:]], env=env))
