"""duban search: substrings of 2+ characters over task titles, requirements
and progress reports; visibility as for task lists; and, when
DUBAN_TEST_DB_URL names a PostgreSQL cluster (scripts/pg-test-cluster.sh),
the same results from PostgreSQL as from SQLite on the same data."""

import pytest

from conftest import Duban, fresh_pg_db

# (title, requirement, lead unit, progress report text or None)
TASKS = [
    ("落实审计整改问题清单", "逐项整改销号，形成整改报告", "教务处", "12项问题已整改5项"),
    ("做好秋季学期开学疫情防控", "制定方案并组织演练", "研究生院", "疫情防控演练已完成"),
    ("完成本科招生宣传", "", "教务处", None),
    ("开展实验室安全专项检查", "审计处配合检查", "人事处", "安全检查发现隐患3处"),
    ("修订研究生招生简章", "Review the PDF 版本", "研究生院", None),
    ("推进疫情防控常态化", "", "教务处", "常态化方案已报送"),
    ("草稿：将被删除的审计任务", "", "教务处", None),
    ("整理科研项目结题材料", "", "人事处", None),
]
Q2 = ["审计", "疫情", "招生", "整改", "安全", "量子", "pd", "PD", "方案"]
Q3 = ["审计整改", "疫情防控", "招生简章", "整改报告", "实验室安全", "量子计算", "pdf 版本", "秋季学期开学",
      "结题材料"]
USERS = {"教务处": "jw", "研究生院": "yjs", "人事处": "rs"}


def populate(d):
    """The same writes through the CLI on any database: create, assign, accept,
    report, edit a title, delete a draft. Returns {task_id: (title, req, unit, report)}."""
    d.ok("init")
    for name in ("教务处", "研究生院", "人事处"):
        d.ok("unit", "add", "--name", name, "--short", name)
    d.ok("user", "add", "--login", "sup", "--name", "督查室", "--roles", "supervisor", "--password", "secret-123")
    for unit, login in USERS.items():
        d.ok("user", "add", "--login", login, "--name", login, "--roles", "unit", "--unit", unit,
             "--password", "secret-123")
    tasks = {}
    for title, req, unit, report in TASKS:
        args = ["task", "add", "--title", title, "--lead-unit", unit, "--deadline", "2026-12-31"]
        if req:
            args += ["--requirement", req]
        tid = d.json(*args, as_="sup")["id"]
        tasks[tid] = [title, req, unit, report]
        if title.startswith("草稿"):
            continue
        d.ok("task", "assign", tid, as_="sup")
        if report:
            d.ok("task", "accept", tid, as_=USERS[unit])
            d.ok("task", "progress", tid, "--text", report, "--progress", "30", as_=USERS[unit])
    # An edit re-indexes the title; a deleted draft leaves the index.
    edited = next(t for t, v in tasks.items() if v[0] == "整理科研项目结题材料")
    d.ok("task", "edit", edited, "--title", "整理科研项目结题验收材料", as_="sup")
    tasks[edited][0] = "整理科研项目结题验收材料"
    draft = next(t for t, v in tasks.items() if v[0].startswith("草稿"))
    d.ok("task", "delete", draft, as_="sup")
    del tasks[draft]
    return tasks


def expected(tasks, q, unit=None):
    fq = q.lower()
    out = set()
    for tid, (title, req, lead, report) in tasks.items():
        if unit and lead != unit:
            continue
        if fq in (title + "\n" + req).lower():
            out.add(("task", tid))
        if report and fq in report.lower():
            out.add(("progress", tid))
    return out


def found(d, q, as_=None, **kw):
    args = ["search", q, "--limit", "100"]
    for k, v in kw.items():
        args += [f"--{k}", str(v)]
    out = d.json(*args, as_=as_)
    assert out["next_cursor"] is None
    return out["items"]


@pytest.fixture
def searched(duban):
    duban.tasks = populate(duban)
    return duban


def test_search_finds_every_substring_of_two_or_more_characters(searched):
    d = searched
    for q in Q2 + Q3:
        items = found(d, q)
        assert {(i["kind"], i["task_id"]) for i in items} == expected(d.tasks, q), q
        for i in items:
            assert q.lower() in i["snippet"].lower() or i["kind"] == "task", (q, i)
            assert i["code"].startswith("DB-") and i["title"]
    # newest first: the later task, then the earlier task's report, then that task
    got = [(i["kind"], i["task_id"]) for i in found(d, "疫情")]
    t1, t2 = sorted({t for _, t in got})
    assert got == [("task", t2), ("progress", t1), ("task", t1)]
    assert found(d, "验收材料")[0]["title"] == "整理科研项目结题验收材料"
    assert found(d, "删除") == []


