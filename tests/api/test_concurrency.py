"""Optimistic concurrency: of two writers holding the same version, exactly
one wins and the other gets 409."""
import threading

from conftest import make_task, ok


def test_two_concurrent_edits_with_one_version_one_wins(world):
    sup = world["clients"]["supervisor"]
    for round_ in range(5):
        t = make_task(world)
        barrier = threading.Barrier(2)
        results = []

        def edit(n):
            barrier.wait()
            r = sup.s.patch(sup.server.url(f"/api/v1/tasks/{t['id']}"),
                            json={"remark": f"writer {n}", "version": t["version"]})
            results.append(r.status_code)

        threads = [threading.Thread(target=edit, args=(n,)) for n in range(2)]
        [th.start() for th in threads]
        [th.join() for th in threads]
        assert sorted(results) == [200, 409], results
        after = ok(sup.get(f"/api/v1/tasks/{t['id']}"))
        assert after["version"] == t["version"] + 1


def test_concurrent_title_edits_keep_the_full_text_index_exact(world, db):
    """Many title edits at once, half of them with a stale version (refused:
    on SQLite the group commit rolls back their savepoints inside a shared
    transaction). Search then finds each task by its final title only, and on
    SQLite FTS5's integrity check agrees with search_doc."""
    import sqlite3
    import uuid
    sup = world["clients"]["supervisor"]
    tasks = [make_task(world, title=f"检索一致性{uuid.uuid4().hex[:6]}甲") for _ in range(6)]
    barrier = threading.Barrier(12)
    codes = []

    def edit(t, n):
        barrier.wait()
        version = t["version"] if n == 0 else t["version"] - 1   # n == 1: stale
        r = sup.s.patch(sup.server.url(f"/api/v1/tasks/{t['id']}"),
                        json={"title": t["title"].replace("甲", "乙" if n == 0 else "丙"),
                              "version": version})
        codes.append(r.status_code)

    threads = [threading.Thread(target=edit, args=(t, n)) for t in tasks for n in (0, 1)]
    [th.start() for th in threads]
    [th.join() for th in threads]
    assert sorted(codes) == [200] * 6 + [409] * 6, codes
    for t in tasks:
        stem = t["title"][:-1]
        hits = ok(sup.get("/api/v1/search", params={"q": stem, "limit": 10}))["items"]
        assert [h["title"] for h in hits if h["kind"] == "task"] == [stem + "乙"]
        assert ok(sup.get("/api/v1/search", params={"q": stem + "甲"}))["items"] == []
        assert ok(sup.get("/api/v1/search", params={"q": stem + "丙"}))["items"] == []
    if not db.startswith("postgres"):
        con = sqlite3.connect(db)
        con.execute("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)")
        con.close()
