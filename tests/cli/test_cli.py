"""End-to-end tests of the `duban` command on a temporary SQLite database:
a whole lifecycle, every refusal (exit code, the field named, nothing
written), the calendar, the tick, the journal and its tamper check, backup,
migrations. Test names read as sentences."""
import json
import os
import sqlite3
import subprocess

import pytest


def task_id(out):
    return str(out["id"])


def make_task(d, **kw):
    args = ["task", "add", "--title", kw.get("title", "修订本科人才培养方案"),
            "--lead-unit", kw.get("lead", "教务处"), "--deadline", kw.get("deadline", "2026-12-31")]
    if kw.get("coop"):
        args += ["--coop", kw["coop"]]
    if kw.get("freq"):
        args += ["--report-freq", kw["freq"]]
    return d.json(*args, as_="sup")


def test_help_and_usage_exit_codes(duban):
    assert duban.run("--help").returncode == 0
    assert duban.run().returncode == 2
    assert duban.run("frobnicate").returncode == 2
    for verb in ("init", "unit", "user", "source", "task", "tick", "score", "audit", "calendar",
                 "backup", "migrate", "demo", "ingest", "serve", "settings", "stats"):
        r = duban.run(verb, "--help")
        assert r.returncode == 0, verb
        assert "usage" in r.stdout.lower(), verb
    assert duban.run("task", "list", "--no-such-option").returncode == 2


def test_init_refuses_an_existing_database(duban):
    duban.ok("init")
    duban.fails("init", field="db")


def test_a_command_on_a_missing_database_says_to_run_init(duban):
    r = duban.run("task", "list")
    assert r.returncode == 1
    assert "duban init" in r.stderr


def test_a_file_that_is_not_a_duban_database_is_refused(duban):
    with open(duban.db, "wb") as f:
        f.write(b"this is not a database at all" * 100)
    r = duban.run("task", "list")
    assert r.returncode == 1 and "not a duban database" in r.stderr
    other = str(duban.tmp / "other.db")
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (x TEXT)")
    con.commit()
    con.close()
    r = duban.run("task", "list", db=other)
    assert r.returncode == 1 and "not a duban database" in r.stderr


def test_a_database_newer_than_this_binary_is_refused(duban):
    duban.ok("init")
    con = sqlite3.connect(duban.db)
    con.execute("INSERT INTO schema_version (version, applied_at) VALUES (99, 0)")
    con.commit()
    con.close()
    r = duban.run("task", "list")
    assert r.returncode == 1 and "newer than this duban" in r.stderr


def test_a_whole_lifecycle_with_a_lead_and_a_cooperating_unit(ledger):
    d = ledger
    t = make_task(d, coop="研究生院", freq="weekly:5")
    tid = task_id(t)
    assert t["status"] == "draft" and t["code"].startswith("DB-2026-")
    assert [c["name"] for c in t["coop_units"]] == ["研究生院"]
    assert d.json("task", "assign", tid, as_="sup")["status"] == "assigned"
    # the cooperating unit accepts first: the task waits for the lead
    assert d.json("task", "accept", tid, as_="yjs")["status"] == "assigned"
    out = d.json("task", "accept", tid, "--person", "陈静", as_="jw")
    assert out["status"] == "in_progress"
    out = d.json("task", "progress", tid, "--text", "已完成 15 个专业", "--progress", "50",
                 "--evidence", "方案汇总.docx", as_="jw")
    assert out["progress"] == 50
    # a cooperating unit's report does not move the task's roll-up
    assert d.json("task", "progress", tid, "--text", "研究生课程已对接", "--progress", "80", as_="yjs")["progress"] == 50
    d.json("task", "extend", tid, "--date", "2027-01-15", "--reason", "等待专家论证", as_="jw")
    out = d.json("task", "decide-extension", tid, "--decision", "approve", as_="sup")
    assert out["deadline"] == "2027-01-15" and out["original_deadline"] == "2026-12-31"
    assert out["extensions"] == 1
    assert d.json("task", "complete", tid, "--text", "全部完成", as_="jw")["status"] == "review"
    out = d.json("task", "reject", tid, "--reason", "缺少佐证材料", as_="sup")
    assert out["status"] == "in_progress" and out["bounces"] == 1
    d.json("task", "complete", tid, "--text", "补充了佐证材料", "--evidence", "佐证.pdf", as_="jw")
    out = d.json("task", "approve", tid, "--evaluation", "良", as_="sup")
    assert out["status"] == "done" and out["done_late"] is False and out["light"] == "none"
    assert out["evaluation"] == "good"
    full = d.json("task", "show", tid, "--timeline")
    kinds = [e["kind"] for e in full["timeline"]]
    assert kinds.count("report") == 4 and "review" in kinds
    actions = [e["text"] for e in full["timeline"] if e["kind"] == "event"]
    for a in ("create", "assign", "accept", "progress", "request_extension", "decide_extension",
              "complete", "reject", "approve"):
        assert a in actions
    assert {a["unit_name"]: a["state"] for a in full["assignments"]} == {
        "教务处": "reported_done", "研究生院": "accepted"}
    v = d.ok("audit", "verify")
    assert "intact" in v.stdout


