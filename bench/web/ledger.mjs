// ledger.mjs — time from navigation to visible ledger rows with N tasks in
// the database (default 10,000, created through the API as the supervisor).
import { launch, login, Api, demoUsers, pick } from '../../tests/browser/lib.mjs'
const N = Number(process.env.BENCH_TASKS || 10000)
const users = await demoUsers()
const sup = pick(users, 'supervisor')
const api = new Api()
await api.login(sup.login, sup.password)
const have = (await api.get('/api/v1/tasks?limit=1')).total
const units = (await api.get('/api/v1/units')).items.map((u) => u.id)
const t0 = Date.now()
let next = have
async function worker() {
  while (next < N) {
    const i = next++
    const due = new Date(Date.now() + ((i % 120) + 1) * 86400000).toISOString().slice(0, 10)
    await api.post('/api/v1/tasks', { title: `压测事项${i}：推进重点工作落实`, requirement: '按期完成', source_id: 1, lead_unit_id: units[i % units.length], deadline: due })
  }
}
await Promise.all(Array.from({ length: 4 }, worker))
console.log(`tasks in db: ${(await api.get('/api/v1/tasks?limit=1')).total} (created ${Math.max(0, N - have)} in ${((Date.now() - t0) / 1000).toFixed(1)} s)`)
const b = await launch()
await login(b.page, sup.login, sup.password)
const times = []
for (let run = 0; run < 6; run++) {
  await b.page.goto('about:blank')
  const start = Date.now()
  await b.page.goto('/tasks')
  await b.page.locator('.task-table .el-table__body tr').nth(10).waitFor()
  times.push(Date.now() - start)
}
await b.close()
times.shift() // first run warms the cache
times.sort((a, b) => a - b)
console.log(`ledger navigation → rows visible (ms): runs ${times.join(', ')}; median ${times[Math.floor(times.length / 2)]}`)
