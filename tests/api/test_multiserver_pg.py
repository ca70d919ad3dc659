"""Several `duban serve` processes on one PostgreSQL database (issue 5.3):
optimistic versions across processes, one journal chain under concurrent
writers from both, and `duban tick` run by two processes at once applying
each escalation step once. Skipped without a cluster (DUBAN_TEST_DB_URL and
DUBAN_PG_STATE, as tests/run.sh sets them)."""
import json
import os
import subprocess
import threading

import pytest

from conftest import ADMIN_LOGIN, ADMIN_PASSWORD, PASSWORD, ROOT, Client, Server, fresh_pg_db, ok, run_cli

NOW = "2026-11-25T10:00"   # a Wednesday; servers and ticks share the clock



@pytest.fixture(scope="module")
def pair(workdir):
    url = fresh_pg_db("multi")
    run_cli("init", "--db", url)
    run_cli("user", "add", "--db", url, "--login", ADMIN_LOGIN, "--name", "管理员",
            "--roles", "admin", "--password", ADMIN_PASSWORD)
    env = {"DUBAN_NOW": NOW}
    a, b = Server(url, workdir, env=env), Server(url, workdir, env=env)
    clients = []
    for srv in (a, b):
        c = Client(srv)
        ok(c.login(ADMIN_LOGIN, ADMIN_PASSWORD))
        clients.append(Client(srv, ok(c.post("/api/v1/tokens", json={"name": "t"}), 201)["token"]))
    adm = clients[0]
    unit = ok(adm.post("/api/v1/units", json={"name": "教务处", "short_name": "教务处"}), 201)
    tokens = {}
    for login, roles, extra in (("sup", "supervisor", {}), ("jw", "unit", {"unit_id": unit["id"]})):
        u = ok(adm.post("/api/v1/users", json={"login": login, "display_name": login, "password": PASSWORD,
                                                "roles": roles, **extra}), 201)
        tokens[login] = ok(adm.post("/api/v1/tokens", json={"name": "t", "user_id": u["id"]}), 201)["token"]
    yield {"url": url, "servers": (a, b), "admin": clients, "unit": unit,
           "sup": [Client(s, tokens["sup"]) for s in (a, b)],
           "jw": [Client(s, tokens["jw"]) for s in (a, b)]}
    for s in (a, b):
        assert s.stop() == 0, s.log_text()[-3000:]


def make_task(p, deadline="2026-12-31", accept=True):
    sup = p["sup"][0]
    t = ok(sup.post("/api/v1/tasks", json={"title": "多进程并发测试任务", "lead_unit_id": p["unit"]["id"],
                                           "deadline": deadline}), 201)
    t = ok(sup.post(f"/api/v1/tasks/{t['id']}/assign", json={}))
    if accept:
        t = ok(p["jw"][1].post(f"/api/v1/tasks/{t['id']}/accept", json={}))
    return t


def journal(p):
    return ok(p["admin"][0].get("/api/v1/audit/verify"))


def parallel(fns):
    barrier = threading.Barrier(len(fns))
    out = [None] * len(fns)

    def run(i):
        barrier.wait()
        out[i] = fns[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(fns))]
    [t.start() for t in threads]
    [t.join(timeout=120) for t in threads]
    return out


def test_one_version_through_two_servers_one_wins(pair):
    for round_ in range(6):
        t = make_task(pair, accept=False)
        fns = [(lambda c=c, n=n: c.patch(f"/api/v1/tasks/{t['id']}",
                                         json={"remark": f"writer {n}", "version": t["version"]}).status_code)
               for n, c in enumerate(pair["sup"] * 2)]
        codes = parallel(fns)
        assert sorted(codes) == [200, 409, 409, 409], codes
        assert ok(pair["sup"][1].get(f"/api/v1/tasks/{t['id']}"))["version"] == t["version"] + 1
    assert journal(pair)["ok"] is True


def test_concurrent_reports_through_two_servers_keep_one_chain(pair):
    tasks = [make_task(pair) for _ in range(3)]
    before = journal(pair)["entries"]
    acked = []
    lock = threading.Lock()

    def writer(client, n):
        def go():
            for i in range(8):
                t = tasks[(n + i) % len(tasks)]
                r = client.post(f"/api/v1/tasks/{t['id']}/progress",
                                json={"text": f"进展 {n}-{i}", "progress": 10 + i})
                assert r.status_code in (200, 409, 503), r.text
                if r.status_code == 200:
                    with lock:
                        acked.append((t["id"], f"进展 {n}-{i}"))
        return go

    parallel([writer(pair["jw"][n % 2], n) for n in range(6)])
    assert len(acked) >= 40, f"only {len(acked)} of 48 reports were accepted"
    v = journal(pair)
    assert v["ok"] is True and v["first_broken"] is None
    assert v["entries"] - before == len(acked)
    r = run_cli("audit", "verify", "--db", pair["url"])
    assert "intact" in r.stdout
    # every acknowledged report is there
    stored = set()
    for t in tasks:
        full = ok(pair["sup"][0].get(f"/api/v1/tasks/{t['id']}?timeline=1"))
        stored |= {(t["id"], x["text"]) for x in full["timeline"] if x["kind"] == "report"}
    assert set(acked) <= stored, "acknowledged reports are missing"


def test_two_ticks_at_once_urge_each_task_once(pair):
    tasks = [make_task(pair, deadline="2026-12-01") for _ in range(4)]
    env = dict(os.environ, DUBAN_NOW="2026-11-26T10:00")
    bin_ = os.path.abspath(os.path.join(ROOT, os.environ.get("DUBAN_BIN", "build-asan/duban")))
    cmd = [bin_, "tick", "--db", pair["url"], "--today", "2026-11-26", "--force", "--json"]
    procs = parallel([lambda: subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
                      for _ in range(2)])
    urged = 0
    for p in procs:
        assert p.returncode == 0, p.stderr
        urged += json.loads(p.stdout)["urgings"]
    assert urged == len(tasks)
    for t in tasks:
        full = ok(pair["sup"][0].get(f"/api/v1/tasks/{t['id']}?timeline=1"))
        urgings = [x for x in full["timeline"] if x["kind"] == "urging"]
        assert len(urgings) == 1, urgings
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and json.loads(again.stdout)["urgings"] == 0
    assert journal(pair)["ok"] is True
