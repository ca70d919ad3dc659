"""duban copy --from FILE.db --to postgres://…: moving an institution's data
up to PostgreSQL, journal included. Needs a cluster: DUBAN_TEST_DB_URL and
DUBAN_PG_STATE as tests/run.sh sets them (scripts/pg-test-cluster.sh)."""
import os

import pytest

from conftest import fresh_pg_db



def test_the_demo_moves_to_postgresql_with_its_journal(duban):
    url = fresh_pg_db("copy")
    src = duban.db
    duban.ok("demo", "--db", src, "--no-serve")
    before = duban.json("audit", "verify")
    out = duban.json("copy", "--from", src, "--to", url)
    assert out["ok"] is True
    counts = {t["table"]: (t["source"], t["target"]) for t in out["tables"]}
    for table in ("unit", "app_user", "task", "assignment", "progress_report", "journal", "task_event"):
        assert counts[table][0] > 0, table
    assert all(a == b for a, b in counts.values()), counts
    assert out["journal"]["ok"] is True and out["journal"]["entries"] == before["entries"]
    # the target stands on its own
    assert "intact" in duban.ok("audit", "verify", "--db", url).stdout
    assert duban.json("audit", "verify", db=url)["entries"] == before["entries"]
    assert duban.json("task", "list", "--limit", "200", db=url) == duban.json("task", "list", "--limit", "200")
    assert duban.json("search", "整改", db=url) == duban.json("search", "整改")
    # sequences moved past the copied ids: new rows get new ids
    n = duban.json("task", "list", "--limit", "200")["total"]
    t = duban.json("task", "add", "--title", "复制后新建的任务", "--deadline", "2026-12-31", db=url)
    assert t["id"] > max(i["id"] for i in duban.json("task", "list", "--limit", "200")["items"])
    assert duban.json("task", "list", "--limit", "200", db=url)["total"] == n + 1
    assert "intact" in duban.ok("audit", "verify", "--db", url).stdout
    # a target that holds data is refused, and left alone
    r = duban.run("copy", "--from", src, "--to", url)
    assert r.returncode == 1 and "error: to:" in r.stderr and "not empty" in r.stderr
    assert duban.json("task", "list", "--limit", "200", db=url)["total"] == n + 1


def test_copy_refuses_a_missing_source(duban):
    r = duban.run("copy", "--from", str(duban.tmp / "missing.db"), "--to", "postgres://x@127.0.0.1:1/x")
    assert r.returncode == 1 and "error: from:" in r.stderr
    assert not os.path.exists(duban.tmp / "missing.db")