def test_the_full_text_index_matches_its_documents(searched):
    """FTS5 is brought in step at each commit (search_index.c), not by
    triggers: after creates, reports, an edit and a delete, FTS5's own
    integrity check compares the index with search_doc, and the old title
    has left it."""
    import sqlite3
    con = sqlite3.connect(searched.db)
    con.execute("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)")
    assert con.execute("SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH '结题材料'").fetchone()[0] == 0
    assert con.execute("SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH '结题验收'").fetchone()[0] == 1
    assert con.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"
                       " AND name LIKE 'search_doc_%'").fetchone()[0] == 0
    con.close()


def test_a_report_whose_id_has_a_leftover_document_rewrites_it(searched):
    """A new report's document is inserted without looking for an old one
    (search_doc_add); when a document with the report's id is already there
    (left by an earlier row with the same id), the report's text replaces
    it: its grams, its FTS5 entry, and no trace of the old text."""
    import sqlite3
    d = searched
    tid = next(t for t, v in d.tasks.items() if v[0] == "做好秋季学期开学疫情防控")
    con = sqlite3.connect(d.db)
    next_id = con.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM progress_report").fetchone()[0]
    doc = con.execute("INSERT INTO search_doc (kind, ref_id, task_id, text) VALUES ('progress', ?, ?, ?)"
                      " RETURNING id", (next_id, tid, "旧文本残留")).fetchone()[0]
    con.execute("INSERT INTO search_fts (rowid, text) VALUES (?, '旧文本残留')", (doc,))
    con.executemany("INSERT INTO search_gram (gram, doc_id) VALUES (?, ?)",
                    [(g, doc) for g in ("旧文", "文本", "本残", "残留")])
    con.commit()
    con.close()
    assert {(i["kind"], i["task_id"]) for i in found(d, "残留")} == {("progress", tid)}

    d.ok("task", "progress", tid, "--text", "演练总结已上报", "--progress", "60", as_="yjs")
    assert found(d, "残留") == [] and found(d, "旧文本") == []
    assert ("progress", tid) in {(i["kind"], i["task_id"]) for i in found(d, "总结")}
    assert ("progress", tid) in {(i["kind"], i["task_id"]) for i in found(d, "演练总结")}
    con = sqlite3.connect(d.db)
    assert con.execute("SELECT id, text FROM search_doc WHERE kind = 'progress' AND ref_id = ?",
                       (next_id,)).fetchall() == [(doc, "演练总结已上报")]
    grams = {g for (g,) in con.execute("SELECT gram FROM search_gram WHERE doc_id = ?", (doc,))}
    assert grams == {"演练", "练总", "总结", "结已", "已上", "上报"}
    con.execute("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)")
    con.close()


def test_search_pages_and_filters_by_kind(searched):
    d = searched
    seen, cursor = [], None
    while True:
        args = ["search", "整改", "--limit", "1"] + (["--cursor", cursor] if cursor else [])
        page = d.json(*args)
        seen += [(i["kind"], i["task_id"]) for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) and set(seen) == expected(d.tasks, "整改")
    assert {i["kind"] for i in found(d, "疫情", kind="progress")} == {"progress"}
    d.fails("search", "疫情", "--kind", "nothing", field="kind")


def test_a_unit_user_finds_only_its_units_tasks(searched):
    d = searched
    for q in ("疫情", "审计", "招生简章", "方案"):
        got = {(i["kind"], i["task_id"]) for i in found(d, q, as_="yjs")}
        assert got == expected(d.tasks, q, unit="研究生院"), q


def test_a_one_character_query_is_refused_naming_q(searched):
    d = searched
    for q in ("审", " 审 ", "a", ""):
        r = d.fails("search", q, field="q")
        assert "2 characters" in r.stderr



def test_postgresql_gives_the_same_results_as_sqlite(duban):
    sqlite = duban
    sqlite.tasks = populate(sqlite)
    pg = Duban(fresh_pg_db("search"), sqlite.env)
    pg.tasks = populate(pg)
    for q in Q2 + Q3:
        for as_ in (None, "jw"):
            a = sqlite.json("search", q, "--limit", "100", as_=as_)
            b = pg.json("search", q, "--limit", "100", as_=as_)
            assert a == b, (q, as_)
            assert {(i["kind"], i["task_id"]) for i in a["items"]} == expected(
                sqlite.tasks, q, unit="教务处" if as_ else None)
    pg.fails("search", "审", field="q")
