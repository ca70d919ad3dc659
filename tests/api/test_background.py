"""The server's periodic threads (http/periodic.c): the supervision tick
runs by itself every tick_interval seconds, and the snapshot sweeper lets
go of the read snapshots idle workers keep (decision 0007), so that a
checkpoint can complete while the server sits idle."""
import os
import sqlite3
import time

import pytest

from conftest import Client, Server, make_task, ok


def wait_for(pred, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


def test_the_server_ticks_by_itself(db, workdir):
    srv = Server(db, workdir, env={"DUBAN_TICK_INTERVAL": "1"})
    try:
        assert wait_for(lambda: "tick date=" in srv.log_text(), 10), srv.log_text()[-2000:]
    finally:
        assert srv.stop() == 0


def test_no_tick_when_the_interval_is_0(db, workdir):
    srv = Server(db, workdir, env={"DUBAN_TICK_INTERVAL": "0"})
    try:
        time.sleep(1.5)
        assert "tick date=" not in srv.log_text()
    finally:
        assert srv.stop() == 0


@pytest.mark.skipif(bool(os.environ.get("DUBAN_TEST_DB_URL")), reason="SQLite's WAL")
def test_an_idle_server_holds_back_no_checkpoint(server, world, admin, db):
    """A write by another process leaves frames in the WAL; reads then keep
    a snapshot that includes them. Once the server is idle, a TRUNCATE
    checkpoint (which needs every reader gone from the WAL) goes through."""
    t = make_task(world)
    con = sqlite3.connect(db, timeout=10)
    try:
        with con:
            con.execute("UPDATE task SET title = title WHERE id = ?", (t["id"],))
        tok = ok(admin.post("/api/v1/tokens", json={"name": "sweep",
                                                    "user_id": world["users"]["supervisor"]["id"]}), 201)
        for _ in range(20):   # fresh connections: both workers read and keep
            ok(Client(server, tok["token"]).get(f"/api/v1/tasks/{t['id']}"))
        con.execute("PRAGMA busy_timeout = 0")
        assert wait_for(lambda: con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0, 5)
    finally:
        con.close()


def wal_index(db):
    """(mxFrame, nBackfill) from the WAL index the server maps: frames in
    the log, and how many of them a checkpoint has copied back. Read from
    the -shm file, so that looking does not checkpoint."""
    with open(db + "-shm", "rb") as f:
        head = f.read(136)
    mx_frame = int.from_bytes(head[16:20], "little")
    n_backfill = int.from_bytes(head[96:100], "little")
    return mx_frame, n_backfill


@pytest.mark.skipif(bool(os.environ.get("DUBAN_TEST_DB_URL")), reason="SQLite's WAL")
def test_the_checkpointer_copies_the_log_back(server, world, db):
    """The writer's commits do not checkpoint (http/writer.c): a thread of
    its own does, passively. A few writes are far below SQLite's own
    1,000-page threshold, so without that thread the frames would stay in
    the log, copied back by nobody."""
    for _ in range(3):
        make_task(world)
    mx_frame, _ = wal_index(db)
    assert mx_frame > 0
    assert wait_for(lambda: wal_index(db)[1] == wal_index(db)[0] > 0, 5), wal_index(db)
