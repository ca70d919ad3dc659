"""docs/openapi.yaml lists exactly the routes of the route table."""
import os

import yaml

from conftest import ROOT, ok


def test_openapi_lists_exactly_the_route_table(admin):
    table = {(r["method"].lower(), r["path"]) for r in ok(admin.get("/api/v1/_routes"))["items"]}
    with open(os.path.join(ROOT, "docs", "openapi.yaml"), encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    assert doc["openapi"].startswith("3.0")
    documented = {(m, p) for p, ops in doc["paths"].items() for m in ops
                  if m in ("get", "post", "put", "patch", "delete")}
    assert documented - table == set(), "documented but not routed"
    assert table - documented == set(), "routed but not documented"
    for schema in ("Error", "Task", "Unit", "User", "TaskPage"):
        assert schema in doc["components"]["schemas"]
