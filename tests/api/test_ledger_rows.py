"""A ledger row carries its task's lead and cooperating units (a copy kept in
the task row, store/task_units.h): every change of the task's units, and a
unit's new name, shows in the list exactly as in the task view."""
from conftest import make_task, ok, uniq


def row(client, task):
    page = ok(client.get("/api/v1/tasks", params={"q": task["code"], "limit": 5}))
    items = [i for i in page["items"] if i["id"] == task["id"]]
    assert len(items) == 1, page
    return items[0]


def units_of(client, task):
    """(lead id, lead name, coop units) as the list and as the view show them,
    checked against the view's assignments (the rows they are copied from)."""
    item = row(client, task)
    view = ok(client.get(f"/api/v1/tasks/{task['id']}"))
    as_list = (item["lead_unit_id"], item["lead_unit_name"], item["coop_units"])
    as_view = (view["lead_unit_id"], view["lead_unit_name"], view["coop_units"])
    lead = [a for a in view["assignments"] if a["role"] == "lead"]
    from_assignments = (lead[0]["unit_id"] if lead else None, lead[0]["unit_name"] if lead else None,
                        [{"id": a["unit_id"], "name": a["unit_name"]}
                         for a in view["assignments"] if a["role"] == "coop"])
    assert as_list == as_view == from_assignments
    return as_list


def test_list_rows_follow_edits_of_the_units_and_unit_renames(world, admin):
    sup = world["clients"]["supervisor"]
    a, b, c = (ok(admin.post("/api/v1/units", json={"name": uniq(n)}), 201) for n in ("甲", "乙", "丙"))
    t = ok(sup.post("/api/v1/tasks", json={
        "title": uniq("修订本科专业培养方案"), "lead_unit_id": a["id"],
        "coop_unit_ids": [c["id"], b["id"]], "deadline": "2026-12-31", "category": "重点工作"}), 201)
    # In the order they were given, not by id.
    assert units_of(sup, t) == (a["id"], a["name"], [{"id": c["id"], "name": c["name"]},
                                                      {"id": b["id"], "name": b["name"]}])
    t = ok(sup.patch(f"/api/v1/tasks/{t['id']}",
                     json={"lead_unit_id": b["id"], "coop_unit_ids": [c["id"]], "version": t["version"]}))
    assert units_of(sup, t) == (b["id"], b["name"], [{"id": c["id"], "name": c["name"]}])
    t = ok(sup.patch(f"/api/v1/tasks/{t['id']}", json={"coop_unit_ids": [], "version": t["version"]}))
    assert units_of(sup, t) == (b["id"], b["name"], [])
    t = ok(sup.patch(f"/api/v1/tasks/{t['id']}", json={"coop_unit_ids": [a["id"], c["id"]],
                                                      "version": t["version"]}))
    renamed = uniq("丙改")
    ok(admin.patch(f"/api/v1/units/{c['id']}", json={"name": renamed, "version": c["version"]}))
    assert units_of(sup, t) == (b["id"], b["name"], [{"id": a["id"], "name": a["name"]},
                                                      {"id": c["id"], "name": renamed}])


def test_list_rows_follow_a_reassigned_part(world):
    cl, u = world["clients"], world["units"]
    t = make_task(world)
    assert units_of(cl["supervisor"], t)[2] == [{"id": u["coop"]["id"], "name": u["coop"]["name"]}]
    r = cl["coop_unit"].post(f"/api/v1/tasks/{t['id']}/return", json={"reason": "不属于本单位职责"})
    assert r.status_code == 200, r.text
    r = cl["supervisor"].post(f"/api/v1/tasks/{t['id']}/reassign", json={"unit_id": u["other"]["id"]})
    assert r.status_code == 200, r.text
    lead_id, _, coops = units_of(cl["supervisor"], t)
    assert lead_id == u["lead"]["id"]
    assert coops == [{"id": u["other"]["id"], "name": u["other"]["name"]}]
    # The unit that now takes part sees the same row in its own list.
    assert row(cl["other_unit"], t)["coop_units"] == coops
