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