def test_an_action_not_allowed_in_the_state_is_refused(ledger):
    d = ledger
    tid = task_id(make_task(d))
    r = d.fails("task", "approve", tid, as_="sup", field="status")
    assert "draft" in r.stderr
    d.fails("task", "accept", tid, as_="jw", field="status")


def test_an_action_not_allowed_for_the_role_is_refused(ledger):
    d = ledger
    tid = task_id(make_task(d))
    d.fails("task", "assign", tid, as_="jw")
    d.ok("task", "assign", tid, as_="sup")
    # another unit does not even see the task
    r = d.fails("task", "accept", tid, as_="rs")
    assert "no task" in r.stderr
    d.fails("task", "accept", tid, as_="boss")
    # a leader writes instructions, but does not accept
    d.ok("task", "instruct", tid, "--text", "抓紧推进", as_="boss")


def test_unknown_ids_are_refused_with_the_field_named(ledger):
    d = ledger
    d.fails("task", "add", "--title", "x", "--lead-unit", "999", as_="sup", field="lead_unit_id")
    d.fails("task", "add", "--title", "x", "--lead-unit", "不存在的处", as_="sup", field="lead_unit_id")
    d.fails("task", "show", "424242", field="task_id")
    d.fails("task", "assign", "DB-2020-9999", as_="sup", field="task")
    r = d.run("task", "list", as_="nobody")
    assert r.returncode == 1 and "error: as" in r.stderr
    d.fails("user", "add", "--login", "x1", "--name", "x", "--roles", "unit", "--unit", "77",
            "--password", "secret-123", field="unit_id")


def test_bad_values_are_refused_and_change_nothing(ledger):
    d = ledger
    d.fails("task", "add", "--title", "过去的期限", "--deadline", "2026-11-01", as_="sup", field="deadline")
    d.fails("task", "add", "--title", "坏日期", "--deadline", "2021-02-30", as_="sup", field="deadline")
    d.fails("task", "add", "--title", "长" * 61, as_="sup", field="title")
    d.fails("task", "add", "--title", "", as_="sup", field="title")
    d.fails("task", "add", "--title", "x", "--category", "随便", as_="sup", field="category")
    d.fails("task", "add", "--title", "x", "--deadline", "2026-12-01", "--workdays", "5", as_="sup",
            field="deadline_workdays")
    d.fails("user", "add", "--login", "bad login", "--name", "x", "--roles", "member",
            "--password", "secret-123", field="login")
    d.fails("user", "add", "--login", "short", "--name", "x", "--roles", "member",
            "--password", "123", field="password")
    d.fails("user", "add", "--login", "x2", "--name", "x", "--roles", "king",
            "--password", "secret-123", field="roles")
    tid = task_id(make_task(d))
    d.ok("task", "assign", tid, as_="sup")
    d.ok("task", "accept", tid, as_="jw")
    d.fails("task", "progress", tid, "--text", "x", "--progress", "101", as_="jw", field="progress")
    d.fails("task", "progress", tid, "--text", "x", "--progress", "-1", as_="jw", field="progress")
    d.fails("task", "progress", tid, "--progress", "30", as_="jw", field="text")
    d.fails("task", "evaluate", tid, "--evaluation", "great", as_="sup", field="evaluation")


