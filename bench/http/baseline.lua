-- The nginx baseline's twin of S1's and S2's scripts: the same client work
-- per request (a Lua request() building a new path with a random number,
-- the same bearer header), for the static file BENCH_FILE. nginx ignores
-- the query and the header; wrk's own cost per request is then the same on
-- both sides of the ratio (docs/performance.md).
local tasks = tonumber(os.getenv("BENCH_TASKS") or "1000000")
local file = os.getenv("BENCH_FILE")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
math.randomseed(os.time() + 2)
request = function()
  return wrk.format("GET", "/" .. file .. "?id=" .. math.random(1, tasks))
end
