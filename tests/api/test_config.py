"""duban serve refuses a bad setting before it listens: the setting named
(environment variable, or file and line), exit status 2, no server."""
import os
import subprocess

import pytest

from conftest import BIN, free_port


def serve(db, tmp_path, env=None, config=None):
    args = [BIN, "serve", "--db", db, "--listen", f"127.0.0.1:{free_port()}"]
    if config is not None:
        path = tmp_path / "duban.conf"
        path.write_text(config, encoding="utf-8")
        args += ["--config", str(path)]
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run(args, env=e, capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("env, says", [
    ({"DUBAN_ACCESS_LOG_FLUSH_MS": "-1"}, "DUBAN_ACCESS_LOG_FLUSH_MS must be a number from 0 to 60000"),
    ({"DUBAN_ACCESS_LOG_FLUSH_MS": "soon"}, "DUBAN_ACCESS_LOG_FLUSH_MS must be a number"),
    ({"DUBAN_ACCESS_LOG": "maybe"}, "DUBAN_ACCESS_LOG must be true or false"),
    ({"DUBAN_THREADS": "100000"}, "DUBAN_THREADS must be a number from 0 to 256"),
    ({"DUBAN_SNAPSHOT_REUSE_US": "2000000"}, "DUBAN_SNAPSHOT_REUSE_US must be a number from 0 to 1000000"),
    ({"DUBAN_LOG_RESTART_PAGES": "8"}, "DUBAN_LOG_RESTART_PAGES must be a number from 16 to 16777216"),
])
def test_a_bad_environment_setting_is_named_and_nothing_starts(db, tmp_path, env, says):
    r = serve(db, tmp_path, env=env)
    assert r.returncode == 2, r.stderr
    assert says in r.stderr and "serving on" not in r.stderr


@pytest.mark.parametrize("config, says", [
    ("access_log_flush_ms = 70000\n", "duban.conf:1: access_log_flush_ms must be a number from 0 to 60000"),
    ("# comment\nno_such = 1\n", "duban.conf:2: unknown setting no_such"),
    ("listen 127.0.0.1:1\n", "duban.conf:1: expected key = value"),
])
def test_a_bad_config_file_line_is_named_and_nothing_starts(db, tmp_path, config, says):
    r = serve(db, tmp_path, config=config)
    assert r.returncode == 2, r.stderr
    assert says in r.stderr and "serving on" not in r.stderr