def test_text_that_is_not_utf8_is_refused(ledger):
    d = ledger
    before = d.journal_entries()
    env = dict(d.env, DUBAN_DB=d.db, DUBAN_USER="sup")
    from conftest import BIN
    r = subprocess.run([BIN, "task", "add", "--title", b"\xff\xfe bad"],
                       env=env, capture_output=True, timeout=60)
    assert r.returncode == 1
    assert b"UTF-8" in r.stderr
    assert d.journal_entries() == before


def test_an_extension_asked_after_the_deadline_is_refused(ledger):
    d = ledger
    tid = task_id(make_task(d, deadline="2026-11-30"))
    d.ok("task", "assign", tid, as_="sup")
    d.ok("task", "accept", tid, as_="jw")
    d.fails("task", "extend", tid, "--date", "2026-11-27", "--reason", "x", as_="jw", field="date")
    r = d.fails("task", "extend", tid, "--date", "2026-12-20", "--reason", "来不及", as_="jw",
                now="2026-12-02T10:00", field="date")
    assert "overdue" in r.stderr
    # a cooperating or unrelated unit cannot ask at all
    d.fails("task", "extend", tid, "--date", "2026-12-20", "--reason", "x", as_="rs")


def test_a_parent_cannot_be_approved_while_a_child_is_open(ledger):
    d = ledger
    parent = task_id(make_task(d, title="申报博士点"))
    child = d.json("task", "add", "--title", "整理学科材料", "--parent", parent, "--lead-unit", "研究生院",
                   "--deadline", "2026-12-20", as_="sup")
    for t, who in ((parent, "jw"), (task_id(child), "yjs")):
        d.ok("task", "assign", t, as_="sup")
        d.ok("task", "accept", t, as_=who)
    d.ok("task", "complete", parent, "--text", "完成", as_="jw")
    r = d.fails("task", "approve", parent, as_="sup", field="children")
    assert "subtask" in r.stderr
    d.ok("task", "complete", task_id(child), "--text", "完成", as_="yjs")
    d.ok("task", "approve", task_id(child), as_="sup")
    assert d.json("task", "approve", parent, as_="sup")["status"] == "done"


def test_a_stale_version_is_a_conflict(ledger):
    d = ledger
    t = make_task(d)
    tid = task_id(t)
    d.ok("task", "assign", tid, "--version", str(t["version"]), as_="sup")
    r = d.fails("task", "urge", tid, "--version", str(t["version"]), as_="sup", field="version")
    assert "changed by someone else" in r.stderr


def test_return_and_reassign(ledger):
    d = ledger
    tid = task_id(make_task(d))
    d.ok("task", "assign", tid, as_="sup")
    d.fails("task", "return", tid, as_="jw", field="reason")
    out = d.json("task", "return", tid, "--reason", "不属于本单位职责", as_="jw")
    assert out["bounces"] == 1
    out = d.json("task", "reassign", tid, "--unit", "人事处", "--reason", "改由人事处牵头", as_="sup")
    assert out["lead_unit_name"] == "人事处"
    assert d.json("task", "accept", tid, as_="rs")["status"] == "in_progress"


