"""SQLite's write-ahead log stays bounded under writes that never pause.

The server's checkpointer copies the log back while the writer appends, and
SQLite starts the log afresh only at a write that finds it wholly copied: under
steady writes that moment never came and the log grew without bound (400 MB
in 8 s of the S3 benchmark). The writer now has it restarted between batches
once it holds log_restart_pages (src/http/writer.c). Here eight clients report
progress without pause on a server with a small bound; the log file must stay
near that bound, the restarts show in /metrics, and every acknowledged report
is there afterwards.
"""
import os
import re
import sqlite3
import threading
import time

import pytest

from conftest import ADMIN_LOGIN, ADMIN_PASSWORD, PASSWORD, Client, Server, ok, run_cli, uniq

pytestmark = pytest.mark.skipif(bool(os.environ.get("DUBAN_TEST_DB_URL")),
                                reason="SQLite's write-ahead log only")

RESTART_PAGES = 64
CLIENTS = 8
REPORTS_EACH = 200
FRAME = 4096 + 24


def metric(text, name):
    m = re.search(r"^" + re.escape(name) + r" (\d+)$", text, re.M)
    assert m, f"{name} missing from /metrics"
    return int(m.group(1))


def test_log_stays_bounded_under_steady_writes(workdir):
    db = os.path.join(workdir, "log-restart.db")
    run_cli("init", "--db", db)
    run_cli("user", "add", "--db", db, "--login", ADMIN_LOGIN, "--name", "管理员",
            "--roles", "admin", "--password", ADMIN_PASSWORD)
    srv = Server(db, workdir, env={"DUBAN_LOG_RESTART_PAGES": str(RESTART_PAGES)})
    try:
        c = Client(srv)
        ok(c.login(ADMIN_LOGIN, ADMIN_PASSWORD))
        admin = Client(srv, ok(c.post("/api/v1/tokens", json={"name": "t"}), 201)["token"])
        unit = ok(admin.post("/api/v1/units", json={"name": uniq("教务处")}), 201)
        u = ok(admin.post("/api/v1/users", json={"login": uniq("unit"), "display_name": "u",
                                                 "password": PASSWORD, "roles": "unit",
                                                 "unit_id": unit["id"]}), 201)
        tok = ok(admin.post("/api/v1/tokens", json={"name": "t", "user_id": u["id"]}), 201)["token"]
        tasks = []
        for i in range(CLIENTS):
            t = ok(admin.post("/api/v1/tasks", json={"title": f"持续写入{i}", "lead_unit_id": unit["id"],
                                                     "deadline": "2026-12-31"}), 201)
            ok(admin.post(f"/api/v1/tasks/{t['id']}/assign", json={}))
            t = ok(Client(srv, tok).post(f"/api/v1/tasks/{t['id']}/accept", json={}))
            tasks.append((t["id"], t["version"]))

        codes = []

        def report(task_id):
            cl = Client(srv, tok)
            for n in range(REPORTS_EACH):
                r = cl.post(f"/api/v1/tasks/{task_id}/progress",
                            json={"text": f"第{n}次进展：材料已报送", "progress": n % 100})
                codes.append(r.status_code)

        threads = [threading.Thread(target=report, args=(t,)) for t, _ in tasks]
        [th.start() for th in threads]
        largest = 0
        while any(th.is_alive() for th in threads):
            try:
                largest = max(largest, os.path.getsize(db + "-wal"))
            except FileNotFoundError:
                pass
            time.sleep(0.005)
        [th.join() for th in threads]
        assert codes == [200] * (CLIENTS * REPORTS_EACH), sorted(set(codes))

        text = admin.get("/metrics").text
        restarts = metric(text, 'duban_sqlite_log_restarts_total{result="done"}')
        assert restarts >= 1, text[-600:]
        # Every write request ran in one of the writer's transactions (the
        # setup's too), and eight clients at once make some share one.
        commits = metric(text, "duban_writer_commits_total")
        requests = metric(text, "duban_writer_requests_total")
        assert requests >= CLIENTS * REPORTS_EACH, (commits, requests)
        assert 0 < commits < requests, (commits, requests)
        # The log restarts from its beginning at a batch after it passes the
        # bound; a restart put off by a reader in the way waits 20 ms. Without
        # restarts these 1,600 reports made a log of well over 20 MB.
        assert largest < 1000 * FRAME, f"the log grew to {largest} bytes ({restarts} restarts)"

        for t, version in tasks:
            assert ok(admin.get(f"/api/v1/tasks/{t}"))["version"] == version + REPORTS_EACH
    finally:
        assert srv.stop() == 0, srv.log_text()[-4000:]
    # Every acknowledged report is in the file after a clean stop.
    con = sqlite3.connect(db)
    counts = dict(con.execute("SELECT task_id, COUNT(*) FROM progress_report GROUP BY task_id"))
    con.close()
    assert counts == {t: REPORTS_EACH for t, _ in tasks}
