"""Stored task views (src/app/task_docs.c, migration 9): every write keeps
them equal to a live rendering or marks them not to be served, whoever
writes; a missing or marked one is rendered live; `duban views build` fills
them in and `duban views check` finds one that differs. The whole suite also runs with DUBAN_CHECK_TASK_DOCS=1
(tests/run.sh), which compares every stored view served with a live one."""
import json
import sqlite3

from test_cli import make_task, task_id


def views_check(d):
    r = d.run("views", "check", "--json")
    return r.returncode, json.loads(r.stdout)


def stored(d):
    con = sqlite3.connect(d.db)
    try:
        return {row[0]: row[1] for row in con.execute("SELECT task_id, body FROM task_doc")}
    finally:
        con.close()


def shell(d, sql):
    """A write by another program than duban (no commit hook runs)."""
    con = sqlite3.connect(d.db)
    try:
        con.execute(sql)
        con.commit()
    finally:
        con.close()


def test_every_kind_of_write_leaves_the_stored_views_current(ledger):
    d = ledger
    t = make_task(d, coop="研究生院", freq="weekly:5")
    tid = task_id(t)
    child = task_id(d.json("task", "add", "--title", "整理学科材料", "--parent", tid,
                           "--lead-unit", "人事处", "--deadline", "2026-12-20", as_="sup"))
    d.ok("task", "edit", tid, "--milestones", "2026-12-10:40,2026-12-24:80", as_="sup")
    d.ok("task", "assign", tid, as_="sup")
    d.ok("task", "assign", child, as_="sup")
    d.ok("task", "accept", tid, "--person", "陈静", as_="jw")
    d.ok("task", "progress", tid, "--text", "过半", "--progress", "50", as_="jw")
    d.ok("task", "accept", child, as_="rs")
    d.ok("task", "progress", child, "--text", "材料已齐", "--progress", "70", as_="rs")
    d.ok("task", "extend", tid, "--date", "2027-01-15", "--reason", "等待专家论证", as_="jw")
    d.ok("task", "decide-extension", tid, "--decision", "approve", as_="sup")
    d.ok("unit", "update", "2", "--name", "研究生院（新）", "--version", "1")
    d.ok("unit", "update", "3", "--name", "人事处（新）", "--version", "1")
    code, out = views_check(d)
    assert (code, out["stale"]) == (0, 0), out
    assert out["checked"] == 2
    # what a reader gets shows each of those writes
    view = d.json("task", "show", tid)
    assert [c["name"] for c in view["coop_units"]] == ["研究生院（新）"]
    assert view["milestones"][0]["percent"] == 40 and view["deadline"] == "2027-01-15"
    assert view["children"][0]["progress"] == 70
    assert view["extension_requests"][0]["state"] == "approved"
    body = json.loads(stored(d)[int(tid)] + "}")
    assert body["children"][0]["progress"] == 70 and body["progress"] == 50
    assert "light" not in body and "allowed_actions" not in body   # computed per request
    assert d.json("task", "show", child)["lead_unit_name"] == "人事处（新）"


def dirty(d):
    con = sqlite3.connect(d.db)
    try:
        return {row[0] for row in con.execute("SELECT task_id FROM task_doc_dirty")}
    finally:
        con.close()


def test_a_write_by_another_program_is_noted_and_reads_stay_right(ledger):
    d = ledger
    tid = task_id(make_task(d, title="原标题"))
    assert int(tid) in stored(d) and not dirty(d)
    shell(d, f"UPDATE task SET title = '改过的标题' WHERE id = {tid}")
    assert dirty(d) == {int(tid)}                  # the trigger noted it
    assert "原标题" in stored(d)[int(tid)]          # the old row is still there...
    assert d.json("task", "show", tid)["title"] == "改过的标题"   # ...but not served
    assert views_check(d)[1]["stale"] == 0        # nor counted: it is not served
    # the next duban commit renders the noted task again
    d.ok("task", "edit", tid, "--remark", "备注", as_="sup")
    assert not dirty(d)
    assert json.loads(stored(d)[int(tid)] + "}")["title"] == "改过的标题"
    assert views_check(d)[0] == 0