def test_suspend_resume_cancel_and_delete(ledger):
    d = ledger
    tid = task_id(make_task(d))
    d.ok("task", "assign", tid, as_="sup")
    d.ok("task", "accept", tid, as_="jw")
    d.fails("task", "suspend", tid, as_="sup", field="reason")
    assert d.json("task", "suspend", tid, "--reason", "等待上级文件", as_="sup")["status"] == "suspended"
    assert d.json("task", "resume", tid, as_="sup")["status"] == "in_progress"
    assert d.json("task", "cancel", tid, "--reason", "不再需要", as_="sup")["status"] == "cancelled"
    draft = task_id(make_task(d, title="草稿"))
    d.ok("task", "delete", draft, as_="sup")
    d.fails("task", "show", draft, field="task_id")


def test_a_deadline_in_working_days_is_fixed_when_set(ledger):
    d = ledger
    # 2026-11-25 (Wed) + 5 working days = 2026-12-02 (Wed)
    t = d.json("task", "add", "--title", "五个工作日内报送", "--workdays", "5", as_="sup")
    assert t["deadline"] == "2026-12-02" and t["deadline_rule"] == "5个工作日"
    # a later change of the calendar never moves it
    d.ok("calendar", "set", "2026-11-27", "off", "--name", "校庆")
    assert d.json("task", "show", task_id(t))["deadline"] == "2026-12-02"
    assert d.ok("calendar", "add", "2026-11-25", "5").stdout.strip() == "2026-12-03"


def test_the_calendar_counts_working_days(duban):
    duban.ok("init")
    assert duban.ok("calendar", "add", "2021-09-28", "5").stdout.strip() == "2021-10-11"
    assert duban.ok("calendar", "add", "2021-10-11", "-5").stdout.strip() == "2021-09-28"
    assert duban.ok("calendar", "workdays", "2021-09-28", "2021-10-11").stdout.strip() == "5"
    # a make-up Saturday (2021-10-09) is a working day
    assert duban.ok("calendar", "add", "2021-10-08", "1").stdout.strip() == "2021-10-09"
    # across the new year
    assert duban.ok("calendar", "add", "2021-12-30", "3").stdout.strip() == "2022-01-05"
    r = duban.fails("calendar", "add", "2026-12-30", "5")
    assert "2027" in r.stderr
    duban.fails("calendar", "add", "2021-02-30", "5", field="date")
    assert duban.run("calendar", "add", "2021-02-01").returncode == 2


def test_the_calendar_imports_an_amendment(duban, tmp_path):
    duban.ok("init")
    amend = tmp_path / "2027.json"
    amend.write_text(json.dumps({"year": 2027, "papers": [], "days": [
        {"name": "元旦", "date": "2027-01-01", "isOffDay": True}]}), encoding="utf-8")
    duban.fails("calendar", "add", "2027-01-04", "1")
    duban.ok("calendar", "import", str(amend))
    assert duban.ok("calendar", "add", "2026-12-31", "1").stdout.strip() == "2027-01-04"
    bad = tmp_path / "bad.json"
    bad.write_text('{"year": 2028, "days": [{"date": "2028-02-30", "isOffDay": true}]}', encoding="utf-8")
    duban.fails("calendar", "import", str(bad))
    duban.fails("calendar", "add", "2028-01-04", "1")


def test_the_tick_escalates_once_per_step_and_day(ledger):
    d = ledger
    tid = task_id(make_task(d, deadline="2026-12-01"))
    d.ok("task", "assign", tid, as_="sup")
    d.ok("task", "accept", tid, as_="jw")
    # 2026-11-26 is 3 working days before 12-01: the reminder is due
    first = d.json("tick", "--today", "2026-11-26", as_="sup")
    assert first["urgings"] == 1
    again = d.json("tick", "--today", "2026-11-26", as_="sup")
    assert again["urgings"] == 0
    # 3 working days after the deadline: reminder, urging and notice are all due; two are new
    late = d.json("tick", "--today", "2026-12-04", as_="sup", now="2026-12-04T10:00")
    assert late["urgings"] == 2 and late["flags"] >= 1
    t = d.json("task", "show", tid, "--timeline", now="2026-12-04T10:00")
    assert t["light"] == "red"
    assert [e["text"] for e in t["timeline"] if e["kind"] == "urging"] == ["提醒", "催办", "督办"]
    d.fails("tick", as_="jw")


