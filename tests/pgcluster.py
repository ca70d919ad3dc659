"""A fresh database in the test PostgreSQL cluster (scripts/pg-test-cluster.sh,
started by tests/run.sh), shared by the CLI and API suites. Skips the
calling test when no cluster is running (DUBAN_TEST_DB_URL unset)."""
import os
import subprocess
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fresh_pg_db(prefix):
    """Creates database <prefix>_<random> and returns its URL."""
    if not os.environ.get("DUBAN_TEST_DB_URL"):
        pytest.skip("DUBAN_TEST_DB_URL is not set: no PostgreSQL cluster (tests/run.sh starts one)")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    p = subprocess.run(["bash", os.path.join(ROOT, "scripts", "pg-test-cluster.sh"), "createdb", name],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip().splitlines()[-1]
