"""The permission matrix: every route × every kind of caller.

Roles: admin, supervisor, leader, a user of the lead unit, of a cooperating
unit, of an unrelated unit, a member, and anonymous. Each case states the
status every caller gets; a refused write must leave the journal unchanged.
Every route of the table must have a case (checked against /api/v1/_routes).
"""
import os

import pytest

from conftest import PASSWORD, ROOT, Client, journal_entries, make_task, ok, uniq

ROLES = ["admin", "supervisor", "leader", "lead_unit", "coop_unit", "other_unit", "member", "anonymous"]
AUTHED = ROLES[:-1]


def expect(default=None, **per_role):
    """Status per role: anonymous defaults to 401, others to `default`."""
    out = {r: default for r in AUTHED}
    out["anonymous"] = 401
    out.update(per_role)
    return out


ALL_OK = expect(200)
ADMIN_ONLY = expect(403, admin=200)
SUP_ONLY = expect(403, admin=200, supervisor=200)
SEES_ALL_OR_UNIT = expect(200, member=403)
SEES_ALL = expect(403, admin=200, supervisor=200, leader=200)
TASK_VISIBLE = expect(200, other_unit=404, member=404)


def holiday_2026():
    with open(os.path.join(ROOT, "data", "holidays-cn", "2026.json"), encoding="utf-8") as f:
        return f.read()


# Each case: (method, path template, body or callable(ctx) -> body, expected statuses,
# setup(world, admin) -> ctx dict for the template, is_write).
def _task(world, admin, **kw):
    return {"id": make_task(world, **kw)["id"]}


def _draft(world, admin):
    return _task(world, admin, assign=False)


def _user_version(world, admin):
    u = ok(admin.get(f"/api/v1/users/{world['users']['member']['id']}"))
    return {"id": u["id"], "version": u["version"]}


def _unit_version(world, admin):
    u = ok(admin.get(f"/api/v1/units/{world['units']['other']['id']}"))
    return {"id": u["id"], "version": u["version"]}


def _admin_token(world, admin):
    return {"id": ok(admin.post("/api/v1/tokens", json={"name": "victim"}), 201)["id"]}


def _source(world, admin):
    return {"id": ok(admin.post("/api/v1/sources", json={"title": uniq("会议")}), 201)["id"]}


def _setting(world, admin):
    s = ok(admin.get("/api/v1/settings"))
    items = s.get("items", s)
    if isinstance(items, dict):
        key = sorted(items)[0]
        val = items[key]
    else:
        key, val = items[0]["key"], items[0]["value"]
    if isinstance(val, dict):
        val = val.get("value")
    return {"key": key, "value": val}


def _none(world, admin):
    return {}