def test_lights_follow_the_deadline(ledger):
    d = ledger
    tid = task_id(make_task(d, deadline="2026-12-31"))
    d.ok("task", "assign", tid, as_="sup")
    d.ok("task", "accept", tid, as_="jw")
    d.ok("task", "progress", tid, "--text", "按计划推进", "--progress", "10", as_="jw")
    assert d.json("task", "show", tid)["light"] == "green"
    assert d.json("task", "show", tid, now="2026-12-29T10:00")["light"] == "yellow"
    assert d.json("task", "show", tid, now="2027-01-01T10:00")["light"] == "red"


def test_scores_rank_only_units_with_enough_tasks(ledger):
    d = ledger
    for i in range(3):
        tid = task_id(make_task(d, title=f"教务任务{i}", deadline="2026-12-10"))
        d.ok("task", "assign", tid, as_="sup")
        d.ok("task", "accept", tid, as_="jw")
        d.ok("task", "complete", tid, "--text", "完成", as_="jw")
        d.ok("task", "approve", tid, "--evaluation", "优", as_="sup")
    tid = task_id(make_task(d, title="人事任务", lead="人事处", deadline="2026-12-10"))
    d.ok("task", "assign", tid, as_="sup")
    s = d.json("score", "--from", "2026-12-01", "--to", "2026-12-31", as_="sup")
    units = {u["unit_name"]: u for u in s["units"]}
    assert units["教务处"]["ranked"] and units["教务处"]["rank"] == 1
    assert units["教务处"]["score"] == pytest.approx(100.0)
    assert not units["人事处"]["ranked"] and units["人事处"]["tasks"] == 1
    assert "40" in s["formula"] and s["min_tasks"] == 3
    d.fails("score", "--from", "2026-12-31", "--to", "2026-12-01", as_="sup", field="to")
    d.fails("score", "--from", "2026-12-01", "--to", "2026-12-31", as_="jw")


def sqlite_shell(db, sql):
    """Runs SQL with the sqlite3 shell, behind duban's back."""
    return subprocess.run(["sqlite3", db], input=sql, capture_output=True, text=True, timeout=60)


def test_the_journal_detects_an_edit_behind_dubans_back(ledger):
    d = ledger
    tid = task_id(make_task(d))
    d.ok("task", "assign", tid, as_="sup")
    assert d.journal_entries() > 5
    assert "intact" in d.ok("audit", "verify").stdout
    # the engine refuses edits of the journal ...
    r = sqlite_shell(d.db, "UPDATE journal SET action = 'forged' WHERE id = 4;")
    assert r.returncode != 0 and "append-only" in r.stderr
    # ... so a forger drops the guard first, and edits one entry
    r = sqlite_shell(d.db, "DROP TRIGGER journal_no_update;"
                           "UPDATE journal SET after = replace(after, '\"name\":', '\"name \":'),"
                           " action = action || ' ' WHERE id = 4;")
    assert r.returncode == 0, r.stderr
    r = d.run("audit", "verify")
    assert r.returncode == 1
    assert "entry 4" in r.stdout
    assert json.loads(d.run("audit", "verify", "--json").stdout)["first_broken"] == 4


def test_the_journal_detects_a_deleted_last_entry(ledger):
    d = ledger
    make_task(d)
    n = d.journal_entries()
    r = sqlite_shell(d.db, f"DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE id = {n};")
    assert r.returncode == 0, r.stderr
    r = d.run("audit", "verify")
    assert r.returncode == 1 and f"entry {n}" in r.stdout


