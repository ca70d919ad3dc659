"""Black-box fixtures for the HTTP API tests.

Nothing is built here: the binary comes from $DUBAN_BIN (default
build-asan/duban). One database per test session: a temp SQLite file, or the
PostgreSQL URL in $DUBAN_TEST_DB_URL (a fresh database made by
scripts/pg-test-cluster.sh). Several servers may run on that one database
with different settings (session expiry, throttling), as they would behind a
load balancer.
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import sys

import pytest
import requests

# The domain's "today" is pinned (a Wednesday inside the bundled calendar), so
# deadlines in these tests never fall into the past or an uncovered year.
# Sessions and throttling use the real clock, never DUBAN_NOW.
os.environ.setdefault("DUBAN_NOW", "2026-11-25T10:00")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from pgcluster import fresh_pg_db  # noqa: E402,F401  (re-exported for the suites' tests)
BIN = os.path.abspath(os.path.join(ROOT, os.environ.get("DUBAN_BIN", "build-asan/duban")))
ADMIN_LOGIN = "admin"
ADMIN_PASSWORD = "admin-password-1"
PASSWORD = "password-123"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args, check=True):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120)
    if check and p.returncode != 0:
        raise AssertionError(f"duban {' '.join(args)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p


class Server:
    """A running `duban serve` on a free loopback port."""

    def __init__(self, db, workdir, env=None, web=None):
        self.db = db
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(workdir, f"serve-{self.port}.log")
        e = dict(os.environ)
        e.update({"DUBAN_LOGIN_MAX_FAILURES_ADDR": "100000", "DUBAN_THREADS": "4"})
        e.update(env or {})
        args = [BIN, "serve", "--listen", f"127.0.0.1:{self.port}", "--db", db]
        if web:
            args += ["--web", web]
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=e)
        deadline = time.time() + 30
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited: {open(self.log_path).read()}")
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.time() > deadline:
                raise AssertionError("server did not become healthy")
            time.sleep(0.05)

    def url(self, path):
        return self.base + path

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.log.close()
        return rc

    def log_text(self):
        return open(self.log_path, encoding="utf-8", errors="replace").read()


class Client:
    """requests.Session with a base URL; bearer or cookie+CSRF auth."""

    def __init__(self, server, token=None):
        self.server = server
        self.s = requests.Session()
        self.token = token
        self.csrf = None
        if token:
            self.s.headers["Authorization"] = f"Bearer {token}"

    def login(self, login, password):
        r = self.s.post(self.server.url("/api/v1/session"), json={"login": login, "password": password})
        if r.status_code == 200:
            self.csrf = r.json()["csrf"]
        return r

    def req(self, method, path, csrf=True, **kw):
        headers = kw.pop("headers", {})
        if self.csrf and csrf and method not in ("GET", "HEAD"):
            headers.setdefault("X-CSRF-Token", self.csrf)
        return self.s.request(method, self.server.url(path), headers=headers, timeout=60, **kw)

    def get(self, path, **kw):
        return self.req("GET", path, **kw)

    def post(self, path, **kw):
        return self.req("POST", path, **kw)

    def patch(self, path, **kw):
        return self.req("PATCH", path, **kw)

    def put(self, path, **kw):
        return self.req("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.req("DELETE", path, **kw)


def ok(r, status=200):
    assert r.status_code == status, f"{r.request.method} {r.request.url}: {r.status_code} {r.text}"
    return r.json() if r.content else None


@pytest.fixture(scope="session")
def workdir():
    d = tempfile.mkdtemp(prefix="duban-api-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def db(workdir):
    target = os.environ.get("DUBAN_TEST_DB_URL") or os.path.join(workdir, "api.db")
    run_cli("init", "--db", target)
    run_cli("user", "add", "--db", target, "--login", ADMIN_LOGIN, "--name", "管理员",
            "--roles", "admin", "--password", ADMIN_PASSWORD)
    return target


@pytest.fixture(scope="session")
def webdir(workdir):
    d = os.path.join(workdir, "web")
    os.makedirs(os.path.join(d, "assets"))
    with open(os.path.join(d, "index.html"), "w") as f:
        f.write("<!doctype html><title>duban</title><div id=app></div>")
    with open(os.path.join(d, "assets", "app-1234.js"), "w") as f:
        f.write("console.log('duban')")
    return d


@pytest.fixture(scope="session")
def server(db, workdir, webdir):
    srv = Server(db, workdir, web=webdir)
    yield srv
    rc = srv.stop()
    assert rc == 0, srv.log_text()[-4000:]


@pytest.fixture(scope="session")
def admin(server):
    c = Client(server)
    ok(c.login(ADMIN_LOGIN, ADMIN_PASSWORD))
    tok = ok(c.post("/api/v1/tokens", json={"name": "tests"}), 201)["token"]
    return Client(server, tok)


def uniq(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def world(server, admin):
    """Three units and one user per role, each with a bearer token.

    lead: the lead unit of the tasks tests create; coop: a cooperating unit;
    other: an unrelated unit."""
    units = {}
    for key, name in (("lead", "教务处"), ("coop", "科研处"), ("other", "后勤处")):
        units[key] = ok(admin.post("/api/v1/units", json={"name": uniq(name), "short_name": name}), 201)
    people = {
        "supervisor": {"roles": "supervisor"},
        "leader": {"roles": "leader"},
        "lead_unit": {"roles": "unit", "unit_id": units["lead"]["id"]},
        "coop_unit": {"roles": "unit", "unit_id": units["coop"]["id"]},
        "other_unit": {"roles": "unit", "unit_id": units["other"]["id"]},
        "member": {"roles": "member"},
    }
    clients = {"admin": admin, "anonymous": Client(server)}
    users = {}
    for role, spec in people.items():
        login = uniq(role.replace("_", ""))
        body = {"login": login, "display_name": role, "password": PASSWORD, **spec}
        u = ok(admin.post("/api/v1/users", json=body), 201)
        users[role] = u
        tok = ok(admin.post("/api/v1/tokens", json={"name": "tests", "user_id": u["id"]}), 201)["token"]
        clients[role] = Client(server, tok)
    return {"units": units, "users": users, "clients": clients}


def make_task(world, assign=True, **extra):
    """A task led by units.lead with units.coop cooperating; assigned unless told."""
    sup = world["clients"]["supervisor"]
    u = world["units"]
    body = {"title": uniq("完成本科教学审核评估自评报告"), "lead_unit_id": u["lead"]["id"],
            "coop_unit_ids": [u["coop"]["id"]], "deadline": "2026-12-31", "category": "重点工作"}
    body.update(extra)
    t = ok(sup.post("/api/v1/tasks", json=body), 201)
    if assign:
        t = ok(sup.post(f"/api/v1/tasks/{t['id']}/assign", json={}))
    return t


def journal_entries(admin):
    return ok(admin.get("/api/v1/audit/verify"))["entries"]
