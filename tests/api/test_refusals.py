"""Every kind of refusal answers with the error envelope and changes nothing."""
import socket
import time

import requests

from conftest import Server, journal_entries, make_task, ok


def envelope(r, status, code=None, field=None):
    assert r.status_code == status, f"{r.status_code} {r.text}"
    err = r.json()["error"]
    assert set(err) >= {"code", "message"}
    if code:
        assert err["code"] == code, err
    if field is not None:
        assert err.get("field") == field, err
    return err


def test_an_action_not_allowed_in_the_state_is_refused(world, admin):
    sup = world["clients"]["supervisor"]
    t = make_task(world, assign=False)
    before = journal_entries(admin)
    envelope(sup.post(f"/api/v1/tasks/{t['id']}/approve", json={}), 422, "invalid_state")
    assert journal_entries(admin) == before
    assert ok(sup.get(f"/api/v1/tasks/{t['id']}"))["status"] == "draft"


def test_an_action_not_for_the_role_is_refused(world, admin):
    t = make_task(world)
    before = journal_entries(admin)
    envelope(world["clients"]["lead_unit"].post(f"/api/v1/tasks/{t['id']}/urge", json={}), 403)
    envelope(world["clients"]["supervisor"].post(f"/api/v1/tasks/{t['id']}/accept", json={}), 403)
    assert journal_entries(admin) == before


def test_a_missing_required_field_is_named(world):
    t = make_task(world)
    envelope(world["clients"]["lead_unit"].post(f"/api/v1/tasks/{t['id']}/return", json={}),
             422, "invalid", "reason")
    envelope(world["clients"]["supervisor"].post("/api/v1/tasks", json={"deadline": "2026-12-31"}),
             422, "invalid", "title")


def test_an_unknown_member_is_named(world):
    envelope(world["clients"]["supervisor"].post("/api/v1/tasks", json={"title": "x", "colour": "red",
                                                                        "deadline": "2026-12-31"}),
             422, "invalid", "colour")


def test_an_unknown_action_or_task_is_404(world):
    t = make_task(world, assign=False)
    sup = world["clients"]["supervisor"]
    envelope(sup.post(f"/api/v1/tasks/{t['id']}/fly", json={}), 404, "not_found")
    envelope(sup.get("/api/v1/tasks/999999999"), 404, "not_found")
    envelope(sup.get("/api/v1/tasks/DB-1900-0001"), 404, "not_found")
    envelope(sup.get("/api/v1/nothing-here"), 404, "not_found")


def test_a_wrong_method_is_405(world):
    r = world["clients"]["supervisor"].req("PUT", "/api/v1/tasks")
    envelope(r, 405, "method_not_allowed")


def test_bad_json_is_400_with_the_position(world):
    sup = world["clients"]["supervisor"]
    r = sup.post("/api/v1/tasks", data=b'{"title": "x",\n  "deadline": }',
                 headers={"Content-Type": "application/json"})
    err = envelope(r, 400, "bad_request", "body")
    assert "line 2" in err["message"] and "column" in err["message"]
    envelope(sup.post("/api/v1/tasks", data=b"[1,2]", headers={"Content-Type": "application/json"}),
             400, "bad_request")
    envelope(sup.post("/api/v1/tasks", data=b'{"a":1,"a":2}',
                      headers={"Content-Type": "application/json"}), 400, "bad_request")


def test_invalid_utf8_is_400_with_the_byte(world):
    r = world["clients"]["supervisor"].post(
        "/api/v1/tasks", data=b'{"title": "\xe6\x95\x99\xff"}', headers={"Content-Type": "application/json"})
    err = envelope(r, 400, "bad_request", "body")
    assert "byte 14" in err["message"]


def test_a_body_over_the_limit_is_413(world, admin):
    before = journal_entries(admin)
    big = b'{"title": "' + b"a" * (1 << 20) + b'"}'
    r = world["clients"]["supervisor"].post("/api/v1/tasks", data=big,
                                            headers={"Content-Type": "application/json"})
    envelope(r, 413, "too_large")
    assert journal_entries(admin) == before