def test_backup_copies_a_database_that_verifies(ledger):
    d = ledger
    make_task(d)
    target = str(d.tmp / "backup.db")
    d.ok("backup", target)
    assert "intact" in d.ok("audit", "verify", db=target).stdout
    assert d.json("task", "list", db=target)["total"] == 1
    d.fails("backup", target, field="file")


def newest_schema(duban):
    out = duban.ok("init", db=str(duban.tmp / "probe.db")).stdout
    return int(out.split("schema version ")[1].split(",")[0])


@pytest.mark.parametrize("start", [1, 2, 5])
def test_an_older_schema_is_upgraded_on_open(duban, start):
    newest = newest_schema(duban)
    assert start < newest
    duban.ok("migrate", "--to", str(start))
    con = sqlite3.connect(duban.db)
    con.execute("INSERT INTO unit (name, created_at) VALUES ('教务处', 0)")
    con.execute("INSERT INTO unit (name, created_at) VALUES ('科研处', 0)")
    con.execute("INSERT INTO unit (name, created_at) VALUES ('人事处', 0)")
    con.execute("INSERT INTO task (code, title, category, status, light, created_at, updated_at)"
                " VALUES ('DB-2020-0001', '旧任务审计', '会议决定事项', 'draft', 'none', 0, 0)")
    con.execute("INSERT INTO assignment (task_id, unit_id, role, state) VALUES (1, 1, 'lead', 'assigned')")
    con.execute("INSERT INTO assignment (task_id, unit_id, role, state) VALUES (1, 3, 'coop', 'assigned')")
    con.execute("INSERT INTO assignment (task_id, unit_id, role, state) VALUES (1, 2, 'coop', 'assigned')")
    if start >= 2:  # what the app of that version kept in step with every write
        con.execute("INSERT INTO task_count (unit_id, status, light, n) VALUES (1, 'draft', 'none', 1)")
    if start >= 4:
        con.execute("INSERT INTO unit_count (unit_id, status, n) VALUES (1, 'draft', 1), (2, 'draft', 1),"
                    " (3, 'draft', 1)")
    con.commit()
    assert con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == start
    con.close()
    # any command migrates on open; the data written at the old version is carried over
    stats = duban.json("stats")
    assert stats["totals"]["tasks"] == 1
    con = sqlite3.connect(duban.db)
    assert con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == newest
    assert con.execute("SELECT status, due FROM assignment").fetchone() == ("draft", "9999-12-31")
    con.close()
    page = duban.json("task", "list", "--unit", "教务处")
    assert page["total"] == 1
    # migration 6 gave the ledger row its units, in assignment order
    assert page["items"][0]["lead_unit_name"] == "教务处"
    assert page["items"][0]["coop_units"] == [{"id": 3, "name": "人事处"}, {"id": 2, "name": "科研处"}]
    assert "0 migrations" in duban.ok("migrate").stdout
    assert "intact" in duban.ok("audit", "verify").stdout


def test_the_demo_has_tasks_in_every_state(duban):
    out = duban.ok("demo", "--no-serve").stdout
    assert "admin" in out and "duban-demo" in out
    tasks = duban.json("task", "list", "--limit", "200")["items"]
    assert len(tasks) >= 15
    assert {t["status"] for t in tasks} == {"draft", "assigned", "in_progress", "review", "done",
                                            "suspended", "cancelled"}
    assert {"red", "yellow", "green"} <= {t["light"] for t in tasks}
    assert "intact" in duban.ok("audit", "verify").stdout


