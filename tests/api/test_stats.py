"""GET /api/v1/stats: the kept counts (task_count) equal the ledger as the
task list shows it, cell by cell, and the totals are the cells' sums."""
from collections import Counter

from conftest import make_task, ok


def all_tasks(client):
    items, cursor = [], None
    while True:
        params = {"limit": 200}
        if cursor:
            params["cursor"] = cursor
        page = ok(client.get("/api/v1/tasks", params=params))
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def test_stats_cells_equal_the_ledger_and_totals_their_sums(world):
    cl = world["clients"]
    t = make_task(world)
    ok(cl["lead_unit"].post(f"/api/v1/tasks/{t['id']}/accept", json={}))
    make_task(world, assign=False)
    stats = ok(cl["supervisor"].get("/api/v1/stats"))
    cells = Counter()
    for c in stats["cells"]:
        assert set(c) == {"unit_id", "unit_name", "status", "light", "n"} and c["n"] > 0
        cells[(c["unit_id"], c["status"], c["light"])] += c["n"]
    ledger = Counter((i["lead_unit_id"] or 0, i["status"], i["light"])
                     for i in all_tasks(cl["supervisor"]))
    assert cells == ledger
    assert stats["totals"]["tasks"] == sum(ledger.values()) >= 2
    by_status, by_light = Counter(), Counter()
    for (_, s, l), n in ledger.items():
        by_status[s] += n
        by_light[l] += n
    assert stats["totals"]["by_status"] == dict(by_status)
    assert stats["totals"]["by_light"] == dict(by_light)
    names = {u["id"]: u["name"] for u in world["units"].values()}
    lead = [c for c in stats["cells"] if c["unit_id"] == world["units"]["lead"]["id"]]
    assert lead and all(c["unit_name"] == names[c["unit_id"]] for c in lead)
    assert cl["lead_unit"].get("/api/v1/stats").status_code == 403