def test_a_body_that_is_not_json_is_415(world):
    r = world["clients"]["supervisor"].post("/api/v1/tasks", data=b"title=x",
                                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    envelope(r, 415, "unsupported_media_type", "Content-Type")


def test_an_ill_typed_query_parameter_is_422(world):
    sup = world["clients"]["supervisor"]
    envelope(sup.get("/api/v1/tasks?limit=ten"), 422, "invalid", "limit")
    envelope(sup.get("/api/v1/tasks?colour=red"), 422, "invalid", "colour")


def test_responses_carry_security_headers(server, world):
    ui = requests.get(server.url("/"))
    api = (requests.get(server.url("/healthz")),
           world["clients"]["anonymous"].get("/api/v1/tasks"),
           world["clients"]["supervisor"].get("/api/v1/tasks"))
    for r in (ui,) + api:
        h = r.headers
        assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["Referrer-Policy"] == "no-referrer"
        assert h["X-Frame-Options"] == "DENY"
    # The UI may load its own scripts and styles; an API answer loads nothing.
    assert "default-src 'self'" in ui.headers["Content-Security-Policy"]
    assert ui.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    for r in api:
        assert r.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert r.headers["Cache-Control"] == "no-store"


def test_the_web_ui_is_served_with_spa_fallback(server):
    r = requests.get(server.url("/"))
    assert r.status_code == 200 and "duban" in r.text
    assert r.headers["Content-Type"].startswith("text/html")
    r = requests.get(server.url("/tasks/42"))
    assert r.status_code == 200 and "<div id=app>" in r.text
    r = requests.get(server.url("/assets/app-1234.js"))
    assert r.status_code == 200 and "immutable" in r.headers["Cache-Control"]
    assert requests.get(server.url("/assets/missing.js")).status_code == 404
    # Raw request lines: no client-side normalisation of "..".
    for target in ("/../../etc/passwd", "/assets/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"):
        with socket.create_connection(("127.0.0.1", server.port)) as s:
            s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        assert b"root:" not in data, target


def test_keep_alive_is_kept(server):
    s = requests.Session()
    r = s.get(server.url("/healthz"))
    assert r.headers.get("Connection", "").lower() != "close"


def test_metrics_count_requests(server):
    requests.get(server.url("/healthz"))
    text = requests.get(server.url("/metrics")).text
    assert 'duban_http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert "duban_http_request_duration_seconds_bucket" in text
    assert "duban_db_errors_total" in text


def log_lines(srv, probe, wait):
    """The access log lines of srv that mention probe, within wait seconds."""
    deadline = time.time() + wait
    while True:
        lines = [l for l in srv.log_text().splitlines() if probe in l]
        if lines or time.time() > deadline:
            return lines
        time.sleep(0.05)


def test_the_access_log_has_one_line_per_request(server):
    # Lines wait in a buffer for at most DUBAN_ACCESS_LOG_FLUSH_MS (1 s by
    # default): with no further traffic the flusher writes this one.
    requests.get(server.url("/healthz?probe=log"))
    lines = log_lines(server, 'path="/healthz"', 5)
    assert lines and all(k in lines[-1] for k in ("time=", "method=GET", "status=200", "bytes=", "us=", "user="))


def test_access_log_lines_are_written_at_once_when_flush_is_0(workdir, db):
    srv = Server(db, workdir, env={"DUBAN_ACCESS_LOG_FLUSH_MS": "0"})
    try:
        for i in range(20):
            requests.get(srv.url(f"/api/v1/tasks/{i + 1000}"))
            # no wait: the line is on stderr before the response is sent
            assert log_lines(srv, f'path="/api/v1/tasks/{i + 1000}"', 0), i
    finally:
        assert srv.stop() == 0


def test_buffered_access_log_lines_are_whole_and_written_at_stop(workdir, db):
    srv = Server(db, workdir, env={"DUBAN_ACCESS_LOG_FLUSH_MS": "60000"})
    stopped = False
    try:
        for i in range(300):
            requests.get(srv.url(f"/api/v1/units/{i + 5000}"))
        assert srv.stop() == 0
        stopped = True
        lines = [l for l in srv.log_text().splitlines() if 'path="/api/v1/units/' in l]
        assert len(lines) == 300 and all(l.startswith("time=") and l.endswith("user=-") for l in lines)
    finally:
        if not stopped:
            srv.stop()
