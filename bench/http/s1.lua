-- S1: GET one task by id (random over the ledger), bearer token.
local tasks = tonumber(os.getenv("BENCH_TASKS") or "1000000")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/tasks/" .. math.random(1, tasks))
end
