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


def test_a_starting_server_fills_in_views_that_are_missing(world, db, workdir):
    """After the upgrade to schema 9 (or a bulk load) tasks have no stored
    view; a server's writer renders them when idle, a few at a time."""
    from conftest import Server
    t = make_task(world)
    deadline = time.time() + 10
    while (noted(db, t["id"]) or stored_progress(db, t["id"]) is None) and time.time() < deadline:
        time.sleep(0.05)
    con = sqlite3.connect(db, timeout=10)
    con.execute("DELETE FROM task_doc WHERE task_id = ?", (t["id"],))
    con.commit()
    con.close()
    assert stored_progress(db, t["id"]) is None
    srv = Server(db, workdir)
    try:
        deadline = time.time() + 20
        while stored_progress(db, t["id"]) is None and time.time() < deadline:
            time.sleep(0.05)
        assert stored_progress(db, t["id"]) == 0
    finally:
        assert srv.stop() == 0
