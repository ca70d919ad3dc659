"""A task's whole life through the API: a supervisor, a lead unit and a
cooperating unit, every step read back."""
from conftest import make_task, ok, uniq


def act(client, task, action, status=200, **body):
    r = client.post(f"/api/v1/tasks/{task['id']}/{action}", json=body)
    assert r.status_code == status, f"{action}: {r.status_code} {r.text}"
    return r.json() if r.content else None


def test_a_task_goes_from_draft_to_done_and_is_evaluated(world):
    c = world["clients"]
    sup, lead, coop = c["supervisor"], c["lead_unit"], c["coop_unit"]
    src = ok(sup.post("/api/v1/sources", json={"kind": "meeting", "title": uniq("党委全委会"),
                                               "date": "2026-07-10"}), 201)
    t = make_task(world, assign=False, source_id=src["id"], source_text="认真做好审核评估工作",
                  deadline="2026-12-10")
    assert t["status"] == "draft"
    assert t["code"].startswith("DB-")
    draft = t
    t = act(sup, t, "assign")
    assert t["status"] == "assigned"
    # The cooperating unit signs first: the task waits for the lead unit.
    t = act(coop, t, "accept")
    assert t["status"] == "assigned"
    t = act(lead, t, "accept")
    assert t["status"] == "in_progress"
    t = act(lead, t, "progress", text="已完成初稿", progress=40)
    t = act(coop, t, "progress", text="材料已提交", progress=60)
    t = act(c["leader"], t, "instruct", text="抓紧推进")
    t = act(sup, t, "urge", message="请加快进度")
    t = act(lead, t, "request_extension", date="2026-12-30", reason="需等待上级文件")
    t = act(sup, t, "decide_extension", decision="approve", date="2026-12-30")
    t = act(lead, t, "complete", text="自评报告已定稿", evidence=["报告.pdf"])
    assert t["status"] == "review"
    t = act(sup, t, "reject", reason="佐证材料不全")
    assert t["status"] == "in_progress"
    t = act(lead, t, "complete", text="已补充佐证材料")
    t = act(sup, t, "approve")
    assert t["status"] == "done"
    t = act(sup, t, "evaluate", evaluation="good")
    full = ok(sup.get(f"/api/v1/tasks/{t['id']}?timeline=1"))
    assert full["status"] == "done"
    assert full["version"] >= t["version"]
    journal = ok(sup.get(f"/api/v1/tasks/{t['id']}/journal"))["items"]
    assert len(journal) >= 10
    # The first entry records the task as created: the row the create answered.
    created = journal[0]
    assert created["action"] == "create" and created["before"] is None
    for key in ("id", "code", "title", "status", "deadline", "version", "lead_unit_id"):
        assert created["after"][key] == draft[key], key
    same = ok(sup.get(f"/api/v1/journal?entity=task&id={t['id']}"))["items"]
    assert len(same) == len(journal)
    by_code = ok(sup.get(f"/api/v1/tasks/{t['code']}"))
    assert by_code["id"] == t["id"]


def test_a_unit_returns_a_task_and_the_supervisor_reassigns_it(world):
    c = world["clients"]
    t = make_task(world)
    t = act(c["coop_unit"], t, "return", reason="不属于本单位职责")
    t = act(c["supervisor"], t, "reassign", unit_id=world["units"]["other"]["id"])
    # The unrelated unit now takes part: it sees the task.
    ok(c["other_unit"].get(f"/api/v1/tasks/{t['id']}"))


def test_suspend_resume_cancel_and_delete(world):
    sup = world["clients"]["supervisor"]
    t = make_task(world)
    t = act(sup, t, "suspend", reason="等待上级部署")
    assert t["status"] == "suspended"
    t = act(sup, t, "resume")
    assert t["status"] == "assigned"
    t = act(sup, t, "cancel", reason="会议决定撤销")
    assert t["status"] == "cancelled"
    d = make_task(world, assign=False)
    r = sup.delete(f"/api/v1/tasks/{d['id']}")
    assert r.status_code == 204, r.text
    assert sup.get(f"/api/v1/tasks/{d['id']}").status_code == 404


def test_edit_with_if_match_and_list_filters(world):
    sup = world["clients"]["supervisor"]
    t = make_task(world)
    e = ok(sup.patch(f"/api/v1/tasks/{t['id']}", json={"remark": "备注"},
                     headers={"If-Match": f'"{t["version"]}"'}))
    assert e["version"] > t["version"]
    r = sup.patch(f"/api/v1/tasks/{t['id']}", json={"remark": "again"},
                  headers={"If-Match": f'"{t["version"]}"'})
    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "conflict"
    unit = world["units"]["lead"]["id"]
    page = ok(sup.get(f"/api/v1/tasks?unit_id={unit}&status=assigned&limit=2&sort=-deadline"))
    assert len(page["items"]) <= 2
    assert all(i["status"] == "assigned" for i in page["items"])
    if page.get("next_cursor"):
        nxt = ok(sup.get(f"/api/v1/tasks?unit_id={unit}&status=assigned&limit=2&sort=-deadline"
                         f"&cursor={page['next_cursor']}"))
        assert not {i["id"] for i in nxt["items"]} & {i["id"] for i in page["items"]}
    mine = ok(world["clients"]["lead_unit"].get("/api/v1/me/tasks"))
    assert "items" in mine


