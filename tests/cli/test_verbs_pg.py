"""Every verb that takes --db works with a postgres:// URL. Needs a cluster:
DUBAN_TEST_DB_URL and DUBAN_PG_STATE as tests/run.sh sets them."""
from conftest import fresh_pg_db


def test_the_cli_runs_a_lifecycle_on_postgresql(duban):
    url = fresh_pg_db("verbs")
    duban.ok("init", db=url)
    duban.fails("init", db=url, field="db")           # a second init is refused
    duban.ok("demo", "--no-serve", db=url)
    listing = duban.json("task", "list", "--limit", "200", db=url)
    assert listing["total"] >= 15
    assert {t["status"] for t in listing["items"]} >= {"draft", "in_progress", "review", "done"}
    tid = duban.json("task", "add", "--title", "PostgreSQL 上的事项", "--lead-unit", "教务处",
                     "--deadline", "2026-12-31", as_="duchashi", db=url)["id"]
    duban.ok("task", "assign", str(tid), as_="duchashi", db=url)
    assert duban.json("task", "accept", str(tid), as_="jiaowu", db=url)["status"] == "in_progress"
    duban.ok("task", "progress", str(tid), "--text", "进展顺利", "--progress", "30", as_="jiaowu", db=url)
    assert duban.json("tick", "--today", "2026-11-26", as_="duchashi", db=url)["tasks"] > 0
    again = duban.json("tick", "--today", "2026-11-26", as_="duchashi", db=url)
    assert again["urgings"] == 0
    scores = duban.json("score", "--from", "2026-11-01", "--to", "2026-12-31", as_="duchashi", db=url)
    assert scores["units"]
    assert duban.json("stats", db=url)["totals"]["tasks"] == listing["total"] + 1
    assert "2021-10-11" in duban.ok("calendar", "add", "2021-09-28", "5", db=url).stdout
    assert "intact" in duban.ok("audit", "verify", db=url).stdout
    r = duban.run("backup", str(duban.tmp / "x.db"), db=url)
    assert r.returncode == 1 and "pg_dump" in r.stderr