def test_build_fills_in_missing_views_and_check_finds_a_stale_one(ledger):
    d = ledger
    d.env["DUBAN_CHECK_TASK_DOCS"] = "1"   # reads compare with a live rendering (not only under run.sh)
    ids = [task_id(make_task(d, title=f"任务{i}")) for i in range(3)]
    shell(d, "DELETE FROM task_doc")
    assert d.json("task", "show", ids[0])["title"] == "任务0"   # live, no stored view
    out = json.loads(d.ok("views", "build", "--json").stdout)
    assert out["built"] == 3 and len(stored(d)) == 3
    assert json.loads(d.ok("views", "build", "--json").stdout)["built"] == 0
    assert views_check(d) == (0, {"checked": 3, "stale": 0, "first_stale": 0}) and not dirty(d)
    # a row changed behind the triggers' back is caught, by check and on read
    shell(d, f"UPDATE task_doc SET body = replace(body, '任务1', '别的') WHERE task_id = {ids[1]}")
    code, out = views_check(d)
    assert code == 1 and out["stale"] == 1 and out["first_stale"] == int(ids[1])
    r = d.run("task", "show", ids[1])
    assert r.returncode != 0 and "stale" in r.stderr
    assert d.run("task", "show", ids[0]).returncode == 0
    # a ledger page starts its rows from the same stored text
    r = d.run("task", "list", "--json")
    assert r.returncode != 0 and "stale" in r.stderr


def test_ledger_rows_are_the_same_from_stored_views_and_live(ledger):
    d = ledger
    t = make_task(d, coop="研究生院")
    for i in range(3):
        make_task(d, title=f"任务{i}")
    d.ok("task", "assign", task_id(t), as_="sup")
    # every page shape: all tasks; one unit's by deadline (read from the unit's
    # assignments and the stored views only, no task row); a unit user's own
    pages = (("task", "list"), ("task", "list", "--unit", "1"),
             ("task", "list", "--unit", "1", "--status", "assigned"))
    from_docs = [d.json(*p) for p in pages] + [d.json("task", "list", as_="jw")]
    assert len(stored(d)) == 4 and not dirty(d)
    assert len(from_docs[1]["items"]) == 4 and len(from_docs[2]["items"]) == 1
    shell(d, "DELETE FROM task_doc")
    live = [d.json(*p) for p in pages] + [d.json("task", "list", as_="jw")]
    assert from_docs == live
    live = live[0]
    row = [i for i in live["items"] if i["id"] == t["id"]][0]
    assert [c["name"] for c in row["coop_units"]] == ["研究生院"] and row["status"] == "assigned"
    assert row["light"] and "assignments" not in row


def test_only_administrators_maintain_the_views(ledger):
    ledger.fails("views", "build", as_="jw", code=1)


def test_views_without_a_known_subcommand_is_a_usage_error(ledger):
    for args, says in ((("views",), "a subcommand is required: build or check"),
                       (("views", "rebuild"), 'unknown subcommand "rebuild": use build or check'),
                       (("views", "build", "extra"), 'unexpected argument "extra"')):
        r = ledger.fails(*args, code=2)
        assert says in r.stderr, r.stderr


def test_build_renders_a_bulk_load_in_batches_and_a_commit_renders_at_most_1000(ledger):
    """2,500 tasks loaded by SQL (no duban commit): the next commit renders at
    most 1,000 noted views (lowest ids first: here not even its own task),
    the rest stay noted and are read live; build renders them all in its
    batches of 2,000."""
    d = ledger
    shell(d, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)"
             " INSERT INTO task (code, title, category, status, created_at, updated_at)"
             " SELECT 'BULK-' || i, '批量任务' || i, '重点工作', 'draft', 1764000000, 1764000000 FROM n")
    assert len(dirty(d)) == 2500 and not stored(d)
    tid = task_id(make_task(d, title="一个新任务"))     # one commit: at most 1,000 rendered
    assert len(stored(d)) == 1000 and len(dirty(d)) == 1501 and int(tid) in dirty(d)
    assert d.json("task", "show", tid)["title"] == "一个新任务"
    assert d.json("task", "show", "BULK-2500")["title"] == "批量任务2500"   # noted: live
    out = json.loads(d.ok("views", "build", "--json").stdout)
    assert out["built"] == 1501 and len(stored(d)) == 2501 and not dirty(d)
    assert views_check(d) == (0, {"checked": 2501, "stale": 0, "first_stale": 0})
    assert json.loads(stored(d)[int(tid)] + "}")["title"] == "一个新任务"