def test_supervision_reads(world, admin):
    sup = world["clients"]["supervisor"]
    stats = ok(sup.get("/api/v1/stats"))
    assert stats
    ok(sup.get("/api/v1/scores?from=2026-01-01&to=2026-12-31"))
    ok(sup.post("/api/v1/tick", json={"force_hours": True}))
    ok(sup.get("/api/v1/calendar?year=2026"))
    v = ok(admin.get("/api/v1/audit/verify"))
    assert v["ok"] is True


def test_a_meeting_report_is_previewed_then_committed(world):
    sup = world["clients"]["supervisor"]
    text = ("示范大学召开党委常委会\n11月20日，学校党委常委会召开会议。会议要求，一要在年底前完成招生宣传方案；"
            "二要加强实验室安全检查。\n")
    # the text gives no year: without a meeting date, relative deadlines stay open
    r = sup.post("/api/v1/ingest", json={"text": text})
    assert r.status_code == 200, r.text
    assert r.json()["tasks"][0]["deadline"] is None and r.json()["warnings"]
    r = sup.post("/api/v1/ingest", json={"text": text, "meeting_date": "2026-11-20"})
    assert r.status_code == 200, r.text
    draft = r.json()
    assert len(draft["tasks"]) == 2
    for t in draft["tasks"]:
        assert draft["text"][t["start"]:t["end"]] == t["source_text"]
    assert draft["tasks"][0]["deadline"] == "2026-12-31"
    # the reviewer corrects a title, then stores the draft
    tasks = [{"title": t["title"], "source_text": t["source_text"], "source_start": t["start"],
              "source_end": t["end"], "deadline": "2026-12-31"} for t in draft["tasks"]]
    tasks[1]["title"] = "开展实验室安全专项检查"
    bad = sup.post("/api/v1/ingest/commit", json={"source": {"title": "党委常委会"},
                                                  "tasks": tasks + [{"title": ""}]})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "tasks[2].title"
    r = sup.post("/api/v1/ingest/commit", json={"source": {"title": "党委常委会", "date": "2026-11-20"},
                                                "tasks": tasks})
    assert r.status_code == 201, r.text
    ids = r.json()["task_ids"]
    assert len(ids) == 2
    t = sup.get(f"/api/v1/tasks/{ids[1]}").json()
    assert t["title"] == "开展实验室安全专项检查" and t["status"] == "draft"
    assert t["source_id"] == r.json()["source_id"]
    assert sup.post("/api/v1/ingest", json={"text": "x", "docx_base64": "AA=="}).status_code == 422
    assert world["clients"]["lead_unit"].post("/api/v1/ingest", json={"text": text}).status_code == 403


def test_search_finds_two_character_chinese_words(world):
    sup = world["clients"]["supervisor"]
    r = sup.post("/api/v1/tasks", json={"title": "落实审计整改问题清单", "deadline": "2026-12-31",
                                        "requirement": "逐项销号"})
    assert r.status_code == 201, r.text
    tid = r.json()["id"]
    hits = sup.get("/api/v1/search", params={"q": "审计"}).json()["items"]
    assert tid in [h["task_id"] for h in hits]
    hits = sup.get("/api/v1/search", params={"q": "整改问题"}).json()["items"]
    assert tid in [h["task_id"] for h in hits]
    bad = sup.get("/api/v1/search", params={"q": "审"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "q"
    # another unit's user does not find it
    other = world["clients"]["other_unit"].get("/api/v1/search", params={"q": "审计"}).json()["items"]
    assert tid not in [h["task_id"] for h in other]


def test_a_setting_changed_through_the_api_applies_to_the_next_write(world):
    admin = world["clients"]["admin"]
    sup = world["clients"]["supervisor"]
    r = admin.put("/api/v1/settings", json={"key": "task.title_max", "value": "12"})
    assert r.status_code in (200, 204), r.text
    try:
        r = sup.post("/api/v1/tasks", json={"title": "一二三四五六七八九十一二三", "deadline": "2026-12-31"})
        assert r.status_code == 422 and r.json()["error"]["field"] == "title"
        r = sup.post("/api/v1/tasks", json={"title": "一二三四五六七八九十", "deadline": "2026-12-31"})
        assert r.status_code == 201, r.text
    finally:
        assert admin.put("/api/v1/settings", json={"key": "task.title_max", "value": "60"}).status_code in (200, 204)
