"""Read snapshots kept between requests (SQLite; decision 0007): a write
acknowledged by the server is seen by the next request on any worker; a
write made by another process is seen within snapshot_reuse_us (1 ms); a
token revoked by another process is refused after that; the setting can be
turned off and is checked like every other."""
import concurrent.futures
import os
import sqlite3
import time

import pytest

from conftest import Client, Server, make_task, ok

pytestmark = pytest.mark.skipif(bool(os.environ.get("DUBAN_TEST_DB_URL")),
                                reason="snapshots are kept on SQLite only")


def external_write(db, sql, args):
    """A write by another process: Python's sqlite3, not the server."""
    con = sqlite3.connect(db, timeout=10)
    try:
        with con:
            con.execute(sql, args)
    finally:
        con.close()


def hammer(client, path, seconds):
    """Keeps both workers' snapshots warm: GETs from 4 threads."""
    end = time.time() + seconds

    def loop():
        n = 0
        while time.time() < end:
            assert client.get(path).status_code == 200
            n += 1
        return n
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        return sum(pool.map(lambda _: loop(), range(4)))


@pytest.fixture(scope="module")
def kept_long(db, workdir):
    """Snapshots kept for up to 1 s: a read that resumed one after a write
    of this process would miss the write for that long, not for a
    millisecond that no Python client could hit."""
    srv = Server(db, workdir, env={"DUBAN_SNAPSHOT_REUSE_US": "1000000"})
    yield srv
    assert srv.stop() == 0


def client_as(server, admin, world, who):
    tok = ok(admin.post("/api/v1/tokens", json={"name": "kept",
                                                "user_id": world["users"][who]["id"]}), 201)
    return Client(server, tok["token"])


def test_every_read_after_an_acknowledged_write_sees_it(kept_long, admin, world):
    """Writes and reads alternate, each read on a new connection (so on
    either worker), while other clients keep both workers' snapshots busy."""
    cl = {who: client_as(kept_long, admin, world, who) for who in ("supervisor", "lead_unit")}
    t = make_task(world)
    ok(cl["lead_unit"].post(f"/api/v1/tasks/{t['id']}/accept", json={}))
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        busy = pool.submit(hammer, cl["supervisor"], f"/api/v1/tasks/{t['id']}", 3.0)
        for p in range(1, 30):
            ok(cl["lead_unit"].post(f"/api/v1/tasks/{t['id']}/progress",
                                   json={"text": f"第{p}次", "progress": p}))
            for who in ("supervisor", "lead_unit", "supervisor"):
                fresh = Client(kept_long, cl[who].token)
                seen = ok(fresh.get(f"/api/v1/tasks/{t['id']}"))["progress"]
                assert seen == p, f"{who} read progress {seen} after {p} was acknowledged"
        assert busy.result() > 0


def test_a_write_by_another_process_shows_within_a_moment(world, db):
    cl = world["clients"]
    t = make_task(world, title="外部修改前")
    ok(cl["supervisor"].get(f"/api/v1/tasks/{t['id']}"))
    external_write(db, "UPDATE task SET title = ? WHERE id = ?", ("外部修改后", t["id"]))
    time.sleep(0.01)   # 10 × snapshot_reuse_us
    for who in ("supervisor", "admin", "supervisor"):
        assert ok(cl[who].get(f"/api/v1/tasks/{t['id']}"))["title"] == "外部修改后"


def test_a_token_revoked_by_another_process_is_refused(server, world, db):
    member = world["clients"]["member"]
    created = ok(member.post("/api/v1/tokens", json={"name": "kept"}), 201)
    c = Client(server, created["token"])
    assert hammer(c, "/api/v1/session", 0.5) > 0   # its answer is remembered
    external_write(db, "UPDATE api_token SET revoked_at = ? WHERE id = ?",
                   (int(time.time()), created["id"]))
    time.sleep(0.01)
    for _ in range(20):
        assert c.get("/api/v1/session").status_code == 401


@pytest.fixture(scope="module")
def unkept(db, workdir):
    srv = Server(db, workdir, env={"DUBAN_SNAPSHOT_REUSE_US": "0"})
    yield srv
    assert srv.stop() == 0


def test_with_keeping_off_reads_still_serve_and_see_writes(unkept, world, admin, db):
    tok = ok(admin.post("/api/v1/tokens", json={"name": "unkept",
                                                "user_id": world["users"]["supervisor"]["id"]}), 201)
    c = Client(unkept, tok["token"])
    t = make_task(world, title="不保留快照")
    assert ok(c.get(f"/api/v1/tasks/{t['id']}"))["title"] == "不保留快照"
    external_write(db, "UPDATE task SET title = ? WHERE id = ?", ("立即可见", t["id"]))
    assert ok(c.get(f"/api/v1/tasks/{t['id']}"))["title"] == "立即可见"