def test_task_list_filters_and_pages(ledger):
    d = ledger
    for i in range(5):
        make_task(d, title=f"任务{i}", deadline=f"2026-12-1{i}")
    make_task(d, title="人事任务", lead="人事处")
    page = d.json("task", "list", "--unit", "教务处", "--limit", "2", "--sort", "deadline")
    assert page["total"] == 5 and len(page["items"]) == 2 and page["next_cursor"]
    seen = [t["title"] for t in page["items"]]
    while page["next_cursor"]:
        page = d.json("task", "list", "--unit", "教务处", "--limit", "2", "--cursor", page["next_cursor"])
        seen += [t["title"] for t in page["items"]]
    assert seen == [f"任务{i}" for i in range(5)]
    assert d.json("task", "list", "--q", "人事")["total"] == 1
    assert d.json("task", "list", "--status", "draft")["total"] == 6
    d.fails("task", "list", "--status", "finished", field="status")
    d.fails("task", "list", "--cursor", "garbage", field="cursor")
    # a unit user sees only its own unit's tasks
    assert d.json("task", "list", as_="rs")["total"] == 1


def test_ingest_suggests_the_institutions_units_and_commits_a_draft(duban, tmp_path):
    duban.ok("demo", "--no-serve")
    report = tmp_path / "report.txt"
    report.write_text("示范大学召开党委常委会\n2026年11月20日，学校党委常委会召开会议。会议要求，"
                      "一要在年底前完成研究生招生宣传方案；二要在10个工作日内完成审计整改报告。\n",
                      encoding="utf-8")
    draft = duban.json("ingest", str(report))
    tasks = draft["tasks"]
    assert len(tasks) == 2
    assert tasks[0]["suggested_unit"] == "研究生院" and tasks[0]["deadline"] == "2026-12-31"
    assert tasks[1]["suggested_unit"] == "审计处"
    # 10 working days from the meeting day, on the database's calendar
    assert tasks[1]["deadline"] == duban.ok("calendar", "add", "2026-11-20", "10").stdout.strip()
    before = duban.json("task", "list", "--status", "draft")["total"]
    duban.ok("ingest", str(report), "--commit")
    after = duban.json("task", "list", "--status", "draft", "--limit", "200")
    assert after["total"] == before + 2
    assert "intact" in duban.ok("audit", "verify").stdout


def unit_counts_match(db):
    con = sqlite3.connect(db)
    kept = dict(((u, s), n) for u, s, n in con.execute("SELECT unit_id, status, n FROM unit_count") if n)
    real = dict(((u, s), n) for u, s, n in con.execute(
        "SELECT unit_id, status, COUNT(*) FROM assignment GROUP BY unit_id, status"))
    con.close()
    return kept, real


def test_the_kept_unit_counts_follow_every_kind_of_change(ledger):
    d = ledger
    a = task_id(make_task(d, title="甲", coop="研究生院"))
    b = task_id(make_task(d, title="乙"))
    c = task_id(make_task(d, title="丙", coop="人事处"))
    d.ok("task", "edit", b, "--lead-unit", "人事处", "--coop", "研究生院,教务处", as_="sup")
    d.ok("task", "delete", c, as_="sup")
    d.ok("task", "assign", a, as_="sup")
    d.ok("task", "return", a, "--reason", "不属于本单位", as_="jw")
    d.ok("task", "reassign", a, "--unit", "人事处", "--reason", "改派", as_="sup")
    d.ok("task", "accept", a, as_="rs")
    d.ok("task", "complete", a, "--text", "完成", as_="rs")
    d.ok("task", "approve", a, as_="sup")
    d.ok("task", "assign", b, as_="sup")
    d.ok("task", "cancel", b, "--reason", "不再需要", as_="sup")
    kept, real = unit_counts_match(d.db)
    assert kept == real
    # and the list's total uses them
    assert d.json("task", "list", "--unit", "人事处", "--status", "done")["total"] == 1
    assert d.json("task", "list", "--unit", "研究生院")["total"] == 2


def test_the_demo_keeps_its_unit_counts(duban):
    duban.ok("demo", "--no-serve")
    kept, real = unit_counts_match(duban.db)
    assert kept == real and sum(real.values()) > 15
