"""Stored task views under the server (SQLite; decision 0006): the writer
renders the views its writes noted once no request waits, and every read in
between is rendered live. With DUBAN_CHECK_TASK_DOCS=1 (tests/run.sh) every
view served from a stored row is also compared with a live rendering."""
import os
import sqlite3
import time

import pytest

from conftest import make_task, ok

pytestmark = pytest.mark.skipif(bool(os.environ.get("DUBAN_TEST_DB_URL")),
                                reason="stored task views are SQLite only")


def noted(db, task_id):
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute("SELECT COUNT(*) FROM task_doc_dirty WHERE task_id = ?",
                           (task_id,)).fetchone()[0] == 1
    finally:
        con.close()


def stored_progress(db, task_id):
    con = sqlite3.connect(db, timeout=10)
    try:
        row = con.execute("SELECT progress FROM task_doc WHERE task_id = ?", (task_id,)).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def test_the_writer_renders_noted_views_when_idle(world, db):
    cl = world["clients"]
    t = make_task(world)
    ok(cl["lead_unit"].post(f"/api/v1/tasks/{t['id']}/accept", json={}))
    r = ok(cl["lead_unit"].post(f"/api/v1/tasks/{t['id']}/progress",
                               json={"text": "完成初稿", "progress": 40}))
    assert r["progress"] == 40
    # Read at once: noted or already rendered, the answer is the new state.
    assert ok(cl["supervisor"].get(f"/api/v1/tasks/{t['id']}"))["progress"] == 40
    deadline = time.time() + 10
    while (noted(db, t["id"]) or stored_progress(db, t["id"]) != 40) and time.time() < deadline:
        time.sleep(0.05)
    assert not noted(db, t["id"]) and stored_progress(db, t["id"]) == 40
    # Served from the row now: the same view, with what depends on who asks.
    lead = ok(cl["lead_unit"].get(f"/api/v1/tasks/{t['id']}"))
    sup = ok(cl["supervisor"].get(f"/api/v1/tasks/{t['id']}"))
    assert lead["progress"] == sup["progress"] == 40
    assert "progress" in lead["allowed_actions"] and "progress" not in sup["allowed_actions"]
    assert cl["other_unit"].get(f"/api/v1/tasks/{t['id']}").status_code == 404


def filled_mark(db):
    con = sqlite3.connect(db, timeout=10)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'task_docs_filled'").fetchone()
        return row[0] if row else None
    finally:
        con.close()


def delete_view(db, task_id, also_mark=False):
    con = sqlite3.connect(db, timeout=10)
    with con:
        con.execute("DELETE FROM task_doc WHERE task_id = ?", (task_id,))
        if also_mark:
            con.execute("DELETE FROM meta WHERE key = 'task_docs_filled'")
    con.close()


def rendered(db, task_id):
    deadline = time.time() + 10
    while (noted(db, task_id) or stored_progress(db, task_id) is None) and time.time() < deadline:
        time.sleep(0.05)


def test_a_starting_server_fills_in_views_that_are_missing(world, db, workdir):
    """After the upgrade to schema 9 tasks have no stored view and nothing
    says that a pass found them all: a server's writer renders them when
    idle, a few at a time, and then records that every task has its view."""
    from conftest import Server
    t = make_task(world)
    rendered(db, t["id"])
    delete_view(db, t["id"], also_mark=True)
    assert stored_progress(db, t["id"]) is None and filled_mark(db) is None
    srv = Server(db, workdir)
    try:
        deadline = time.time() + 20
        while (stored_progress(db, t["id"]) is None or filled_mark(db) is None) and time.time() < deadline:
            time.sleep(0.05)
        assert stored_progress(db, t["id"]) == 0
        assert filled_mark(db) is not None
    finally:
        assert srv.stop() == 0


def test_once_filled_a_start_does_not_look_again_and_a_view_lost_by_hand_is_rendered_live(
        world, db, workdir):
    """The mark saves a pass over the whole ledger at every start. A view
    deleted by hand afterwards is not looked for, but reading the task
    renders it live (and DUBAN_CHECK_TASK_DOCS compares nothing stale)."""
    from conftest import Client, Server, run_cli
    t = make_task(world, title="手工删除视图")
    rendered(db, t["id"])
    assert filled_mark(db) is not None
    delete_view(db, t["id"])
    srv = Server(db, workdir)
    try:
        c = Client(srv, world["clients"]["supervisor"].token)
        assert ok(c.get(f"/api/v1/tasks/{t['id']}"))["title"] == "手工删除视图"
        time.sleep(1.0)   # well past the writer's first idle rounds
        assert stored_progress(db, t["id"]) is None
    finally:
        assert srv.stop() == 0
    run_cli("views", "build", "--db", db)
    assert stored_progress(db, t["id"]) == 0
