-- S2: filtered list, 25 per page: one unit's tasks in progress by deadline.
local units = tonumber(os.getenv("BENCH_UNITS") or "100")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
math.randomseed(os.time() + 1)
request = function()
  return wrk.format("GET", "/api/v1/tasks?unit_id=" .. math.random(1, units) ..
                    "&status=in_progress&sort=deadline&limit=25")
end
