-- S3: progress reports by the liaison of unit 1 on unit 1's tasks in
-- progress (gen.sql: task id led by unit 1 when id % UNITS == 0, in progress
-- when (id / UNITS) % 10 < 6).
local tasks = tonumber(os.getenv("BENCH_TASKS") or "1000000")
local units = tonumber(os.getenv("BENCH_UNITS") or "100")
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"
math.randomseed(os.time() + 2)
local groups = math.floor(tasks / units / 10)
request = function()
  local k = 10 * math.random(0, groups - 1) + math.random(0, 5)
  if k == 0 then k = 1 end
  local body = '{"text":"本周完成阶段性工作，材料已报送","progress":' .. math.random(0, 100) .. '}'
  return wrk.format("POST", "/api/v1/tasks/" .. (k * units) .. "/progress", nil, body)
end
