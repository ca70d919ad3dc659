"""Faults (issue 5.5): PostgreSQL restarted under load, and a wrong URL at
start-up. The restart runs on a cluster of its own (its own DUBAN_PG_STATE),
so the other tests' cluster is never disturbed. Skipped without PostgreSQL
(DUBAN_TEST_DB_URL unset)."""
import os
import subprocess
import tempfile
import threading
import time

import pytest
import requests

from conftest import ADMIN_LOGIN, ADMIN_PASSWORD, BIN, ROOT, Client, Server, ok, run_cli

SCRIPT = os.path.join(ROOT, "scripts", "pg-test-cluster.sh")


@pytest.fixture(scope="module")
def own_cluster():
    if not os.environ.get("DUBAN_TEST_DB_URL"):
        pytest.skip("DUBAN_TEST_DB_URL is not set: no PostgreSQL cluster (tests/run.sh starts one)")
    env = dict(os.environ, DUBAN_PG_STATE=tempfile.mktemp(prefix="duban-pg-restart."))
    env.pop("DUBAN_PG_DIR", None)
    p = subprocess.run(["bash", SCRIPT, "start"], env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    yield env, p.stdout.strip().splitlines()[-1]
    subprocess.run(["bash", SCRIPT, "stop"], env=env, capture_output=True, timeout=120)


def all_titles(client):
    titles, cursor = set(), None
    while True:
        q = "/api/v1/tasks?limit=200&total=0" + (f"&cursor={requests.utils.quote(cursor)}" if cursor else "")
        page = ok(client.get(q))
        titles |= {t["title"] for t in page["items"]}
        cursor = page["next_cursor"]
        if not cursor:
            return titles


def test_a_restart_under_load_fails_in_flight_requests_with_503_and_loses_no_acknowledged_write(
        own_cluster, workdir):
    env, url = own_cluster
    run_cli("init", "--db", url)
    run_cli("user", "add", "--db", url, "--login", ADMIN_LOGIN, "--name", "管理员",
            "--roles", "admin", "--password", ADMIN_PASSWORD)
    srv = Server(url, workdir)
    try:
        c = Client(srv)
        ok(c.login(ADMIN_LOGIN, ADMIN_PASSWORD))
        token = ok(c.post("/api/v1/tokens", json={"name": "t"}), 201)["token"]
        base = ok(Client(srv, token).get("/api/v1/audit/verify"))["entries"]
        acked, refused, other = [], [], []
        lock = threading.Lock()
        stop = threading.Event()

        def writer(n):
            cl = Client(srv, token)
            i = 0
            while not stop.is_set():
                title = f"重启测试 {n}-{i}"
                i += 1
                try:
                    r = cl.post("/api/v1/tasks", json={"title": title, "deadline": "2027-06-30"})
                except requests.RequestException as ex:  # the server itself must stay up
                    with lock:
                        other.append(repr(ex))
                    continue
                with lock:
                    if r.status_code == 201:
                        acked.append(title)
                    elif r.status_code == 503:
                        refused.append(r)
                    else:
                        other.append(f"{r.status_code} {r.text}")

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        [t.start() for t in threads]
        time.sleep(1.0)
        n_before = len(acked)
        p = subprocess.run(["bash", SCRIPT, "restart"], env=env, capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        # the same server process comes back by itself: writes succeed again
        deadline = time.time() + 20
        while time.time() < deadline and len(acked) < n_before + 20:
            time.sleep(0.1)
        time.sleep(0.5)
        stop.set()
        [t.join(timeout=60) for t in threads]
        assert not other, other[:5]
        assert srv.proc.poll() is None, "the server died"
        assert len(acked) >= n_before + 20, "the server did not recover after the restart"
        assert refused, "no request was in flight during the restart"
        for r in refused:
            body = r.json()["error"]
            assert body["code"] and body["message"], body
        # every acknowledged write is there
        titles = all_titles(Client(srv, token))
        assert set(acked) <= titles
        # one journal entry per stored task (a write cut off after its commit
        # may be stored though answered 503; never the other way round)
        v = ok(Client(srv, token).get("/api/v1/audit/verify"))
        assert v["ok"] is True and v["entries"] - base == len(titles) >= len(acked)
    finally:
        assert srv.stop() == 0, srv.log_text()[-3000:]


@pytest.mark.parametrize("url", ["postgres://wrong@127.0.0.1:1/x", "postgres://nobody:secret@127.0.0.1:{port}/x"])
def test_a_wrong_url_at_start_up_is_one_clear_line_and_exit_1(url, own_cluster):
    env, good = own_cluster
    port = good.rsplit(":", 1)[1].split("/")[0]
    p = subprocess.run([BIN, "serve", "--listen", "127.0.0.1:0", "--db", url.format(port=port)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 1
    lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, p.stderr
    assert "cannot connect to PostgreSQL" in lines[0]
