"""Sessions (cookie + CSRF), bearer tokens, expiry and login throttling."""
import time

import pytest

from conftest import ADMIN_LOGIN, ADMIN_PASSWORD, PASSWORD, Client, Server, ok


def test_login_sets_an_httponly_strict_cookie_and_returns_a_csrf_token(server, world):
    c = Client(server)
    r = c.login(world["users"]["supervisor"]["login"], PASSWORD)
    body = ok(r)
    assert body["csrf"] and body["user"]["login"] == world["users"]["supervisor"]["login"]
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "duban_session=" in cookie
    me = ok(c.get("/api/v1/session"))
    assert me["csrf"] == body["csrf"]


def test_a_wrong_password_and_an_unknown_login_read_the_same(server, world):
    a = Client(server).login(world["users"]["member"]["login"], "wrong-password")
    b = Client(server).login("nobody-at-all", "wrong-password")
    assert a.status_code == b.status_code == 401
    assert a.json()["error"]["message"] == b.json()["error"]["message"]


def test_unsafe_cookie_requests_need_the_csrf_token(server, world):
    c = Client(server)
    ok(c.login(world["users"]["supervisor"]["login"], PASSWORD))
    body = {"kind": "meeting", "title": "校长办公会"}
    r = c.post("/api/v1/sources", json=body, csrf=False)
    assert r.status_code == 403 and r.json()["error"]["field"] == "X-CSRF-Token"
    r = c.post("/api/v1/sources", json=body, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403
    ok(c.post("/api/v1/sources", json=body), 201)
    ok(c.get("/api/v1/sources"))   # safe methods need none


def test_logout_ends_the_session(server, world):
    c = Client(server)
    ok(c.login(world["users"]["member"]["login"], PASSWORD))
    assert c.delete("/api/v1/session").status_code == 204
    assert c.get("/api/v1/session").status_code == 401


def test_anonymous_requests_to_protected_routes_are_401(world):
    anon = world["clients"]["anonymous"]
    for path in ("/api/v1/tasks", "/api/v1/session", "/api/v1/units", "/api/v1/stats"):
        r = anon.get(path)
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"


def test_bearer_tokens_are_shown_once_listed_without_secret_and_revocable(server, world, admin):
    member = world["clients"]["member"]
    created = ok(member.post("/api/v1/tokens", json={"name": "script"}), 201)
    tok = created["token"]
    c = Client(server, tok)
    assert ok(c.get("/api/v1/session"))["user"]["id"] == world["users"]["member"]["id"]
    listed = ok(member.get("/api/v1/tokens"))["items"]
    assert any(t["id"] == created["id"] for t in listed)
    assert all("token" not in t and "digest" not in t for t in listed)
    # A member may not mint tokens for others, nor see or revoke theirs.
    r = member.post("/api/v1/tokens", json={"name": "x", "user_id": world["users"]["supervisor"]["id"]})
    assert r.status_code == 403
    assert member.get(f"/api/v1/tokens?user_id={world['users']['supervisor']['id']}").status_code == 403
    other = ok(world["clients"]["leader"].post("/api/v1/tokens", json={"name": "mine"}), 201)
    assert member.delete(f"/api/v1/tokens/{other['id']}").status_code == 404
    assert member.delete(f"/api/v1/tokens/{created['id']}").status_code == 204
    r = c.get("/api/v1/session")
    assert r.status_code == 401
    assert Client(server, "dbn_made-up").get("/api/v1/tasks").status_code == 401


def test_bearer_requests_need_no_csrf(world):
    ok(world["clients"]["supervisor"].post("/api/v1/sources", json={"title": "专题会"}), 201)


def test_password_change(server, world, admin):
    uid = world["users"]["leader"]["id"]
    assert world["clients"]["member"].post(f"/api/v1/users/{uid}/password",
                                           json={"password": "another-pass-9"}).status_code == 403
    assert admin.post(f"/api/v1/users/{uid}/password", json={"password": "short"}).status_code == 422
    assert admin.post(f"/api/v1/users/{uid}/password", json={"password": "another-pass-9"}).status_code == 204
    assert Client(server).login(world["users"]["leader"]["login"], "another-pass-9").status_code == 200
    assert admin.post(f"/api/v1/users/{uid}/password", json={"password": PASSWORD}).status_code == 204


@pytest.fixture(scope="module")
def short_sessions(db, workdir):
    srv = Server(db, workdir, env={"DUBAN_SESSION_IDLE": "2", "DUBAN_SESSION_MAX": "4"})
    yield srv
    assert srv.stop() == 0


def test_an_idle_session_expires(short_sessions):
    c = Client(short_sessions)
    ok(c.login(ADMIN_LOGIN, ADMIN_PASSWORD))
    ok(c.get("/api/v1/session"))
    time.sleep(3.2)
    assert c.get("/api/v1/session").status_code == 401


def test_a_busy_session_still_ends_at_its_maximum_age(short_sessions):
    c = Client(short_sessions)
    ok(c.login(ADMIN_LOGIN, ADMIN_PASSWORD))
    t0 = time.time()
    while time.time() - t0 < 3.0:
        ok(c.get("/api/v1/session"))
        time.sleep(0.5)
    time.sleep(max(0, 5.2 - (time.time() - t0)))
    assert c.get("/api/v1/session").status_code == 401


@pytest.fixture(scope="module")
def throttled(db, workdir):
    srv = Server(db, workdir, env={"DUBAN_LOGIN_MAX_FAILURES": "5", "DUBAN_LOGIN_WINDOW": "900"})
    yield srv
    assert srv.stop() == 0


def test_five_failures_lock_the_account_with_retry_after(throttled, world):
    login = world["users"]["coop_unit"]["login"]
    c = Client(throttled)
    for _ in range(5):
        assert c.login(login, "wrong-password").status_code == 401
    r = c.login(login, PASSWORD)   # even the right password now waits
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(r.headers["Retry-After"]) <= 900
    # Other accounts are not affected.
    assert Client(throttled).login(world["users"]["other_unit"]["login"], PASSWORD).status_code == 200


def test_failures_from_one_address_lock_the_address(db, workdir, world):
    srv = Server(db, workdir, env={"DUBAN_LOGIN_MAX_FAILURES_ADDR": "3", "DUBAN_LOGIN_MAX_FAILURES": "100"})
    try:
        seen = []
        for i in range(4):
            seen.append(Client(srv).login(f"ghost-{i}", "wrong-password").status_code)
        assert seen[-1] == 429
        r = Client(srv).login(world["users"]["member"]["login"], PASSWORD)
        assert r.status_code == 429 and "Retry-After" in r.headers
    finally:
        assert srv.stop() == 0
