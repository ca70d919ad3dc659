"""Fixtures for the CLI end-to-end tests: run the real `duban` binary on a
temporary database. The binary is $DUBAN_BIN (default build-asan/duban, the
sanitizer build that tests/run.sh makes)."""
import json
import os
import subprocess

import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from pgcluster import fresh_pg_db  # noqa: E402,F401  (re-exported for the suites' tests)
BIN = os.environ.get("DUBAN_BIN", os.path.join(ROOT, "build-asan", "duban"))


class Duban:
    def __init__(self, db, env):
        self.db = db
        self.env = env

    def run(self, *args, as_=None, db=None, now=None, stdin=None):
        cmd = [BIN] + [str(a) for a in args]
        env = dict(self.env)
        env["DUBAN_DB"] = db or self.db
        if as_:
            env["DUBAN_USER"] = as_
        if now:
            env["DUBAN_NOW"] = now
        return subprocess.run(cmd, env=env, capture_output=True, text=True, input=stdin, timeout=120)

    def ok(self, *args, **kw):
        r = self.run(*args, **kw)
        assert r.returncode == 0, f"{args}: exit {r.returncode}\n{r.stdout}\n{r.stderr}"
        return r

    def json(self, *args, **kw):
        return json.loads(self.ok(*args, "--json", **kw).stdout)

    def fails(self, *args, field=None, code=1, **kw):
        """Runs a command that must be refused: exit code, a message naming
        the field on stderr, and nothing written to the journal."""
        before = self.journal_entries()
        r = self.run(*args, **kw)
        assert r.returncode == code, f"{args}: expected exit {code}, got {r.returncode}\n{r.stdout}\n{r.stderr}"
        assert r.stderr.strip(), "a refusal must say why on stderr"
        if field:
            assert f"error: {field}" in r.stderr, f"field {field} not named: {r.stderr}"
        if os.path.exists(self.db):
            assert self.journal_entries() == before, "a refused command changed the database"
        return r

    def journal_entries(self):
        if not os.path.exists(self.db):
            return 0
        r = self.run("audit", "verify", "--json")
        return json.loads(r.stdout)["entries"] if r.returncode == 0 else -1


@pytest.fixture
def duban(tmp_path):
    env = dict(os.environ)
    env["DUBAN_FAST_HASH"] = "1"
    env.pop("DUBAN_USER", None)
    env["DUBAN_NOW"] = "2026-11-25T10:00"  # a Wednesday; tests never read the real clock
    d = Duban(str(tmp_path / "t.db"), env)
    d.tmp = tmp_path
    return d


@pytest.fixture
def ledger(duban):
    """A database with three units, users and a source."""
    duban.ok("init")
    for name, short in (("教务处", "教务处"), ("研究生院", "研究生院"), ("人事处", "人事处")):
        duban.ok("unit", "add", "--name", name, "--short", short, "--keywords", "教学,课程")
    duban.ok("user", "add", "--login", "sup", "--name", "督查室", "--roles", "supervisor", "--password", "secret-123")
    duban.ok("user", "add", "--login", "jw", "--name", "教务处联络员", "--roles", "unit", "--unit", "教务处", "--password", "secret-123")
    duban.ok("user", "add", "--login", "yjs", "--name", "研究生院联络员", "--roles", "unit", "--unit", "研究生院", "--password", "secret-123")
    duban.ok("user", "add", "--login", "rs", "--name", "人事处联络员", "--roles", "unit", "--unit", "人事处", "--password", "secret-123")
    duban.ok("user", "add", "--login", "boss", "--name", "校领导", "--roles", "leader", "--password", "secret-123")
    duban.ok("source", "add", "--title", "党委全会", "--date", "2026-11-20", "--as", "sup")
    return duban