CASES = {
    ("GET", "/healthz"): (None, expect(200, anonymous=200), _none, False),
    ("GET", "/metrics"): (None, expect(200, anonymous=200), _none, False),
    ("GET", "/api/v1/_routes"): (None, ADMIN_ONLY, _none, False),
    ("POST", "/api/v1/session"): (lambda c: {"login": uniq("nobody"), "password": "wrong-password"},
                                  expect(401, anonymous=401), _none, False),
    ("GET", "/api/v1/session"): (None, ALL_OK, _none, False),
    ("DELETE", "/api/v1/session"): (None, expect(204), _none, False),
    ("GET", "/api/v1/tokens"): (None, ALL_OK, _none, False),
    ("POST", "/api/v1/tokens"): ({"name": "matrix"}, expect(201), _none, True),
    ("DELETE", "/api/v1/tokens/{id}"): (None, expect(404, admin=204), _admin_token, True),
    ("GET", "/api/v1/units"): (None, ALL_OK, _none, False),
    ("POST", "/api/v1/units"): (lambda c: {"name": uniq("单位")}, expect(403, admin=201), _none, True),
    ("GET", "/api/v1/units/{id}"): (None, ALL_OK, lambda w, a: {"id": w["units"]["lead"]["id"]}, False),
    ("PATCH", "/api/v1/units/{id}"): (lambda c: {"short_name": uniq("x")[:10], "version": c["version"]},
                                      ADMIN_ONLY, _unit_version, True),
    ("GET", "/api/v1/users"): (None, SUP_ONLY, _none, False),
    ("POST", "/api/v1/users"): (lambda c: {"login": uniq("u"), "display_name": "x", "roles": "member",
                                           "password": PASSWORD}, expect(403, admin=201), _none, True),
    ("GET", "/api/v1/users/{id}"): (None, expect(404, admin=200, supervisor=200, member=200),
                                    lambda w, a: {"id": w["users"]["member"]["id"]}, False),
    ("PATCH", "/api/v1/users/{id}"): (lambda c: {"display_name": uniq("m"), "version": c["version"]},
                                      ADMIN_ONLY, _user_version, True),
    ("POST", "/api/v1/users/{id}/password"): ({"password": PASSWORD},
                                              expect(403, admin=204, member=204),
                                              lambda w, a: {"id": w["users"]["member"]["id"]}, True),
    ("GET", "/api/v1/sources"): (None, SEES_ALL_OR_UNIT, _none, False),
    ("POST", "/api/v1/sources"): (lambda c: {"title": uniq("会议")}, expect(403, admin=201, supervisor=201),
                                  _none, True),
    ("GET", "/api/v1/sources/{id}"): (None, expect(404, admin=200, supervisor=200, leader=200), _source, False),
    ("GET", "/api/v1/tasks"): (None, SEES_ALL_OR_UNIT, _none, False),
    ("POST", "/api/v1/tasks"): (lambda c: {"title": uniq("任务"), "deadline": "2026-12-31"},
                                expect(403, admin=201, supervisor=201), _none, True),
    ("GET", "/api/v1/tasks/{id}"): (None, TASK_VISIBLE, _task, False),
    ("PATCH", "/api/v1/tasks/{id}"): ({"remark": "matrix"},
                                      expect(403, admin=200, supervisor=200, other_unit=404, member=404),
                                      _task, True),
    ("DELETE", "/api/v1/tasks/{id}"): (None, expect(404, admin=204, supervisor=204, leader=403, lead_unit=403,
                                                  coop_unit=403), _draft, True),
    ("GET", "/api/v1/tasks/{id}/journal"): (None, TASK_VISIBLE, _task, False),
    ("POST", "/api/v1/tasks/{id}/{action}"): ({"message": "请加快"},
                                              expect(403, admin=200, supervisor=200, other_unit=404, member=404),
                                              lambda w, a: {**_task(w, a), "action": "urge"}, True),
    ("GET", "/api/v1/me/tasks"): (None, SEES_ALL_OR_UNIT, _none, False),
    ("GET", "/api/v1/search"): (None, SEES_ALL_OR_UNIT, _none, False),
    ("GET", "/api/v1/journal"): (None, TASK_VISIBLE, _task, False),
    ("GET", "/api/v1/calendar"): (None, ALL_OK, _none, False),
    ("POST", "/api/v1/calendar/import"): ("holiday", ADMIN_ONLY, _none, True),
    ("PUT", "/api/v1/calendar/days/{date}"): ({"off": True, "name": "校庆"}, ADMIN_ONLY,
                                              lambda w, a: {"date": "2026-12-28"}, True),
    ("GET", "/api/v1/settings"): (None, ALL_OK, _none, False),
    ("PUT", "/api/v1/settings"): (lambda c: {"key": c["key"], "value": c["value"]}, ADMIN_ONLY, _setting, True),
    ("GET", "/api/v1/scores"): (None, SEES_ALL, _none, False),
    ("GET", "/api/v1/stats"): (None, SEES_ALL, _none, False),
    ("POST", "/api/v1/tick"): ({}, SUP_ONLY, _none, True),
    ("GET", "/api/v1/audit/verify"): (None, ADMIN_ONLY, _none, False),
    ("POST", "/api/v1/ingest"): ({"text": "会议要求，各学院要在年底前做好招生宣传工作。"}, SUP_ONLY, _none, False),
    ("POST", "/api/v1/ingest/commit"): (lambda c: {"source": {"title": uniq("会议")},
                                                   "tasks": [{"title": uniq("任务"), "deadline": "2026-12-31"}]},
                                        expect(403, admin=201, supervisor=201), _none, True),
}

QUERY = {"/api/v1/journal": "?entity=task&id={id}", "/api/v1/calendar": "?year=2026",
         "/api/v1/search": "?q=%E4%BB%BB%E5%8A%A1"}


def test_every_route_has_a_case(admin):
    table = {(r["method"], r["path"]) for r in ok(admin.get("/api/v1/_routes"))["items"]}
    assert table == set(CASES)


@pytest.mark.parametrize("route", sorted(CASES), ids=lambda r: f"{r[0]} {r[1]}")
def test_permission_matrix(route, world, admin):
    method, template = route
    body, expected, setup, is_write = CASES[route]
    failures = []
    for role in ROLES:
        ctx = setup(world, admin)
        path = template.format(**ctx) + QUERY.get(template, "").format(**ctx)
        b = body(ctx) if callable(body) else body
        kw = {}
        if b == "holiday":
            kw = {"data": holiday_2026().encode(), "headers": {"Content-Type": "application/json"}}
        elif b is not None:
            kw = {"json": b}
        client = world["clients"][role]
        if method == "DELETE" and template == "/api/v1/session" and role != "anonymous":
            # Signing out a bearer client is a no-op; use a throwaway token.
            tok = ok(admin.post("/api/v1/tokens", json={"name": "x", "user_id": world["users"][role]["id"]}
                                if role != "admin" else {"name": "x"}), 201)["token"]
            client = Client(world["clients"]["admin"].server, tok)
        before = journal_entries(admin) if is_write else None
        r = client.req(method, path, **kw)
        want = expected[role]
        if r.status_code != want:
            failures.append(f"{role}: got {r.status_code} want {want}: {r.text[:200]}")
        if is_write and r.status_code >= 400:
            after = journal_entries(admin)
            if after != before:
                failures.append(f"{role}: refused with {r.status_code} but the journal moved")
    assert not failures, "\n".join(failures)
